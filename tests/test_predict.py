"""``python -m ecgcourse predict``: a student's own recording through a saved pipeline."""

import keras
import numpy as np
import pytest

from ecgcourse import COURSE_FS
from ecgcourse.__main__ import main
from ecgcourse.beats import load_beats
from ecgcourse.guard import BeatGuard, save_calibration
from ecgcourse.normalise import Normaliser
from ecgcourse.pipeline import BeatPipeline
from ecgcourse.predict import predict_recording, read_recording
from ecgcourse.records import load_record, record_path


@pytest.fixture(scope="module")
def pipeline_dir(tmp_path_factory):
    """A small V detector saved as notebook 8 saves its own (model, normaliser, guard, T)."""
    beats = load_beats(["119", "208"])
    normaliser = Normaliser("per_window", fs=COURSE_FS).fit(beats.X)
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((beats.X.shape[1],)), keras.layers.Dense(8, activation="relu"),
         keras.layers.Dense(1)]
    )  # fmt: skip
    model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
    model.fit(normaliser.transform(beats.X), beats.label == "V", epochs=3, verbose=0)
    folder = tmp_path_factory.mktemp("pipeline") / "v_detector"
    BeatPipeline(model, normaliser, fs=COURSE_FS, classes=("non-V", "V")).save(folder)
    guard = BeatGuard(n_components=5, fs=COURSE_FS).fit(beats.X)
    save_calibration(folder, guard, 1.5)
    return folder


@pytest.fixture(scope="module")
def ludb_csv(tmp_path_factory):
    """LUDB record 1, lead ii, written as a CSV column in microvolts at 500 Hz."""
    rec = load_record("ludb", "1", leads=["ii"])
    path = tmp_path_factory.mktemp("own") / "my_ecg.csv"
    path.write_text("ii\n" + "\n".join(f"{v * 1000:.3f}" for v in rec.lead("ii")) + "\n")
    return path


def test_a_csv_in_microvolts_gets_the_calls_of_the_wfdb_file(pipeline_dir, ludb_csv):
    from_csv = predict_recording(read_recording(ludb_csv, fs=500, units="uV"), pipeline_dir)
    hea = record_path("ludb", "1").with_suffix(".hea")
    from_wfdb = predict_recording(read_recording(hea, lead="ii"), pipeline_dir)
    assert len(from_csv["time_s"]) >= 5  # a LUDB record is 10 s long
    assert np.allclose(from_csv["time_s"], from_wfdb["time_s"])
    assert np.array_equal(from_csv["called"], from_wfdb["called"])
    assert np.array_equal(from_csv["abstained"], from_wfdb["abstained"])
    assert np.allclose(from_csv["p_v"], from_wfdb["p_v"], atol=1e-4)


def test_the_command_writes_a_table_and_a_figure_and_keeps_your_files(
    pipeline_dir, ludb_csv, tmp_path, capsys
):
    args = ["predict", str(ludb_csv), "--pipeline", str(pipeline_dir), "--fs", "500",
            "--units", "uV", "--out", str(tmp_path)]  # fmt: skip
    assert main(args) == 0
    table = (tmp_path / "my_ecg_beats.csv").read_text().splitlines()
    assert table[0] == "time_s,called,p_v,abstained" and len(table) >= 6
    assert (tmp_path / "my_ecg_beats.png").read_bytes()[:4] == b"\x89PNG"
    assert main(args) == 0  # its own files: written again
    (tmp_path / "my_ecg_beats.png").write_bytes(b"yours")
    assert main(args) == 2
    assert "not overwriting" in capsys.readouterr().err
    assert (tmp_path / "my_ecg_beats.png").read_bytes() == b"yours"


def _csv(tmp_path, values, name="bad.csv"):
    path = tmp_path / name
    path.write_text("\n".join(f"{v:.6f}" for v in values) + "\n")
    return path


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"units": "uV"}, "no sampling rate"),
        ({"fs": 500}, "no units"),
        ({"fs": 500, "units": "mV"}, "are the units"),  # microvolts said to be millivolts
        ({"fs": 500, "units": "counts"}, "need the gain"),
        ({"fs": 500, "units": "volts"}, "units must be one of"),
        ({"fs": 0, "units": "uV"}, "fs"),
    ],
)
def test_a_csv_without_rate_or_with_wrong_units_is_refused(ludb_csv, kwargs, message):
    with pytest.raises(ValueError, match=message):
        read_recording(ludb_csv, **kwargs)


def test_flat_clipped_short_and_beatless_signals_are_refused(pipeline_dir, tmp_path):
    t = np.arange(0, 30, 1 / 250)
    with pytest.raises(ValueError, match="flat"):
        read_recording(_csv(tmp_path, np.zeros_like(t)), fs=250, units="mV")
    clipped = np.clip(2 * np.sin(2 * np.pi * 1.2 * t), -1, 1)
    with pytest.raises(ValueError, match="clipped"):
        read_recording(_csv(tmp_path, clipped), fs=250, units="mV")
    with pytest.raises(ValueError, match="at least"):
        read_recording(_csv(tmp_path, np.sin(t[:1000])), fs=250, units="mV")
    slow = read_recording(_csv(tmp_path, 0.5 * np.sin(2 * np.pi * 0.05 * t)), fs=250, units="mV")
    with pytest.raises(ValueError, match="nothing to classify"):
        predict_recording(slow, pipeline_dir)


def test_a_wfdb_file_must_agree_with_what_you_say(tmp_path):
    hea = record_path("ludb", "1").with_suffix(".hea")
    with pytest.raises(ValueError, match="name one with lead"):
        read_recording(hea)
    with pytest.raises(ValueError, match="the file says 500 Hz"):
        read_recording(hea, lead="ii", fs=360)
    with pytest.raises(FileNotFoundError, match="no recording"):
        read_recording(tmp_path / "missing.csv", fs=250, units="mV")


def test_annotated_beats_of_a_file_at_another_rate_and_unit_are_the_records(tmp_path):
    import wfdb
    from scipy import signal as sps

    from ecgcourse.predict import annotated_beats
    from ecgcourse.records import load_annotations
    from ecgcourse.signals import resample_positions

    rec, ann = load_record("mitdb", "119", leads=["MLII"]), load_annotations("mitdb", "119")
    x = sps.resample_poly(rec.lead("MLII").astype(float), 500, 360)
    wfdb.wrsamp("f", fs=500, units=["uV"], sig_name=["ECG"], p_signal=x[:, None] * 1000,
                fmt=["16"], adc_gain=[5.0], baseline=[0], write_dir=str(tmp_path))  # fmt: skip
    wfdb.wrann("f", "atr", sample=resample_positions(ann.sample, 360, fs_out=500),
               symbol=list(ann.symbol), fs=500, write_dir=str(tmp_path))  # fmt: skip
    beats = annotated_beats(tmp_path / "f.hea", fs_out=COURSE_FS)
    original = load_beats(["119"])
    assert beats.fs == COURSE_FS and beats.X.shape[1] == original.X.shape[1]
    assert (beats.label == "V").sum() == (original.label == "V").sum()
    assert np.median(np.ptp(beats.X, axis=1)) == pytest.approx(
        np.median(np.ptp(original.X, axis=1)), rel=0.02
    )  # in mV, not uV
