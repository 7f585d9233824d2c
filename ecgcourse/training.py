"""Training the course's networks: notebook 5's beat classifier (a ``tf.data`` pipeline with
class weights, a fixed number of epochs, and out-of-fold probabilities over patient-grouped
folds of DS1) and notebook 6's minute classifier (augmented, shuffled batches).

The notebooks and ``benchmarks/beat_cnn_design.py`` train the same way, through these
functions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

from ecgcourse.checks import course_stood_in
from ecgcourse.models import beat_cnn, dense_v_detector, minute_cnn
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


def predict_quietly(
    model: keras.Model, inputs: tuple[np.ndarray, ...], chunk: int = 4096
) -> np.ndarray:
    """``model``'s outputs on ``inputs`` in inference mode, ``chunk`` rows at a time, by calling
    the model: unlike ``predict`` it builds no ``tf.function``, so predicting with many fresh
    models (one per fold, per seed) does not fill the log with retracing warnings."""
    n = len(inputs[0])
    parts = []
    for i in range(0, n, chunk):
        rows = tuple(x[i : i + chunk] for x in inputs)
        out = model(rows[0] if len(rows) == 1 else rows, training=False)  # one input: no tuple
        parts.append(keras.ops.convert_to_numpy(out))
    return np.concatenate(parts)


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
            self.proba.append(predict_quietly(self.model, self.held_out))


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


Trainer = Callable[..., tuple[keras.Model, EpochLog]]
"""``train(X, R, y, *, epochs, seed, held_out=None) -> (model, EpochLog)``."""


def beat_cnn_trainer(n_classes: int, batch_size: int = 256) -> Trainer:
    """A :data:`Trainer` that runs :func:`train_beat_cnn`: the course's answer to notebook 5's
    exercise 4 (``train_cnn``)."""

    def train(X, R, y, *, epochs, seed, held_out=None):  # type: ignore[no-untyped-def]
        return train_beat_cnn(
            X, R, y, n_classes=n_classes, epochs=epochs, seed=seed, batch_size=batch_size,
            held_out=held_out,
        )  # fmt: skip

    return train


def written_or(yours: Trainer, course: Trainer) -> Trainer:
    """``yours``, or ``course`` wherever ``yours`` raises ``NotImplementedError``: the stub of
    an exercise not answered yet in a handout, so that the rest of the notebook still runs.
    Says so, once, when it stands in."""
    told = []

    def train(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return yours(*args, **kwargs)
        except NotImplementedError:
            name = getattr(yours, "__name__", "your function")
            course_stood_in(name)
            if not told:
                told.append(True)
                print(f"{name} is not written yet: the course's version stands in")
            return course(*args, **kwargs)

    return train


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
    train: Trainer | None = None,
) -> OutOfFold:
    """Train one model per fold of :func:`ecgcourse.splits.group_kfold` (every patient in
    one fold, class mix stratified) on the other folds, at seed ``seed + fold``, and keep
    its probabilities on its own fold after every epoch.

    ``train(X, R, y, *, epochs, seed, held_out)`` returns ``(model, EpochLog)``, the log
    holding ``held_out``'s probabilities after every epoch (notebook 5's student writes
    one); by default :func:`train_beat_cnn` with ``n_classes`` and ``batch_size``."""
    if train is None:
        train = beat_cnn_trainer(n_classes, batch_size)

    y = np.asarray(y)
    proba = np.zeros((epochs, len(y), n_classes), dtype=np.float32)
    fold = np.full(len(y), -1)
    result = OutOfFold(proba, fold)
    for k, (fit, test) in enumerate(group_kfold(record, y, n_folds)):
        model, log = train(
            X[fit], R[fit], y[fit], epochs=epochs, seed=seed + k, held_out=(X[test], R[test])
        )
        proba[:, test] = np.stack(log.proba)
        fold[test] = k
        result.models.append(model)
        result.seconds.extend(log.seconds)
    return result


MAX_SHIFT_S = 1.0
"""Largest circular time shift of :func:`augment`, in seconds."""
NOISE_SD = 0.05
"""White noise :func:`augment` adds, in units of the z-scored signal."""


def augment(x: tf.Tensor, y: tf.Tensor, fs: float = 250.0) -> tuple[tf.Tensor, tf.Tensor]:
    """One random variant of one z-scored recording ``x`` ``(n_samples, 1)``: a gain of
    exp(U(-0.3, 0.3)) (about ±30 %, as between electrodes and patients), a circular shift of
    up to :data:`MAX_SHIFT_S` (every beat stays inside, so the label stays true) and white
    noise of SD :data:`NOISE_SD`. For ``tf.data.Dataset.map``; ``y`` passes through."""
    gain = tf.exp(tf.random.uniform([], -0.3, 0.3))
    most = int(MAX_SHIFT_S * fs)
    shift = tf.random.uniform([], -most, most + 1, dtype=tf.int32)
    noise = tf.random.normal(tf.shape(x), stddev=NOISE_SD)
    return tf.roll(x * gain, shift, axis=0) + noise, y


def train_minute_cnn(
    x: np.ndarray, y: np.ndarray, *, epochs: int, seed: int, batch_size: int = 16
) -> tuple[keras.Model, dict]:
    """A fresh :func:`ecgcourse.models.minute_cnn` seeded with ``seed``, trained with Adam for
    ``epochs`` epochs on shuffled, augmented (:func:`augment`) batches of ``x`` ``(n,
    n_samples, 1)`` (z-scored) and ``y`` ``(n,)`` in {0, 1}: the course's answer to notebook
    6's exercise 5. Returns the model and its ``history.history``."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    model = minute_cnn(x.shape[1])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    data = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x), seed=seed)
    data = data.map(augment).batch(batch_size)
    history = model.fit(data, epochs=epochs, shuffle=False, verbose=0)  # the data shuffles
    return model, history.history


