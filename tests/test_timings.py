"""Run times from the runner's metrics.json files, as the instructor guide's table."""

import json

import pytest

from ecgcourse.tooling.runner import course_notebooks
from ecgcourse.tooling.timings import (
    END,
    GUIDE,
    START,
    measured_seconds,
    timing_table,
    update_guide,
)


def _metrics(build, profile, runs):
    (build / profile).mkdir(parents=True)
    (build / profile / "metrics.json").write_text(json.dumps(runs))


def test_table_has_a_row_per_notebook_a_column_per_profile_and_a_total(tmp_path):
    ok = {"status": "ok", "metrics": {}}
    _metrics(tmp_path, "ci", {"01_a": {"seconds": 5.7, **ok}, "02_b": {"seconds": 74.9, **ok}})
    _metrics(tmp_path, "student", {"01_a": {"seconds": 125.0, **ok}})
    table = timing_table(measured_seconds(tmp_path)).splitlines()
    assert table[0] == "| notebook | ci (min:s) | student (min:s) |"
    assert table[2:] == [
        "| `01_a` | 0:06 | 2:05 |",
        "| `02_b` | 1:15 | - |",
        "| **all** | 1:21 | 2:05 |",
    ]


@pytest.mark.parametrize(
    "seconds, shown", [(59.6, "1:00"), (0, "0:00"), (125.4, "2:05"), (119.5, "2:00")]
)
def test_times_round_to_whole_seconds_before_minutes(seconds, shown):
    row = timing_table({"ci": {"01_a": seconds}}).splitlines()[2]
    assert row == f"| `01_a` | {shown} |"


def test_failed_runs_are_left_out(tmp_path):
    _metrics(tmp_path, "ci", {"01_a": {"seconds": 5.0, "status": "failed", "metrics": {}}})
    assert measured_seconds(tmp_path) == {"ci": {}}


def test_no_runs_says_which_command_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m ecgcourse run --profile ci"):
        measured_seconds(tmp_path)


def test_update_guide_replaces_only_between_the_markers(tmp_path):
    guide = tmp_path / "GUIDE.md"
    guide.write_text(f"intro\n{START}\nold\n{END}\noutro\n")
    update_guide("| new |", guide)
    assert guide.read_text() == f"intro\n{START}\n| new |\n{END}\noutro\n"
    guide.write_text("no markers")
    with pytest.raises(ValueError, match="timings:start"):
        update_guide("| new |", guide)


def test_guide_timings_cover_every_notebook_in_ci_and_student_profiles():
    text = GUIDE.read_text()
    table = text[text.index(START) : text.index(END)]
    assert "ci (min:s)" in table and "student (min:s)" in table
    for path in course_notebooks():
        row = next((line for line in table.splitlines() if f"`{path.stem}`" in line), "")
        ci, student = (cell.strip() for cell in row.split("|")[2:4]) if row else ("-", "-")
        assert "-" not in (ci, student), (
            f"the guide has no ci and student timing for {path.stem}: run the course in both "
            "profiles, then `python -m ecgcourse timings --update-guide`"
        )


def test_update_keeps_the_guide_times_it_did_not_measure_again(tmp_path):
    import json

    from ecgcourse.tooling.timings import END, START, guide_seconds, merged_seconds

    guide = tmp_path / "GUIDE.md"
    guide.write_text(
        f"x\n{START}\n| notebook | ci (min:s) | student (min:s) |\n|---|---|---|\n"
        "| `01_a` | 0:05 | 1:10 |\n| `02_b` | 0:20 | 2:00 |\n| **all** | 0:25 | 3:10 |\n"
        f"{END}\ny\n"
    )
    expected = {"ci": {"01_a": 5, "02_b": 20}, "student": {"01_a": 70, "02_b": 120}}
    assert guide_seconds(guide) == expected
    run = tmp_path / "build" / "sweep" / "student" / "seed0"
    run.mkdir(parents=True)
    (run / "metrics.json").write_text(json.dumps({"02_b": {"seconds": 99.0, "status": "ok"}}))
    merged = merged_seconds(tmp_path / "build", guide)
    assert merged == {"ci": {"01_a": 5, "02_b": 20}, "student": {"01_a": 70, "02_b": 99.0}}
