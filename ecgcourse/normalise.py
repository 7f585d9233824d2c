"""Normalisers for ECG windows that are fitted on training data, saved with the model,
and refuse to be used unfitted, on NaNs, or on windows of another shape.

Methods (story A in COURSE.md is what happens when you pick the first one):

- ``global_max``: divide by the largest absolute value seen in training;
- ``zscore``: subtract the training mean, divide by the training standard deviation;
- ``per_window``: standardise every window by its own mean and standard deviation;
- ``robust``: subtract the training median, divide by the training interquartile range.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ecgcourse.atomic import write_text_atomic

METHODS: tuple[str, ...] = ("global_max", "zscore", "per_window", "robust")
EPS = 1e-6
"""Floor (in the input's units, mV) for a scale, so a flat window does not divide by zero."""


class NotFittedError(RuntimeError):
    """The normaliser was used before ``fit`` (or ``load``)."""


def _check_windows(X: np.ndarray, action: str) -> np.ndarray:
    X = np.asarray(X, dtype=np.float32)
    if X.ndim not in (2, 3):
        raise ValueError(
            f"cannot {action} an array of shape {X.shape}: expected windows of shape "
            "(n_windows, n_samples) or (n_windows, n_samples, n_leads)"
        )
    bad = ~np.isfinite(X)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"cannot {action}: input holds {int(bad.sum())} NaN or infinite values "
            f"(first at index {first}); drop or repair those windows first"
        )
    return X


class Normaliser:
    """Fit on training windows, then transform any window of the same shape.

    >>> norm = Normaliser("zscore").fit(X_train)   # X_train: (n_windows, n_samples) in mV
    >>> norm.transform(X_test)                     # same preprocessing at inference
    """

    def __init__(self, method: str) -> None:
        if method not in METHODS:
            raise ValueError(f"unknown normalisation method {method!r}; choose one of {METHODS}")
        self.method = method
        self.window_shape: tuple[int, ...] | None = None
        self.fs: float | None = None
        self.stats: dict[str, list[float]] = {}

    def __repr__(self) -> str:
        state = f"fitted on windows of shape {self.window_shape}" if self.fitted else "not fitted"
        return f"Normaliser({self.method!r}, {state})"

    @property
    def fitted(self) -> bool:
        return self.window_shape is not None

    def fit(self, X: np.ndarray, fs: float | None = None) -> Normaliser:
        """Learn the statistics from training windows only; returns ``self``.

        ``fs`` (Hz), when given, is remembered and checked by :meth:`transform`.
        """
        X = _check_windows(X, "fit on")
        if len(X) == 0:
            raise ValueError("cannot fit on zero windows")
        axes = (0, 1)  # statistics per lead (the last axis when there is one)
        if self.method == "global_max":
            self.stats = {"scale": np.atleast_1d(np.abs(X).max(axis=axes)).tolist()}
        elif self.method == "zscore":
            self.stats = {
                "centre": np.atleast_1d(X.mean(axis=axes)).tolist(),
                "scale": np.atleast_1d(X.std(axis=axes)).tolist(),
            }
        elif self.method == "robust":
            q25, q50, q75 = np.percentile(X, [25, 50, 75], axis=axes)
            self.stats = {
                "centre": np.atleast_1d(q50).tolist(),
                "scale": np.atleast_1d(q75 - q25).tolist(),
            }
        else:  # per_window keeps no statistics, only the shape it expects
            self.stats = {}
        self.window_shape = tuple(int(n) for n in X.shape[1:])
        self.fs = None if fs is None else float(fs)
        return self

    def transform(self, X: np.ndarray, fs: float | None = None) -> np.ndarray:
        """Normalise windows with the fitted statistics; float32, same shape as ``X``.

        ``fs`` (Hz) is checked against the rate given to :meth:`fit`, when both are known.
        """
        if not self.fitted:
            raise NotFittedError(
                f"Normaliser({self.method!r}) is not fitted: call .fit(training_windows) "
                "on training data first, or Normaliser.load(path) for a saved one"
            )
        if fs is not None and self.fs is not None and float(fs) != self.fs:
            raise ValueError(
                f"Normaliser({self.method!r}) was fitted on windows sampled at {self.fs:g} Hz "
                f"but got {float(fs):g} Hz; resample to {self.fs:g} Hz first"
            )
        X = _check_windows(X, "transform")
        if tuple(X.shape[1:]) != self.window_shape:
            raise ValueError(
                f"Normaliser({self.method!r}) was fitted on windows of shape "
                f"{self.window_shape} but got {tuple(X.shape[1:])}; cut and resample "
                "windows exactly as in training"
            )
        if self.method == "per_window":
            mean = X.mean(axis=1, keepdims=True)
            std = X.std(axis=1, keepdims=True)
            return ((X - mean) / np.maximum(std, EPS)).astype(np.float32)
        centre = np.asarray(self.stats.get("centre", [0.0]), dtype=np.float32)
        scale = np.maximum(np.asarray(self.stats["scale"], dtype=np.float32), EPS)
        if X.ndim == 2:
            centre, scale = centre[0], scale[0]
        return ((X - centre) / scale).astype(np.float32)

    def fit_transform(self, X: np.ndarray, fs: float | None = None) -> np.ndarray:
        return self.fit(X, fs).transform(X, fs)

    def to_dict(self) -> dict[str, Any]:
        if not self.fitted:
            raise NotFittedError(f"Normaliser({self.method!r}) is not fitted: nothing to save")
        return {
            "method": self.method,
            "window_shape": list(self.window_shape),
            "fs": self.fs,
            "stats": self.stats,
        }

    def save(self, path: str | Path) -> Path:
        """Write the fitted normaliser as JSON, atomically (never a half-written file)."""
        return write_text_atomic(path, json.dumps(self.to_dict(), indent=2))

    @classmethod
    def load(cls, path: str | Path) -> Normaliser:
        """Read a normaliser written by :meth:`save`."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"no saved normaliser at {path}: save it next to the model")
        data = json.loads(path.read_text())
        missing = {"method", "window_shape", "stats"} - set(data)
        if missing:
            raise ValueError(f"{path} is not a saved normaliser: missing {sorted(missing)}")
        norm = cls(data["method"])
        norm.window_shape = tuple(int(n) for n in data["window_shape"])
        norm.fs = None if data.get("fs") is None else float(data["fs"])
        norm.stats = {k: [float(v) for v in vals] for k, vals in data["stats"].items()}
        return norm
