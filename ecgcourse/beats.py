"""Beat datasets from MIT-BIH-style records: waveforms, AAMI labels, RR intervals, record ids."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ecgcourse import COURSE_FS
from ecgcourse.labels import SYMBOL_TO_AAMI
from ecgcourse.records import load_annotations, load_record
from ecgcourse.signals import bandpass, check_rate, cut_beats, resample, resample_positions
from ecgcourse.splits import record_list

RR_FEATURES: tuple[str, ...] = ("pre_rr_ms", "post_rr_ms", "local_rr_ms", "record_rr_ms")
"""Columns of :attr:`BeatSet.rr`: previous and next RR interval, mean of the last ten RR
intervals, and the record's mean RR interval, all in milliseconds."""


@dataclass(frozen=True)
class BeatSet:
    """Heartbeats cut around their annotated R peaks.

    ``X``: ``(n, width)`` float32, mV, at ``fs`` Hz (band-passed if asked);
    ``label``: ``(n,)`` AAMI class letters; ``record``: ``(n,)`` record ids;
    ``r_peak``: ``(n,)`` R-peak sample at ``fs`` Hz; ``rr``: ``(n, 4)`` ms, see ``RR_FEATURES``.
    """

    X: np.ndarray
    label: np.ndarray
    record: np.ndarray
    r_peak: np.ndarray
    rr: np.ndarray
    fs: float

    def __len__(self) -> int:
        return len(self.label)

    def subset(self, mask: np.ndarray) -> BeatSet:
        """The beats where ``mask`` (boolean or integer index) selects them."""
        return BeatSet(
            self.X[mask], self.label[mask], self.record[mask], self.r_peak[mask], self.rr[mask],
            self.fs,
        )  # fmt: skip

    def of_records(self, records: Iterable[str]) -> BeatSet:
        """The beats that come from the given records."""
        return self.subset(np.isin(self.record, [str(r) for r in records]))


def rr_intervals_ms(beat_samples: np.ndarray, fs: float, local_beats: int = 10) -> np.ndarray:
    """RR features for every beat of one record, shape ``(n_beats, 4)`` in ms.

    The first beat has no previous interval and the last no next one: they get the
    neighbouring interval instead, and callers usually drop them.

    An RR interval lies between two beats, so a record with fewer than two beats has none
    and raises :class:`ValueError` (each MIT-BIH and nstdb record of the course has hundreds),
    as do marks that are not in increasing order (an interval is never negative or zero).
    """
    fs = check_rate(fs)
    beat_samples = np.asarray(beat_samples)
    if beat_samples.ndim != 1:
        raise ValueError(f"beat_samples must be 1-D, one sample per beat; got {beat_samples.shape}")
    if len(beat_samples) < 2:
        raise ValueError(f"RR intervals need at least two beats, got {len(beat_samples)}")
    steps = np.diff(beat_samples)
    if (steps <= 0).any():
        first = int(np.argmax(steps <= 0))
        raise ValueError(
            f"beat_samples must increase: beat {first + 1} is at sample "
            f"{beat_samples[first + 1]}, after beat {first} at {beat_samples[first]} "
            "(sort the marks, and drop repeated ones)"
        )
    rr = np.diff(beat_samples) * (1000.0 / fs)
    pre = np.concatenate([[rr[0]], rr])
    post = np.concatenate([rr, [rr[-1]]])
    cumulative = np.concatenate([[0.0], np.cumsum(pre)])
    idx = np.arange(len(pre))
    lo = np.maximum(idx + 1 - local_beats, 0)
    local = (cumulative[idx + 1] - cumulative[lo]) / (idx + 1 - lo)
    record_mean = np.full(len(pre), rr.mean())
    return np.stack([pre, post, local, record_mean], axis=1).astype(np.float32)


