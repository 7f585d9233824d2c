"""Headline numbers a notebook reports, collected by the runner into ``metrics.json``."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

METRICS_FILE_ENV = "ECGCOURSE_METRICS_FILE"
"""Set by the runner to the JSON file where this notebook's metrics go."""


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
        _write_atomic(path, json.dumps(metrics, indent=1, sort_keys=True))
    return number
