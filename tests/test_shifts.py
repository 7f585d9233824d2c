import numpy as np
import pytest

from ecgcourse.beats import load_beats
from ecgcourse.noise import nst_normal_beats, nst_snr_db
from ecgcourse.records import load_annotations, load_record
from ecgcourse.shifts import adc_counts, gain, recorded_noise, shifted_beats


def test_changes_act_on_the_raw_signal():
    x = np.array([0.0, 1.0, -0.5], dtype=np.float32)
    assert np.allclose(gain(5)(x, 360, "100"), 5 * x)
    assert np.allclose(adc_counts()(x, 360, "100"), [1024, 1224, 924])


def test_recorded_noise_refuses_another_rate():
    change = recorded_noise(np.ones(10, dtype=np.float32), snr_db=6)
    with pytest.raises(ValueError, match="record 100 is sampled at 250 Hz, the noise at 360 Hz"):
        change(np.zeros(20, dtype=np.float32), 250, "100")


def test_shifted_beats_line_up_with_the_clean_ones():
    clean = load_beats(["100"])
    noise_mv = {"ma": load_record("nstdb", "ma").lead("noise1")}
    shifts = shifted_beats(
        ["100"], clean, noise_mv=noise_mv, noise={"ma": ("ma", 6.0)}, offset_mv=1.0
    )
    assert list(shifts) == ["clean", "gain5", "gain0p2", "counts", "offset", "ma"]
    assert shifts["ma"][0] == "ma 6 dB"
    assert all(X.shape == clean.X.shape for _, X in shifts.values())
    # band-pass and resampling are linear: a gain goes straight through them
    assert np.allclose(shifts["gain5"][1], 5 * clean.X, atol=1e-4)


def test_recorded_noise_is_at_nstdb_snr():
    x = load_record("mitdb", "100").lead("MLII")
    ann = load_annotations("mitdb", "100")
    noise = load_record("nstdb", "ma").lead("noise1")
    noisy = recorded_noise(noise, snr_db=6.0)(x, 360.0, "100")
    added = noisy.astype(np.float64) - x
    beats = nst_normal_beats(ann.sample, ann.symbol)
    assert nst_snr_db(x, 360.0, beats=beats, noise=added) == pytest.approx(6.0, abs=0.01)
