"""A notebook sized for a student's hour, measured: ``python -m ecgcourse lint`` prints it.

:func:`measure` counts what a student meets in one notebook (words of prose, lines of code
after the setup cell, closing checks, the lines the student writes, the minutes its
sections say they take); :data:`BUDGETS` are the limits of ``notebooks/CONVENTIONS.md``;
:func:`over_budget` says which a notebook breaks. The main-path notebooks are brought
within them one issue at a time: :data:`NOT_YET_WITHIN` lists, per notebook, the budgets
it still breaks, and may only shrink (a test fails when an entry is no longer needed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ecgcourse.tooling.conventions import CHECK_HEADING, SOLUTION_TAG

HOSTED_SETUP_TAG = "hosted-setup"
GLOSSARY = "GLOSSARY.md"
"""The course glossary, beside the notebooks; every notebook links to it."""
MINUTES = re.compile(r"\((\d+) min\)\s*$")
"""A section's time estimate, at the end of its ``##`` heading: ``## Resampling (10 min)``."""


@dataclass(frozen=True)
class Shape:
    """What a student meets in one notebook."""

    words: int
    """Words of prose (markdown cells)."""
    setup_lines: int
    """Non-blank lines of the first code cell: the install a student reads first."""
    code_lines: int
    """Non-blank lines of code after the setup cell (imports), the check cell included."""
    checks: int
    """``check(...)`` calls and ``assert`` statements in the last cell."""
    student_lines: int
    """Non-blank lines between the solution markers: what the student writes."""
    sections: int
    """``##`` sections."""
    sections_timed: int
    """``##`` sections whose heading ends in a time estimate, ``(N min)``."""
    minutes: int
    """The sum of the sections' time estimates."""
    trains_keras: bool
    """The notebook trains a Keras model (it imports Keras and calls ``.fit(``)."""
    student_fits: bool
    """A solution cell builds, compiles and fits the Keras model."""
    links_glossary: bool
    """The first cell links to the course glossary."""


def _lines(source: str) -> list[str]:
    return [line for line in source.splitlines() if line.strip()]


def _solution_lines(source: str) -> list[str]:
    inside, kept = False, []
    for line in source.splitlines():
        if line.strip() == "### BEGIN SOLUTION":
            inside = True
        elif line.strip() == "### END SOLUTION":
            inside = False
        elif inside and line.strip():
            kept.append(line)
    return kept


def measure(nb: nbformat.NotebookNode) -> Shape:
    """The :class:`Shape` of a notebook."""
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    first_code = next((c.source for c in nb.cells if c.cell_type == "code"), "")
    code = [
        c for c in nb.cells
        if c.cell_type == "code" and HOSTED_SETUP_TAG not in c.metadata.get("tags", [])
    ]  # fmt: skip
    after_setup = code[1:]  # the first code cell is the setup cell: its imports
    last = nb.cells[-1].source if nb.cells and nb.cells[-1].cell_type == "code" else ""
    headings = [h for text in markdown for h in text.splitlines() if h.startswith("## ")]
    solutions = [c.source for c in code if SOLUTION_TAG in c.metadata.get("tags", [])]
    answers = "\n".join("\n".join(_solution_lines(s)) for s in solutions)
    all_code = "\n".join(c.source for c in code)
    return Shape(
        words=sum(len(text.split()) for text in markdown),
        setup_lines=len(_lines(first_code)),
        code_lines=sum(len(_lines(c.source)) for c in after_setup),
        checks=len(re.findall(r"\bcheck\(", last)) + len(re.findall(r"^\s*assert\b", last, re.M)),
        student_lines=sum(len(_solution_lines(s)) for s in solutions),
        sections=len(headings),
        sections_timed=sum(bool(MINUTES.search(h)) for h in headings),
        minutes=sum(int(m.group(1)) for h in headings if (m := MINUTES.search(h))),
        trains_keras=bool(re.search(r"^\s*(import keras|from keras)", all_code, re.M))
        and ".fit(" in all_code,
        student_fits=all(f".{verb}(" in answers for verb in ("compile", "fit")),
        links_glossary=bool(markdown) and GLOSSARY in nb.cells[0].source,
    )


BUDGETS: dict[str, tuple[str, str]] = {
    "setup": ("an install cell of at most 6 lines", "setup_lines <= 6"),
    "words": ("at most 1,500 words of prose", "words <= 1500"),
    "code": ("at most 300 lines of code after the setup cell", "code_lines <= 300"),
    "checks": ("at most 10 closing checks", "checks <= 10"),
    "student": ("at least 15 lines the student writes", "student_lines >= 15"),
    "timed": ("a time estimate on every section", "sections_timed == sections"),
    "hour": ("about an hour: 45 to 75 minutes of sections", "45 <= minutes <= 75"),
    "fits": (
        "the student builds, compiles and fits the Keras model it trains",
        "student_fits or not trains_keras",
    ),
    "glossary": ("the first cell links to the glossary", "links_glossary"),
}
"""Budget name -> (the rule in words, the condition on a :class:`Shape`'s fields)."""


def over_budget(shape: Shape) -> list[str]:
    """The names of the :data:`BUDGETS` that ``shape`` breaks."""
    fields = vars(shape)
    return [name for name, (_, test) in BUDGETS.items() if not eval(test, {}, dict(fields))]


NOT_YET_WITHIN: dict[str, set[str]] = {
    "09_segmentation": {"checks", "code", "fits", "hour", "timed", "words"},
}
"""The budgets each main-path notebook still breaks (issues "Notebooks 1-5 as a course"
and "Notebooks 6-9 as a course" empty it). Only shrinks: lint fails on any other breach."""


def budget_problems(path: Path) -> list[str]:
    """Lint problems: budgets ``path`` breaks that :data:`NOT_YET_WITHIN` does not allow."""
    shape = measure(nbformat.read(path, as_version=4))
    allowed = NOT_YET_WITHIN.get(path.stem, set())
    return [
        f"{path.name}: budget: {BUDGETS[name][0]} ({BUDGETS[name][1].split(' ')[0]} = "
        f"{getattr(shape, BUDGETS[name][1].split(' ')[0], '?')})"
        for name in over_budget(shape)
        if name not in allowed
    ]


def budget_table(paths: list[Path]) -> str:
    """One row per notebook: its shape, and the budgets it breaks (* allowed for now)."""
    head = (
        "| notebook | setup lines | words | code lines | checks | student lines | "
        "sections timed | minutes | over budget |\n|---|---:|---:|---:|---:|---:|---:|---:|---|"
    )
    rows = [head]
    for path in paths:
        s = measure(nbformat.read(path, as_version=4))
        allowed = NOT_YET_WITHIN.get(path.stem, set())
        over = ", ".join(f"{n}{'*' if n in allowed else ''}" for n in over_budget(s)) or "none"
        rows.append(
            f"| {path.stem} | {s.setup_lines} | {s.words} | {s.code_lines} | {s.checks} | "
            f"{s.student_lines} | {s.sections_timed}/{s.sections} | {s.minutes} | {over} |"
        )
    limits = "; ".join(f"{name}: {words}" for name, (words, _) in BUDGETS.items())
    return (
        "\n".join(rows)
        + f"\n\nBudgets ({CHECK_HEADING!r} is the last cell): {limits}. "
        + ("* = not yet within, allowed for now (ecgcourse.tooling.budgets.NOT_YET_WITHIN).")
    )
