"""Where the course finds its files: the committed pack and an optional full-data directory."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PACK_DIR = REPO_ROOT / "data" / "pack"
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
BUILD_DIR = REPO_ROOT / "build"

DATA_DIR_ENV = "ECGCOURSE_DATA_DIR"
"""Environment variable naming a directory of full PhysioNet databases (``mitdb/``, ...)."""


def data_dir_from_env() -> Path | None:
    """The full-data directory set in ``ECGCOURSE_DATA_DIR``, or ``None`` when unset or empty."""
    value = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else None
