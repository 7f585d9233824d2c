"""Closing checks assert like ``assert`` and record how close they came to failing."""

import json

import pytest

from ecgcourse.checks import CHECKS_FILE_ENV, check


def test_check_passes_returns_value_and_records_the_margin(tmp_path, monkeypatch):
    target = tmp_path / "checks.json"
    monkeypatch.setenv(CHECKS_FILE_ENV, str(target))
    assert check("gap", 0.3, ">=", 0.25, "the gap should be wide") == 0.3
    check("jitter", 4.0, "<", 6.5, "jitter should be small")
    saved = json.loads(target.read_text())
    assert saved["gap"]["margin"] == pytest.approx(0.05) and saved["gap"]["passed"]
    assert saved["jitter"] == {
        "value": 4.0,
        "op": "<",
        "limit": 6.5,
        "margin": 2.5,
        "passed": True,
    }


def test_failing_check_raises_with_the_claim_and_is_recorded(tmp_path, monkeypatch):
    target = tmp_path / "checks.json"
    monkeypatch.setenv(CHECKS_FILE_ENV, str(target))
    claim = r"ECE should halve \(ece_ratio = 0.52, needs <= 0.5\)"
    with pytest.raises(AssertionError, match=claim):
        check("ece_ratio", 0.52, "<=", 0.5, "ECE should halve")
    entry = json.loads(target.read_text())["ece_ratio"]
    assert entry["margin"] == pytest.approx(-0.02) and not entry["passed"]


def test_strict_and_non_strict_comparisons_at_the_limit():
    check("at_limit", 1.0, ">=", 1.0, "equal passes >=")
    with pytest.raises(AssertionError):
        check("at_limit", 1.0, ">", 1.0, "equal fails >")


@pytest.mark.parametrize(
    "args, error",
    [
        (("bad name", 1.0, ">", 0.0, "m"), ValueError),
        (("name", 1.0, "==", 0.0, "m"), ValueError),
        (("name", float("nan"), ">", 0.0, "m"), AssertionError),
    ],
)
def test_bad_checks_are_refused(args, error):
    with pytest.raises(error):
        check(*args)


def test_passed_checks_lists_the_checks_that_passed():
    from ecgcourse.checks import passed_checks

    check("listed_check", 2.0, ">", 1.0, "two is more than one")
    with pytest.raises(AssertionError):
        check("failed_check", 0.0, ">", 1.0, "zero is not more than one")
    assert "listed_check" in passed_checks()
    assert "failed_check" not in passed_checks()
