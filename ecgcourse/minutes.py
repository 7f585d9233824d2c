"""One-minute MLII segments with one label each, "does this minute hold a V beat?"
(notebook 6; ``benchmarks/overfitting_ablation.py``).

Story B's data had one label per one-minute recording; MIT-BIH's annotations give a label of
the same form for every minute. The minutes are cut from the start of each record, at
:data:`ecgcourse.COURSE_FS`, in the order of the records given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ecgcourse import COURSE_FS
from ecgcourse.labels import SYMBOL_TO_AAMI
from ecgcourse.records import load_annotations, load_record
from ecgcourse.signals import bandpass, resample, resample_positions
from ecgcourse.splits import record_list


@dataclass(frozen=True)
class Minutes:
    """``raw`` ``(n, 60 * fs)`` in mV as recorded; ``clean`` the same minutes band-passed
    (``ecgcourse.signals.bandpass``); ``record`` ``(n,)`` record ids; ``start`` ``(n,)``
    first sample of each minute in its record; ``v_count`` ``(n,)`` V beats annotated
    inside it; ``fs`` in Hz."""

    raw: np.ndarray
    clean: np.ndarray
    record: np.ndarray
    start: np.ndarray
    v_count: np.ndarray
    fs: float = COURSE_FS

    @property
    def y(self) -> np.ndarray:
        """``(n,)`` 1 where the minute holds at least one V beat, else 0."""
        return (self.v_count > 0).astype(np.int64)

    def __len__(self) -> int:
        return len(self.record)


def v_beat_samples(name: str, *, fs: float = COURSE_FS, data_dir: Path | str = "") -> np.ndarray:
    """Sample indices, at ``fs`` Hz, of the beats of MIT-BIH record ``name`` that the
    annotators marked as AAMI class V."""
    ann = load_annotations("mitdb", name, data_dir=data_dir)
    is_v = np.array([SYMBOL_TO_AAMI.get(s) == "V" for s in ann.symbol], dtype=bool)
    return resample_positions(ann.sample[is_v], ann.fs, fs_out=fs)


def load_minutes(
    records: Sequence[str], *, minutes_per_record: int, data_dir: Path | str = ""
) -> Minutes:
    """The first ``minutes_per_record`` whole minutes of lead MLII of each MIT-BIH record."""
    if int(minutes_per_record) != minutes_per_record or minutes_per_record < 1:
        raise ValueError(
            f"minutes_per_record must be a whole number >= 1, not {minutes_per_record!r}"
        )
    width = int(60 * COURSE_FS)
    raw, clean, record, start, v_count = [], [], [], [], []
    for name in record_list(records):
        rec = load_record("mitdb", name, leads=["MLII"], data_dir=data_dir)
        x = rec.lead("MLII")[: int(minutes_per_record * 60 * rec.fs)]
        signals = (
            resample(x, rec.fs, fs_out=COURSE_FS),
            resample(bandpass(x, rec.fs), rec.fs, fs_out=COURSE_FS),
        )
        k = len(signals[0]) // width
        if k == 0:
            raise ValueError(f"record {name} holds less than one minute of MLII")
        raw.append(signals[0][: k * width].reshape(k, width).astype(np.float32))
        clean.append(signals[1][: k * width].reshape(k, width).astype(np.float32))
        starts = np.arange(k) * width
        v_at = v_beat_samples(name, data_dir=data_dir)
        inside = (v_at[None, :] >= starts[:, None]) & (v_at[None, :] < starts[:, None] + width)
        record += [name] * k
        start.append(starts)
        v_count.append(inside.sum(axis=1))
    return Minutes(
        raw=np.concatenate(raw),
        clean=np.concatenate(clean),
        record=np.array(record),
        start=np.concatenate(start),
        v_count=np.concatenate(v_count),
    )
