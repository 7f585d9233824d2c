"""Training notebook 5's beat classifier: a ``tf.data`` pipeline with class weights, a fixed
number of epochs, and out-of-fold probabilities over patient-grouped folds of DS1.

The notebook and ``benchmarks/beat_cnn_design.py`` train the same way, through these
functions.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

from ecgcourse.models import beat_cnn
from ecgcourse.scores import class_weights
from ecgcourse.splits import group_kfold


def make_dataset(
    X: np.ndarray,
    R: np.ndarray,
    y: np.ndarray,
    weight_of_class: np.ndarray,
    *,
    batch_size: int = 256,
    shuffle_seed: int | None = None,
) -> tf.data.Dataset:
    """``((shape, rr), class, weight)`` batches: ``X`` ``(n, samples, 1)``, ``R`` ``(n, k)``,
    ``y`` ``(n,)`` class indices, each beat weighted by ``weight_of_class[y]``; reshuffled
    every epoch when ``shuffle_seed`` is given."""
    ds = tf.data.Dataset.from_tensor_slices(((X, R), y, weight_of_class[y]))
    if shuffle_seed is not None:
        ds = ds.shuffle(len(y), seed=shuffle_seed, reshuffle_each_iteration=True)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)


class EpochLog(keras.callbacks.Callback):
    """Wall time of every epoch (s) and, if ``held_out`` inputs are given, the model's
    probabilities on them after every epoch: ``proba`` ``(epochs, n, classes)``."""

    def __init__(self, held_out: tuple[np.ndarray, np.ndarray] | None = None):
        super().__init__()
        self.held_out = held_out
        self.seconds: list[float] = []
        self.proba: list[np.ndarray] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)
        if self.held_out is not None:
            self.proba.append(self.model.predict(self.held_out, batch_size=2048, verbose=0))


def train_beat_cnn(
    X: np.ndarray,
    R: np.ndarray,
    y: np.ndarray,
    *,
    n_classes: int,
    epochs: int,
    seed: int,
    batch_size: int = 256,
    learning_rate: float = 1e-3,
    held_out: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[keras.Model, EpochLog]:
    """A fresh :func:`ecgcourse.models.beat_cnn` seeded with ``seed``, trained for ``epochs``
    epochs on class-weighted beats (weights ``n / (k x count)`` from these beats). Returns
    the model and its :class:`EpochLog` (held-out probabilities after every epoch)."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    model = beat_cnn(X.shape[1], R.shape[1], n_classes)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        weighted_metrics=["accuracy"],
    )
    weights = class_weights(np.asarray(y), list(range(n_classes)))
    weight_of_class = np.array([weights[i] for i in range(n_classes)], dtype=np.float32)
    log = EpochLog(held_out)
    data = make_dataset(X, R, y, weight_of_class, batch_size=batch_size, shuffle_seed=seed)
    model.fit(data, epochs=epochs, callbacks=[log], shuffle=False, verbose=0)
    return model, log


@dataclass
class OutOfFold:
    """Out-of-fold results over patient-grouped folds: ``proba`` ``(epochs, n, classes)``,
    every beat's probabilities after each epoch from the fold model that never saw its
    patient; ``fold`` ``(n,)`` fold of every beat; ``models`` the fold models after the last
    epoch; ``seconds`` the wall time of every epoch of every fold."""

    proba: np.ndarray
    fold: np.ndarray
    models: list[keras.Model] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def out_of_fold(
    X: np.ndarray,
    R: np.ndarray,
    y: np.ndarray,
    record: Sequence[str],
    *,
    n_classes: int,
    n_folds: int,
    epochs: int,
    seed: int,
    batch_size: int = 256,
) -> OutOfFold:
    """Train one model per fold of :func:`ecgcourse.splits.group_kfold` (every patient in
    one fold, class mix stratified) on the other folds, at seed ``seed + fold``, and keep
    its probabilities on its own fold after every epoch."""
    y = np.asarray(y)
    proba = np.zeros((epochs, len(y), n_classes), dtype=np.float32)
    fold = np.full(len(y), -1)
    result = OutOfFold(proba, fold)
    for k, (train, test) in enumerate(group_kfold(record, y, n_folds)):
        model, log = train_beat_cnn(
            X[train], R[train], y[train], n_classes=n_classes, epochs=epochs, seed=seed + k,
            batch_size=batch_size, held_out=(X[test], R[test]),
        )  # fmt: skip
        proba[:, test] = np.stack(log.proba)
        fold[test] = k
        result.models.append(model)
        result.seconds.extend(log.seconds)
    return result
