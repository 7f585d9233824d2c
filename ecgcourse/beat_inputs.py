"""The two inputs of notebook 5's beat classifier: the beat's shape relative to the
patient's regular beat, and its timing relative to the patient's usual rhythm.

Both are label-free statistics of one recording (its regular beats, its median RR
interval): known for any new recording once it has been recorded, fitted on no other
patient, so nothing leaks between DS1 and DS2.
"""

from __future__ import annotations

import numpy as np

from ecgcourse.beats import BeatSet

RR_INPUTS: tuple[str, ...] = (
    "pre/record",
    "post/record",
    "local/record",
    "pre/local",
    "post/pre",
    "irregularity",
)
"""Columns of :func:`rr_input`, each minus 1 except the irregularity (a ratio, 0 when the
rhythm is perfectly regular). ``record`` is the record's typical RR: its median, or its mean
(``rr_reference``)."""

DESIGNS: dict[str, dict[str, object]] = {
    "earlier notebook: -100 to +400 ms, median of all beats, RR / record mean": dict(
        window_start_ms=-100.0, regular_only=False, rr_reference="mean"
    ),
    "+ P wave: -250 to +400 ms": dict(
        window_start_ms=-250.0, regular_only=False, rr_reference="mean"
    ),
    "+ P wave, reference from regular beats only": dict(
        window_start_ms=-250.0, regular_only=True, rr_reference="mean"
    ),
    "+ P wave, regular reference, RR / record median": dict(
        window_start_ms=-250.0, regular_only=True, rr_reference="median"
    ),
    "regular reference, RR / record median, no P wave": dict(
        window_start_ms=-100.0, regular_only=True, rr_reference="median"
    ),
}
"""The input designs ``benchmarks/beat_cnn_design.py`` compares out of fold on DS1: where the
shape window starts (ms from the R peak; it ends 400 ms after), which beats the reference
beat is the median of, and which record RR the intervals are divided by."""

CHOSEN_DESIGN = "earlier notebook: -100 to +400 ms, median of all beats, RR / record mean"
"""The design with the best out-of-fold mean F1 over S and V on the full DS1 records, mean
over the benchmark's seeds (its table: ``build/benchmarks/beat_cnn_design.md``)."""

REGULAR_TOLERANCE = 0.1
"""A beat is *regular* when its previous and next RR are within 10 % of the record median."""
MIN_REGULAR_BEATS = 10
"""Fewer regular beats than this and the reference beat falls back to all the record's beats."""


def record_median_rr(beats: BeatSet) -> np.ndarray:
    """``(n,)`` ms: the median previous-RR interval of each beat's record."""
    out = np.empty(len(beats), dtype=np.float64)
    for record in np.unique(beats.record):
        rows = beats.record == record
        out[rows] = np.median(beats.rr[rows, 0])
    return out


def _record_rr(beats: BeatSet, rr_reference: str) -> np.ndarray:
    # (n,) ms: the record's median RR, or its mean RR (beats.rr's last column).
    if rr_reference == "median":
        return record_median_rr(beats)
    if rr_reference == "mean":
        return beats.rr[:, 3].astype(np.float64)
    raise ValueError(f"rr_reference must be 'median' or 'mean', got {rr_reference!r}")


def regular_beats(beats: BeatSet, *, tolerance: float = REGULAR_TOLERANCE) -> np.ndarray:
    """``(n,)`` bool: previous and next RR both within ``tolerance`` (a fraction) of the
    record's median RR. Labels are not used: ectopic beats usually come early or are
    followed by a pause, so they drop out, even in a record where they outnumber N beats."""
    median = record_median_rr(beats)
    pre, post = beats.rr[:, 0] / median, beats.rr[:, 1] / median
    return (np.abs(pre - 1) < tolerance) & (np.abs(post - 1) < tolerance)


