"""Write files and folders so that a reader sees the old version or the new one, never half."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


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


@contextmanager
def replace_dir(target: str | Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``target`` as a whole.

    If the block fails, the staging folder is removed and ``target`` is left as it was.
    The swap never deletes the old folder before the new one is in place: the old folder
    is renamed aside to a hidden sibling, the staging folder renamed to ``target``, and only
    then is the old one deleted (if renaming in fails, the old one is renamed back). A
    crash at any point leaves a complete folder, old or new, at ``target``, or, in the
    instant between the two renames, the old one in the hidden ``.<name>-*-old`` sibling.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-"))
    old = staging.with_name(f"{staging.name}-old")  # unique, as the staging name is
    try:
        yield staging
        had_old = target.exists() or target.is_symlink()
        if had_old:
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
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)
        else:
            old.unlink()
