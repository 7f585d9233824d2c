import json

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ecgcourse.tooling.exercises import (
    BEGIN,
    END,
    PROBE_TAG,
    PROBES_FILE_ENV,
    STUB,
    ExerciseFormatError,
    probe,
    probed_copy,
    solution_cells,
    split_exercise,
    student_copy,
    write_student_copies,
    wrong_answers,
)
from ecgcourse.tooling.runner import course_notebooks

NOTEBOOKS = course_notebooks()


def _nb(*cells):
    nb = new_notebook()
    nb.cells = list(cells)
    return nb


def _solution(source):
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["solution"]
    return cell


def test_student_copy_replaces_the_answer_and_keeps_the_check():
    cell = _solution(f"x = 1\n{BEGIN}\ny = 41 + x\n{END}\nassert y == 42")
    cell.outputs = [nbformat.v4.new_output("stream", text="42")]
    student = student_copy(_nb(new_markdown_cell("# t"), cell))
    source = student.cells[1].source
    assert "41" not in source and STUB in source
    assert source.startswith("x = 1") and source.endswith("assert y == 42")
    assert student.cells[1].outputs == []


def test_indented_solution_keeps_its_indentation():
    student = student_copy(_nb(_solution(f"def f():\n    {BEGIN}\n    return 1\n    {END}")))
    assert f"    {STUB}" in student.cells[0].source


@pytest.mark.parametrize(
    "cell",
    [
        _solution("y = 1"),
        _solution(f"{BEGIN}\ny = 1"),
        new_code_cell(f"{BEGIN}\ny = 1\n{END}"),
    ],
)
def test_malformed_exercises_are_refused(cell):
    with pytest.raises(ExerciseFormatError):
        student_copy(_nb(cell))


def test_course_notebooks_exist():
    stems = [nb.stem for nb in NOTEBOOKS]
    assert stems[:3] == ["01_loading", "02_normalising", "03_splitting"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_copy_is_valid_and_has_no_solutions(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    assert len(solution_cells(nb)) >= 2, "two or three exercises per notebook"
    (written,) = write_student_copies([path], tmp_path)
    student = nbformat.read(written, as_version=4)
    nbformat.validate(student)
    for i in solution_cells(nb):
        answer = nb.cells[i].source.split(BEGIN)[1].split(END)[0].strip()
        assert answer and answer not in student.cells[i].source
        assert STUB in student.cells[i].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_copy_runs_as_the_solution_up_to_its_first_stub(path):
    # Everything before the first exercise is the solution notebook's own code, which
    # test_runner executes; the first stub then stops the student with NotImplementedError.
    nb = nbformat.read(path, as_version=4)
    student = student_copy(nb, name=path.name)
    first = solution_cells(nb)[0]
    before = [c.source for c in nb.cells[:first]]
    assert [c.source for c in student.cells[:first]] == before
    assert STUB in student.cells[first].source, "the first exercise stops at its stub"


def test_split_exercise_finds_the_answer_names_and_the_check():
    source = f"x = 1\n{BEGIN}\ny = x + 1\nz, w = 2, 3\nv[:x] = 0\nfor i in range(2):\n    pass\n"
    source += f"{END}\nprint(y)\nassert y == 2"
    names, check = split_exercise(source)
    assert names == ["y", "z", "w", "v"]
    assert check == "print(y)\nassert y == 2"


def test_an_answer_inside_a_function_is_the_function():
    names, check = split_exercise(
        f"def f():\n    {BEGIN}\n    return 1\n    {END}\n\nassert f() == 1"
    )
    assert (names, check) == (["f"], "assert f() == 1")


@pytest.mark.parametrize(
    "value, kinds",
    [
        (3, [type(None), float, float]),
        (np.array([1, 2]), [type(None), np.ndarray, np.ndarray]),
        ({"a": 1}, [type(None), dict]),
        (len, [type(None), type(lambda: 0)]),
    ],
)
def test_wrong_answers_are_of_the_same_kind_and_wrong(value, kinds):
    wrong = wrong_answers(value)
    assert [type(w) for w in wrong] == kinds
    assert all(not (isinstance(w, type(value)) and np.array_equal(w, value)) for w in wrong[1:])


def test_a_check_that_rejects_wrong_answers_passes_the_probe():
    namespace = {"n": 3, "other": "kept"}
    entry = probe(namespace, ["n"], "assert n == 3\nleft = 1", "exercise 1")
    assert [p["rejected"] for p in entry["probes"]] == [True, True, True]
    assert namespace == {"n": 3, "other": "kept"}, "the notebook's state is restored"


def test_a_check_that_cannot_fail_is_caught(tmp_path, monkeypatch):
    monkeypatch.setenv(PROBES_FILE_ENV, str(tmp_path / "probes.json"))
    entry = probe({"n": 3}, ["n"], "assert n == 3 or True", "exercise 2")
    assert not any(p["rejected"] for p in entry["probes"])
    saved = json.loads((tmp_path / "probes.json").read_text())
    assert saved["exercise 2"]["probes"][0] == {
        "answers": {"n": "None"},
        "rejected": False,
        "error": "",
    }


def test_probed_copy_adds_one_probe_after_each_exercise():
    nb = _nb(new_markdown_cell("# t"), _solution(f"{BEGIN}\ny = 42\n{END}\nassert y == 42"))
    probed = probed_copy(nb)
    assert len(probed.cells) == 3 and probed.cells[2].metadata["tags"] == [PROBE_TAG]
    namespace = {}
    exec("y = 42", namespace)
    exec(probed.cells[2].source, namespace)  # runs the probe in this namespace
