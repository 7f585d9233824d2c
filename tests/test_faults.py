"""Nothing lost, nothing silently wrong: the package and the command line under bad input and
faults. Each case failed before the fix (issue "Nothing lost, nothing silently wrong")."""

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile

import numpy as np
import pytest

from ecgcourse import records
from ecgcourse.__main__ import main
from ecgcourse.atomic import NotOursError
from ecgcourse.beats import load_beats, rr_intervals_ms
from ecgcourse.guard import CALIBRATION_FILE, BeatGuard, load_calibration, save_calibration
from ecgcourse.normalise import Normaliser
from ecgcourse.paths import NOTEBOOK_DIR, PACK_DIR
from ecgcourse.pipeline import META_FILE, MODEL_FILE, NORMALISER_FILE, BeatPipeline, PipelineError
from ecgcourse.records import (
    DamagedRecordError,
    NetworkError,
    fetch_database,
    load_annotations,
    load_record,
)
from ecgcourse.signals import bandpass, cut_beats, cut_windows, resample, resample_positions
from ecgcourse.tooling.doctor import check_data_dir
from ecgcourse.tooling.pack import build_pack
from ecgcourse.tooling.runner import course_notebooks

SMALL_SPEC = {"mitdb": [{"record": "208", "leads": ["MLII"], "minutes": 1}]}


# --- 1. Never delete what the course did not write ---------------------------------------


def test_pack_refuses_an_out_folder_inside_its_source_or_not_its_own(tmp_path):
    source = tmp_path / "physionet"
    shutil.copytree(PACK_DIR / "mitdb", source / "mitdb")
    (source / "mine.txt").write_text("my notes")
    before = sorted(p.name for p in source.rglob("*"))
    for out in (source, source / "pack"):
        with pytest.raises(ValueError, match="inside --source"):
            build_pack(source, out, spec=SMALL_SPEC, extra_files={})
    with pytest.raises(ValueError, match="holds --source"):
        build_pack(source, tmp_path, spec=SMALL_SPEC, extra_files={})
    assert sorted(p.name for p in source.rglob("*")) == before
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work")
    with pytest.raises(NotOursError, match="has no MANIFEST.json"):
        build_pack(source, mine, spec=SMALL_SPEC, extra_files={})
    assert (mine / "thesis.tex").read_text() == "years of work"
    build_pack(source, tmp_path / "pack", spec=SMALL_SPEC, extra_files={})
    build_pack(source, tmp_path / "pack", spec=SMALL_SPEC, extra_files={})  # its own: replaced
    assert (tmp_path / "pack" / "MANIFEST.json").is_file()


