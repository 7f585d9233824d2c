"""Hand-made beat features for baselines: RR timing and simple morphology.

The S class (supraventricular ectopic beats) looks like a normal beat but comes early,
so timing features matter as much as shape.
"""

from __future__ import annotations

import numpy as np

from ecgcourse.beats import BeatSet

FEATURE_NAMES: tuple[str, ...] = (
    "pre_rr_ms",
    "post_rr_ms",
    "local_rr_ms",
    "record_rr_ms",
    "pre_over_local",
    "post_over_pre",
    "r_amplitude_mv",
    "qrs_min_mv",
    "qrs_peak_to_peak_mv",
    "qrs_half_amplitude_width_ms",
    "qrs_energy_mv2s",
    "t_wave_mean_mv",
) + tuple(f"wave_{i:02d}_mv" for i in range(10))
"""Column names of :func:`beat_features`, units in the name (``mv2s``: mV²·s; a name without
a unit is a ratio)."""


def beat_features(beats: BeatSet, *, before_ms: float = 250.0) -> np.ndarray:
    """Features of every beat, shape ``(n_beats, len(FEATURE_NAMES))``, float32.

    ``before_ms`` is where the R peak sits in each beat (as cut by ``load_beats``).
    RR features come from ``beats.rr``; morphology from the waveform around the R peak:
    QRS window +-60 ms, T-wave window 150-350 ms after R, and the waveform from -200 to
    +400 ms averaged down to ten values. Voltages are relative to the beat's baseline (the
    median from the beat's start to 150 ms before R), except where said:

    - ``qrs_half_amplitude_width_ms``: time (ms, whole samples) in the QRS window during
      which the beat is farther from its baseline than half its largest deflection there;
      the samples need not be contiguous (a tall R and a deep S both count);
    - ``qrs_energy_mv2s``: the integral of the squared waveform (as cut, band-passed by
      default) over the QRS window, the sum of squares times the sample period (mV²·s; not
      relative to the baseline);
    - ``qrs_peak_to_peak_mv``: largest minus smallest value in the QRS window (mV).
    """
    X, fs = beats.X, beats.fs
    r = int(round(before_ms * fs / 1000))

    def at(ms: float) -> int:
        return int(np.clip(r + round(ms * fs / 1000), 0, X.shape[1]))

    qrs = X[:, at(-60) : at(60)]
    baseline = np.median(X[:, : at(-150)], axis=1, keepdims=True)
    above_half = np.abs(qrs - baseline) > 0.5 * np.abs(qrs - baseline).max(axis=1, keepdims=True)
    width_ms = above_half.sum(axis=1) * 1000.0 / fs
    t_wave = X[:, at(150) : at(350)].mean(axis=1) - baseline[:, 0]
    wave = X[:, at(-200) : at(400)]
    chunks = np.array_split(wave, 10, axis=1)
    wave10 = np.stack([c.mean(axis=1) for c in chunks], axis=1) - baseline
    pre, post, local, record_rr = (beats.rr[:, i] for i in range(4))
    columns = [
        pre,
        post,
        local,
        record_rr,
        pre / np.maximum(local, 1.0),
        post / np.maximum(pre, 1.0),
        qrs.max(axis=1) - baseline[:, 0],
        qrs.min(axis=1) - baseline[:, 0],
        np.ptp(qrs, axis=1),
        width_ms,
        (qrs**2).sum(axis=1) / fs,
        t_wave,
    ]
    return np.column_stack(columns + [wave10]).astype(np.float32)
