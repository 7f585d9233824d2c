"""Run profiles: the papermill parameters each notebook gets.

A notebook's ``parameters`` cell holds the student defaults (course pack, realistic
settings), which the ``student`` profile runs unchanged. ``ci`` shrinks the work so each
notebook runs in a couple of minutes on two CPU cores; ``full`` keeps the student settings
and reads the full databases from a data directory. Keys are notebook file stems; every
key must exist in that notebook's ``parameters`` cell (the runner checks). Notebook 10's
``upstream_profile`` names the profile in which it runs notebook 8 where that has not run.
"""

from __future__ import annotations

PROFILES: dict[str, dict[str, dict[str, object]]] = {
    "student": {},
    "ci": {
        "01_loading": {},
        "02_normalising": {},
        "03_splitting": {"n_folds": 3},
        "04_baseline": {},
        "05_cnn": {"n_seeds": 1, "n_folds": 3, "max_epochs": 4},
        "06_overfitting": {"minutes_per_record": 4},
        "07_saturation": {"epochs": 30},
        "08_calibration": {"epochs": 30},
        "09_segmentation": {
            "max_ludb_records": 60,
            "regression_epochs": 4,
            "crops_per_epoch": 1500,
            "unet_epochs": 12,
            "mitdb_records": ["100", "105", "221"],
            "mitdb_minutes": 2.0,
        },
        "10_capstone": {"upstream_profile": "ci"},
    },
    "full": {"10_capstone": {"upstream_profile": "full"}},
}
"""Per-profile, per-notebook parameter overrides."""

NEEDS_DATA_DIR = {"full"}
"""Profiles that read the full databases and so need ``--data-dir`` or ``ECGCOURSE_DATA_DIR``."""
