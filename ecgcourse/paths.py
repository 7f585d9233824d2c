"""Where the course finds its files: the course pack, the notebooks, the workshop guide, the
build folder, and an optional full-data directory.

Two layouts, one set of names:

- **a checkout** (``git clone`` then ``pip install -e .``): everything is read from the
  repository, and ``build/`` is the repository's;
- **an installed wheel** (``pip install ecgcourse``, or ``pip install .`` without ``-e``): the
  pack, the notebooks and the workshop guide travel inside the package (``_course/``, copied
  there by ``setup.py`` at build time) and ``build/`` is in the working directory, never in
  site-packages.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT = PACKAGE_DIR.parent
BUNDLED_DIR = PACKAGE_DIR / "_course"
"""Where a wheel carries the course: ``data/pack/``, ``notebooks/`` and ``workshop/``."""

IN_CHECKOUT = (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "notebooks").is_dir()
"""True when the package runs from a repository checkout (an editable install)."""

COURSE_ROOT = _CHECKOUT if IN_CHECKOUT else BUNDLED_DIR
"""The folder holding ``data/pack/``, ``notebooks/`` and ``workshop/``."""
PACK_DIR = COURSE_ROOT / "data" / "pack"
NOTEBOOK_DIR = COURSE_ROOT / "notebooks"
WORKSHOP_DIR = COURSE_ROOT / "workshop"
BUILD_DIR = _CHECKOUT / "build" if IN_CHECKOUT else Path.cwd().resolve() / "build"
"""Executed notebooks, reports and sweeps: the checkout's ``build/``, else ``./build``."""

DATA_DIR_ENV = "ECGCOURSE_DATA_DIR"
"""Environment variable naming a directory of full PhysioNet databases (``mitdb/``, ...)."""


def data_dir_from_env() -> Path | None:
    """The full-data directory set in ``ECGCOURSE_DATA_DIR``, or ``None`` when unset or empty."""
    value = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else None


DATABASE_DIRS = ("mitdb", "ludb", "nstdb")
"""The folders a full-data directory holds, one per PhysioNet database."""


def require_data_dir(path: str | Path) -> Path:
    """``path`` if it is a folder holding at least one of :data:`DATABASE_DIRS`; otherwise
    :class:`NotADirectoryError` saying what is wrong."""
    path = Path(path).expanduser()
    if not path.is_dir():
        raise NotADirectoryError(f"data directory {path} is not a folder")
    if not any((path / db).is_dir() for db in DATABASE_DIRS):
        raise NotADirectoryError(
            f"data directory {path} holds none of {', '.join(d + '/' for d in DATABASE_DIRS)}: "
            "not a folder of full databases (python -m ecgcourse fetch mitdb ludb nstdb "
            "--data-dir DIR)"
        )
    return path
