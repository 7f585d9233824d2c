"""pipeline_from_notebook: the saved pipeline where it is, else a run of its notebook; never
over a folder the course did not write."""

import pytest

from ecgcourse import upstream
from ecgcourse.pipeline import META_FILE


def test_an_existing_pipeline_is_used_as_it_is(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models" / "v_detector").mkdir(parents=True)
    (tmp_path / "models" / "v_detector" / META_FILE).write_text("{}")
    assert upstream.pipeline_from_notebook("models/v_detector").name == "v_detector"
    assert not (tmp_path / "08_calibration-run").exists(), "nothing was run"


def test_a_folder_without_a_pipeline_is_not_replaced(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models" / "v_detector").mkdir(parents=True)
    (tmp_path / "models" / "v_detector" / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="holds no saved pipeline"):
        upstream.pipeline_from_notebook("models/v_detector")
    assert (tmp_path / "models" / "v_detector" / "notes.txt").read_text() == "mine"


def test_a_run_folder_in_the_way_is_not_replaced(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "08_calibration-run").mkdir()
    with pytest.raises(FileExistsError, match="08_calibration-run exists"):
        upstream.pipeline_from_notebook("models/v_detector")
    assert not (tmp_path / "models").exists()
