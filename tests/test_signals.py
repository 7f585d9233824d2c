import inspect

import numpy as np
import pytest

from ecgcourse.beats import RR_FEATURES, load_beats, rr_intervals_ms
from ecgcourse.labels import AAMI_CLASSES, aami_class, aami_labels, is_beat
from ecgcourse.signals import (
    bandpass,
    concat,
    cut_beats,
    cut_windows,
    resample,
    resample_positions,
)


def test_resample_keeps_duration_and_a_sine_frequency():
    fs_in, fs_out = 360, 250
    t = np.arange(0, 10, 1 / fs_in)
    x = np.sin(2 * np.pi * 5 * t).astype(np.float32)
    y = resample(x, fs_in, fs_out=fs_out)
    assert len(y) == 2500 and y.dtype == np.float32
    expected = np.sin(2 * np.pi * 5 * np.arange(2500) / fs_out)
    assert np.abs(y[100:-100] - expected[100:-100]).max() < 0.01


def test_resample_rejects_bad_rates_and_nans():
    with pytest.raises(ValueError, match="positive"):
        resample(np.zeros(10), 0, fs_out=250)
    x = np.zeros(100)
    x[3] = np.nan
    with pytest.raises(ValueError, match="1 NaN"):
        resample(x, 360, fs_out=250)


def test_resample_positions_moves_marks_by_at_most_half_a_sample():
    marks = np.array([0, 359, 360, 1000, 215999])
    mapped = resample_positions(marks, 360, fs_out=250)
    assert np.abs(mapped / 250 - marks / 360).max() <= 0.5 / 250 + 1e-12


def test_bandpass_removes_baseline_and_rejects_cutoffs_above_nyquist():
    fs = 250
    t = np.arange(0, 20, 1 / fs)
    wander = 2 * np.sin(2 * np.pi * 0.05 * t)
    qrs_band = np.sin(2 * np.pi * 10 * t)
    y = bandpass((wander + qrs_band).astype(np.float32), fs)
    assert np.abs(y[1000:-1000] - qrs_band[1000:-1000]).max() < 0.1
    with pytest.raises(ValueError, match="fs/2"):
        bandpass(np.zeros(1000), fs=60, high_hz=40)


def test_cut_beats_drops_edges_and_keeps_record_id():
    x = np.arange(1000, dtype=np.float32)
    seg, kept = cut_beats(x, 100, centres=np.array([5, 100, 500, 995]), record="r1",
                          before_ms=100, after_ms=200)  # fmt: skip
    assert kept.tolist() == [False, True, True, False]
    assert seg.X.shape == (2, 30)
    assert seg.X[0, 10] == 100, "the centre sits before_ms into the beat"
    assert seg.record.tolist() == ["r1", "r1"] and seg.start.tolist() == [90, 490]


def test_cut_windows_and_concat():
    a = cut_windows(np.zeros((1050, 2)), 100, record="a", window_s=2)
    b = cut_windows(np.zeros(1000), 100, record="b", window_s=2, step_s=1)
    assert a.X.shape == (5, 200, 2)
    assert len(b) == 9
    both = concat(
        [
            cut_windows(np.zeros(400), 100, record="a", window_s=2),
            cut_windows(np.ones(600), 100, record="b", window_s=2),
        ]
    )
    assert both.record.tolist() == ["a", "a", "b", "b", "b"]
    with pytest.raises(ValueError, match="sampling rates"):
        concat(
            [
                cut_windows(np.zeros(400), 100, record="a", window_s=2),
                cut_windows(np.zeros(400), 50, record="b", window_s=2),
            ]
        )


SIGNAL_FUNCTIONS = (resample, resample_positions, bandpass, cut_beats, cut_windows)


@pytest.mark.parametrize("function", SIGNAL_FUNCTIONS, ids=lambda f: f.__name__)
def test_signal_functions_take_x_and_fs_first_and_every_option_by_name(function):
    params = list(inspect.signature(function).parameters.values())
    assert [p.name for p in params[:2]] in (["x", "fs"], ["sample", "fs"])
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in params[:2])
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params[2:]), function.__name__


def test_a_rate_given_by_position_is_refused():
    with pytest.raises(TypeError):
        resample(np.zeros(360), 360, 250)
    with pytest.raises(TypeError):
        cut_windows(np.zeros(400), 100, "a", 2)


def test_aami_mapping():
    assert aami_class("L") == "N" and aami_class("a") == "S" and aami_class("E") == "V"
    assert aami_labels(["N", "V", "/"]).tolist() == ["N", "V", "Q"]
    assert not is_beat("+") and not is_beat("~")
    with pytest.raises(ValueError, match="not a beat"):
        aami_class("+")


def test_rr_intervals():
    rr = rr_intervals_ms(np.array([0, 360, 720, 1260]), fs=360)
    assert rr.shape == (4, len(RR_FEATURES))
    assert rr[1].tolist()[:2] == [1000, 1000]
    assert rr[3, 0] == 1500 and rr[0, 3] == pytest.approx(3500 / 3)


def test_load_beats_keeps_records_and_labels():
    beats = load_beats(["100", "208"])
    assert beats.X.shape[1] == 162 and beats.fs == 250
    assert set(beats.record) == {"100", "208"}
    assert set(beats.label) <= set(AAMI_CLASSES) and "V" in set(beats.label)
    assert len(beats.of_records(["208"])) == int((beats.record == "208").sum())


def test_bandpass_corners_sit_at_minus_6_db_after_filtfilt():
    # The docstring's claim: one pass puts the corners at -3 dB, forwards and backwards -6 dB.
    fs = 360
    t = np.arange(30 * fs) / fs
    for hz in (0.5, 40.0):
        sine = np.sin(2 * np.pi * hz * t)
        kept = bandpass(sine, fs)[10 * fs : 20 * fs]
        gain_db = 20 * np.log10(np.std(kept) / np.std(sine[10 * fs : 20 * fs]))
        assert abs(gain_db + 6.02) < 0.1, (hz, gain_db)
