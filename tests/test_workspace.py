"""``python -m ecgcourse copy``: notebooks, handouts and guide, never over your files."""

import nbformat
import pytest

from ecgcourse.atomic import NotOursError
from ecgcourse.tooling.exercises import STUB
from ecgcourse.tooling.runner import course_notebooks
from ecgcourse.tooling.workspace import copy_course


def test_copy_writes_three_folders_and_never_overwrites_your_work(tmp_path):
    notebooks, handouts, workshop = copy_course(tmp_path / "course")
    assert handouts == tmp_path / "course" / "handouts"
    names = sorted(p.name for p in course_notebooks())
    assert sorted(p.name for p in notebooks.glob("*.ipynb")) == names
    assert sorted(p.name for p in handouts.glob("*.ipynb")) == names
    handout, solved = (nbformat.read(d / names[0], as_version=4) for d in (handouts, notebooks))
    assert any(STUB in c.source for c in handout.cells)
    assert not any(STUB in c.source for c in solved.cells)
    assert (workshop / "GUIDE.md").is_file()
    (notebooks / "mine.txt").write_text("my notes")
    copy_course(tmp_path / "course")  # nothing changed: running it again is harmless
    worked = handouts / names[1]
    nb = nbformat.read(worked, as_version=4)
    nb.cells[-1].source += "\n# my answer"
    nbformat.write(nb, worked)
    mine = worked.read_text()
    with pytest.raises(NotOursError, match=names[1]):
        copy_course(tmp_path / "course")
    assert worked.read_text() == mine and (notebooks / "mine.txt").read_text() == "my notes"


def test_an_interrupted_copy_can_be_run_again(tmp_path):
    notebooks, handouts, _ = copy_course(tmp_path / "course")
    for path in list(handouts.glob("0[5-9]*.ipynb")) + [notebooks / "10_capstone.ipynb"]:
        path.unlink()  # as if killed half-way
    copy_course(tmp_path / "course")
    assert len(list(handouts.glob("*.ipynb"))) == len(course_notebooks())
