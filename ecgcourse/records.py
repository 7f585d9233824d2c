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
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import requests
import wfdb
from requests.adapters import HTTPAdapter
from wfdb.io import _url as wfdb_url
from wfdb.io import download as wfdb_download

from ecgcourse.atomic import sha256_file
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


class DamagedRecordError(ValueError):
    """A record's files cannot be what its header says: a changed or truncated signal file,
    an annotation file cut short. The message names the file."""


class NetworkError(ConnectionError):
    """PhysioNet could not be reached, or stopped answering."""


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


CUT_NOTE = re.compile(r"ecgcourse pack: samples (\d+)-(\d+) of (\d+)")
"""The header comment a pack record carries: which samples of its source it holds."""


def cut_start_s(comments: Iterable[str], fs: float) -> float:
    """Where a record starts in its source record, in seconds: 0.0 for an uncut (full)
    record, the cut's start for a pack record (read from its header ``comments``, at ``fs``
    Hz). Adding it to a time in the record gives the time in the PhysioNet original."""
    for line in comments:
        found = CUT_NOTE.search(line)
        if found:
            return int(found.group(1)) / float(fs)
    return 0.0


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
        created = _make_dirs(db_dir)
        with _physionet(f"record {database}/{name}", created):
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

    ``leads`` picks leads by name (for example ``["MLII"]``); ``None`` reads all. Each lead
    is checked against its header's checksum: a damaged or truncated signal file raises
    :class:`DamagedRecordError` naming the file.
    """
    path = record_path(database, name, data_dir, download)
    header = wfdb.rdheader(str(path))
    if leads is not None:
        missing = [lead for lead in leads if lead not in header.sig_name]
        if missing:
            raise KeyError(
                f"{database}/{name} has no lead {', '.join(missing)}; it has {header.sig_name}"
            )
    raw = _read_checked(path, leads)
    signal = np.asarray(raw.dac(return_res=64), dtype=np.float32)
    return Record(
        database=database,
        name=str(name),
        signal=signal,
        fs=float(raw.fs),
        leads=tuple(raw.sig_name),
        units=tuple(raw.units),
        comments=tuple(raw.comments or ()),
    )


def _read_checked(path: Path, leads: list[str] | None) -> wfdb.Record:
    """The record's stored integers, each lead checked against its header checksum (the sum
    of its samples modulo 65536, which every course database writes)."""
    try:
        raw = wfdb.rdrecord(str(path), channel_names=leads, physical=False)
    except ValueError as error:  # a short .dat: numpy cannot fill the array the header promises
        files = ", ".join(sorted({str(path.with_name(f)) for f in _signal_files(path)}))
        raise DamagedRecordError(
            f"cannot read {files}: it is shorter than {path}.hea says (damaged or cut short; "
            f"fetch the record again): {error}"
        ) from None
    if raw.checksum is not None:
        for lead, expected, got in zip(raw.sig_name, raw.checksum, raw.calc_checksum()):
            if expected is not None and int(expected) % 65536 != got:
                raise DamagedRecordError(
                    f"{path.with_name(raw.file_name[raw.sig_name.index(lead)])}: lead {lead}'s "
                    f"samples do not match the checksum in {path}.hea ({got} != {expected}): "
                    "the signal file is damaged; fetch the record again"
                )
    return raw


def _signal_files(path: Path) -> list[str]:
    """The signal file names a record's header lists."""
    return list(dict.fromkeys(wfdb.rdheader(str(path)).file_name or []))


def check_annotation_file(path: Path) -> None:
    """Refuse an annotation file that does not end with WFDB's end-of-file word (two zero
    bytes): it was cut short, and ``wfdb.rdann`` would read the beats before the cut
    without a word."""
    data = path.read_bytes()
    if len(data) < 2 or len(data) % 2 or data[-2:] != b"\x00\x00":
        raise DamagedRecordError(
            f"{path} ends mid-record (no end-of-file mark; {len(data)} bytes): it is damaged "
            "or was cut short; fetch the record again"
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
    check_annotation_file(ann_file)
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
        if sha256_file(path) != digest:
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


NETWORK_TIMEOUT_S = (10.0, 60.0)
"""Seconds to connect to PhysioNet, and to wait for each read, before giving up."""


class _TimeoutAdapter(HTTPAdapter):
    """An HTTP adapter that gives every request :data:`NETWORK_TIMEOUT_S` unless it has one."""

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = NETWORK_TIMEOUT_S
        return super().send(request, **kwargs)


@contextmanager
def _physionet(what: str, created: list[Path]) -> Iterator[None]:
    """Network calls of wfdb with timeouts, and a one-line :class:`NetworkError` when they
    fail; the folders in ``created`` (made for this download) are removed on failure.

    wfdb downloads through one ``requests`` session of its own that sets no timeout, so a
    server that accepts and never answers would hang for ever: its adapters are swapped for
    :class:`_TimeoutAdapter` while the block runs.
    """
    session = wfdb_url._get_session()
    saved = dict(session.adapters)
    for prefix in ("http://", "https://"):
        session.mount(prefix, _TimeoutAdapter(pool_maxsize=2, pool_block=True))
    try:
        yield
    except requests.RequestException as error:
        _remove_created(created)
        raise NetworkError(
            f"could not download {what} from PhysioNet ({type(error).__name__}): this needs "
            f"internet and {wfdb_download.config.db_index_url} answering within "
            f"{NETWORK_TIMEOUT_S[1]:g} s; try again later, or use the course pack"
        ) from None
    except BaseException:
        _remove_created(created)
        raise
    finally:
        session.adapters.clear()
        session.adapters.update(saved)


def _remove_created(created: list[Path]) -> None:
    """Remove the folders this download made (all they hold is the failed download's)."""
    for folder in created:
        shutil.rmtree(folder, ignore_errors=True)


def _make_dirs(path: Path) -> list[Path]:
    """``mkdir -p path``; returns the folders it created, outermost first."""
    new = [p for p in (path, *path.parents) if not p.exists()][::-1]
    path.mkdir(parents=True, exist_ok=True)
    return new


def fetch_database(database: str, data_dir: Path | str) -> Path:
    """Download a whole database from PhysioNet into ``data_dir/database`` (needs internet)
    and check every downloaded file against the database's ``SHA256SUMS.txt``.

    The sums file is kept beside the data. Files whose sha256 differs are deleted, so that
    nothing corrupt looks valid, and :class:`ChecksumError` names them: fetch again to
    download them afresh. Without internet (or if PhysioNet stops answering for
    :data:`NETWORK_TIMEOUT_S`) it raises :class:`NetworkError`, and the folders it made are
    removed again.
    """
    if database not in DATABASES:
        raise ValueError(f"unknown database {database!r}; the course uses {DATABASES}")
    target = Path(data_dir).expanduser() / database
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} exists and is not a folder")
    created = _make_dirs(target)
    with _physionet(database, created):
        version = wfdb_download.get_version(database)  # the latest, which dl_database takes
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
