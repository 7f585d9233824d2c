"""Every notebook executes through papermill in the ``ci`` profile and proves its lesson."""

import json

import pytest

from ecgcourse.runner import course_notebooks, parameters_for, resolve_notebooks, run_course

REQUIRED_METRICS = {
    "01_loading": {"conversion_error_mv", "max_beat_shift_ms", "n_beats_ds1", "n_beats_ds2"},
    "02_normalising": {
        "globalmax_out_of_range_fraction_gain5",
        "globalmax_out_of_range_fraction_ma",
    },
    "03_splitting": {"beatwise_accuracy", "patientwise_accuracy"},
    "04_baseline": {
        "baseline_balanced_accuracy",
        "majority_balanced_accuracy",
        "baseline_f1_S",
        "baseline_f1_V",
    },
    "05_cnn": {"cnn_params", "cnn_f1_S", "cnn_f1_V", "cnn_balanced_accuracy", "epoch_seconds"},
    "06_overfitting": {
        "storyb_train_accuracy",
        "storyb_val_accuracy",
        "chance_accuracy",
        "fixed_val_accuracy",
    },
    "07_saturation": {
        "saturated_fraction_before",
        "saturated_fraction_after",
        "ece_before",
        "ece_after",
        "guard_flag_rate_shifted",
        "guard_flag_rate_clean",
        "argmax_bug_distinct_predictions",
        "sigmoid_softmax_agreement",
    },
    "08_segmentation": {
        "regression_pred_sd_ratio",
        "regression_vs_mean_error_ratio",
        "qrs_sensitivity",
        "qrs_ppv",
        "qrs_onset_error_mean_ms",
        "qrs_onset_error_sd_ms",
        "qrs_offset_error_mean_ms",
        "qrs_offset_error_sd_ms",
        "mitdb_unet_f1",
        "mitdb_xqrs_f1",
        "train_seconds",
    },
}


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
    assert REQUIRED_METRICS.get(notebook.stem, set()) <= set(run["metrics"])
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
