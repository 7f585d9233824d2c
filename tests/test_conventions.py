"""notebooks/CONVENTIONS.md as lint rules: every course notebook passes each rule, and
each rule catches a notebook broken in the one way it is about."""

import copy
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ecgcourse.tooling.conventions import (
    RULES,
    canonical_text,
    lint_file,
    lint_notebook,
)
from ecgcourse.tooling.runner import course_notebooks

NOTEBOOKS = course_notebooks()
NAME = "04_example.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_course_notebook_follows_the_conventions(path):
    assert lint_notebook(path) == []


def _tagged(cell, *tags):
    cell.metadata["tags"] = list(tags)
    return cell


def good_notebook():
    """The smallest notebook that follows every rule."""
    nb = new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    nb.cells = [
        new_markdown_cell(
            "# 4. Example\n\nYou will fit a model.\n\n**What you will learn**\n- one thing"
        ),
        new_code_cell("import numpy as np\nfrom ecgcourse.seeding import seed_everything"),
        _tagged(new_code_cell('data_dir = ""\nseed = 0'), "parameters"),
        new_code_cell("seed_everything(seed)\nrng = np.random.default_rng(seed)"),
        new_markdown_cell("## Load\n\nText."),
        new_code_cell('ax.set_xlabel("time (s)")\nax.set_ylabel("AAMI class")'),
        new_markdown_cell("### Exercise 1: count\n\nCount."),
        _tagged(
            new_code_cell("### BEGIN SOLUTION\nn = 3\n### END SOLUTION\nassert n == 3"),
            "solution",
        ),
        new_markdown_cell("## Check the lesson\n\nThe claim."),
        new_code_cell('record_metric("n", n)\ncheck("n", n, ">=", 1, "one")'),
    ]
    return nb


def broken(change):
    nb = copy.deepcopy(good_notebook())
    change(nb)
    return nb


def _set(index, source):
    def change(nb):
        nb.cells[index].source = source

    return change


def _untag(index):
    def change(nb):
        nb.cells[index].metadata["tags"] = []

    return change


BROKEN = {
    "title": _set(0, "# Example\n\nYou will.\n\n**What you will learn**\n- one"),
    "objectives": _set(0, "# 4. Example\n\nThis notebook fits a model."),
    "parameters_cell": _untag(2),
    "data_dir_passed_as_is": _set(5, 'load_record("mitdb", "100", data_dir=data_dir or None)'),
    "seeded_from_parameter": _set(3, "keras.utils.set_random_seed(42)"),
    "sections": _set(4, "Text without a heading."),
    "axis_units": _set(5, 'ax.set_xlabel("time")'),
    "exercises": _set(7, "### BEGIN SOLUTION\nn = 3\n### END SOLUTION\nprint(n)"),
    "headline_metrics": _set(9, 'check("n", n, ">=", 1, "one")'),
    "check_the_lesson_last": _set(8, "## Summary"),
    "without_outputs": lambda nb: nb.cells[9].outputs.append(
        nbformat.v4.new_output("stream", text="1")
    ),
    "canonical_metadata": lambda nb: nb.cells[4].metadata.update(collapsed=True),
    "ds2_read_once": lambda nb: (
        _set(5, 'test = load_beats(test_records, data_dir=data_dir)\nax.set_xlabel("time (s)")')(
            nb
        ),
        _set(7, "### BEGIN SOLUTION\nn = 3\nmodel.fit(x)\n### END SOLUTION\nassert n == 3")(nb),
    ),
}


def test_the_example_follows_every_rule():
    nb = good_notebook()
    assert {rule.__name__: rule(nb, NAME) for rule in RULES} == {r.__name__: [] for r in RULES}


def test_every_rule_has_a_broken_example():
    assert sorted(BROKEN) == sorted(rule.__name__ for rule in RULES)


def _normalised(text):
    return " ".join(text.replace("**", "").split())


CONVENTIONS_MD = _normalised(
    (Path(__file__).parent.parent / "notebooks" / "CONVENTIONS.md").read_text()
)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_each_rule_catches_its_broken_example_in_the_rule_s_words(rule):
    problems = rule(broken(BROKEN[rule.__name__]), NAME)
    assert problems, f"{rule.__name__} missed its broken example"
    for problem in problems:
        number, words = problem.split(": ")[0].split(". ", 1)
        assert f"{number}. " in CONVENTIONS_MD and _normalised(words) in CONVENTIONS_MD, problem


def test_a_notebook_not_in_canonical_form_is_refused(tmp_path):
    path = tmp_path / NAME
    path.write_text(canonical_text(good_notebook()))
    assert lint_file(path) == []
    path.write_text(canonical_text(good_notebook()).replace('\n "cells"', '\n  "cells"', 1))
    assert "canonical form" in lint_file(path)[0]
    path.write_text('{"cells": [}')
    assert "does not validate" in lint_file(path)[0]
