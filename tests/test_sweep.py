"""The seed sweep: statistics over seeds, each check's closest seed, the README block."""

import json

import pytest

from ecgcourse.tooling import sweep
from ecgcourse.tooling.runner import output_dir, parameters_for, resolve_notebooks


def _run(status, ba, margin_value):
    return {
        "seconds": 10.0,
        "status": status,
        "metrics": {"majority_accuracy": ba},
        "checks": {
            "gap": {
                "value": margin_value,
                "op": ">=",
                "limit": 0.25,
                "margin": margin_value - 0.25,
                "passed": margin_value >= 0.25,
            }
        },
    }


def test_summary_gives_spread_and_the_seed_closest_to_failing():
    runs = {
        0: {"04_baseline": _run("ok", 0.80, 0.40)},
        1: {"04_baseline": _run("ok", 0.70, 0.27)},
        2: {"04_baseline": _run("failed", 0.75, 0.20)},
    }
    summary = sweep.summarise(runs)
    nb = summary["notebooks"]["04_baseline"]
    stats = nb["metrics"]["majority_accuracy"]
    assert stats["mean"] == pytest.approx(0.75) and stats["sd"] == pytest.approx(0.05)
    assert (stats["min"], stats["max"], stats["n"]) == (0.70, 0.80, 3)
    gap = nb["checks"]["gap"]
    assert gap["closest_seed"] == 2 and gap["closest_margin"] == pytest.approx(-0.05)
    assert not gap["passed_at_every_seed"] and not nb["passed_at_every_seed"]
    assert not summary["passed"]


def test_sweep_files_and_readme_block(tmp_path):
    build = tmp_path / "build"
    for seed, value in ((0, 0.80), (1, 0.70)):
        folder = sweep.sweep_dir("student", build) / f"seed{seed}"
        folder.mkdir(parents=True)
        (folder / "metrics.json").write_text(json.dumps({"04_baseline": _run("ok", value, 0.4)}))
    summary = sweep.write_summary("student", [0, 1], build)
    assert summary["passed"] and summary["seeds"] == [0, 1]
    md = (sweep.sweep_dir("student", build) / "sweep.md").read_text()
    assert "| `gap` | >= 0.25 |" in md and "| `majority_accuracy` | 0.75 |" in md
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{sweep.START}\nold\n{sweep.END}\nend\n")
    sweep.update_readme(["student"], build, readme)
    text = readme.read_text()
    assert "old" not in text and "accuracy 0.75 ± 0.071" in text, "in plain words"
    assert "F1 of S n/a" in text, "a metric the sweep lacks is said to be missing"
    assert "| 04_baseline | 0, 1 | " in text and text.endswith(f"{sweep.END}\nend\n")
    with pytest.raises(FileNotFoundError, match="ecgcourse sweep --profile full"):
        sweep.update_readme(["full"], build, readme)


def test_sweep_refuses_repeated_or_no_seeds(tmp_path):
    for seeds in ([], [1, 1]):
        with pytest.raises(ValueError, match="without repeats"):
            sweep.run_sweep(["01"], "ci", seeds, build_dir=tmp_path)


def test_runner_passes_the_seed_and_keeps_seeds_apart(tmp_path):
    nb = resolve_notebooks(["02"])[0]
    assert parameters_for(nb, "ci", None, seed=3)["seed"] == 3
    assert "seed" not in parameters_for(resolve_notebooks(["01"])[0], "ci", None, seed=3)
    assert output_dir("ci", 0, tmp_path) == tmp_path / "ci"
    assert output_dir("ci", 3, tmp_path) == tmp_path / "ci-seed3"
    with pytest.raises(ValueError, match="non-negative integer"):
        parameters_for(nb, "ci", None, seed=-1)


