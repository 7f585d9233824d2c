import hashlib

import numpy as np
import pytest

from ecgcourse import records
from ecgcourse.paths import DATA_DIR_ENV
from ecgcourse.records import (
    ChecksumError,
    DataNotFoundError,
    fetch_database,
    list_records,
    load_annotations,
    load_record,
    record_path,
    verify_sha256sums,
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


def _sums(files: dict[str, bytes]) -> str:
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files.items())


def _database(folder, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def test_sha256sums_pass_for_intact_files_and_ignore_files_not_downloaded(tmp_path):
    files = {"100.hea": b"100 2 360 650000\n", "100.dat": b"\x00\x01", "data/1.hea": b"1"}
    _database(tmp_path, files)
    listing = _sums(files) + _sums({"mitdb-manual.pdf": b"not downloaded"})
    assert verify_sha256sums(tmp_path, listing) == []
    binary_mode = listing.replace("  100.dat", " *100.dat")  # sha256sum -b writes '*'
    assert verify_sha256sums(tmp_path, binary_mode) == []


def test_sha256sums_name_every_file_that_differs(tmp_path):
    _database(tmp_path, {"100.hea": b"header", "100.dat": b"corrupt", "100.atr": b"cut sho"})
    listing = _sums({"100.hea": b"header", "100.dat": b"signal", "100.atr": b"cut short"})
    problems = verify_sha256sums(tmp_path, listing)
    assert [str(p) for p in problems] == [
        "100.dat: sha256 differs from the one in SHA256SUMS.txt",
        "100.atr: sha256 differs from the one in SHA256SUMS.txt",
    ]
    assert [p.path for p in problems] == [tmp_path / "100.dat", tmp_path / "100.atr"]


def test_sha256sums_that_cannot_vouch_for_anything_are_problems(tmp_path):
    assert [str(p) for p in verify_sha256sums(tmp_path, "")] == ["SHA256SUMS.txt lists no files"]
    (problem,) = verify_sha256sums(tmp_path, _sums({"100.dat": b"x"}))
    assert "none of the 1 files listed in SHA256SUMS.txt" in str(problem) and problem.path is None
    _database(tmp_path, {"100.dat": b"x"})
    odd = _sums({"100.dat": b"x"}) + "not a sum line\n" + _sums({"../escape": b"x"})
    assert [str(p) for p in verify_sha256sums(tmp_path, odd)] == [
        "SHA256SUMS.txt line 2 is not '<sha256>  <path>'",
        "SHA256SUMS.txt line 3: unsafe path '../escape'",
    ]


def test_fetch_deletes_files_that_differ_and_names_them(tmp_path, monkeypatch):
    published = {"100.hea": b"header", "100.dat": b"signal"}
    urls = []
    monkeypatch.setattr(records.wfdb_download, "get_version", lambda db: "1.0.0")
    monkeypatch.setattr(
        records.wfdb,
        "dl_database",
        lambda db, dl_dir: _database(tmp_path / "mitdb", {**published, "100.dat": b"garbled"}),
    )

    def dl_full_file(url, save_file_name):
        urls.append(url)
        (tmp_path / "mitdb" / "SHA256SUMS.txt").write_text(_sums(published))

    monkeypatch.setattr(records.wfdb_download, "dl_full_file", dl_full_file)
    with pytest.raises(ChecksumError, match=r"100\.dat: sha256 differs.*fetch mitdb"):
        fetch_database("mitdb", tmp_path)
    assert urls == ["https://physionet.org/files/mitdb/1.0.0/SHA256SUMS.txt"]
    assert not (tmp_path / "mitdb" / "100.dat").exists(), "a corrupt file must not look valid"
    assert (tmp_path / "mitdb" / "100.hea").read_bytes() == b"header"
    published["100.dat"] = b"garbled"  # now the download matches what is published
    assert fetch_database("mitdb", tmp_path) == tmp_path / "mitdb"
