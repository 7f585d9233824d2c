"""Networks that more than one notebook builds.

Story B (README, *The notebooks*; notebooks 3 to 6): emotion from one-minute raw ECGs,
``Conv1D(100, 700)``, ``Conv1D(50, 700)``, ``Flatten``, a softmax ``Dense`` layer, trained
with ``validation_split=0.33, shuffle=False``. The story reports 4.8 M parameters; the
layers it describes, on its 18,000-sample inputs, hold more: notebook 5 counts them.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np

STORY_B_SAMPLES = 18000
"""Story B's input: one minute at 300 Hz, in samples."""
STORY_B_FILTERS = (100, 50)
STORY_B_KERNEL = 700
"""Kernel length of both convolutions, in samples (2.3 s at 300 Hz)."""
STORY_B_CLASSES = 6
STORY_B_REPORTED_PARAMS = 4.8e6
"""The parameter count story B's question reported (its layers as described hold more)."""


def story_b_network(
    n_samples: int = STORY_B_SAMPLES,
    filters: Sequence[int] = STORY_B_FILTERS,
    kernel: int = STORY_B_KERNEL,
    n_classes: int = STORY_B_CLASSES,
) -> keras.Sequential:
    """Story B's shape: two wide convolutions without pooling, ``Flatten``, one softmax
    ``Dense`` layer. Input ``(n_samples, 1)`` (one lead); output ``(n_classes,)``."""
    return keras.Sequential(
        [
            keras.Input(shape=(n_samples, 1)),
            keras.layers.Conv1D(filters[0], kernel, activation="relu"),
            keras.layers.Conv1D(filters[1], kernel, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(n_classes, activation="softmax"),
        ],
        name="story_b",
    )


def beat_cnn(
    n_samples: int,
    n_rr: int,
    n_classes: int = 4,
    filters: Sequence[int] = (8, 16, 16, 32),
    kernel_size: int = 7,
    hidden: int = 16,
) -> keras.Model:
    """Notebook 5's beat classifier, two inputs: ``beat_shape`` ``(n_samples, 1)`` (the
    beat against its record's reference beat) and ``rr_timing`` ``(n_rr,)`` (RR ratios);
    output ``(n_classes,)`` softmax probabilities.

    The shape goes through ``len(filters)`` ``Conv1D`` layers with max pooling between
    them, global average pooling and a small dense layer; the timing through a
    ``Dense(hidden)`` layer of its own (an S beat is a conjunction: early *and* in a
    regular rhythm); both join before the output layer.
    """
    layers = keras.layers
    shape_in = keras.Input(shape=(n_samples, 1), name="beat_shape")
    rr_in = keras.Input(shape=(n_rr,), name="rr_timing")
    h = shape_in
    for i, f in enumerate(filters):
        h = layers.Conv1D(f, kernel_size, padding="same", activation="relu", name=f"conv{i + 1}")(h)
        if i < len(filters) - 1:
            h = layers.MaxPooling1D(2, name=f"pool{i + 1}")(h)
    h = layers.GlobalAveragePooling1D(name="global_average")(h)
    h = layers.Dropout(0.3)(h)
    h = layers.Dense(32, activation="relu", name="shape_features")(h)
    h = layers.Dropout(0.3)(h)
    timing = layers.Dense(hidden, activation="relu", name="timing_features")(rr_in)
    h = layers.Concatenate(name="shape_and_timing")([h, timing])
    out = layers.Dense(n_classes, activation="softmax", name="class_probabilities")(h)
    return keras.Model([shape_in, rr_in], out, name="beat_cnn")


def measured_receptive_field(model: keras.Model) -> int:
    """Receptive field, in input samples, of the middle unit of ``model``'s output, measured
    rather than computed: ``model`` is a chain of ``Conv1D`` and pooling layers with input
    ``(n_samples, channels)``. A copy with every kernel weight 1 and every bias 0 gets one
    impulse per input sample; the samples whose impulse reaches the middle output unit of
    the first filter are the ones it sees (all weights positive: nothing cancels, and a max
    pooling window passes any impulse that reaches it)."""
    probe = keras.models.clone_model(model)
    probe.set_weights(
        [np.ones_like(w) if w.ndim > 1 else np.zeros_like(w) for w in model.get_weights()]
    )
    n_samples, channels = model.input_shape[1], model.input_shape[2]
    impulses = np.zeros((n_samples, n_samples, channels), dtype="float32")
    impulses[np.arange(n_samples), np.arange(n_samples), :] = 1.0
    out = probe.predict(impulses, batch_size=n_samples, verbose=0)
    return int((out[:, out.shape[1] // 2, 0] > 0).sum())


def minute_cnn(
    n_samples: int | None,
    filters: Sequence[int] = (16, 32, 32),
    kernel_size: int = 7,
    pool_size: int = 4,
    l2: float = 1e-4,
    dropout: float = 0.3,
    global_max: bool = True,
) -> keras.Sequential:
    """Notebook 6's right-sized network for "does this recording hold a V beat?": short
    ``Conv1D`` layers (L2 on their kernels) with max pooling between them, a global
    *maximum* over time (one V beat anywhere is enough; ``global_max=False``: the mean, for
    ``benchmarks/overfitting_ablation.py``), dropout and a softmax ``Dense(2)``.
    Input ``(n_samples, 1)``, z-scored; ``None`` accepts any length. Output ``(2,)``."""
    layers = keras.layers
    stack: list[keras.layers.Layer] = [keras.Input(shape=(n_samples, 1))]
    for i, f in enumerate(filters):
        stack.append(layers.Conv1D(f, kernel_size, padding="same", activation="relu",
                                   kernel_regularizer=keras.regularizers.L2(l2)))  # fmt: skip
        if i < len(filters) - 1:
            stack.append(layers.MaxPooling1D(pool_size))
    stack += [
        layers.GlobalMaxPooling1D() if global_max else layers.GlobalAveragePooling1D(),
        layers.Dropout(dropout),
        layers.Dense(2, activation="softmax"),
    ]
    return keras.Sequential(stack, name="minute_cnn")


def dense_v_detector(
    n_samples: int, hidden_units: int = 64, activation: str | None = None
) -> keras.Sequential:
    """Notebooks 7 and 8's V-beat detector: a beat of ``n_samples`` normalised samples, two
    hidden ReLU layers (``hidden_units``, then half as many) and one output unit. With
    ``activation=None`` the output is the logit (the fix); ``"sigmoid"`` is story A's."""
    return keras.Sequential(
        [
            keras.Input(shape=(n_samples,)),
            keras.layers.Dense(hidden_units, activation="relu"),
            keras.layers.Dense(hidden_units // 2, activation="relu"),
            keras.layers.Dense(1, activation=activation),
        ],
        name="v_detector",
    )
