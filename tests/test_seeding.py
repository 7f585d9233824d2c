"""One way to seed: the same seed gives the same weights; bad seeds are refused."""

import numpy as np
import pytest

from ecgcourse.seeding import seed_everything


def _train_once(seed):
    import keras

    seed_everything(seed)
    keras.backend.clear_session()
    model = keras.Sequential(
        [keras.Input(shape=(8,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    x = np.random.normal(size=(64, 8)).astype("float32")  # drawn after seeding: repeatable too
    y = x.sum(axis=1, keepdims=True)
    model.fit(x, y, epochs=3, batch_size=16, shuffle=True, verbose=0)
    return model.get_weights()


def test_same_seed_same_weights_other_seed_other_weights():
    first, again, other = _train_once(3), _train_once(3), _train_once(4)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other))


@pytest.mark.parametrize("bad", [-1, 1.5, "0", True, None])
def test_seed_must_be_a_non_negative_integer(bad):
    with pytest.raises(ValueError, match="non-negative integer"):
        seed_everything(bad)
