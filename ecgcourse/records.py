"""Read WFDB records and annotations from the course pack, a full-data directory or PhysioNet.

Where a record comes from, in order:

1. ``data_dir`` if given, else the directory in ``ECGCOURSE_DATA_DIR``: full PhysioNet
   databases, one folder per database name (``mitdb/``, ``ludb/``, ``nstdb/``);
2. otherwise the committed course pack (``data/pack``).

With ``download=True`` a record missing from the data directory is fetched from PhysioNet
with ``wfdb.dl_database``. Offline with nothing found you get :class:`DataNotFoundError`,
which names the record and the command that fetches it. A whole database fetched with
:func:`fetch_database` is checked against PhysioNet's ``SHA256SUMS.txt``.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import wfdb
from wfdb.io import download as wfdb_download

from ecgcourse.pack import sha256
from ecgcourse.paths import DATA_DIR_ENV, PACK_DIR, data_dir_from_env

DATABASES = ("mitdb", "ludb", "nstdb")
DEFAULT_ANNOTATOR = {"mitdb": "atr", "nstdb": "atr", "ludb": "ii"}
"""Annotation file extension read when none is asked for (LUDB has one file per lead)."""


SUMS_FILE = "SHA256SUMS.txt"
"""What every PhysioNet database publishes beside its files: lines ``<sha256>  <path>``."""
_SUMS_LINE = re.compile(r"([0-9a-fA-F]{64}) [ *](.+)")


class DataNotFoundError(FileNotFoundError):
    """A record (or its annotations) is not where the course looked for it."""


class ChecksumError(RuntimeError):
    """Downloaded files differ from the sha256 their database publishes."""


@dataclass(frozen=True)
class ChecksumProblem:
    """One thing wrong found by :func:`verify_sha256sums`. ``path`` is the file on disk
    whose sha256 differs from the listed one; ``None`` for a problem of the list itself."""

    message: str
    path: Path | None = None

    def __str__(self) -> str:
        return self.message


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


def verify_sha256sums(directory: Path | str, sums_text: str) -> list[ChecksumProblem]:
    """Check the files of ``directory`` against a ``SHA256SUMS.txt`` text (no network).

    Each line is ``<sha256>  <relative path>``. Every listed file that is in ``directory``
    must have that sha256; listed files that are absent are not problems (a download may
    take only some of a database), but a list none of whose files is present is one.
    Returns the problems, empty when all is well.
    """
    directory = Path(directory)
    problems: list[ChecksumProblem] = []
    listed = present = 0
    for number, line in enumerate(sums_text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = _SUMS_LINE.fullmatch(line)
        if match is None:
            problems.append(ChecksumProblem(f"{SUMS_FILE} line {number} is not '<sha256>  <path>'"))
            continue
        digest, name = match.group(1).lower(), match.group(2)
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            problems.append(ChecksumProblem(f"{SUMS_FILE} line {number}: unsafe path {name!r}"))
            continue
        listed += 1
        path = directory.joinpath(*relative.parts)
        if not path.is_file():
            continue
        present += 1
        if sha256(path) != digest:
            problems.append(
                ChecksumProblem(f"{name}: sha256 differs from the one in {SUMS_FILE}", path)
            )
    if not listed:
        problems.append(ChecksumProblem(f"{SUMS_FILE} lists no files"))
    elif not present:
        problems.append(
            ChecksumProblem(f"none of the {listed} files listed in {SUMS_FILE} is in {directory}")
        )
    return problems


def fetch_database(database: str, data_dir: Path | str) -> Path:
    """Download a whole database from PhysioNet into ``data_dir/database`` (needs internet)
    and check every downloaded file against the database's ``SHA256SUMS.txt``.

    The sums file is kept beside the data. Files whose sha256 differs are deleted, so that
    nothing corrupt looks valid, and :class:`ChecksumError` names them: fetch again to
    download them afresh.
    """
    if database not in DATABASES:
        raise ValueError(f"unknown database {database!r}; the course uses {DATABASES}")
    target = Path(data_dir).expanduser() / database
    target.mkdir(parents=True, exist_ok=True)
    version = wfdb_download.get_version(database)  # the latest, which dl_database downloads
    wfdb.dl_database(database, dl_dir=str(target))
    # wfdb's own file URLs: <db_index_url>/<database>/<version>/<path>
    sums_url = posixpath.join(wfdb_download.config.db_index_url, database, version, SUMS_FILE)
    wfdb_download.dl_full_file(sums_url, str(target / SUMS_FILE))
    problems = verify_sha256sums(target, (target / SUMS_FILE).read_text())
    if problems:
        differ = [problem.path for problem in problems if problem.path is not None]
        for path in differ:
            path.unlink()
        message = f"{database} {version} in {target} does not match {sums_url}: "
        message += "; ".join(map(str, problems))
        if differ:
            message += (
                f". The {len(differ)} file(s) that differ were deleted: run "
                f"`{_fetch_command(database, data_dir)}` again to download them afresh."
            )
        raise ChecksumError(message)
    return target
