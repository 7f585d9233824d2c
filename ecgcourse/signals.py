"""Signal helpers: resampling, band-pass filtering, and cutting beats and windows.

Every function takes and returns physical units (mV) and says its sampling rate in Hz.
One calling convention, as in NeuroKit: the signal and its sampling rate come first,
``f(x, fs)``, and every other argument is keyword-only, so that two rates or two
durations can never be swapped by position::

    x250 = resample(x, 360, fs_out=250)
    clean = bandpass(x250, 250, low_hz=0.5, high_hz=40)
    beats, kept = cut_beats(clean, 250, centres=peaks, record="100")

Segments keep the id of the record they were cut from beside them, so a split can
never lose track of whose heartbeat a row is.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy import signal as sps


def check_rate(fs: object, name: str = "fs") -> float:
    """``fs`` as a float in Hz; :class:`ValueError` unless it is a positive, finite number."""
    if isinstance(fs, bool) or not isinstance(fs, int | float | np.integer | np.floating):
        raise ValueError(f"{name} must be a positive sampling rate in Hz, got {fs!r}")
    if not (np.isfinite(fs) and fs > 0):
        raise ValueError(f"{name} must be a positive sampling rate in Hz, got {fs!r}")
    return float(fs)


def _float_dtype(x: np.ndarray) -> np.dtype:
    """The dtype a filtered ``x`` is returned in: its own if floating, else float64 (integer
    samples, ADC counts for example, would wrap or be truncated if cast back)."""
    dtype = np.asarray(x).dtype
    return dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


def _check_finite(x: np.ndarray, what: str) -> None:
    n_bad = int(np.size(x) - np.count_nonzero(np.isfinite(x)))
    if n_bad:
        raise ValueError(f"{what} contains {n_bad} NaN or infinite values; clean them first")


def resample(x: np.ndarray, fs: float, *, fs_out: float) -> np.ndarray:
    """Resample along axis 0 from ``fs`` to ``fs_out`` Hz (polyphase, anti-aliased).

    ``x`` has shape ``(n_samples, ...)`` at ``fs`` Hz; the result has
    ``round(n_samples * fs_out / fs)`` samples and the input's dtype if it is floating,
    float64 for integer input (computed in float, never cast back to integers).
    """
    fs, fs_out = check_rate(fs, "fs"), check_rate(fs_out, "fs_out")
    x = np.asarray(x)
    _check_finite(x, "signal to resample")
    dtype = _float_dtype(x)
    ratio = Fraction(fs_out / fs).limit_denominator(1000)
    if ratio == 1:
        return x.astype(dtype, copy=True)
    y = sps.resample_poly(x.astype(dtype, copy=False), ratio.numerator, ratio.denominator, axis=0)
    return y.astype(dtype, copy=False)


def resample_positions(sample: np.ndarray, fs: float, *, fs_out: float) -> np.ndarray:
    """Sample indices at ``fs`` Hz mapped to the nearest index at ``fs_out`` Hz."""
    fs, fs_out = check_rate(fs, "fs"), check_rate(fs_out, "fs_out")
    return np.round(np.asarray(sample) * (fs_out / fs)).astype(np.int64)


def bandpass(
    x: np.ndarray, fs: float, *, low_hz: float = 0.5, high_hz: float = 40.0, order: int = 2
) -> np.ndarray:
    """Zero-phase Butterworth band-pass along axis 0: removes baseline wander, weakens mains
    hum (notebook 1 measures by how much).

    ``low_hz`` and ``high_hz`` are the corners in Hz of the ``order`` Butterworth design
    (-3 dB for one pass); run forwards and backwards (``sosfiltfilt``), the response is
    squared, so the corners sit at -6 dB. ``high_hz`` must be below ``fs / 2``.
    Returns the input's dtype if it is floating, float64 for integer input.
    """
    fs = check_rate(fs)
    if not 0 < low_hz < high_hz < fs / 2:
        raise ValueError(f"need 0 < low ({low_hz} Hz) < high ({high_hz} Hz) < fs/2 ({fs / 2} Hz)")
    x = np.asarray(x)
    _check_finite(x, "signal to filter")
    sos = sps.butter(order, [low_hz, high_hz], btype="bandpass", fs=fs, output="sos")
    return sps.sosfiltfilt(sos, x, axis=0).astype(_float_dtype(x), copy=False)


@dataclass(frozen=True)
class Segments:
    """Fixed-length pieces of records, with where each piece came from.

    ``X``: shape ``(n, width)`` (one lead) or ``(n, width, n_leads)``, in mV;
    ``record``: ``(n,)`` record ids; ``start``: ``(n,)`` first sample of each piece in its
    record at ``fs`` Hz; ``fs``: sampling rate of ``X`` in Hz.
    """

    X: np.ndarray
    record: np.ndarray
    start: np.ndarray
    fs: float

    def __len__(self) -> int:
        return len(self.X)

    @property
    def width_ms(self) -> float:
        """Duration of one piece in milliseconds."""
        return 1000.0 * self.X.shape[1] / self.fs


def cut_beats(
    x: np.ndarray,
    fs: float,
    *,
    centres: np.ndarray,
    record: str,
    before_ms: float = 250.0,
    after_ms: float = 400.0,
) -> tuple[Segments, np.ndarray]:
    """Cut one piece around each beat centre (R peak), from ``before_ms`` to ``after_ms``.

    ``x``: ``(n_samples,)`` or ``(n_samples, n_leads)`` at ``fs`` Hz; ``centres``: sample
    indices. Beats too close to either end are dropped; the second return value is the
    boolean mask of kept centres, shape ``(len(centres),)``.
    """
    fs = check_rate(fs)
    before = int(round(before_ms * fs / 1000))
    after = int(round(after_ms * fs / 1000))
    centres = np.asarray(centres, dtype=np.int64)
    kept = (centres - before >= 0) & (centres + after <= len(x))
    starts = centres[kept] - before
    index = starts[:, None] + np.arange(before + after)[None, :]
    X = np.asarray(x)[index]
    segments = Segments(
        X=X.astype(np.float32, copy=False),
        record=np.full(len(starts), str(record)),
        start=starts,
        fs=fs,
    )
    return segments, kept


def cut_windows(
    x: np.ndarray, fs: float, *, record: str, window_s: float, step_s: float | None = None
) -> Segments:
    """Cut ``x`` into windows of ``window_s`` s every ``step_s`` s (default: no overlap).

    ``x``: ``(n_samples,)`` or ``(n_samples, n_leads)`` at ``fs`` Hz. A last partial window
    is dropped.
    """
    fs = check_rate(fs)
    width = int(round(window_s * fs))
    step = int(round((step_s or window_s) * fs))
    if width <= 0 or step <= 0:
        raise ValueError(f"window ({window_s} s) and step ({step_s} s) must be positive")
    starts = np.arange(0, len(x) - width + 1, step, dtype=np.int64)
    index = starts[:, None] + np.arange(width)[None, :]
    return Segments(
        X=np.asarray(x)[index].astype(np.float32, copy=False),
        record=np.full(len(starts), str(record)),
        start=starts,
        fs=fs,
    )


def concat(parts: list[Segments]) -> Segments:
    """Join segments cut from several records (same width and sampling rate)."""
    if not parts:
        raise ValueError("nothing to concatenate")
    if len({p.fs for p in parts}) != 1:
        raise ValueError(f"segments have different sampling rates: {sorted({p.fs for p in parts})}")
    return Segments(
        X=np.concatenate([p.X for p in parts]),
        record=np.concatenate([p.record for p in parts]),
        start=np.concatenate([p.start for p in parts]),
        fs=parts[0].fs,
    )
