"""What a test recording meets after training: another gain, ADC counts, an offset, real
recorded noise. Notebooks 2 and 7 feed a model's pipeline the same DS2 beats under each.

A *change* is what :func:`ecgcourse.beats.load_beats` applies to every record's raw lead
before its pipeline: ``change(x_mv, fs, record) -> x``, same shape, at the native rate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np

from ecgcourse.beats import BeatSet, load_beats
from ecgcourse.noise import add_noise_nst, nst_normal_beats
from ecgcourse.records import load_annotations

Change = Callable[[np.ndarray, float, str], np.ndarray]
NSTDB_FS = 360.0
"""Sampling rate of the nstdb noise records (Hz), the same as MIT-BIH's."""


def gain(factor: float) -> Change:
    """Every sample multiplied by ``factor``: a recorder with another amplification."""
    return lambda x, fs, record: factor * x


def adc_counts(adc_gain: float = 200.0, baseline: float = 1024.0) -> Change:
    """The stored integers instead of millivolts (MIT-BIH's 200 counts per mV, zero at 1024):
    a pipeline that forgot the physical conversion."""
    return lambda x, fs, record: adc_gain * x + baseline


def recorded_noise(
    noise_mv: np.ndarray,
    snr_db: float,
    *,
    data_dir: Path | str | None = None,
    database: str = "mitdb",
    noise_fs: float = NSTDB_FS,
) -> Change:
    """Real recorded noise (mV, at ``noise_fs`` Hz) added at ``snr_db`` dB as nstdb defines
    the SNR (:func:`ecgcourse.noise.add_noise_nst`: the record's QRS peak-to-peak amplitude
    against the noise's RMS in one-second chunks), repeated where the record is longer than
    the noise. The QRS amplitude is measured at the record's annotated normal beats, read
    from ``database`` in ``data_dir``; so "6 dB" here is the 6 dB of nstdb's 118e06.
    """

    def change(x: np.ndarray, fs: float, record: str) -> np.ndarray:
        if float(fs) != float(noise_fs):
            raise ValueError(
                f"record {record} is sampled at {fs:g} Hz, the noise at {noise_fs:g} Hz: "
                "resample one of them first"
            )
        ann = load_annotations(database, record, data_dir=data_dir)
        beats = nst_normal_beats(ann.sample, ann.symbol)
        noise = np.resize(noise_mv, np.shape(x))
        return add_noise_nst(x, fs, beats=beats, noise=noise, snr_db=snr_db)

    return change


def shifted_beats(
    records: Iterable[str],
    clean: BeatSet,
    *,
    noise_mv: Mapping[str, np.ndarray],
    noise: Mapping[str, tuple[str, float]],
    offset_mv: float,
    data_dir: Path | str | None = None,
) -> dict[str, tuple[str, np.ndarray]]:
    """``{id: (label, X)}``: the beats of ``records`` (``clean``, from ``load_beats``) as the
    pipeline receives them under each shift, row for row the same beats as ``clean``.

    Ids, in order: ``clean``, ``gain5``, ``gain0p2``, ``counts``, ``offset`` (``offset_mv``
    added to the processed beats), then one per entry of ``noise``: ``{id: (kind, snr_db)}``,
    ``kind`` a key of ``noise_mv`` (nstdb ``bw`` or ``ma``, in mV at 360 Hz).
    """
    records = list(records)
    changes: dict[str, tuple[str, Change]] = {
        "gain5": ("gain x5", gain(5.0)),
        "gain0p2": ("gain x0.2", gain(0.2)),
        "counts": ("ADC counts", adc_counts()),
    }
    for shift, (kind, snr_db) in noise.items():
        noisy = recorded_noise(noise_mv[kind], snr_db, data_dir=data_dir)
        changes[shift] = (f"{kind} {snr_db:g} dB", noisy)
    out = {"clean": ("clean", clean.X)}
    for shift, (label, change) in changes.items():
        beats = load_beats(records, data_dir=data_dir, change=change)
        if not np.array_equal(beats.r_peak, clean.r_peak):
            raise ValueError(f"the beats under {label} do not line up with the clean ones")
        out[shift] = (label, beats.X)
        if shift == "counts":
            out["offset"] = (f"offset {offset_mv:+g} mV", clean.X + offset_mv)
    return out