def beats_from_signal(
    x: np.ndarray,
    fs: float,
    *,
    samples: np.ndarray,
    symbols: np.ndarray,
    record: str,
    fs_out: float = COURSE_FS,
    before_ms: float = 250.0,
    after_ms: float = 400.0,
    filtered: bool = True,
) -> BeatSet:
    """The beats of one signal as a :class:`BeatSet`: the preprocessing of :func:`load_beats`
    on any recording, for example a file from another device.

    ``x``: ``(n_samples,)`` one lead in mV at ``fs`` Hz; ``samples`` and ``symbols``: the
    annotation marks (sample indices at ``fs``) and their WFDB symbols, non-beat marks
    included (they are dropped). The lead is band-passed (0.5-40 Hz) when ``filtered``,
    resampled to ``fs_out`` Hz and cut from ``before_ms`` to ``after_ms`` around each beat;
    the first and last beat (no RR on one side) and beats too close to the ends are dropped.
    """
    is_beat = np.isin(symbols, list(SYMBOL_TO_AAMI))
    samples, symbols = np.asarray(samples)[is_beat], np.asarray(symbols)[is_beat]
    rr = rr_intervals_ms(samples, fs)  # refuses fewer than two beats
    if filtered:
        x = bandpass(x, fs)
    x = resample(x, fs, fs_out=fs_out)
    peaks = resample_positions(samples, fs, fs_out=fs_out)
    segments, kept = cut_beats(
        x, fs_out, centres=peaks, record=record, before_ms=before_ms, after_ms=after_ms
    )
    inner = np.zeros(len(samples), dtype=bool)
    inner[1:-1] = True
    keep_inner = inner[kept]
    labels = np.array([SYMBOL_TO_AAMI[s] for s in symbols[kept]], dtype="<U1")
    return BeatSet(
        X=segments.X[keep_inner],
        label=labels[keep_inner],
        record=segments.record[keep_inner],
        r_peak=peaks[kept][keep_inner],
        rr=rr[kept][keep_inner],
        fs=fs_out,
    )


def load_beats(
    records: Iterable[str],
    lead: str = "MLII",
    fs: float = COURSE_FS,
    before_ms: float = 250.0,
    after_ms: float = 400.0,
    filtered: bool = True,
    database: str = "mitdb",
    data_dir: Path | str | None = None,
    change: Callable[[np.ndarray, float, str], np.ndarray] | None = None,
) -> BeatSet:
    """Every annotated beat of ``records`` as a :class:`BeatSet`.

    Each record's ``lead`` is band-passed (0.5-40 Hz) when ``filtered``, resampled to ``fs``
    Hz, and cut from ``before_ms`` before to ``after_ms`` after each R peak. The first and
    last beat of each record (no RR on one side) and beats too close to the ends are dropped.
    A record with fewer than two annotated beats raises :class:`ValueError` naming it.

    ``change(x_mv, fs, record)``, if given, alters each record's raw lead (mV, native rate)
    before anything else: another gain, an offset, recorded noise. Beats are still cut at
    the annotated R peaks, so clean and changed beat sets line up row by row.
    """
    records = record_list(records)
    fs = check_rate(fs)
    parts: list[BeatSet] = []
    for name in records:
        rec = load_record(database, name, leads=[lead], data_dir=data_dir)
        ann = load_annotations(database, name, data_dir=data_dir)
        x = rec.lead(lead)
        if change is not None:
            x = np.asarray(change(x, rec.fs, name), dtype=np.float32)
            if x.shape != rec.lead(lead).shape:
                raise ValueError(f"change() must keep the shape of record {name}'s signal")
        n_beats = int(np.isin(ann.symbol, list(SYMBOL_TO_AAMI)).sum())
        if n_beats < 2:
            raise ValueError(
                f"record {database}/{name} has {n_beats} annotated beat(s): RR intervals "
                "need at least two beats (and load_beats drops the first and last)"
            )
        parts.append(
            beats_from_signal(
                x,
                rec.fs,
                samples=ann.sample,
                symbols=ann.symbol,
                record=name,
                fs_out=fs,
                before_ms=before_ms,
                after_ms=after_ms,
                filtered=filtered,
            )
        )
    if not parts:
        raise ValueError("no records given")
    return BeatSet(
        X=np.concatenate([p.X for p in parts]),
        label=np.concatenate([p.label for p in parts]),
        record=np.concatenate([p.record for p in parts]),
        r_peak=np.concatenate([p.r_peak for p in parts]),
        rr=np.concatenate([p.rr for p in parts]),
        fs=fs,
    )
