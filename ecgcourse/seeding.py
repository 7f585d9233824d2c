"""One way to seed a notebook: Python, NumPy, Keras and TensorFlow, with deterministic ops.

Call :func:`seed_everything` once, right after the ``parameters`` cell, with the notebook's
``seed`` parameter. A run is then repeatable on its machine: the same seed gives the same
weights and the same numbers. Another CPU may take other kernel paths and round floats
differently, so a lesson must hold at several seeds (``python -m ecgcourse sweep``), not
only at one.
"""

from __future__ import annotations

import random

import numpy as np


def seed_everything(seed: int) -> int:
    """Seed Python's ``random``, NumPy's global state and Keras (hence TensorFlow), and turn
    on TensorFlow's op determinism. Returns ``seed``, so a notebook can write
    ``rng = np.random.default_rng(seed_everything(seed))``.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    import keras  # imported here: notebooks without Keras need not pay for TensorFlow
    import tensorflow as tf

    keras.utils.set_random_seed(seed)  # Python, NumPy and the backend's global generator
    tf.config.experimental.enable_op_determinism()
    return seed