def test_pack_command_with_out_equal_to_source_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "mitdb").mkdir()
    (tmp_path / "mitdb" / "mine.txt").write_text("mine")
    assert main(["pack", "--source", str(tmp_path), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "inside --source" in err and "Traceback" not in err and err.count("\n") == 1
    assert (tmp_path / "mitdb" / "mine.txt").read_text() == "mine"


def test_saving_a_pipeline_never_deletes_a_file_or_folder_of_yours(pipeline, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    with pytest.raises(NotOursError, match="not a folder"):
        pipeline.save(notes)
    assert notes.read_text() == "my notes"
    models = tmp_path / "models"
    models.mkdir()
    (models / "other_model.keras").write_text("another model")
    with pytest.raises(NotOursError, match=f"has no {META_FILE}"):
        pipeline.save(models)
    assert (models / "other_model.keras").read_text() == "another model"
    saved = pipeline.save(models / "v_detector")
    pipeline.save(saved)  # a pipeline saved before is the course's: replaced as a whole
    assert sorted(p.name for p in saved.iterdir()) == [MODEL_FILE, NORMALISER_FILE, META_FILE]


def test_handouts_never_overwrite_the_solution_notebooks(tmp_path, capsys):
    before = {p.name: p.read_bytes() for p in course_notebooks()}
    assert main(["handouts", "01", "--out", str(NOTEBOOK_DIR)]) == 2
    assert "holds the notebooks they are made from" in capsys.readouterr().err
    copy = tmp_path / "solutions"
    shutil.copytree(NOTEBOOK_DIR, copy)
    assert main(["handouts", "01", "--out", str(copy)]) == 2  # a copy of them: not ours either
    assert "01_loading.ipynb" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in course_notebooks()} == before
    assert (copy / "01_loading.ipynb").read_bytes() == before["01_loading.ipynb"]
    assert main(["handouts", "01", "--out", str(tmp_path / "h")]) == 0
    assert main(["handouts", "01", "--out", str(tmp_path / "h")]) == 0, "its own: rewritten"


# --- 2. Verify what is read ------------------------------------------------------------------


@pytest.fixture
def record_dir(tmp_path):
    """A data directory with MIT-BIH record 100 (the pack's cut) in it."""
    folder = tmp_path / "data" / "mitdb"
    folder.mkdir(parents=True)
    for ext in ("hea", "dat", "atr"):
        shutil.copy(PACK_DIR / "mitdb" / f"100.{ext}", folder / f"100.{ext}")
    return folder


def test_a_signal_file_with_flipped_bytes_is_refused_naming_it(record_dir):
    assert load_record("mitdb", "100", data_dir=record_dir.parent).signal.shape[0] == 216000
    data = bytearray((record_dir / "100.dat").read_bytes())
    data[3000] ^= 0x10  # two flipped bits: two samples change by a fraction of a millivolt
    data[6001] ^= 0x01
    (record_dir / "100.dat").write_bytes(bytes(data))
    with pytest.raises(DamagedRecordError, match=r"100\.dat: lead MLII.*checksum in .*100\.hea"):
        load_record("mitdb", "100", data_dir=record_dir.parent)


def test_a_header_whose_checksum_does_not_match_is_refused(record_dir):
    header = (record_dir / "100.hea").read_text().splitlines()
    fields = header[1].split()
    fields[6] = str((int(fields[6]) + 1) % 65536)  # the checksum field of the signal line
    header[1] = " ".join(fields)
    (record_dir / "100.hea").write_text("\n".join(header) + "\n")
    with pytest.raises(DamagedRecordError, match="checksum"):
        load_record("mitdb", "100", data_dir=record_dir.parent)


def test_a_truncated_signal_file_is_refused_naming_it(record_dir):
    data = (record_dir / "100.dat").read_bytes()
    (record_dir / "100.dat").write_bytes(data[: len(data) // 3])
    with pytest.raises(DamagedRecordError, match=r"100\.dat.*shorter than"):
        load_record("mitdb", "100", data_dir=record_dir.parent)


def test_a_truncated_annotation_file_is_refused(record_dir):
    full = load_annotations("mitdb", "100", data_dir=record_dir.parent)
    data = (record_dir / "100.atr").read_bytes()
    (record_dir / "100.atr").write_bytes(data[: len(data) // 3 * 2 // 2 * 2 - 2])
    with pytest.raises(DamagedRecordError, match=r"100\.atr ends mid-record"):
        load_annotations("mitdb", "100", data_dir=record_dir.parent)
    assert len(full.sample) > 0


def test_doctor_finds_a_data_dir_of_headers_only(tmp_path):
    for db in ("mitdb", "ludb"):
        (tmp_path / db).mkdir()
        for hea in (PACK_DIR / db).glob("*.hea"):
            shutil.copy(hea, tmp_path / db / hea.name)
    checks = {c.name: c for c in check_data_dir(tmp_path)}
    assert not checks["full data: mitdb"].ok and "100.dat" in checks["full data: mitdb"].detail
    assert not checks["full data: ludb"].ok and "1.dat" in checks["full data: ludb"].detail
    shutil.copy(PACK_DIR / "mitdb" / "100.dat", tmp_path / "mitdb")
    detail = {c.name: c for c in check_data_dir(tmp_path)}["full data: mitdb"].detail
    assert "100.atr" in detail and "0 of 44" in detail


# --- 3. Network calls have timeouts ---------------------------------------------------------


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def _closed_port_url():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/"


@pytest.mark.parametrize("server", ["silent", "offline"])
def test_fetch_gives_up_with_a_clear_message_and_leaves_no_empty_folder(
    server, silent_server, tmp_path, monkeypatch
):
    url = silent_server if server == "silent" else _closed_port_url()
    monkeypatch.setattr(records.wfdb_download.config, "db_index_url", url)
    monkeypatch.setattr(records.wfdb_download, "PN_CONTENT_URL", url)
    monkeypatch.setattr(records, "NETWORK_TIMEOUT_S", (1.0, 1.0))
    start = time.monotonic()
    with pytest.raises(NetworkError, match="needs internet"):
        fetch_database("mitdb", tmp_path / "data")
    assert time.monotonic() - start < 30
    if server == "silent":
        assert time.monotonic() - start >= 1.0, "it waited for the server, then gave up"
    assert not (tmp_path / "data").exists(), "the folders it made are removed"
    (tmp_path / "mine").mkdir()
    with pytest.raises(NetworkError):
        fetch_database("mitdb", tmp_path / "mine")
    assert list(tmp_path.iterdir()) == [tmp_path / "mine"], "yours stays, empty or not"


def test_fetch_offline_is_one_line_not_a_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(records.wfdb_download.config, "db_index_url", _closed_port_url())
    monkeypatch.setattr(records.wfdb_download, "PN_CONTENT_URL", _closed_port_url())
    assert main(["fetch", "mitdb", "--data-dir", str(tmp_path / "d")]) == 1
    err = capsys.readouterr().err
    assert "needs internet" in err and err.count("\n") == 1
    assert not (tmp_path / "d").exists()


# --- 4. Saved artefacts are validated on load ---------------------------------------------


@pytest.mark.parametrize("scale", [-1.0, 0.0, float("nan"), float("inf")])
def test_a_normaliser_file_with_an_impossible_scale_is_refused(scale, tmp_path):
    path = Normaliser("zscore", fs=250).fit(np.ones((4, 8)) * np.arange(8)).save(tmp_path / "n")
    data = json.loads(path.read_text())
    data["scale"] = [scale]
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=rf"{path}.*scale must be"):
        Normaliser.load(path)


def test_a_normaliser_with_statistics_for_other_leads_is_refused(tmp_path):
    path = (
        Normaliser("zscore")
        .fit(np.random.default_rng(0).normal(size=(5, 8)))
        .save(tmp_path / "n.json")
    )
    data = json.loads(path.read_text())
    data["centre"], data["scale"] = [0.0, 0.0], [1.0, 1.0]
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"centre has 2 value\(s\) for 1 lead"):
        Normaliser.load(path)


@pytest.fixture(scope="module")
def guard():
    rng = np.random.default_rng(0)
    beats = np.sin(np.linspace(0, 6, 50))[None, :] + 0.05 * rng.normal(size=(200, 50))
    return BeatGuard(n_components=3, fs=250).fit(beats)


def test_calibration_with_impossible_numbers_is_refused_on_load(guard, tmp_path):
    save_calibration(tmp_path, guard, 1.5)
    good = json.loads((tmp_path / CALIBRATION_FILE).read_text())
    for change, message in (
        ({"temperature": 0}, "temperature must be a positive number"),
        ({"temperature": -2.0}, "temperature must be a positive number"),
        ({"temperature": float("nan")}, "temperature must be a positive number"),
        ({"guard": {**good["guard"], "high": [float("nan")] * 3}}, "NaN limit"),
        ({"guard": {**good["guard"], "low": [9.0, 9.0, 9.0]}}, "low limit above"),
    ):
        (tmp_path / CALIBRATION_FILE).write_text(json.dumps({**good, **change}))
        with pytest.raises(ValueError, match=message):
            load_calibration(tmp_path)
    guard_copy = BeatGuard.from_dict(guard.to_dict())
    guard_copy.high_ = np.full(3, np.nan)
    with pytest.raises(ValueError, match="NaN limit"):
        save_calibration(tmp_path, guard_copy, 1.0)


def test_truncated_json_files_name_the_file(pipeline, guard, tmp_path):
    saved = pipeline.save(tmp_path / "p")
    save_calibration(saved, guard, 1.0)
    for name, error in ((META_FILE, PipelineError), (NORMALISER_FILE, PipelineError)):
        text = (saved / name).read_text()
        (saved / name).write_text(text[: len(text) // 2])
        with pytest.raises(error, match=name):
            BeatPipeline.load(saved)
        (saved / name).write_text(text)
    text = (saved / CALIBRATION_FILE).read_text()
    (saved / CALIBRATION_FILE).write_text(text[:100])
    with pytest.raises(ValueError, match=f"{CALIBRATION_FILE} is not valid JSON"):
        load_calibration(saved)


def test_a_truncated_model_file_is_named_as_damaged(pipeline, tmp_path):
    saved = pipeline.save(tmp_path / "p")
    data = (saved / MODEL_FILE).read_bytes()
    assert zipfile.is_zipfile(saved / MODEL_FILE)
    (saved / MODEL_FILE).write_bytes(data[: len(data) // 2])
    with pytest.raises(PipelineError, match=rf"{MODEL_FILE} cannot be read.*damaged"):
        BeatPipeline.load(saved)


def test_a_pipeline_file_with_an_impossible_rate_is_refused(pipeline, tmp_path):
    saved = pipeline.save(tmp_path / "p")
    for meta in ({"fs": 0, "classes": ["a", "b"]}, {"fs": 250, "classes": "ab"}):
        (saved / META_FILE).write_text(json.dumps(meta))
        with pytest.raises(PipelineError, match=META_FILE):
            BeatPipeline.load(saved)


# --- 5. Signal helpers refuse what they cannot do right -----------------------------------


def test_resample_and_bandpass_compute_integer_input_in_float():
    counts = load_record("mitdb", "100", leads=["MLII"]).signal[:3600, 0] * 200 + 1024
    as_int = counts.round().astype(np.int16) * 20  # ADC counts near int16's limits
    for f in (lambda x: resample(x, 360, fs_out=250), lambda x: bandpass(x, 360)):
        from_int, from_float = f(as_int), f(as_int.astype(np.float64))
        assert from_int.dtype == np.float64
        np.testing.assert_allclose(from_int, from_float)


@pytest.mark.parametrize("fs", [0, -360, float("nan"), float("inf"), None, "360"])
def test_every_signal_helper_refuses_an_impossible_rate(fs):
    x = np.zeros(1000)
    for call in (
        lambda: resample(x, fs, fs_out=250),
        lambda: resample(x, 360, fs_out=fs),
        lambda: resample_positions(np.arange(3), fs, fs_out=250),
        lambda: bandpass(x, fs),
        lambda: cut_beats(x, fs, centres=np.array([500]), record="100"),
        lambda: cut_windows(x, fs, record="100", window_s=1.0),
        lambda: rr_intervals_ms(np.array([100, 400, 700]), fs),
        lambda: load_beats(["100"], fs=fs),
    ):
        with pytest.raises(ValueError, match="must be a positive sampling rate"):
            call()


def test_a_bare_string_is_refused_where_a_list_of_records_is_meant():
    with pytest.raises(TypeError, match=r"list of record ids.*\['22'\]"):
        load_beats("22", database="ludb", lead="ii")


def test_unsorted_beat_marks_are_refused():
    with pytest.raises(ValueError, match="beat_samples must increase: beat 2"):
        rr_intervals_ms(np.array([100, 400, 300, 700]), 360)
    with pytest.raises(ValueError, match="must increase"):
        rr_intervals_ms(np.array([100, 400, 400, 700]), 360)


# --- 6. The command line validates before it runs -------------------------------------------


@pytest.mark.parametrize(
    "argv, message",
    [
        (["run", "99"], "no course notebook called '99'"),
        (["run", "--seed", "-1"], "a seed is 0 or more"),
        (["sweep", "--seeds", "0", "1", "-1"], "a seed is 0 or more"),
        (["sweep", "--seeds", "1", "1"], "repeats a seed"),
        (["run", "--data-dir", "/nonexistent"], "/nonexistent is not a folder"),
        (["doctor", "--data-dir", "/nonexistent"], "does not exist"),
    ],
)
def test_user_errors_are_one_line_and_exit_2_before_anything_runs(argv, message, tmp_path):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "ecgcourse", *argv], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 2
    assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert time.monotonic() - started < 60


def test_a_data_dir_without_databases_is_refused(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    with pytest.raises(SystemExit) as exit_:
        main(["run", "01", "--data-dir", str(tmp_path / "empty")])
    assert exit_.value.code == 2 and "holds none of mitdb/" in capsys.readouterr().err


def test_a_run_never_writes_into_a_folder_no_course_run_made(tmp_path):
    from ecgcourse.tooling.runner import run_course

    out = tmp_path / "build" / "ci"
    out.mkdir(parents=True)
    (out / "01_loading.ipynb").write_text("my own notebook")
    with pytest.raises(NotOursError, match="holds no metrics.json"):
        run_course(["01"], profile="ci", build_dir=tmp_path / "build")
    assert (out / "01_loading.ipynb").read_text() == "my own notebook"
