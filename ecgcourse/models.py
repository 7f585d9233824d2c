"""Networks that more than one notebook builds.

Story B (README, *The notebooks*; notebooks 3 to 6): emotion from one-minute raw ECGs,
``Conv1D(100, 700)``, ``Conv1D(50, 700)``, ``Flatten``, a softmax ``Dense`` layer, trained
with ``validation_split=0.33, shuffle=False``. The story reports 4.8 M parameters; the
layers it describes, on its 18,000-sample inputs, hold more: notebook 5 counts them.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras

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
