"""Your own recording through a saved pipeline (``python -m ecgcourse predict``).

Read one lead of a file (CSV with a column of samples, WFDB, or EDF through ``wfdb``) in the
units you state, find its beats with ``wfdb.processing.xqrs_detect``, cut them the way the
training beats were cut (:func:`ecgcourse.beats.beats_from_signal`), and give each beat the
pipeline's answer (notebook 8's saved folder: model, normaliser, rate, temperature, guard).
Every beat gets a row: its time, the class called, p(V) after the temperature, and whether
the guard abstained. A file that cannot be an ECG in the stated units is refused with a
message that says why, before any model sees it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ecgcourse.signals import check_rate

if TYPE_CHECKING:
    from ecgcourse.beats import BeatSet

TO_MV = {"mV": 1.0, "uV": 1e-3}
"""Multiply by this to get millivolts; ``counts`` also needs the gain (counts per mV)."""
UNITS = (*TO_MV, "counts")
WFDB_UNITS = {"mv": "mV", "uv": "uV", "µv": "uV", "μv": "uV"}
"""Unit names a WFDB or EDF header may use, in the spelling of :data:`TO_MV`."""
MIN_SECONDS = 10.0
"""Shorter recordings are refused: too few beats to read."""
ECG_SPAN_MV = (0.1, 20.0)
"""The 1st-99th percentile span of an ECG lead lies in this range (mV); outside it, the
stated units (or the gain) are wrong, or the lead is not an ECG."""
MAX_CLIPPED = 0.01
"""Share of samples at the signal's extremes above which it is called clipped."""


@dataclass(frozen=True)
class Recording:
    """One lead in mV: ``x_mv`` ``(n_samples,)`` at ``fs`` Hz; ``name`` of the file."""

    x_mv: np.ndarray
    fs: float
    name: str


def _to_mv(x: np.ndarray, units: str, gain: float | None, where: str) -> np.ndarray:
    if units not in UNITS:
        raise ValueError(f"{where}: units must be one of {', '.join(UNITS)}, not {units!r}")
    if units == "counts":
        if gain is None or not np.isfinite(gain) or gain <= 0:
            raise ValueError(f"{where}: units 'counts' need the gain (counts per mV, > 0)")
        return (x - np.median(x)) / gain
    if gain is not None:
        raise ValueError(f"{where}: a gain goes with units 'counts' only")
    return x * TO_MV[units]


def _read_csv(path: Path, lead: str | None) -> np.ndarray:
    rows = [r for r in csv.reader(io.StringIO(path.read_text())) if r and any(c.strip() for c in r)]
    if not rows:
        raise ValueError(f"{path}: the file is empty")
    header = None
    try:
        [float(c) for c in rows[0]]
    except ValueError:
        header, rows = [c.strip() for c in rows[0]], rows[1:]
    width = len(header or rows[0])
    if lead is not None:
        if header is None or lead not in header:
            raise ValueError(f"{path}: no column named {lead!r} (header: {header})")
        column = header.index(lead)
    elif width == 1:
        column = 0
    else:
        raise ValueError(f"{path}: {width} columns: name the one to read with lead")
    try:
        return np.array([float(r[column]) for r in rows])
    except (ValueError, IndexError) as error:
        raise ValueError(f"{path}: column {column + 1} is not all numbers ({error})") from None


def _read_wfdb(path: Path, lead: str | None) -> tuple[np.ndarray, float, str]:
    import wfdb
    from wfdb.io.convert.edf import read_edf

    if path.suffix.lower() == ".edf":
        record = read_edf(str(path))
    else:
        record = wfdb.rdrecord(str(path.with_suffix("")))
    names = list(record.sig_name)
    if lead is None and len(names) > 1:
        raise ValueError(f"{path}: {len(names)} leads ({', '.join(names)}): name one with lead")
    if lead is not None and lead not in names:
        raise ValueError(f"{path}: no lead {lead!r}; it has {', '.join(names)}")
    i = names.index(lead) if lead is not None else 0
    units = WFDB_UNITS.get(str(record.units[i]).lower())
    if units is None:
        raise ValueError(f"{path}: lead {names[i]} is in {record.units[i]!r}, not mV or uV")
    return record.p_signal[:, i].astype(np.float64), float(record.fs), units


