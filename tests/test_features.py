"""Beat features measure what their names say, in the units their names say."""

import numpy as np
import pytest

from ecgcourse.beats import BeatSet
from ecgcourse.features import FEATURE_NAMES, beat_features


def triangle_beat(fs: float, peak_mv: float = 1.5, half_base_ms: float = 40.0) -> BeatSet:
    """One beat, -250 to +400 ms, flat at 0 mV but for a triangle QRS centred on the R peak
    (``peak_mv`` high, ``2 * half_base_ms`` wide at its base), with RR 800 ms."""
    t_ms = (np.arange(int(round(0.65 * fs))) - int(round(0.25 * fs))) * 1000.0 / fs
    x = peak_mv * np.clip(1 - np.abs(t_ms) / half_base_ms, 0, None)
    return BeatSet(
        X=x[None, :].astype(np.float32),
        label=np.array(["N"]),
        record=np.array(["synthetic"]),
        r_peak=np.array([0]),
        rr=np.full((1, 4), 800.0, dtype=np.float32),
        fs=fs,
    )


def feature(beats: BeatSet, name: str) -> float:
    return float(beat_features(beats)[0, FEATURE_NAMES.index(name)])


@pytest.mark.parametrize("fs", [250.0, 360.0, 1000.0])
def test_triangle_qrs_width_at_half_amplitude_and_energy(fs):
    # A triangle of height A and base 2b is above A/2 for b ms (its full width at half
    # maximum) and its squared integral is 2 A^2 b / 3, here in mV^2 * s with b in s.
    beats = triangle_beat(fs, peak_mv=1.5, half_base_ms=40.0)
    assert abs(feature(beats, "qrs_half_amplitude_width_ms") - 40.0) <= 1000.0 / fs
    assert feature(beats, "qrs_energy_mv2s") == pytest.approx(2 * 1.5**2 * 0.040 / 3, rel=0.02)
    assert feature(beats, "r_amplitude_mv") == pytest.approx(1.5, abs=0.05)
    assert feature(beats, "qrs_peak_to_peak_mv") == pytest.approx(1.5, abs=0.05)
    assert feature(beats, "pre_rr_ms") == 800.0
    assert feature(beats, "pre_over_local") == 1.0


def test_half_amplitude_width_counts_whole_samples_of_the_beat():
    # At 1000 Hz the triangle of half-base 40 ms is above half its height for |t| < 20 ms:
    # samples -19 ... 19 ms, 39 samples of 1 ms each.
    assert feature(triangle_beat(1000.0), "qrs_half_amplitude_width_ms") == 39.0


def test_units_do_not_depend_on_the_sampling_rate_or_the_gain():
    slow, fast = triangle_beat(250.0), triangle_beat(1000.0)
    for name in ("qrs_half_amplitude_width_ms", "qrs_energy_mv2s"):  # ms and mV^2 * s, not samples
        assert feature(slow, name) == pytest.approx(feature(fast, name), rel=0.1)
    double = triangle_beat(360.0, peak_mv=3.0)
    single = triangle_beat(360.0, peak_mv=1.5)
    assert feature(double, "qrs_energy_mv2s") == pytest.approx(
        4 * feature(single, "qrs_energy_mv2s")
    )
    assert feature(double, "qrs_half_amplitude_width_ms") == feature(
        single, "qrs_half_amplitude_width_ms"
    )


def test_one_column_per_name():
    assert beat_features(triangle_beat(250.0)).shape == (1, len(FEATURE_NAMES))
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
