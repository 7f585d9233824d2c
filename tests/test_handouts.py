"""Handouts (the notebooks with every exercise answer stubbed) are named apart from the
``student`` profile, whose build folder holds the executed notebooks with their solutions."""

import nbformat
import pytest

from ecgcourse.__main__ import main
from ecgcourse.tooling import runner
from ecgcourse.tooling.exercises import STUB
from ecgcourse.tooling.runner import output_dir


def test_handout_runs_go_to_their_own_folder(tmp_path):
    assert output_dir("student", 0, tmp_path) == tmp_path / "student"
    assert output_dir("ci", 0, tmp_path, handouts=True) == tmp_path / "ci-handouts"
    assert output_dir("ci", 3, tmp_path, handouts=True) == tmp_path / "ci-seed3-handouts"


def test_handouts_command_writes_stubbed_notebooks(tmp_path, capsys):
    assert main(["handouts", "01", "--out", str(tmp_path / "handouts")]) == 0
    (written,) = (tmp_path / "handouts").glob("*.ipynb")
    assert written.name == "01_loading.ipynb" and str(written) in capsys.readouterr().out
    assert any(STUB in cell.source for cell in nbformat.read(written, as_version=4).cells)


def test_run_handouts_runs_them_into_profile_handouts(tmp_path, monkeypatch, capsys):
    calls = []

    def run_course(*args, **kwargs):
        calls.append(kwargs)
        return {}

    monkeypatch.setattr(runner, "run_course", run_course)
    assert main(["run", "01", "--profile", "ci", "--handouts"]) == 0
    assert calls and calls[0]["handouts"] is True
    assert f"{output_dir('ci', handouts=True)}" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["student"], ["run", "--student-copies"]])
def test_the_old_student_copy_names_are_gone(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