def read_recording(
    path: str | Path,
    *,
    fs: float | None = None,
    units: str | None = None,
    gain: float | None = None,
    lead: str | None = None,
) -> Recording:
    """One lead of ``path`` in mV. A CSV holds neither rate nor units: give ``fs`` and
    ``units`` (``mV``, ``uV``, or ``counts`` with ``gain`` counts per mV). A WFDB header
    (``.hea``) or an EDF file carries both; a rate or units you give must agree with it."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no recording at {path}")
    if path.suffix.lower() in (".csv", ".txt"):
        if fs is None:
            raise ValueError(f"{path}: a CSV file holds no sampling rate: give fs (Hz)")
        if units is None:
            raise ValueError(f"{path}: a CSV file holds no units: give units ({', '.join(UNITS)})")
        x, rate = _read_csv(path, lead), check_rate(fs)
        x = _to_mv(x, units, gain, str(path))
    elif path.suffix.lower() in (".hea", ".dat", ".edf"):
        x, rate, file_units = _read_wfdb(path, lead)
        if fs is not None and not np.isclose(check_rate(fs), rate):
            raise ValueError(f"{path}: the file says {rate:g} Hz, you said {fs:g} Hz")
        if units is not None and units != file_units:
            raise ValueError(f"{path}: the file says {file_units}, you said {units}")
        if gain is not None:
            raise ValueError(f"{path}: the file converts its own counts: give no gain")
        x = x * TO_MV[file_units]
    else:
        raise ValueError(f"{path}: read .csv, .txt, .hea (WFDB) or .edf, not {path.suffix!r}")
    check_ecg(x, rate, str(path))
    return Recording(x_mv=x, fs=rate, name=path.stem)


def annotated_beats(path: str | Path, *, fs_out: float) -> BeatSet:
    """The beats of the WFDB record ``path`` (with or without ``.hea``) at its own beat
    annotations (``.atr``), read in mV by :func:`read_recording` (which checks the file) and
    preprocessed as the training beats were (:func:`ecgcourse.beats.beats_from_signal`, to
    ``fs_out`` Hz): the course's answer to notebook 10's exercise 1."""
    import wfdb

    from ecgcourse.beats import beats_from_signal

    base = Path(path).with_suffix("")
    recording, marks = read_recording(base.with_suffix(".hea")), wfdb.rdann(str(base), "atr")
    return beats_from_signal(
        recording.x_mv, recording.fs, samples=marks.sample, symbols=np.asarray(marks.symbol),
        record=base.name, fs_out=fs_out,
    )  # fmt: skip


def check_ecg(x_mv: np.ndarray, fs: float, where: str) -> None:
    """Refuse what cannot be one ECG lead in mV: too short, not finite, flat, clipped, or a
    span no ECG has (units or gain wrong). Each refusal says which, and what was measured."""
    seconds = len(x_mv) / fs
    if seconds < MIN_SECONDS:
        raise ValueError(f"{where}: {seconds:.1f} s of signal; at least {MIN_SECONDS:g} s")
    bad = int(np.sum(~np.isfinite(x_mv)))
    if bad:
        raise ValueError(f"{where}: {bad} samples are not numbers (NaN or infinite)")
    low, high = np.percentile(x_mv, [1, 99])
    if np.ptp(x_mv) == 0:
        raise ValueError(f"{where}: the signal is flat (every sample {x_mv[0]:g})")
    at_edge = np.mean((x_mv == x_mv.min()) | (x_mv == x_mv.max()))
    if at_edge > MAX_CLIPPED:
        raise ValueError(
            f"{where}: {at_edge:.1%} of the samples sit at the signal's minimum or maximum: "
            "clipped (the amplifier's range was exceeded)"
        )
    span = high - low
    if not ECG_SPAN_MV[0] <= span <= ECG_SPAN_MV[1]:
        raise ValueError(
            f"{where}: the middle 98 % of the signal spans {span:.3g} mV, outside an ECG's "
            f"{ECG_SPAN_MV[0]:g}-{ECG_SPAN_MV[1]:g} mV: are the units (or the gain) right?"
        )


def predict_recording(recording: Recording, pipeline_dir: str | Path) -> dict[str, np.ndarray]:
    """Every beat XQRS finds in ``recording``, through the pipeline saved in
    ``pipeline_dir``: ``time_s``, ``p_v`` (after the temperature), ``called`` ("V" where
    the logit is above 0, else "non-V") and ``abstained`` (the guard), each ``(n_beats,)``."""
    from scipy.special import expit
    from wfdb.processing import xqrs_detect

    from ecgcourse.beats import beats_from_signal
    from ecgcourse.guard import load_calibration
    from ecgcourse.pipeline import BeatPipeline

    pipeline = BeatPipeline.load(pipeline_dir)
    guard, temperature, _ = load_calibration(pipeline_dir)
    peaks = xqrs_detect(sig=recording.x_mv, fs=recording.fs, verbose=False)
    if len(peaks) < 3:
        raise ValueError(f"{recording.name}: XQRS found {len(peaks)} beats; nothing to classify")
    beats = beats_from_signal(
        recording.x_mv, recording.fs, samples=peaks, symbols=np.full(len(peaks), "N"),
        record=recording.name, fs_out=pipeline.fs,
    )  # fmt: skip
    z = pipeline.predict(beats.X, fs=beats.fs)[:, 0]
    return {
        "time_s": beats.r_peak / beats.fs,
        "p_v": expit(z.astype(np.float64) / temperature),
        "called": np.where(z > 0, "V", "non-V"),
        "abstained": guard.flags(beats.X, fs=beats.fs),
    }


def beat_table_csv(table: dict[str, np.ndarray]) -> str:
    """The per-beat table as CSV text: time_s, called, p_v, abstained."""
    out = io.StringIO()
    out.write("time_s,called,p_v,abstained\n")
    for t, c, p, a in zip(table["time_s"], table["called"], table["p_v"], table["abstained"]):
        out.write(f"{t:.3f},{c},{p:.4f},{int(a)}\n")
    return out.getvalue()


def beat_figure_png(
    recording: Recording, table: dict[str, np.ndarray], seconds: float = 20.0
) -> bytes:
    """A PNG of the first ``seconds`` of the recording with every beat's call marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = min(len(recording.x_mv), int(seconds * recording.fs))
    t = np.arange(n) / recording.fs
    fig, ax = plt.subplots(figsize=(12, 3.5))
    ax.plot(t, recording.x_mv[:n], color="black", lw=0.6)
    top = float(recording.x_mv[:n].max())
    shown = table["time_s"] < t[-1]
    for called, abstained, colour, label in (
        ("non-V", False, "tab:blue", "non-V"), ("V", False, "tab:red", "V"),
        (None, True, "grey", "abstained (guard)"),
    ):  # fmt: skip
        pick = shown & (table["abstained"] == abstained)
        if called is not None:
            pick &= table["called"] == called
        ax.plot(
            table["time_s"][pick], np.full(pick.sum(), top * 1.1), "v", color=colour, label=label
        )
    ax.set(xlabel="time (s)", ylabel="voltage (mV)", title=f"{recording.name}: every beat's call")
    ax.legend(fontsize=8, loc="lower right")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def write_predictions(
    recording: Recording, table: dict[str, np.ndarray], out_dir: str | Path
) -> list[Path]:
    """Write ``<name>_beats.csv`` and ``<name>_beats.png`` into ``out_dir``; a file of that
    name the course did not write is never overwritten
    (:func:`ecgcourse.atomic.write_files_once`)."""
    from ecgcourse.atomic import write_files_once

    files = {
        f"{recording.name}_beats.csv": beat_table_csv(table).encode(),
        f"{recording.name}_beats.png": beat_figure_png(recording, table),
    }
    write_files_once(out_dir, files)
    return [Path(out_dir) / name for name in files]
