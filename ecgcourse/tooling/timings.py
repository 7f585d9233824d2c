"""Per-notebook run times, as measured by the runner, for the instructor guide's schedule.

The runner writes ``build/<profile>/metrics.json`` with each notebook's ``seconds``. This
module turns those files into one markdown table (a row per notebook, a column per
profile) and puts it into the guide between two marker lines, so the guide's timings are
always those of a real run: ``python -m ecgcourse timings [--update-guide]``.
"""

from __future__ import annotations

import json
from pathlib import Path

from ecgcourse.atomic import write_between_markers
from ecgcourse.paths import BUILD_DIR, WORKSHOP_DIR

GUIDE = WORKSHOP_DIR / "GUIDE.md"
START, END = "<!-- timings:start -->", "<!-- timings:end -->"
PROFILE_ORDER = ("ci", "student", "full")


def measured_seconds(build_dir: Path = BUILD_DIR) -> dict[str, dict[str, float]]:
    """``{profile: {stem: seconds}}`` of every notebook that ran ``ok`` in ``build_dir``."""
    found = {}
    for profile in PROFILE_ORDER:
        path = build_dir / profile / "metrics.json"
        if path.is_file():
            runs = json.loads(path.read_text())
            found[profile] = {s: r["seconds"] for s, r in runs.items() if r["status"] == "ok"}
    if not found:
        raise FileNotFoundError(
            f"no metrics.json under {build_dir}: run the course first, e.g. "
            "`python -m ecgcourse run --profile ci` and `--profile student`"
        )
    return found


def timing_table(seconds: dict[str, dict[str, float]]) -> str:
    """A markdown table: notebook, then minutes:seconds per profile, then a total row."""
    profiles = [p for p in PROFILE_ORDER if p in seconds]
    stems = sorted({stem for runs in seconds.values() for stem in runs})

    def mmss(value: float | None) -> str:
        if value is None:
            return "-"
        minutes, seconds = divmod(round(value), 60)  # whole seconds first: 59.6 s is 1:00
        return f"{minutes}:{seconds:02d}"

    lines = [
        "| notebook | " + " | ".join(f"{p} (min:s)" for p in profiles) + " |",
        "|---|" + "---|" * len(profiles),
    ]
    for stem in stems:
        cells = [mmss(seconds[p].get(stem)) for p in profiles]
        lines.append(f"| `{stem}` | " + " | ".join(cells) + " |")
    totals = [mmss(sum(seconds[p].values())) for p in profiles]
    lines.append("| **all** | " + " | ".join(totals) + " |")
    return "\n".join(lines)


def guide_seconds(guide: Path = GUIDE) -> dict[str, dict[str, float]]:
    """``{profile: {stem: seconds}}`` read back from the table between the guide's markers
    (whole seconds, as the table shows them); ``{}`` where the guide has none."""
    text = guide.read_text(encoding="utf-8") if guide.is_file() else ""
    if START not in text or END not in text:
        return {}
    rows = [line for line in text.split(START, 1)[1].split(END, 1)[0].splitlines() if line]
    if len(rows) < 2:
        return {}
    profiles = [cell.strip().split(" ")[0] for cell in rows[0].strip("|").split("|")[1:]]
    found: dict[str, dict[str, float]] = {p: {} for p in profiles}
    for line in rows[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if not cells[0].startswith("`"):
            continue  # the total row
        for profile, cell in zip(profiles, cells[1:]):
            if ":" in cell:
                minutes, seconds = cell.split(":")
                found[profile][cells[0].strip("`")] = 60 * int(minutes) + int(seconds)
    return found


def merged_seconds(build_dir: Path = BUILD_DIR, guide: Path = GUIDE) -> dict[str, dict[str, float]]:
    """The guide's times, each replaced where ``build_dir`` has a measurement: the runs in
    ``build/<profile>`` and the seed-0 sweeps (``build/sweep/<profile>/seed0``), the newer
    file last."""
    merged = guide_seconds(guide)
    sources = [
        (path.stat().st_mtime, profile, path)
        for profile in PROFILE_ORDER
        for path in (
            build_dir / profile / "metrics.json",
            build_dir / "sweep" / profile / "seed0" / "metrics.json",
        )  # fmt: skip
        if path.is_file()
    ]
    if not sources and not merged:
        measured_seconds(build_dir)  # raises, saying which command to run
    for _, profile, path in sorted(sources):
        runs = json.loads(path.read_text())
        ok = {s: r["seconds"] for s, r in runs.items() if r["status"] == "ok"}
        merged.setdefault(profile, {}).update(ok)
    return merged


def update_guide(table: str, guide: Path = GUIDE) -> Path:
    """Replace the text between the guide's timing markers with ``table``."""
    return write_between_markers(guide, START, END, table)
