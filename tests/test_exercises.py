import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ecgcourse.exercises import (
    BEGIN,
    END,
    STUB,
    ExerciseFormatError,
    solution_cells,
    student_copy,
    write_student_copies,
)
from ecgcourse.runner import course_notebooks

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
def test_notebook_is_committed_clean_with_one_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "strip outputs"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    assert 'data_dir = ""' in tagged[0].source
    last = nb.cells[-1]
    assert last.cell_type == "code" and "check(" in last.source, (
        "the last cell checks the lesson with ecgcourse.checks.check"
    )


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
