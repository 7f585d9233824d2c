"""Every closing check can fail: the lesson mutants (``python -m ecgcourse mutants``) and the
committed report they write, keyed by each notebook's sha256."""

import nbformat
import pytest

from ecgcourse.tooling.lesson_mutants import MUTANTS, NOT_YET_FAILED
from ecgcourse.tooling.mutants import (
    ASSERT_HOOK,
    Mutant,
    MutantError,
    keep_going,
    mutate,
    read_report,
    stale,
)
from ecgcourse.tooling.runner import course_notebooks

REPORT = read_report()


@pytest.mark.parametrize("notebook", course_notebooks(), ids=lambda p: p.stem)
def test_the_mutants_report_is_current(notebook):
    why = stale(notebook.stem, notebook, REPORT)
    assert not why, f"{why}: run `python -m ecgcourse mutants {notebook.stem[:2]}` and commit"
    assert REPORT[notebook.stem]["clean_run"] == {"status": "ok", "failed": []}


@pytest.mark.parametrize("notebook", course_notebooks(), ids=lambda p: p.stem)
def test_every_check_is_failed_by_a_mutant_or_listed_as_not_yet(notebook):
    never = set(REPORT[notebook.stem]["never_failed"])
    allowed = NOT_YET_FAILED.get(notebook.stem, set())
    assert never <= allowed, f"no mutant fails {sorted(never - allowed)}: rewrite or remove them"
    assert allowed <= never, f"{sorted(allowed - never)} can fail now: drop from NOT_YET_FAILED"


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: f"{m.notebook}/{m.name}")
def test_every_mutant_still_applies_to_its_notebook(mutant):
    (path,) = [p for p in course_notebooks() if p.stem == mutant.notebook]
    nb = nbformat.read(path, as_version=4)
    assert mutate(nb, mutant).cells != nb.cells


def test_a_mutant_that_no_longer_applies_is_named():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1\nx = 1")])
    for old in ("x = 2", "x = 1"):  # found 0 times, then twice
        with pytest.raises(MutantError, match="01_loading/m"):
            mutate(nb, Mutant("01_loading", "m", "", ((old, "x = 3"),)))


def test_keep_going_turns_asserts_into_recorded_calls_in_the_last_cell_only():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("assert x == 1, 'early'"),
            nbformat.v4.new_code_cell("%matplotlib inline"),
            nbformat.v4.new_code_cell("check('a', 1, '>', 0, 'm')\nassert y, 'late'"),
        ]
    )
    soft = keep_going(nb)
    assert soft.cells[0].source.startswith(f"def {ASSERT_HOOK}(")
    assert soft.cells[1].source == f"{ASSERT_HOOK}(x == 1, 'assert_line_1', False)"
    assert soft.cells[2].source == "%matplotlib inline", "a magic is left as it is"
    assert soft.cells[3].source.endswith(f"{ASSERT_HOOK}(y, 'assert_line_2', True)")
