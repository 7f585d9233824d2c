import keras
import numpy as np

from ecgcourse.diagnostics import overfit_one_batch, shuffled_label_control
from ecgcourse.models import minute_cnn


def _tiny(learning_rate):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((20, 1)), keras.layers.Flatten(), keras.layers.Dense(2, activation="softmax")]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def test_overfit_one_batch_fits_a_working_network_and_not_a_frozen_one():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(8, 20, 1)).astype("float32"), np.array([0, 1] * 4)
    assert overfit_one_batch(_tiny(0.05), x, y, max_steps=200)[-1] == 1.0
    frozen = overfit_one_batch(_tiny(0.0), x, y, max_steps=4)
    assert len(frozen) == 4 and max(frozen) < 1.0


def test_shuffled_label_control_keeps_the_validation_labels():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(30, 20, 1)).astype("float32"), rng.integers(0, 2, 30)

    def train(x, y):
        model = _tiny(0.01)
        return model, model.fit(x, y, epochs=1, verbose=0).history

    y_shuffled, model, history, accuracy = shuffled_label_control(train, x, y, 20, seed=1)
    assert np.array_equal(y_shuffled[20:], y[20:])
    assert np.array_equal(np.sort(y_shuffled[:20]), np.sort(y[:20]))
    assert 0.0 <= accuracy <= 1.0 and len(history["loss"]) == 1


def test_minute_cnn_has_as_many_weights_for_any_length():
    assert minute_cnn(2000).count_params() == minute_cnn(15000).count_params()
    assert minute_cnn(None).output_shape == (None, 2)
