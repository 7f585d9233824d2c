"""Normalisers for ECG windows that are fitted on training data, saved with the model,
and refuse to be used unfitted, on NaNs, or on windows of another shape.

Methods (story A in COURSE.md is what happens when you pick the first one):

- ``global_max``: divide by the largest absolute value seen in training;
- ``zscore``: subtract the training mean, divide by the training standard deviation;
- ``per_window``: standardise every window by its own mean and standard deviation;
- ``robust``: subtract the training median, divide by the training interquartile range.

:class:`Normaliser` is a scikit-learn transformer: it goes into a
:class:`sklearn.pipeline.Pipeline`, :func:`sklearn.base.clone` copies its settings, and what
``fit`` learns ends in an underscore (``centre_``, ``scale_``, ``window_shape_``, ``fs_``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import NotFittedError as NotFittedError  # re-exported: sklearn's own
from sklearn.utils.validation import check_is_fitted

from ecgcourse.atomic import write_text_atomic
from ecgcourse.signals import check_rate

METHODS: tuple[str, ...] = ("global_max", "zscore", "per_window", "robust")
EPS = 1e-6
"""Floor (in the input's units, mV) for a scale, so a flat window does not divide by zero."""


def check_fs(fs: Any, owner: str) -> float | None:
    """``fs`` as a float in Hz, or ``None``; a clear :class:`ValueError` for anything else."""
    return None if fs is None else check_rate(fs, f"{owner}: fs")


def refuse_fs_as_y(y: Any, owner: str) -> None:
    """``fit(X, 250)`` would pass the rate as ``y``: say where the rate goes instead."""
    if y is not None and np.ndim(y) == 0:
        raise TypeError(
            f"{owner}.fit(X, y=None) got y={y!r}: the sampling rate is a constructor "
            f"parameter now, {owner}(..., fs={y!r}).fit(X)"
        )


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


def _per_lead(values: np.ndarray) -> np.ndarray:
    """Statistics as a float64 array with one value per lead (exactly the computed values)."""
    return np.atleast_1d(values).astype(np.float64)


class Normaliser(TransformerMixin, BaseEstimator):
    """Fit on training windows, then transform any window of the same shape.

    ``method``: one of :data:`METHODS`; ``fs``: the sampling rate (Hz) the windows must
    have, or ``None`` to leave it unchecked. Fitted attributes:

    - ``centre_``: ``(n_leads,)`` training mean (``zscore``) or median (``robust``), mV;
      ``None`` for ``global_max`` and ``per_window``, which subtract no fixed centre;
    - ``scale_``: ``(n_leads,)`` training maximum of ``|x|`` (``global_max``), standard
      deviation (``zscore``) or interquartile range (``robust``), mV; ``None`` for
      ``per_window``, which divides every window by its own standard deviation;
    - ``window_shape_``: shape of one window, ``(n_samples,)`` or ``(n_samples, n_leads)``;
    - ``fs_``: ``fs`` as a float, or ``None``.

    One lead has ``n_leads = 1``.

    >>> norm = Normaliser("zscore", fs=250).fit(X_train)  # X_train: (n_windows, n_samples), mV
    >>> norm.transform(X_test, fs=250)                    # same preprocessing at inference
    """

    def __init__(self, method: str = "zscore", *, fs: float | None = None) -> None:
        self.method = method
        self.fs = fs

    def __repr__(self, N_CHAR_MAX: int = 700) -> str:
        fs = "" if self.fs is None else f", fs={self.fs!r}"
        state = "not fitted"
        if hasattr(self, "window_shape_"):
            state = f"fitted on windows of shape {self.window_shape_}"
        return f"Normaliser({self.method!r}{fs}; {state})"

    def _check_params(self) -> float | None:
        if self.method not in METHODS:
            raise ValueError(
                f"unknown normalisation method {self.method!r}; choose one of {METHODS}"
            )
        return check_fs(self.fs, f"Normaliser({self.method!r})")

    def fit(self, X: np.ndarray, y: Any = None) -> Normaliser:
        """Learn the statistics from training windows only; returns ``self``.

        ``X``: ``(n_windows, n_samples)`` or ``(n_windows, n_samples, n_leads)`` in mV;
        ``y`` is ignored (it is there for :class:`sklearn.pipeline.Pipeline`).
        """
        refuse_fs_as_y(y, "Normaliser")
        fs = self._check_params()
        X = _check_windows(X, "fit on")
        if len(X) == 0:
            raise ValueError("cannot fit on zero windows")
        axes = (0, 1)  # statistics per lead (the last axis when there is one)
        centre = scale = None
        if self.method == "global_max":
            scale = _per_lead(np.abs(X).max(axis=axes))
        elif self.method == "zscore":
            centre, scale = _per_lead(X.mean(axis=axes)), _per_lead(X.std(axis=axes))
        elif self.method == "robust":
            q25, q50, q75 = np.percentile(X, [25, 50, 75], axis=axes)
            centre, scale = _per_lead(q50), _per_lead(q75 - q25)
        # per_window keeps no statistics, only the shape it expects
        self.centre_, self.scale_ = centre, scale
        self.window_shape_ = tuple(int(n) for n in X.shape[1:])
        self.fs_ = fs
        return self

    def _check_fitted(self) -> None:
        check_is_fitted(
            self,
            msg=f"Normaliser({self.method!r}) is not fitted: call .fit(training_windows) "
            "on training data first, or Normaliser.load(path) for a saved one",
        )

    def transform(self, X: np.ndarray, *, fs: float | None = None) -> np.ndarray:
        """Normalise windows with the fitted statistics; float32, same shape as ``X``.

        ``fs`` (Hz), when given, is checked against the normaliser's ``fs``, when it has one.
        """
        self._check_fitted()
        if fs is not None and self.fs_ is not None and float(fs) != self.fs_:
            raise ValueError(
                f"Normaliser({self.method!r}) was fitted on windows sampled at {self.fs_:g} Hz "
                f"but got {float(fs):g} Hz; resample to {self.fs_:g} Hz first"
            )
        X = _check_windows(X, "transform")
        if tuple(X.shape[1:]) != self.window_shape_:
            raise ValueError(
                f"Normaliser({self.method!r}) was fitted on windows of shape "
                f"{self.window_shape_} but got {tuple(X.shape[1:])}; cut and resample "
                "windows exactly as in training"
            )
        if self.method == "per_window":
            mean = X.mean(axis=1, keepdims=True)
            std = X.std(axis=1, keepdims=True)
            return ((X - mean) / np.maximum(std, EPS)).astype(np.float32)
        centre = np.zeros(1, np.float32) if self.centre_ is None else self.centre_
        centre = np.asarray(centre, dtype=np.float32)
        scale = np.maximum(np.asarray(self.scale_, dtype=np.float32), EPS)
        if X.ndim == 2:
            centre, scale = centre[0], scale[0]
        return ((X - centre) / scale).astype(np.float32)

    def _check_statistics(self, where: str) -> None:
        """The rules a saved normaliser obeys, on save and on load: a positive window shape,
        and one finite centre and one positive finite scale per lead."""
        shape = self.window_shape_
        if len(shape) not in (1, 2) or any(n <= 0 for n in shape):
            raise ValueError(f"{where}: window_shape must be (n_samples,) or (n_samples, n_leads)")
        n_leads = shape[1] if len(shape) == 2 else 1
        for name, values in (("centre", self.centre_), ("scale", self.scale_)):
            if values is None:
                continue
            if values.shape != (n_leads,):
                raise ValueError(
                    f"{where}: {name} has {values.size} value(s) for {n_leads} lead(s)"
                )
            if not np.isfinite(values).all():
                raise ValueError(f"{where}: {name} must be finite, got {values.tolist()}")
        if self.scale_ is not None and not (self.scale_ > 0).all():
            raise ValueError(
                f"{where}: scale must be positive (the data's spread), got {self.scale_.tolist()}"
            )

    def to_dict(self) -> dict[str, Any]:
        """The fitted normaliser as JSON-ready lists and numbers."""
        self._check_fitted()
        self._check_statistics(f"Normaliser({self.method!r})")
        return {
            "method": self.method,
            "fs": self.fs_,
            "window_shape": list(self.window_shape_),
            "centre": None if self.centre_ is None else self.centre_.tolist(),
            "scale": None if self.scale_ is None else self.scale_.tolist(),
        }

    def save(self, path: str | Path) -> Path:
        """Write the fitted normaliser as JSON, atomically (never a half-written file)."""
        return write_text_atomic(path, json.dumps(self.to_dict(), indent=2))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Normaliser:
        """Rebuild a normaliser written by :meth:`to_dict`.

        Also reads the format of ecgcourse before the normaliser became a scikit-learn
        estimator: statistics under ``"stats"`` (``{"centre": [...], "scale": [...]}``).
        """
        old = "stats" in data
        needed = {"method", "window_shape"} | ({"stats"} if old else {"centre", "scale"})
        missing = sorted(needed - set(data))
        if missing:
            raise ValueError(f"a saved normaliser needs {sorted(needed)}, missing {missing}")
        stats = data["stats"] if old else {k: data[k] for k in ("centre", "scale")}
        norm = cls(data["method"], fs=None if data.get("fs") is None else float(data["fs"]))
        norm.fs_ = norm._check_params()
        try:
            norm.window_shape_ = tuple(int(n) for n in data["window_shape"])
            centre, scale = stats.get("centre"), stats.get("scale")
            norm.centre_ = None if centre is None else np.asarray(centre, dtype=np.float64)
            norm.scale_ = None if scale is None else np.asarray(scale, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise ValueError(f"statistics are not numbers: {error}") from None
        if norm.scale_ is None and norm.method != "per_window":
            raise ValueError(f"saved {norm.method} normaliser has no scale")
        norm._check_statistics(f"saved {norm.method} normaliser")
        return norm

    @classmethod
    def load(cls, path: str | Path) -> Normaliser:
        """Read a normaliser written by :meth:`save`."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"no saved normaliser at {path}: save it next to the model")
        try:
            data = json.loads(path.read_text())
            if not isinstance(data, dict):
                raise ValueError(f"expected a JSON object, got {type(data).__name__}")
            return cls.from_dict(data)
        except (ValueError, UnicodeDecodeError) as error:  # JSONDecodeError is a ValueError
            raise ValueError(f"{path} is not a saved normaliser: {error}") from None
