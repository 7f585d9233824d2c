"""Write files and folders so that a reader sees the old version or the new one, never half,
and never delete or overwrite what the course did not write.

- :func:`write_text_atomic`: one file, through a temporary file renamed over it.
- :func:`replace_dir`: a whole folder the course owns (a pack, a saved pipeline), swapped in
  when complete. An existing folder is replaced only if it is empty or carries the file
  that marks it as the course's (``MANIFEST.json``, ``pipeline.json``, ...).
- :func:`write_files_once`: files in a folder the user works in (notebooks, handouts): a
  file is written only where there is none, or where the one there is still exactly what
  the course wrote (a ledger in the folder remembers); anything else is refused, untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

PARTIAL = ".ecgcourse-partial-"
"""Infix of the hidden staging folders :func:`replace_dir` writes beside its target; a
leftover one (a killed run) is removed, or restored, by the next run for that target."""
LEDGER_FILE = ".ecgcourse-written.json"
"""What :func:`write_files_once` wrote into a folder: ``{file name: sha256}``."""


class NotOursError(FileExistsError):
    """The target exists and holds something the course did not write: it is left alone."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_atomic(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``."""
    return _write_atomic(Path(path), text.encode())


def write_between_markers(path: str | Path, start: str, end: str, block: str) -> Path:
    """Replace what lies between the lines ``start`` and ``end`` of a text file with
    ``block`` (generated tables in README and guide); each marker must occur once."""
    path = Path(path)
    text = path.read_text()
    if text.count(start) != 1 or text.count(end) != 1:
        raise ValueError(f"{path} needs one {start} line and one {end} line")
    head, rest = text.split(start)
    _, tail = rest.split(end)
    return write_text_atomic(path, f"{head}{start}\n{block}\n{end}{tail}")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _recover(target: Path) -> None:
    """Tidy what a killed :func:`replace_dir` for ``target`` left beside it: an old folder
    renamed aside is renamed back if nothing took its place, staging folders are removed."""
    prefix = f".{target.name}{PARTIAL}"
    leftovers = sorted(p for p in target.parent.iterdir() if p.name.startswith(prefix))
    for old in (p for p in leftovers if p.name.endswith("-old")):
        if not (target.exists() or target.is_symlink()):
            old.rename(target)  # killed between the two renames: the old folder comes back
        else:
            _remove(old)
    for staging in (p for p in leftovers if not p.name.endswith("-old") and p.exists()):
        _remove(staging)


def _check_ours(target: Path, marker: str) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise NotOursError(f"{target} exists and is not a folder: not replacing it")
    if target.is_dir() and any(target.iterdir()) and not (target / marker).is_file():
        raise NotOursError(
            f"{target} is not empty and has no {marker}, so the course did not write it: "
            "not replacing it (choose a new or empty folder)"
        )


@contextmanager
def replace_dir(target: str | Path, marker: str) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``target`` as a whole.

    ``marker`` is the file that makes a folder the course's (the block must write it): an
    existing ``target`` is replaced only if it is empty or holds its ``marker``; anything
    else raises :class:`NotOursError` before the block runs. If the block fails, the
    staging folder is removed and ``target`` is left as it was. The swap never deletes the
    old folder before the new one is in place: the old folder is renamed aside to a hidden
    sibling, the staging folder renamed to ``target``, and only then is the old one deleted
    (if renaming in fails, the old one is renamed back). A run killed at any point leaves a
    complete folder, old or new, at ``target``, or, in the instant between the two renames,
    the old one in the hidden ``.<name>.ecgcourse-partial-*-old`` sibling, which the next
    run for ``target`` renames back before it starts.
    """
    target = Path(target).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    _recover(target)
    _check_ours(target, marker)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}{PARTIAL}"))
    old = staging.with_name(f"{staging.name}-old")  # unique, as the staging name is
    had_old = False
    try:
        yield staging
        if not (staging / marker).is_file():
            raise RuntimeError(f"the folder written for {target} has no {marker}")
        had_old = target.exists() or target.is_symlink()
        if had_old:
            _check_ours(target, marker)  # again: the block may have taken a while
            target.rename(old)
        try:
            staging.rename(target)
        except BaseException:
            if had_old:
                old.rename(target)
            raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if had_old:
        _remove(old)


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file's contents."""
    return sha256_bytes(Path(path).read_bytes())


def _read_ledger(folder: Path) -> dict[str, str]:
    path = folder / LEDGER_FILE
    if not path.is_file():
        return {}
    try:
        ledger = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError):
        return {}  # a damaged ledger vouches for nothing: every file there counts as yours
    return ledger if isinstance(ledger, dict) else {}


def files_in_the_way(folder: str | Path, files: Mapping[str, bytes]) -> list[str]:
    """Which of ``files`` (``{name: content}``) :func:`write_files_once` would refuse to
    write into ``folder``: a file there that the course did not write (it is not in the
    folder's :data:`LEDGER_FILE`), or that was changed since, unless it already holds the
    new content. Paths of the form ``folder/name``."""
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        return [str(folder)]
    ledger = _read_ledger(folder) if folder.is_dir() else {}
    in_the_way = []
    for name, data in files.items():
        path = folder / name
        if not path.exists() and not path.is_symlink():
            continue
        if path.is_symlink() or not path.is_file():
            in_the_way.append(str(path))
        elif sha256_bytes(path.read_bytes()) not in (ledger.get(name), sha256_bytes(data)):
            in_the_way.append(str(path))
    return in_the_way


def refuse_if_in_the_way(in_the_way: list[str]) -> None:
    """Raise :class:`NotOursError` naming the files, if there are any."""
    if in_the_way:
        raise NotOursError(
            f"not overwriting {len(in_the_way)} file(s) that the course did not write or that "
            f"were changed since: {', '.join(sorted(in_the_way))} (move them away, or choose "
            "another folder)"
        )


def write_files_once(folder: str | Path, files: Mapping[str, bytes]) -> dict[str, str]:
    """Write ``files`` (``{name: content}``) into ``folder`` without overwriting yours.

    A file is written where there is none, or where the one there is exactly what this
    function wrote last time (the sha256 in the folder's :data:`LEDGER_FILE`), or already
    holds the new content. If any other file is in the way (not written by the course, or
    changed since), :class:`NotOursError` names them all and nothing is written. Each file
    is written atomically and recorded after it is in place, so a run killed half-way can
    be run again. Returns ``{name: "written" | "unchanged"}``.
    """
    folder = Path(folder).expanduser()
    refuse_if_in_the_way(files_in_the_way(folder, files))
    folder.mkdir(parents=True, exist_ok=True)
    for name in files:  # temporary files of a run killed while writing them
        for tmp in folder.iterdir():
            if tmp.name.startswith(f".{name}.") and tmp.name.endswith(".tmp") and tmp.is_file():
                tmp.unlink()
    ledger = _read_ledger(folder)
    done: dict[str, str] = {}
    for name, data in files.items():
        path = folder / name
        if path.is_file() and sha256_bytes(path.read_bytes()) == sha256_bytes(data):
            done[name] = "unchanged"
        else:
            _write_atomic(path, data)
            done[name] = "written"
        ledger[name] = sha256_bytes(data)
        write_text_atomic(folder / LEDGER_FILE, json.dumps(ledger, indent=1, sort_keys=True))
    return done
