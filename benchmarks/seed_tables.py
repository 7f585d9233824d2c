"""What the benchmark scripts share: one JSON file per seed, and a markdown table of the
mean ± SD over every seed run with the same data and settings.

A run is a dict with ``date``, ``data``, ``machine``, ``settings`` (including ``seed``) and
``rows``: ``{row name: {column: number}}``. Scripts import this module by name
(``python benchmarks/<script>.py`` puts ``benchmarks/`` on the path).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ecgcourse.atomic import write_text_atomic


def _without_seed(settings: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in settings.items() if k != "seed"}


def save_run(out: Path, run: dict[str, Any]) -> list[dict[str, Any]]:
    """Write ``run`` to ``<out>-seed<N>.json`` and return every saved run next to ``out`` with
    the same data, settings (but the seed) and rows as this one, this one last."""
    seed = run["settings"]["seed"]
    write_text_atomic(out.parent / f"{out.name}-seed{seed}.json", json.dumps(run, indent=1))
    runs = [json.loads(p.read_text()) for p in sorted(out.parent.glob(f"{out.name}-seed*.json"))]
    same = [
        r for r in runs
        if r["data"] == run["data"]
        and _without_seed(r["settings"]) == _without_seed(run["settings"])
        and set(r["rows"]) == set(run["rows"])
        and r["settings"]["seed"] != seed
    ]  # fmt: skip
    return [*same, run]


def seeds_of(runs: list[dict[str, Any]]) -> str:
    """``"0, 1, 2"``: the seeds of ``runs``, sorted."""
    return ", ".join(str(s) for s in sorted(r["settings"]["seed"] for r in runs))


def mean_sd_table(
    runs: list[dict[str, Any]], first_column: str, whole_numbers: tuple[str, ...]
) -> list[str]:
    """Markdown lines of a table with one row per row name of ``runs[-1]``: each cell the
    mean ± SD over ``runs`` (the value alone for one run, ``-`` where every value is NaN);
    columns in ``whole_numbers`` without decimals, the others with three."""
    newest = runs[-1]
    columns = list(next(iter(newest["rows"].values())))
    lines = [
        f"| {first_column} | " + " | ".join(columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for name in newest["rows"]:
        cells = []
        for c in columns:
            values = np.array([r["rows"][name][c] for r in runs], dtype=float)
            digits = 0 if c in whole_numbers else 3
            if np.isnan(values).all():
                cells.append("-")
            elif len(values) > 1:
                cells.append(f"{np.nanmean(values):.{digits}f} ± {np.nanstd(values):.{digits}f}")
            else:
                cells.append(f"{values[0]:.{digits}f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines
