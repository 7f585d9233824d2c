"""A notebook sized for a student's hour: the budgets of notebooks/CONVENTIONS.md, measured."""

import nbformat
import pytest

from ecgcourse.paths import NOTEBOOK_DIR
from ecgcourse.tooling.budgets import (
    BUDGETS,
    GLOSSARY,
    NOT_YET_WITHIN,
    budget_problems,
    measure,
    over_budget,
)
from ecgcourse.tooling.runner import course_notebooks


def _notebook(cells):
    nb = nbformat.v4.new_notebook()
    for kind, source, tags in cells:
        new = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        nb.cells.append(new(source, metadata={"tags": tags} if tags else {}))
    return nb


SOLVED = """model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
### BEGIN SOLUTION
model.compile("adam", "mse")
model.fit(X, y)
### END SOLUTION
assert model.built"""


def test_measure_counts_what_a_student_meets():
    nb = _notebook(
        [
            ("md", f"# 1. T\n\nYou will. [glossary]({GLOSSARY})", []),
            ("code", "pip stuff", ["hosted-setup"]),
            ("code", "import keras\nimport numpy as np", []),
            ("md", "## Load (10 min)\n\nthree more words", []),
            ("code", "x = 1\n\ny = 2", []),
            ("md", "## Train", []),
            ("code", SOLVED, ["solution"]),
            ("md", "## Check the lesson (5 min)", []),
            ("code", "check('a', 1, '>', 0, 'm')\nassert x == 1", []),
        ]
    )
    shape = measure(nb)
    assert shape.code_lines == 2 + 6 + 2, "after the setup cell; blank lines not counted"
    assert (shape.checks, shape.student_lines, shape.sections, shape.sections_timed) == (2, 2, 3, 2)
    assert shape.minutes == 15 and shape.trains_keras and shape.student_fits
    assert shape.links_glossary
    assert set(over_budget(shape)) == {"student", "timed", "hour"}


def test_a_notebook_that_trains_keras_must_let_the_student_fit_it():
    nb = _notebook(
        [("md", "# 1. T", []), ("code", "import keras", []), ("code", "m.compile()\nm.fit(X)", [])]
    )
    assert "fits" in over_budget(measure(nb))


@pytest.mark.parametrize("notebook", course_notebooks(), ids=lambda p: p.stem)
def test_every_notebook_is_within_its_budgets_or_listed_as_not_yet(notebook):
    assert budget_problems(notebook) == []


@pytest.mark.parametrize("notebook", course_notebooks(), ids=lambda p: p.stem)
def test_the_not_yet_list_only_shrinks(notebook):
    broken = set(over_budget(measure(nbformat.read(notebook, as_version=4))))
    stale = NOT_YET_WITHIN.get(notebook.stem, set()) - broken
    assert not stale, (
        f"{notebook.stem} is now within {sorted(stale)}: remove it from NOT_YET_WITHIN"
    )
    assert set(NOT_YET_WITHIN) <= {p.stem for p in course_notebooks()}
    assert all(name in BUDGETS for names in NOT_YET_WITHIN.values() for name in names)


def test_the_glossary_explains_the_terms_the_issue_names():
    text = (NOTEBOOK_DIR / GLOSSARY).read_text()
    for term in ("QRS", "RR interval", "AAMI", "Sensitivity (Se)", "DS1 / DS2", "ADC", "Logit"):
        assert term in text, term
    for term in ("ECE", "PCA", "AUC", "Bootstrap"):
        assert term in text, term
