"""Run profiles: the papermill parameters each notebook gets.

A notebook's ``parameters`` cell holds the student defaults (course pack, realistic
settings), which the ``student`` profile runs unchanged. ``ci`` shrinks the work so each
notebook runs in a couple of minutes on two CPU cores; ``full`` keeps the student settings
and reads the full databases from a data directory. Keys are notebook file stems; every
key must exist in that notebook's ``parameters`` cell (the runner checks).
"""

from __future__ import annotations

PROFILES: dict[str, dict[str, dict[str, object]]] = {
    "student": {},
    "ci": {
        "01_loading": {},
        "02_normalising": {},
        "03_splitting": {"n_folds": 3},
        "04_baseline": {},
        "05_cnn": {},
        "06_overfitting": {},
        "07_saturation": {},
        "08_segmentation": {},
        "09_capstone": {},
    },
    "full": {},
}
"""Per-profile, per-notebook parameter overrides."""

NEEDS_DATA_DIR = {"full"}
"""Profiles that read the full databases and so need ``--data-dir`` or ``ECGCOURSE_DATA_DIR``."""
