"""Every notebook executes through papermill in the ``ci`` profile and proves its lesson."""

import json

import pytest

from ecgcourse.report import HEADLINE_METRICS
from ecgcourse.runner import course_notebooks, parameters_for, resolve_notebooks, run_course


@pytest.fixture(scope="module")
def ci_build(tmp_path_factory):
    build = tmp_path_factory.mktemp("build")
    runs = run_course(None, profile="ci", build_dir=build)
    return build / "ci", runs


@pytest.mark.parametrize("notebook", course_notebooks(), ids=lambda p: p.stem)
def test_notebook_runs_in_ci_profile_and_records_its_metrics(ci_build, notebook):
    out, runs = ci_build
    run = runs[notebook.stem]
    assert run["status"] == "ok", run.get("error")
    assert set(HEADLINE_METRICS[notebook.stem]) <= set(run["metrics"])
    assert (out / notebook.name).is_file() and (out / f"{notebook.stem}.html").is_file()


def test_report_lists_every_notebook(ci_build):
    out, runs = ci_build
    saved = json.loads((out / "metrics.json").read_text())
    assert set(saved) == {nb.stem for nb in course_notebooks()} == set(runs)
    page = (out / "index.html").read_text()
    assert all(f"{stem}.html" in page for stem in saved)


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
    from ecgcourse import profiles

    monkeypatch.setitem(profiles.PROFILES["ci"], "01_loading", {"n_epochs": 1})
    with pytest.raises(KeyError, match=r"no parameter\(s\) \['n_epochs'\]"):
        parameters_for(resolve_notebooks(["01"])[0], "ci", None)
