import numpy as np
import pytest

from ecgcourse.paths import DATA_DIR_ENV
from ecgcourse.records import (
    DataNotFoundError,
    list_records,
    load_annotations,
    load_record,
    record_path,
)
from ecgcourse.splits import DS1, DS2


def test_pack_record_is_in_millivolts_at_360_hz():
    rec = load_record("mitdb", "100")
    assert rec.fs == 360
    assert rec.leads == ("MLII",)
    assert rec.units == ("mV",)
    assert rec.signal.dtype == np.float32 and rec.signal.shape == (216000, 1)
    assert 0.2 < np.ptp(rec.lead("MLII")[:3600]) < 5, "an ECG swings by about a millivolt"


def test_pack_lists_every_non_paced_mitdb_record_and_all_ludb_records():
    assert sorted(list_records("mitdb")) == sorted(DS1 + DS2)
    assert len(list_records("ludb")) == 200


def test_ludb_annotations_mark_qrs_onsets_and_offsets():
    ann = load_annotations("ludb", "1", extension="ii")
    assert ann.fs == 500
    assert {"(", ")", "N", "p", "t"} <= set(ann.symbol)


def test_missing_record_names_record_and_fetch_command():
    with pytest.raises(DataNotFoundError, match=r"mitdb/999.*python -m ecgcourse fetch mitdb"):
        load_record("mitdb", "999")


def test_missing_record_in_data_dir_names_dir_and_command(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    with pytest.raises(DataNotFoundError) as err:
        record_path("mitdb", "100")
    message = str(err.value)
    assert "mitdb/100" in message and str(tmp_path) in message
    assert f"python -m ecgcourse fetch mitdb --data-dir {tmp_path}" in message


def test_data_dir_argument_is_used(tmp_path):
    with pytest.raises(DataNotFoundError, match=str(tmp_path)):
        load_record("ludb", "1", data_dir=tmp_path)


def test_missing_annotations_are_a_clear_error():
    with pytest.raises(DataNotFoundError, match=r"nstdb/bw has no annotation file '\.atr'"):
        load_annotations("nstdb", "bw")


def test_missing_lead_names_the_leads_there_are():
    with pytest.raises(KeyError, match="MLII"):
        load_record("mitdb", "100", leads=["V1"])


def test_unknown_database_is_rejected():
    with pytest.raises(ValueError, match="unknown database"):
        load_record("ptbxl", "1")
