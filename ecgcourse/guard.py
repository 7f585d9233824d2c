"""An out-of-distribution guard for beats, and the calibration saved beside a pipeline.

A classifier answers every input, even one from a wrong device or drowned in noise. The
guard computes three numbers per beat, *before* any normalisation, learns their normal
range from training beats, and flags a beat that leaves it:

- ``peak_to_peak_mv``: largest minus smallest value of the beat (mV); a wrong gain or a
  unit error moves it;
- ``baseline_mv``: median of the beat (mV); an offset moves it;
- ``shape_residual``: share of the per-window standardised beat that the first principal
  components of the training beats cannot explain (no unit, 0 to about 1); noise that is
  not ECG raises it. It has only an upper limit: a clean, smooth beat is never suspicious.

    guard = BeatGuard(n_components=20, tail_percent=0.5).fit(train.X, fs=250)
    flagged = guard.flags(new_beats.X, fs=250)        # (n,) bool: abstain on these
    save_calibration(model_dir, guard, temperature=2.3)
    guard, temperature, notes = load_calibration(model_dir)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ecgcourse.atomic import write_text_atomic
from ecgcourse.normalise import Normaliser, NotFittedError

FEATURES: tuple[str, ...] = ("peak_to_peak_mv", "baseline_mv", "shape_residual")
"""Columns of :meth:`BeatGuard.features`, in this order."""
CALIBRATION_FILE = "calibration_guard.json"
"""File beside a saved :class:`~ecgcourse.pipeline.BeatPipeline` holding guard and temperature."""


def _check_beats(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2:
        raise ValueError(f"beats must have shape (n_beats, n_samples), got {X.shape}")
    bad = ~np.isfinite(X)
    if bad.any():
        first = int(np.argwhere(bad)[0][0])
        raise ValueError(
            f"beats hold {int(bad.sum())} NaN or infinite values (first in beat {first}); "
            "drop or repair those beats before asking the guard"
        )
    return X


def standardise(X: np.ndarray) -> np.ndarray:
    """Each beat minus its own mean, divided by its own standard deviation (floor ``EPS``).

    ``X``: ``(n, n_samples)`` in mV; returns float32 of the same shape, no unit: what
    ``Normaliser("per_window")`` gives the model.
    """
    return Normaliser("per_window").fit_transform(_check_beats(X))


class BeatGuard:
    """Flags beats whose amplitude, baseline or shape lies outside the training range.

    ``n_components``: principal components of the standardised training beats that
    describe a normal shape; ``tail_percent``: each threshold leaves this percentage of
    the training beats outside, at each end.
    """

    def __init__(self, n_components: int = 20, tail_percent: float = 0.5) -> None:
        if n_components < 1:
            raise ValueError(f"n_components must be at least 1, got {n_components}")
        if not 0 <= tail_percent < 50:
            raise ValueError(f"tail_percent must be in [0, 50), got {tail_percent}")
        self.n_components = int(n_components)
        self.tail_percent = float(tail_percent)
        self.fs: float | None = None
        self.shape_mean: np.ndarray | None = None  # (n_samples,), standardised units
        self.components: np.ndarray | None = None  # (n_components, n_samples), orthonormal rows
        self.low: np.ndarray | None = None  # (3,) lower limits, units of FEATURES
        self.high: np.ndarray | None = None  # (3,) upper limits, units of FEATURES

    def __repr__(self) -> str:
        if not self.fitted:
            return f"BeatGuard(n_components={self.n_components}, not fitted)"
        return (
            f"BeatGuard(n_components={self.n_components}, fitted on beats of "
            f"{self.shape_mean.shape[0]} samples at {self.fs:g} Hz)"
        )

    @property
    def fitted(self) -> bool:
        return self.shape_mean is not None

    def _require_fitted(self, action: str) -> None:
        if not self.fitted:
            raise NotFittedError(
                f"BeatGuard is not fitted: call .fit(training_beats, fs) before you {action}, "
                "or load_calibration(model_dir) for a saved one"
            )

    def _check_input(self, X: np.ndarray, fs: float) -> np.ndarray:
        X = _check_beats(X)
        if float(fs) != self.fs:
            raise ValueError(
                f"the guard was fitted on beats sampled at {self.fs:g} Hz, got {float(fs):g} Hz: "
                f"resample to {self.fs:g} Hz and cut beats as in training"
            )
        if X.shape[1] != self.shape_mean.shape[0]:
            raise ValueError(
                f"the guard was fitted on beats of {self.shape_mean.shape[0]} samples, got "
                f"{X.shape[1]}: cut beats exactly as in training"
            )
        return X

    def fit(self, X: np.ndarray, fs: float) -> BeatGuard:
        """Learn the normal shape and the feature ranges from training beats; returns ``self``.

        ``X``: ``(n, n_samples)`` training beats in mV at ``fs`` Hz (band-passed like
        everything the guard will see).
        """
        X = _check_beats(X)
        if len(X) <= self.n_components:
            raise ValueError(
                f"need more training beats ({len(X)}) than components ({self.n_components})"
            )
        Z = standardise(X)
        self.fs = float(fs)
        self.shape_mean = Z.mean(axis=0)
        _, _, vt = np.linalg.svd(Z - self.shape_mean, full_matrices=False)
        self.components = vt[: self.n_components].astype(np.float32)
        F = self.features(X, fs)
        q = self.tail_percent
        self.low = np.percentile(F, q, axis=0)
        self.high = np.percentile(F, 100 - q, axis=0)
        self.low[2] = -np.inf  # shape residual: upper limit only
        return self

    def features(self, X: np.ndarray, fs: float) -> np.ndarray:
        """The three :data:`FEATURES` per beat, shape ``(n, 3)``: mV, mV, fraction."""
        self._require_fitted("compute features")
        X = self._check_input(X, fs)
        Z = standardise(X) - self.shape_mean
        residual = Z - (Z @ self.components.T) @ self.components
        return np.stack(
            [X.max(axis=1) - X.min(axis=1), np.median(X, axis=1), np.mean(residual**2, axis=1)],
            axis=1,
        )

    def flags(self, X: np.ndarray, fs: float) -> np.ndarray:
        """``(n,)`` bool: True where a beat's features leave the training range (abstain)."""
        self._require_fitted("flag beats")
        F = self.features(X, fs)
        return ((F < self.low) | (F > self.high)).any(axis=1)

    def to_dict(self) -> dict[str, Any]:
        """Everything needed to rebuild the fitted guard, as JSON-ready lists and numbers."""
        self._require_fitted("save it")
        return {
            "features": list(FEATURES),
            "n_components": self.n_components,
            "tail_percent": self.tail_percent,
            "fs": self.fs,
            "low": [float(v) for v in self.low],
            "high": [float(v) for v in self.high],
            "shape_mean": self.shape_mean.tolist(),
            "components": self.components.tolist(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BeatGuard:
        """Rebuild a guard written by :meth:`to_dict`."""
        needed = {"features", "n_components", "tail_percent", "fs", "low", "high"}
        needed |= {"shape_mean", "components"}
        missing = sorted(needed - set(data))
        if missing:
            raise ValueError(f"not a saved BeatGuard: missing {missing}")
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"saved guard has features {data['features']}, expected {FEATURES}")
        guard = cls(int(data["n_components"]), float(data["tail_percent"]))
        guard.fs = float(data["fs"])
        # JSON writes -inf as -Infinity, which json.loads reads back as float('-inf')
        guard.low = np.asarray(data["low"], dtype=np.float64)
        guard.high = np.asarray(data["high"], dtype=np.float64)
        guard.shape_mean = np.asarray(data["shape_mean"], dtype=np.float32)
        guard.components = np.asarray(data["components"], dtype=np.float32)
        if guard.components.shape != (guard.n_components, guard.shape_mean.shape[0]):
            raise ValueError(
                f"saved guard is inconsistent: components {guard.components.shape}, "
                f"expected ({guard.n_components}, {guard.shape_mean.shape[0]})"
            )
        return guard


def save_calibration(
    directory: str | Path,
    guard: BeatGuard,
    temperature: float,
    notes: dict[str, Any] | None = None,
) -> Path:
    """Write the guard and the temperature (``T > 0``, logits are divided by it) as
    :data:`CALIBRATION_FILE` in ``directory`` (a saved pipeline's folder); ``notes`` is any
    JSON-ready provenance, for example the training records. Returns the file's path."""
    if not (np.isfinite(temperature) and temperature > 0):
        raise ValueError(f"temperature must be a positive number, got {temperature}")
    payload = {"temperature": float(temperature), "guard": guard.to_dict(), "notes": notes or {}}
    return write_text_atomic(Path(directory) / CALIBRATION_FILE, json.dumps(payload))


def load_calibration(directory: str | Path) -> tuple[BeatGuard, float, dict[str, Any]]:
    """Read :data:`CALIBRATION_FILE` from a pipeline folder: ``(guard, temperature, notes)``."""
    path = Path(directory) / CALIBRATION_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"no {CALIBRATION_FILE} in {directory}: save it beside the pipeline with "
            "ecgcourse.guard.save_calibration"
        )
    data = json.loads(path.read_text())
    if "temperature" not in data or "guard" not in data:
        raise ValueError(f"{path} needs 'temperature' and 'guard', has {sorted(data)}")
    return BeatGuard.from_dict(data["guard"]), float(data["temperature"]), data.get("notes", {})
