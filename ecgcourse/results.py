"""Headline numbers a notebook reports, collected by the runner into ``metrics.json``."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from ecgcourse.atomic import write_text_atomic

METRICS_FILE_ENV = "ECGCOURSE_METRICS_FILE"
"""Set by the runner to the JSON file where this notebook's metrics go."""


def record_metric(name: str, value: float) -> float:
    """Report one headline number (a finite float) and return it.

    Printed for the reader; written to the runner's metrics file when the notebook runs
    under ``python -m ecgcourse run``.
    """
    if not name.isidentifier():
        raise ValueError(f"metric name {name!r} must be a valid identifier (letters, digits, _)")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"metric {name} is {number}: a headline number must be finite")
    print(f"{name} = {number:.4g}")
    target = os.environ.get(METRICS_FILE_ENV)
    if target:
        path = Path(target)
        metrics = json.loads(path.read_text()) if path.is_file() else {}
        metrics[name] = number
        write_text_atomic(path, json.dumps(metrics, indent=1, sort_keys=True))
    return number
