"""Read WFDB records and annotations from the course pack, a full-data directory or PhysioNet.

Where a record comes from, in order:

1. ``data_dir`` if given, else the directory in ``ECGCOURSE_DATA_DIR``: full PhysioNet
   databases, one folder per database name (``mitdb/``, ``ludb/``, ``nstdb/``);
2. otherwise the committed course pack (``data/pack``).

With ``download=True`` a record missing from the data directory is fetched from PhysioNet
with ``wfdb.dl_database``. Offline with nothing found you get :class:`DataNotFoundError`,
which names the record and the command that fetches it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import wfdb

from ecgcourse.paths import DATA_DIR_ENV, PACK_DIR, data_dir_from_env

DATABASES = ("mitdb", "ludb", "nstdb")
DEFAULT_ANNOTATOR = {"mitdb": "atr", "nstdb": "atr", "ludb": "ii"}
"""Annotation file extension read when none is asked for (LUDB has one file per lead)."""


class DataNotFoundError(FileNotFoundError):
    """A record (or its annotations) is not where the course looked for it."""


@dataclass(frozen=True)
class Record:
    """One ECG record in physical units.

    ``signal`` has shape ``(n_samples, n_leads)``, float32, in the units of ``units``
    (millivolts for every ECG lead in the course databases); ``fs`` is in Hz.
    """

    database: str
    name: str
    signal: np.ndarray
    fs: float
    leads: tuple[str, ...]
    units: tuple[str, ...]
    comments: tuple[str, ...] = field(default=())

    @property
    def duration_s(self) -> float:
        """Length of the record in seconds."""
        return self.signal.shape[0] / self.fs

    def lead(self, name: str) -> np.ndarray:
        """One lead as a 1-D float32 array in its physical units, shape ``(n_samples,)``."""
        if name not in self.leads:
            raise KeyError(f"{self.database}/{self.name} has leads {self.leads}, not {name!r}")
        return self.signal[:, self.leads.index(name)]


@dataclass(frozen=True)
class Annotations:
    """Annotation marks of one record: ``sample`` (int64 sample indices) and ``symbol``."""

    database: str
    name: str
    extension: str
    sample: np.ndarray
    symbol: np.ndarray
    aux_note: np.ndarray
    fs: float


def _fetch_command(database: str, data_dir: Path | str = "DIR") -> str:
    return f"python -m ecgcourse fetch {database} --data-dir {data_dir}"


def _find_in(db_dir: Path, name: str) -> Path | None:
    # PhysioNet's LUDB lists records as data/N; our copies may also sit flat.
    for candidate in (db_dir / name, db_dir / "data" / name):
        if candidate.with_suffix(".hea").is_file():
            return candidate
    return None


def record_path(
    database: str,
    name: str,
    data_dir: Path | str | None = None,
    download: bool = False,
) -> Path:
    """Path of a record without extension (what ``wfdb.rdrecord`` takes).

    ``data_dir`` (or ``ECGCOURSE_DATA_DIR``) holds full databases; without either the
    committed course pack is used. Raises :class:`DataNotFoundError` naming the record
    and the command that fetches it.
    """
    if database not in DATABASES:
        raise ValueError(f"unknown database {database!r}; the course uses {DATABASES}")
    name = str(name)
    base = Path(data_dir).expanduser() if data_dir else data_dir_from_env()
    if base is None:
        found = _find_in(PACK_DIR / database, name)
        if found is None:
            raise DataNotFoundError(
                f"record {database}/{name} is not in the course pack ({PACK_DIR / database}). "
                f"Full databases: set {DATA_DIR_ENV}=DIR after `{_fetch_command(database)}`."
            )
        return found
    db_dir = base / database
    found = _find_in(db_dir, name)
    if found is None and download:
        db_dir.mkdir(parents=True, exist_ok=True)
        wfdb.dl_database(database, dl_dir=str(db_dir), records=[name])
        found = _find_in(db_dir, name)
    if found is None:
        raise DataNotFoundError(
            f"record {database}/{name} not found in {db_dir}. "
            f"Fetch it with `{_fetch_command(database, base)}` "
            f"(needs internet), or pass download=True."
        )
    return found


def load_record(
    database: str,
    name: str,
    leads: list[str] | None = None,
    data_dir: Path | str | None = None,
    download: bool = False,
) -> Record:
    """Read a record in physical units (mV) with ``wfdb.rdrecord``.

    ``leads`` picks leads by name (for example ``["MLII"]``); ``None`` reads all.
    """
    path = record_path(database, name, data_dir, download)
    header = wfdb.rdheader(str(path))
    if leads is not None:
        missing = [lead for lead in leads if lead not in header.sig_name]
        if missing:
            raise KeyError(
                f"{database}/{name} has no lead {', '.join(missing)}; it has {header.sig_name}"
            )
    raw = wfdb.rdrecord(str(path), channel_names=leads)
    signal = np.asarray(raw.p_signal, dtype=np.float32)
    return Record(
        database=database,
        name=str(name),
        signal=signal,
        fs=float(raw.fs),
        leads=tuple(raw.sig_name),
        units=tuple(raw.units),
        comments=tuple(raw.comments or ()),
    )


def load_annotations(
    database: str,
    name: str,
    extension: str | None = None,
    data_dir: Path | str | None = None,
    download: bool = False,
) -> Annotations:
    """Read a record's annotations with ``wfdb.rdann``.

    ``extension`` defaults to ``atr`` (MIT-BIH, nstdb) or the lead ``ii`` (LUDB).
    Raises :class:`DataNotFoundError` when the annotation file is missing.
    """
    extension = extension or DEFAULT_ANNOTATOR[database]
    path = record_path(database, name, data_dir, download)
    ann_file = path.with_name(f"{path.name}.{extension}")
    if not ann_file.is_file():
        raise DataNotFoundError(
            f"record {database}/{name} has no annotation file '.{extension}' in {path.parent}; "
            f"annotations are fetched together with the record by `{_fetch_command(database)}`."
        )
    ann = wfdb.rdann(str(path), extension)
    return Annotations(
        database=database,
        name=str(name),
        extension=extension,
        sample=np.asarray(ann.sample, dtype=np.int64),
        symbol=np.asarray(ann.symbol, dtype=str),
        aux_note=np.asarray(ann.aux_note, dtype=object),
        fs=float(ann.fs) if ann.fs else float(wfdb.rdheader(str(path)).fs),
    )


def list_records(database: str, data_dir: Path | str | None = None) -> list[str]:
    """Record names listed in the database's ``RECORDS`` file (pack or data directory)."""
    base = Path(data_dir).expanduser() if data_dir else data_dir_from_env()
    db_dir = (base if base is not None else PACK_DIR) / database
    listing = db_dir / "RECORDS"
    if not listing.is_file():
        raise DataNotFoundError(
            f"no RECORDS file in {db_dir}; fetch the database with `{_fetch_command(database)}`"
        )
    return [Path(line.strip()).name for line in listing.read_text().splitlines() if line.strip()]


def fetch_database(database: str, data_dir: Path | str) -> Path:
    """Download a whole database from PhysioNet into ``data_dir/database`` (needs internet)."""
    if database not in DATABASES:
        raise ValueError(f"unknown database {database!r}; the course uses {DATABASES}")
    target = Path(data_dir).expanduser() / database
    target.mkdir(parents=True, exist_ok=True)
    wfdb.dl_database(database, dl_dir=str(target))
    return target
