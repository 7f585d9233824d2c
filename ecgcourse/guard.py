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

    guard = BeatGuard(n_components=20, tail_percent=0.5, fs=250).fit(train.X)
    flagged = guard.flags(new_beats.X, fs=250)        # (n,) bool: abstain on these
    save_calibration(model_dir, guard, temperature=2.3)
    guard, temperature, notes = load_calibration(model_dir)
"""

from __future__ import annotations

import json
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ecgcourse import COURSE_FS
from ecgcourse.atomic import write_text_atomic
from ecgcourse.normalise import Normaliser, check_fs, refuse_fs_as_y

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


class BeatGuard(BaseEstimator):
    """Flags beats whose amplitude, baseline or shape lies outside the training range.

    ``n_components``: principal components of the standardised training beats that
    describe a normal shape; ``tail_percent``: each threshold leaves this percentage of
    the training beats outside, at each end; ``fs``: the sampling rate (Hz) of the beats it
    is fitted on and will be shown. Fitted attributes:

    - ``shape_mean_``: ``(n_samples,)`` mean standardised training beat (no unit);
    - ``components_``: ``(n_components, n_samples)`` orthonormal rows, the principal
      components of the standardised training beats;
    - ``low_``, ``high_``: ``(3,)`` lower and upper limits, units of :data:`FEATURES`
      (``low_[2]`` is ``-inf``: the shape residual has an upper limit only);
    - ``fs_``: ``fs`` as a float.
    """

    def __init__(
        self, n_components: int = 20, tail_percent: float = 0.5, *, fs: float = COURSE_FS
    ) -> None:
        self.n_components = n_components
        self.tail_percent = tail_percent
        self.fs = fs

    def __repr__(self, N_CHAR_MAX: int = 700) -> str:
        if not hasattr(self, "shape_mean_"):
            return f"BeatGuard(n_components={self.n_components}, fs={self.fs!r}; not fitted)"
        return (
            f"BeatGuard(n_components={self.n_components}; fitted on beats of "
            f"{self.shape_mean_.shape[0]} samples at {self.fs_:g} Hz)"
        )

    def _check_params(self) -> float:
        n, q = self.n_components, self.tail_percent
        if isinstance(n, bool) or not isinstance(n, Integral) or n < 1:
            raise ValueError(f"n_components must be an integer of at least 1, got {n!r}")
        if isinstance(q, bool) or not isinstance(q, Real) or not 0 <= q < 50:
            raise ValueError(f"tail_percent must be in [0, 50), got {q!r}")
        fs = check_fs(self.fs, "BeatGuard")
        if fs is None:
            raise ValueError("BeatGuard: fs must be the sampling rate in Hz of the beats, not None")
        return fs

    def _require_fitted(self, action: str) -> None:
        check_is_fitted(
            self,
            msg=f"BeatGuard is not fitted: call .fit(training_beats) before you {action}, "
            "or load_calibration(model_dir) for a saved one",
        )

    def _check_input(self, X: np.ndarray, fs: float | None) -> np.ndarray:
        X = _check_beats(X)
        if fs is not None and float(fs) != self.fs_:
            raise ValueError(
                f"the guard was fitted on beats sampled at {self.fs_:g} Hz, got {float(fs):g} "
                f"Hz: resample to {self.fs_:g} Hz and cut beats as in training"
            )
        if X.shape[1] != self.shape_mean_.shape[0]:
            raise ValueError(
                f"the guard was fitted on beats of {self.shape_mean_.shape[0]} samples, got "
                f"{X.shape[1]}: cut beats exactly as in training"
            )
        return X

    def fit(self, X: np.ndarray, y: Any = None) -> BeatGuard:
        """Learn the normal shape and the feature ranges from training beats; returns ``self``.

        ``X``: ``(n, n_samples)`` training beats in mV at ``fs`` Hz (band-passed like
        everything the guard will see); ``y`` is ignored.
        """
        refuse_fs_as_y(y, "BeatGuard")
        fs = self._check_params()
        X = _check_beats(X)
        if len(X) <= self.n_components:
            raise ValueError(
                f"need more training beats ({len(X)}) than components ({self.n_components})"
            )
        Z = standardise(X)
        self.fs_ = fs
        self.shape_mean_ = Z.mean(axis=0)
        _, _, vt = np.linalg.svd(Z - self.shape_mean_, full_matrices=False)
        self.components_ = vt[: self.n_components].astype(np.float32)
        F = self._features(X)
        q = self.tail_percent
        low = np.percentile(F, q, axis=0)
        low[2] = -np.inf  # shape residual: upper limit only
        self.low_, self.high_ = low, np.percentile(F, 100 - q, axis=0)
        return self

    def _features(self, X: np.ndarray) -> np.ndarray:
        Z = standardise(X) - self.shape_mean_
        residual = Z - (Z @ self.components_.T) @ self.components_
        return np.stack(
            [X.max(axis=1) - X.min(axis=1), np.median(X, axis=1), np.mean(residual**2, axis=1)],
            axis=1,
        )

    def features(self, X: np.ndarray, *, fs: float | None = None) -> np.ndarray:
        """The three :data:`FEATURES` per beat, shape ``(n, 3)``: mV, mV, fraction.

        ``fs`` (Hz), when given, must be the guard's ``fs``.
        """
        self._require_fitted("compute features")
        return self._features(self._check_input(X, fs))

    def flags(self, X: np.ndarray, *, fs: float | None = None) -> np.ndarray:
        """``(n,)`` bool: True where a beat's features leave the training range (abstain).

        ``fs`` (Hz), when given, must be the guard's ``fs``.
        """
        self._require_fitted("flag beats")
        F = self.features(X, fs=fs)
        return ((F < self.low_) | (F > self.high_)).any(axis=1)

    def _check_fitted_values(self, where: str) -> None:
        """The rules a saved guard obeys, on save and on load: three limits per side, none
        NaN, each low at most its high (``-inf``/``inf`` allowed: a one-sided limit), and a
        finite normal shape with ``n_components`` rows of its length."""
        low, high = self.low_, self.high_
        if low.shape != (len(FEATURES),) or high.shape != (len(FEATURES),):
            raise ValueError(f"{where}: low and high need {len(FEATURES)} limits each")
        if np.isnan(low).any() or np.isnan(high).any():
            raise ValueError(
                f"{where}: a NaN limit switches the guard off; low={low.tolist()}, "
                f"high={high.tolist()}"
            )
        if (low > high).any():
            raise ValueError(f"{where}: a low limit above its high one: {low} > {high}")
        n = self.shape_mean_.shape[0] if self.shape_mean_.ndim == 1 else -1
        if n < 1 or self.components_.shape != (self.n_components, n):
            raise ValueError(
                f"{where}: components {self.components_.shape} do not match "
                f"{self.n_components} components of beats of {self.shape_mean_.shape} samples"
            )
        if not (np.isfinite(self.shape_mean_).all() and np.isfinite(self.components_).all()):
            raise ValueError(f"{where}: the normal shape holds NaN or infinite values")

    def to_dict(self) -> dict[str, Any]:
        """Everything needed to rebuild the fitted guard, as JSON-ready lists and numbers."""
        self._require_fitted("save it")
        self._check_fitted_values("BeatGuard")
        return {
            "features": list(FEATURES),
            "n_components": int(self.n_components),
            "tail_percent": float(self.tail_percent),
            "fs": self.fs_,
            "low": [float(v) for v in self.low_],
            "high": [float(v) for v in self.high_],
            "shape_mean": self.shape_mean_.tolist(),
            "components": self.components_.tolist(),
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
        try:
            guard = cls(int(data["n_components"]), float(data["tail_percent"]), fs=data["fs"])
            guard.fs_ = guard._check_params()
            # JSON writes -inf as -Infinity, which json.loads reads back as float('-inf')
            guard.low_ = np.asarray(data["low"], dtype=np.float64)
            guard.high_ = np.asarray(data["high"], dtype=np.float64)
            guard.shape_mean_ = np.asarray(data["shape_mean"], dtype=np.float32)
            guard.components_ = np.asarray(data["components"], dtype=np.float32)
        except (TypeError, ValueError) as error:
            raise ValueError(f"saved guard: {error}") from None
        guard._check_fitted_values("saved guard")
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
    try:
        data = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"{path} is not valid JSON (damaged or cut short?): {error}") from None
    if not isinstance(data, dict) or "temperature" not in data or "guard" not in data:
        found = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise ValueError(f"{path} needs 'temperature' and 'guard', has {found}")
    temperature = data["temperature"]
    if (
        isinstance(temperature, bool)
        or not isinstance(temperature, int | float)
        or not (np.isfinite(temperature) and temperature > 0)
    ):
        raise ValueError(f"{path}: temperature must be a positive number, got {temperature!r}")
    try:
        guard = BeatGuard.from_dict(data["guard"])
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
    return guard, float(temperature), data.get("notes", {})
