import json

import pytest

from ecgcourse.results import METRICS_FILE_ENV, record_metric


def test_record_metric_writes_the_runner_file(tmp_path, monkeypatch):
    target = tmp_path / "m.json"
    monkeypatch.setenv(METRICS_FILE_ENV, str(target))
    assert record_metric("a", 0.5) == 0.5
    record_metric("b", 2)
    assert json.loads(target.read_text()) == {"a": 0.5, "b": 2.0}


def test_record_metric_without_runner_only_prints(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv(METRICS_FILE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    record_metric("score", 0.25)
    assert "score = 0.25" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_non_finite_metrics_are_refused(bad):
    with pytest.raises(ValueError, match="finite"):
        record_metric("x", bad)


def test_metric_names_must_be_identifiers():
    with pytest.raises(ValueError, match="identifier"):
        record_metric("not a name", 1)
