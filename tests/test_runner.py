"""Every notebook executes through papermill in the ``ci`` profile and proves its lesson."""

import json

import nbformat
import pytest

from ecgcourse.tooling.exercises import solution_cells
from ecgcourse.tooling.report import HEADLINE_METRICS
from ecgcourse.tooling.runner import (
    KERNEL_LOG,
    course_notebooks,
    parameters_for,
    resolve_notebooks,
    run_course,
    stub_errors_only,
)


@pytest.fixture(scope="module")
def ci_build(tmp_path_factory):
    build = tmp_path_factory.mktemp("build")
    runs = run_course(None, profile="ci", build_dir=build, probe_exercises=True)
    return build / "ci", runs


@pytest.mark.parametrize("notebook", course_notebooks(), ids=lambda p: p.stem)
def test_notebook_runs_in_ci_profile_and_records_its_metrics(ci_build, notebook):
    out, runs = ci_build
    run = runs[notebook.stem]
    assert run["status"] == "ok", run.get("error")
    assert set(HEADLINE_METRICS[notebook.stem]) <= set(run["metrics"])
    assert (out / notebook.name).is_file() and (out / f"{notebook.stem}.html").is_file()


@pytest.mark.parametrize("notebook", course_notebooks(), ids=lambda p: p.stem)
def test_every_exercise_check_rejects_wrong_answers(ci_build, notebook):
    # The solution passed its check (the notebook ran); None and wrong values of the
    # answer's kind must each fail it.
    probes = ci_build[1][notebook.stem]["probes"]
    assert len(probes) == len(solution_cells(nbformat.read(notebook, as_version=4)))
    accepted = {
        exercise: [p["answers"] for p in entry["probes"] if not p["rejected"]]
        for exercise, entry in probes.items()
    }
    assert not any(accepted.values()), f"checks that accept wrong answers: {accepted}"


def _executed(cells):
    nb = nbformat.v4.new_notebook()
    for source, tags, error in cells:
        cell = nbformat.v4.new_code_cell(source, metadata={"tags": tags}, execution_count=1)
        if error:
            cell.outputs = [nbformat.v4.new_output("error", ename=error, evalue="", traceback=[])]
        nb.cells.append(cell)
    return nb


@pytest.mark.parametrize(
    "cells, why",
    [
        ([("x = 1", [], None), ("stub", ["solution"], "NotImplementedError")], ""),
        ([("y = chance", [], "NameError")], "cell 0 (lesson): NameError"),
        ([("stub", ["solution"], "AssertionError")], "cell 0 (exercise): AssertionError"),
    ],
)
def test_only_unanswered_exercises_may_fail_in_a_student_copy(tmp_path, cells, why):
    path = tmp_path / "nb.ipynb"
    nbformat.write(_executed(cells), path)
    assert stub_errors_only(path) == why


def test_a_lesson_cell_that_never_ran_fails_the_student_copy(tmp_path):
    nb = _executed([("x = 1", [], None)])
    nb.cells[0].execution_count = None
    nbformat.write(nb, tmp_path / "nb.ipynb")
    assert stub_errors_only(tmp_path / "nb.ipynb") == "cell 0 never ran"


def test_report_lists_every_notebook(ci_build):
    out, runs = ci_build
    saved = json.loads((out / "metrics.json").read_text())
    assert set(saved) == {nb.stem for nb in course_notebooks()} == set(runs)
    page = (out / "index.html").read_text()
    assert all(f"{stem}.html" in page for stem in saved)


START_UP_NOISE = ("oneDNN", "absl::InitializeLog", "E0000", "I0000", "cpu_feature_guard")


def test_executed_notebooks_show_no_library_start_up_messages(ci_build):
    out, _ = ci_build
    for notebook in course_notebooks():
        for i, cell in enumerate(nbformat.read(out / notebook.name, as_version=4).cells):
            for output in cell.get("outputs", []):
                text = output.get("text", "") if output.get("name") == "stderr" else ""
                assert not any(n in text for n in START_UP_NOISE), f"{notebook.name} {i}: {text}"
    assert "oneDNN" in (out / KERNEL_LOG).read_text(), "they went to the kernels' log"


def test_the_course_command_prints_one_line_per_notebook(tmp_path, capsys):
    run_course(["01", "04"], profile="ci", build_dir=tmp_path)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("[ci, seed 0] 01_loading")
    assert all("ok in" in line for line in lines)


def test_notebook_3_shows_the_leak(ci_build):
    metrics = ci_build[1]["03_splitting"]["metrics"]
    assert metrics["beatwise_accuracy"] > metrics["patientwise_accuracy"]


def test_runner_rejects_bad_requests(tmp_path, monkeypatch):
    monkeypatch.delenv("ECGCOURSE_DATA_DIR", raising=False)
    with pytest.raises(FileNotFoundError, match="no course notebook called 'nope'"):
        resolve_notebooks(["nope"])
    with pytest.raises(ValueError, match="unknown profile"):
        run_course(["01"], profile="fast", build_dir=tmp_path)
    with pytest.raises(FileNotFoundError, match="--data-dir DIR or set ECGCOURSE_DATA_DIR"):
        run_course(["01"], profile="full", build_dir=tmp_path)
    assert resolve_notebooks(["01"])[0].stem == "01_loading"
    assert parameters_for(resolve_notebooks(["01"])[0], "ci", None) == {"data_dir": ""}


def test_profile_overrides_must_exist_in_the_notebook(monkeypatch):
    from ecgcourse.tooling import profiles

    monkeypatch.setitem(profiles.PROFILES["ci"], "01_loading", {"n_epochs": 1})
    with pytest.raises(KeyError, match=r"no parameter\(s\) \['n_epochs'\]"):
        parameters_for(resolve_notebooks(["01"])[0], "ci", None)