def reference_beats(
    beats: BeatSet, *, start: int = 0, regular_only: bool = True
) -> dict[str, np.ndarray]:
    """``{record: (width - start,)}`` mV: the median of each record's regular beats (all its
    beats where it has fewer than ``MIN_REGULAR_BEATS``, or if not ``regular_only``), each
    beat's own mean removed."""
    X = beats.X[:, start:]
    X = X - X.mean(axis=1, keepdims=True)
    regular = regular_beats(beats) if regular_only else np.ones(len(beats), dtype=bool)
    out = {}
    for record in np.unique(beats.record):
        rows = beats.record == record
        chosen = rows & regular if (rows & regular).sum() >= MIN_REGULAR_BEATS else rows
        out[str(record)] = np.median(X[chosen], axis=0)
    return out


def shape_input(beats: BeatSet, *, start: int = 0, regular_only: bool = True) -> np.ndarray:
    """``(n, width - start, 1)`` float32: each beat (its mean removed) minus its record's
    reference beat (:func:`reference_beats`), in units of that reference beat's standard
    deviation. ``start`` (samples) drops the window's first samples."""
    if not 0 <= start < beats.X.shape[1]:
        raise ValueError(f"start must be in [0, {beats.X.shape[1]}) samples, got {start}")
    X = beats.X[:, start:]
    X = X - X.mean(axis=1, keepdims=True)
    out = np.empty_like(X)
    for record, typical in reference_beats(beats, start=start, regular_only=regular_only).items():
        rows = beats.record == record
        out[rows] = (X[rows] - typical) / typical.std()
    return out[..., None].astype(np.float32)


def rr_irregularity(beats: BeatSet, *, half: int = 10, rr_reference: str = "median") -> np.ndarray:
    """``(n,)`` ratio: median |change of the RR interval from one beat to the next| over the
    ``2 * half + 1`` beats around each beat (a record's beats are in time order), divided
    by the record's median RR (or its mean: ``rr_reference="mean"``). Near 0 in a regular
    rhythm, large in atrial fibrillation."""
    pre = beats.rr[:, 0]
    median = _record_rr(beats, rr_reference)
    out = np.empty(len(pre), dtype=np.float64)
    for record in np.unique(beats.record):
        rows = np.flatnonzero(beats.record == record)
        change = np.abs(np.diff(pre[rows], prepend=pre[rows[0]]))
        around = np.lib.stride_tricks.sliding_window_view(
            np.pad(change, half, mode="edge"), 2 * half + 1
        )
        out[rows] = np.median(around, axis=1) / median[rows]
    return out


def rr_input(beats: BeatSet, *, rr_reference: str = "median") -> np.ndarray:
    """``(n, 6)`` float32, columns :data:`RR_INPUTS`: previous, next and local RR over the
    record's median RR, previous over local, next over previous (each minus 1, so a beat on
    time in a regular rhythm is 0), and :func:`rr_irregularity`. ``rr_reference="mean"``
    divides by the record's mean RR instead (ectopic runs and pauses pull the mean)."""
    pre, post, local = beats.rr[:, 0], beats.rr[:, 1], beats.rr[:, 2]
    median = _record_rr(beats, rr_reference)
    ratios = np.column_stack([pre / median, post / median, local / median, pre / local, post / pre])
    irregularity = rr_irregularity(beats, rr_reference=rr_reference)
    return np.column_stack([ratios - 1, irregularity]).astype(np.float32)


def design_inputs(
    beats: BeatSet, design: str = CHOSEN_DESIGN, *, before_ms: float = 250.0
) -> tuple[np.ndarray, np.ndarray]:
    """``(shape, rr)`` inputs of one of :data:`DESIGNS`: :func:`shape_input` ``(n, samples, 1)``
    and :func:`rr_input` ``(n, 6)``. ``before_ms``: where the loaded beats start, ms before
    the R peak (``load_beats``' default)."""
    if design not in DESIGNS:
        raise ValueError(f"unknown design {design!r}; the designs: {list(DESIGNS)}")
    settings = DESIGNS[design]
    start = int(round((before_ms + float(settings["window_start_ms"])) * beats.fs / 1000))
    X = shape_input(beats, start=start, regular_only=bool(settings["regular_only"]))
    return X, rr_input(beats, rr_reference=str(settings["rr_reference"]))
