import numpy as np
import pytest

from ecgcourse.beat_inputs import (
    RR_INPUTS,
    record_median_rr,
    reference_beats,
    regular_beats,
    rr_input,
    shape_input,
)
from ecgcourse.beats import BeatSet, load_beats


def _beats(rr_ms, record="r"):
    n = len(rr_ms)
    X = np.tile(np.sin(np.linspace(0, np.pi, 20)), (n, 1)).astype(np.float32)
    pre = np.asarray(rr_ms, dtype=float)
    post = np.append(pre[1:], pre[-1])
    rr = np.column_stack([pre, post, pre, np.full(n, pre.mean())])
    return BeatSet(X, np.array(["N"] * n), np.array([record] * n), np.arange(n), rr, 250.0)


def test_median_rr_ignores_a_few_early_beats_where_the_mean_moves():
    rr = [1000.0] * 30
    rr[5], rr[15] = 400.0, 400.0
    beats = _beats(rr)
    assert np.all(record_median_rr(beats) == 1000.0)
    regular = regular_beats(beats)
    assert not regular[5] and not regular[4]  # the early beat, and the beat before it
    assert regular[10]


def test_a_beat_on_time_in_a_regular_rhythm_is_zero():
    R = rr_input(_beats([800.0] * 40))
    assert R.shape == (40, len(RR_INPUTS)) and R.dtype == np.float32
    assert np.allclose(R, 0)


def test_the_reference_beat_comes_from_regular_beats_and_the_shape_is_relative_to_it():
    beats = _beats([1000.0] * 30)
    X = beats.X.copy()
    X[3] *= 3  # one odd beat among regular ones
    beats = BeatSet(X, beats.label, beats.record, beats.r_peak, beats.rr, beats.fs)
    ref = reference_beats(beats)["r"]
    centred = beats.X[0] - beats.X[0].mean()
    assert np.allclose(ref, centred)
    S = shape_input(beats)
    assert S.shape == (30, 20, 1) and np.allclose(S[0], 0, atol=1e-6)
    assert np.abs(S[3]).max() > 1
    assert shape_input(beats, start=5).shape == (30, 15, 1)
    with pytest.raises(ValueError, match="start"):
        shape_input(beats, start=20)
    with pytest.raises(ValueError, match="rr_reference"):
        rr_input(beats, rr_reference="max")


def test_on_a_real_record():
    beats = load_beats(["232"])
    R = rr_input(beats)
    assert np.isfinite(R).all()
    S = shape_input(beats)
    assert np.isfinite(S).all() and S.shape[0] == len(beats)
