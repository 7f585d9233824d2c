"""``notebooks/CONVENTIONS.md`` as lint rules: one function per rule, the rule's words as
its message.

Each rule takes a notebook (``nbformat`` node) and its file name (``NN_name.ipynb``) and
returns a list of problems, empty when the notebook follows the rule::

    problems = lint_notebook(Path("notebooks/02_normalising.ipynb"))   # [] when clean

``python -m ecgcourse lint`` runs every rule on every course notebook; the tests do too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import nbformat

Rule = Callable[[nbformat.NotebookNode, str], list[str]]

PARAMETERS_TAG = "parameters"
SOLUTION_TAG = "solution"
CHECK_HEADING = "## Check the lesson"
NOTEBOOK_METADATA = {"kernelspec", "language_info"}
CELL_METADATA = {"tags"}
RANDOM = re.compile(r"\bkeras\.|\brng\b|random_state|split_by_patient|np\.random")
LABEL = re.compile(r"""(?:set_[xy]label\(|\b[xy]label=)\s*(f?)(["'])(.*?)\2""")
CATEGORY_WORDS = ("class", "record", "epoch", "version", "lead", "model", "feature", "patient")
"""A categorical axis has no unit: its label names what it lists (``AAMI class``)."""


def _code(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    return [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def _tagged(nb: nbformat.NotebookNode, tag: str) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if tag in c.get("metadata", {}).get("tags", [])]


def _headings(source: str, level: int) -> list[str]:
    """The headings of one level, without a section's time estimate (``(10 min)``)."""
    prefix = "#" * level + " "
    return [
        re.sub(r"\s*\(\d+ min\)\s*$", "", line)
        for line in source.splitlines()
        if line.startswith(prefix)
    ]


def title(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """1. One H1 (`# N. Title`), in the first cell, numbered like the file."""
    rule = "1. One H1 (`# N. Title`)"
    h1 = [(i, h) for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
          for h in _headings(c.source, 1)]  # fmt: skip
    number = int(name[:2]) if name[:2].isdigit() else None
    if len(h1) != 1 or h1[0][0] != 0:
        return [f"{rule}: found {len(h1)} H1 headings, at cells {[i for i, _ in h1]}"]
    if not re.match(rf"# {number}\. \S", h1[0][1]):
        return [f"{rule}: {h1[0][1]!r} does not start with '# {number}. '"]
    return []


def objectives(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """1. A two-line overview in the second person, then *What you will learn* bullets."""
    rule = (
        '1. a two-line overview in the second person ("You will ..."), '
        "a bullet list *What you will learn*"
    )
    first = nb.cells[0].source if nb.cells else ""
    problems = []
    if not re.search(r"\bYou\b", first):
        problems.append(f"{rule}: the first cell never speaks to 'you'")
    learn = first.split("What you will learn", 1)
    if len(learn) < 2 or not re.search(r"^- ", learn[1], re.M):
        problems.append(f"{rule}: no bullet list after 'What you will learn'")
    return problems


def parameters_cell(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """3. One cell tagged ``parameters``, with ``data_dir = ""``."""
    rule = "3. One `parameters` cell (cell tag `parameters`)"
    tagged = _tagged(nb, PARAMETERS_TAG)
    if len(tagged) != 1:
        return [f"{rule}: {len(tagged)} cells are tagged parameters"]
    if not re.search(r'^data_dir = ""', nb.cells[tagged[0]].source, re.M):
        return [f'{rule}: the parameters cell lacks `data_dir = ""`']
    return []


def data_dir_passed_as_is(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """3. Loaders get ``data_dir=data_dir``: they read ``""`` as the course pack."""
    rule = "3. Pass `data_dir=data_dir` to every `ecgcourse` loader"
    return [f"{rule}: cell {i} writes `data_dir or None`" for i, src in _code(nb)
            if re.search(r"data_dir\s+or\s+None", src)]  # fmt: skip


def seeded_from_parameter(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """3. A notebook that draws random numbers declares ``seed = 0`` and seeds from it."""
    rule = (
        "3. A notebook that draws random numbers declares `seed = 0` there, "
        "and the next cell is `seed_everything(seed)`"
    )
    code = "\n".join(src for _, src in _code(nb))
    problems = []
    if re.search(r"\bSEED\b|np\.random\.seed\(", code):
        problems.append(f"{rule}: found a SEED constant or np.random.seed(")
    for i, src in _code(nb):
        for arg in re.findall(r"set_random_seed\(([^)]*)\)", src):
            if "seed" not in arg:
                problems.append(f"{rule}: cell {i} seeds Keras with {arg!r}, not from `seed`")
    tagged = _tagged(nb, PARAMETERS_TAG)
    if RANDOM.search(code) and len(tagged) == 1:
        at = tagged[0]
        if not re.search(r"^seed = 0\b", nb.cells[at].source, re.M):
            problems.append(f"{rule}: no `seed = 0` in the parameters cell")
        after = nb.cells[at + 1].source if at + 1 < len(nb.cells) else ""
        if not after.startswith("seed_everything(seed)"):
            problems.append(f"{rule}: the cell after the parameters is not seed_everything(seed)")
    return problems


def sections(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """4. Sections are ``##`` headings."""
    rule = "4. Sections (`##`)"
    found = [h for c in nb.cells if c.cell_type == "markdown" for h in _headings(c.source, 2)]
    return [] if len(found) >= 2 else [f"{rule}: {len(found)} `##` headings"]


def axis_units(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """4. Every axis has a label with its unit: ``time (s)``, ``count (beats)``."""
    rule = "4. Every axis has a label with its unit (`time (s)`, `voltage (mV)`, `count (beats)`)"
    problems = []
    for i, src in _code(nb):
        for match in LABEL.finditer(src):
            text = match.group(3)
            if re.search(r"\(.+\)", text) or (match.group(1) and "{" in text):
                continue
            if any(word in text.lower() for word in CATEGORY_WORDS):
                continue  # a categorical axis names what it lists
            problems.append(f"{rule}: cell {i} labels an axis {text!r}")
    return problems


def exercises(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """6. ``### Exercise N: ...``, then one code cell tagged ``solution`` with its check."""
    rule = (
        "6. `### Exercise N: ...` markdown cell, then one code cell tagged `solution` whose "
        "answer sits between `### BEGIN SOLUTION` and `### END SOLUTION`, followed (in the "
        "same cell) by an `assert` the student's answer must pass"
    )
    problems = []
    numbers = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for heading in _headings(cell.source, 3):
            found = re.match(r"### Exercise (\d+): \S", heading)
            if not heading.startswith("### Exercise"):
                continue
            if not found:
                problems.append(f"{rule}: cell {i} heading {heading!r}")
                continue
            numbers.append(int(found.group(1)))
            after = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
            if after is None or SOLUTION_TAG not in after.get("metadata", {}).get("tags", []):
                problems.append(
                    f"{rule}: exercise {found.group(1)} (cell {i}) has no solution cell"
                )
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"{rule}: exercises numbered {numbers}")
    solutions = _tagged(nb, SOLUTION_TAG)
    if len(solutions) != len(numbers):
        problems.append(f"{rule}: {len(solutions)} solution cells for {len(numbers)} exercises")
    for i in solutions:
        src = nb.cells[i].source
        if "### BEGIN SOLUTION" not in src or "### END SOLUTION" not in src:
            problems.append(f"{rule}: solution cell {i} lacks its markers")
        elif not re.search(r"^\s*(assert|check\()", src.split("### END SOLUTION")[-1], re.M):
            problems.append(f"{rule}: solution cell {i} has no assert after its answer")
    return problems


def headline_metrics(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """7. Headline numbers go through ``record_metric``."""
    rule = "7. Headline numbers go through `ecgcourse.results.record_metric(name, value)`"
    code = "\n".join(src for _, src in _code(nb))
    return [] if "record_metric(" in code else [f"{rule}: no record_metric call"]


def check_the_lesson_last(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """8. The last cell checks the lesson, under a ``## Check the lesson`` heading."""
    rule = "8. Last cell: `## Check the lesson` with assertions of the claim the notebook teaches"
    problems = []
    last = nb.cells[-1] if nb.cells else None
    if last is None or last.cell_type != "code" or "check(" not in last.source:
        problems.append(f"{rule}: the last cell is not code calling check(")
    before = nb.cells[-2] if len(nb.cells) >= 2 else None
    headings = _headings(before.source, 2) if before and before.cell_type == "markdown" else []
    if not headings or headings[-1].strip() != CHECK_HEADING:
        problems.append(f"{rule}: the cell before the last does not end in {CHECK_HEADING!r}")
    checks = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
              and CHECK_HEADING in _headings(c.source, 2)]  # fmt: skip
    if len(checks) > 1:
        problems.append(f"{rule}: {len(checks)} cells hold {CHECK_HEADING!r}")
    return problems


TEST_SET_READ = re.compile(
    r"\b(?:load_\w+|beats_from_\w+)\((?:[^()]|\([^()]*\))*?\b(?:ds2\w*|test_records|new_record)\b"
)
"""A loader called on the test patients: DS2's record list (or a single DS2 `new_record`)."""
FITS_OR_CHOOSES = re.compile(r"\.fit\(|\bfit_\w*\(|\bcross_val\w*\(|\bchoose_\w*\(|\.compile\(")


def ds2_read_once(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """8. The test patients (DS2) are read in one final scoring cell: nothing after it fits a
    model or makes a choice."""
    rule = "8. DS2 is read in one final scoring cell, and no cell after it fits or chooses"
    reads = [i for i, src in _code(nb) if TEST_SET_READ.search(src)]
    if not reads:
        return []
    problems = []
    if len(reads) > 1:
        problems.append(f"{rule}: cells {reads} read DS2")
    later = [i for i, src in _code(nb) if i > reads[0] and FITS_OR_CHOOSES.search(src)]
    if later:
        problems.append(f"{rule}: cells {later} fit or choose after cell {reads[0]} read DS2")
    return problems


def without_outputs(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """9. Committed without outputs."""
    rule = "9. Committed without outputs"
    return [
        f"{rule}: cell {i} has outputs or an execution count"
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count"))
    ]


def canonical_metadata(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """9. Only the metadata the course uses: kernelspec and language; cell tags."""
    rule = (
        "9. notebook metadata holds only `kernelspec` and `language_info`, "
        "cell metadata only `tags`"
    )
    problems = []
    extra = set(nb.metadata) - NOTEBOOK_METADATA
    if extra:
        problems.append(f"{rule}: notebook metadata {sorted(extra)}")
    for i, cell in enumerate(nb.cells):
        extra = set(cell.get("metadata", {})) - CELL_METADATA
        if extra:
            problems.append(f"{rule}: cell {i} metadata {sorted(extra)}")
    return problems


RULES: tuple[Rule, ...] = (
    title,
    objectives,
    parameters_cell,
    data_dir_passed_as_is,
    seeded_from_parameter,
    sections,
    axis_units,
    exercises,
    headline_metrics,
    check_the_lesson_last,
    ds2_read_once,
    without_outputs,
    canonical_metadata,
)


def canonical_text(nb: nbformat.NotebookNode) -> str:
    """How ``nbformat`` writes ``nb`` (version 4, one-space indent, newline at the end)."""
    return nbformat.writes(nb, version=4) + "\n"


def lint_file(path: Path) -> list[str]:
    """Problems of the file itself: valid nbformat 4, written in canonical form."""
    rule = "9. Notebooks are in nbformat's canonical form (as `nbformat.write` writes them)"
    text = path.read_text(encoding="utf-8")
    try:
        nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
        nbformat.validate(nb)
    except (ValueError, nbformat.ValidationError) as error:  # NotJSONError is a ValueError
        return [f"{rule}: {path.name} does not validate: {str(error).splitlines()[0]}"]
    if nb.get("nbformat") != 4 or text != canonical_text(nb):
        return [f"{rule}: {path.name} is not; rewrite it with nbformat.write"]
    return []


def lint_notebook(path: Path) -> list[str]:
    """Every rule's problems for one notebook file, each prefixed with the file name."""
    problems = lint_file(path)
    if problems:
        return problems
    nb = nbformat.read(path, as_version=4)
    return [f"{path.name}: {p}" for rule in RULES for p in rule(nb, path.name)]