def test_readme_keeps_the_rows_of_notebooks_the_latest_sweep_did_not_run(tmp_path):
    build = tmp_path / "build"
    folder = sweep.sweep_dir("student", build) / "seed0"
    folder.mkdir(parents=True)
    (folder / "metrics.json").write_text(json.dumps({"04_baseline": _run("ok", 0.8, 0.4)}))
    sweep.write_summary("student", [0], build)
    readme = tmp_path / "README.md"
    earlier = (
        "Profile `student`, seeds 0, 1, 2: a machine; versions; 2026-01-01 10:00 UTC. Mean.\n\n"
        "| notebook | time (s) | headline numbers |\n|---|---|---|\n"
        "| 03_splitting | 59 | beatwise_balanced_accuracy 0.97 ± 0, "
        "patientwise_balanced_accuracy 0.64 ± 0 |\n"
        "| 04_baseline | 45 | majority_accuracy 0.1 ± 0 |\n"
        "| 08_segmentation | 61 | qrs_sensitivity 0.9 ± 0 |\n"  # renamed since: dropped
        "| 10_capstone | 0 | 2026-01-01 10:00 UTC | 20 | V sensitivity ... |\n"
    )
    readme.write_text(f"{sweep.START}\n{earlier}{sweep.END}\n")
    sweep.update_readme(["student"], build, readme)
    text = readme.read_text()
    row = (
        "| 03_splitting | 0, 1, 2 | 2026-01-01 10:00 UTC | 59 | out-of-fold k-NN on DS1: "
        "balanced accuracy 0.97 ± 0 with folds drawn beat by beat"
    )
    assert row in text, "an earlier row in identifiers is rewritten in plain words"
    assert "majority_accuracy 0.1 " not in text, "a notebook swept again is replaced"
    assert "| 04_baseline | 0 | " in text
    assert "| 10_capstone | 0 | 2026-01-01 10:00 UTC | 20 |" in text, "two-digit numbers"
    assert "08_segmentation" not in text, "a notebook that no longer exists loses its row"
    sweep.update_readme(["student"], build, readme)
    assert readme.read_text() == text, "the new format reads back unchanged"


def test_a_readme_row_names_only_the_seeds_its_notebook_ran_at(tmp_path):
    build = tmp_path / "build"
    for seed in (0, 1):
        folder = sweep.sweep_dir("full", build) / f"seed{seed}"
        folder.mkdir(parents=True)
        runs = {"04_baseline": _run("ok", 0.8, 0.4)}
        if seed == 0:
            runs["09_segmentation"] = _run("ok", 0.9, 0.4)
        (folder / "metrics.json").write_text(json.dumps(runs))
    sweep.write_summary("full", [0, 1], build)
    readme = tmp_path / "README.md"
    readme.write_text(f"{sweep.START}\n{sweep.END}\n")
    sweep.update_readme(["full"], build, readme)
    text = readme.read_text()
    assert "| 04_baseline | 0, 1 | " in text
    assert "| 09_segmentation | 0 | " in text


def test_machine_line_names_the_cpu_features_and_the_onednn_setting(monkeypatch, tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("model name\t: Test CPU 9000\nflags\t\t: fpu sse2 avx2 amx_tile\n")
    real_path = sweep.Path
    monkeypatch.setattr(sweep, "Path", lambda p: cpuinfo if p == "/proc/cpuinfo" else real_path(p))
    assert sweep.cpu() == "Test CPU 9000 (avx2, amx_tile)"
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")
    line = sweep.machine()
    assert "Test CPU 9000 (avx2, amx_tile)" in line
    assert "TF_ENABLE_ONEDNN_OPTS=0" in line


def test_a_row_says_when_its_own_notebook_was_swept(tmp_path):
    build = tmp_path / "build"
    folder = sweep.sweep_dir("student", build) / "seed0"
    folder.mkdir(parents=True)
    old = _run("ok", 0.8, 0.4) | {"finished": "2026-01-02 03:04 UTC"}
    (folder / "metrics.json").write_text(json.dumps({"04_baseline": old}))
    summary = sweep.write_summary("student", [0], build)
    assert summary["notebooks"]["04_baseline"]["swept"] == "2026-01-02 03:04 UTC"
    assert "| 04_baseline | 0 | 2026-01-02 03:04 UTC |" in sweep._rows(summary)["04_baseline"]
