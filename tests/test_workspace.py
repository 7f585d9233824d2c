"""``python -m ecgcourse copy``: notebooks, handouts and guide, never over your files."""

import nbformat
import pytest

from ecgcourse.exercises import STUB
from ecgcourse.runner import course_notebooks
from ecgcourse.workspace import copy_course


def test_copy_writes_three_folders_and_refuses_to_overwrite(tmp_path):
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
    with pytest.raises(FileExistsError, match="not overwriting"):
        copy_course(tmp_path / "course")
    assert (notebooks / "mine.txt").read_text() == "my notes"