def _fit_dense(
    X: np.ndarray, y: np.ndarray, *, activation: str | None, loss: object, metrics: list,
    epochs: int, seed: int, batch_size: int, hidden_units: int,
) -> keras.Model:  # fmt: skip
    # a fresh dense_v_detector seeded with seed, fitted with Adam: notebooks 7, 8 and 10
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    model = dense_v_detector(X.shape[1], hidden_units, activation=activation)
    model.compile(optimizer="adam", loss=loss, metrics=metrics)
    model.fit(X, y.astype("float32"), epochs=epochs, batch_size=batch_size, verbose=0)
    return model


def train_v_detector(
    X: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    seed: int,
    batch_size: int = 64,
    hidden_units: int = 64,
) -> keras.Model:
    """A fresh :func:`ecgcourse.models.dense_v_detector` with a linear output (the logit),
    seeded with ``seed``, trained with Adam on ``BinaryCrossentropy(from_logits=True)`` for
    ``epochs`` epochs on ``X`` ``(n, samples)`` (normalised beats) and ``y`` ``(n,)`` (1 for
    V): the course's answer to notebook 7's exercise 2, and notebook 8's shipped model."""
    return _fit_dense(
        X, y, activation=None, loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],  # a logit of 0 is p = 0.5
        epochs=epochs, seed=seed, batch_size=batch_size, hidden_units=hidden_units,
    )  # fmt: skip


def train_story_a(
    X: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    seed: int,
    batch_size: int = 64,
    hidden_units: int = 64,
) -> keras.Model:
    """Story A's model as notebook 7 builds it, for notebook 10 to put beside the shipped
    pipeline: :func:`ecgcourse.models.dense_v_detector` with a sigmoid output, trained with
    Adam on ``binary_crossentropy`` for ``epochs`` epochs (long, no regularisation) on ``X``
    ``(n, samples)`` (beats divided by the training set's global maximum) and ``y`` ``(n,)``."""
    return _fit_dense(
        X, y, activation="sigmoid", loss="binary_crossentropy", metrics=["accuracy"],
        epochs=epochs, seed=seed, batch_size=batch_size, hidden_units=hidden_units,
    )  # fmt: skip
