import json

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from ecgcourse.guard import (
    CALIBRATION_FILE,
    FEATURES,
    BeatGuard,
    load_calibration,
    save_calibration,
    standardise,
)
from ecgcourse.normalise import Normaliser


@pytest.fixture(scope="module")
def beats():
    """Smooth beat-like waveforms (mV) with a little variety: 400 beats of 100 samples."""
    rng = np.random.default_rng(0)
    t = np.linspace(-1, 1, 100)
    width = rng.uniform(0.05, 0.08, size=(400, 1))
    height = rng.uniform(0.8, 1.5, size=(400, 1))
    X = height * np.exp(-((t / width) ** 2)) + 0.2 * np.exp(-(((t - 0.5) / 0.15) ** 2))
    return (X + rng.normal(scale=0.005, size=X.shape)).astype(np.float32)


@pytest.fixture(scope="module")
def guard(beats):
    return BeatGuard(n_components=5, tail_percent=0.5, fs=250).fit(beats)


def test_an_unfitted_guard_refuses_to_work(beats):
    for use in (lambda g: g.flags(beats, fs=250), lambda g: g.features(beats), BeatGuard.to_dict):
        with pytest.raises(NotFittedError, match=r"BeatGuard is not fitted: call \.fit"):
            use(BeatGuard())


def test_nans_wrong_rate_and_wrong_width_are_clear_errors(guard, beats):
    bad = beats[:3].copy()
    bad[1, 7] = np.nan
    with pytest.raises(ValueError, match=r"1 NaN or infinite values \(first in beat 1\)"):
        guard.flags(bad, fs=250)
    with pytest.raises(ValueError, match="fitted on beats sampled at 250 Hz, got 360 Hz"):
        guard.flags(beats, fs=360)
    with pytest.raises(ValueError, match="fitted on beats sampled at 250 Hz, got 360 Hz"):
        guard.features(beats, fs=360)
    with pytest.raises(ValueError, match="beats of 100 samples, got 99"):
        guard.flags(beats[:, :99])
    with pytest.raises(ValueError, match=r"shape \(n_beats, n_samples\)"):
        guard.flags(beats[0], fs=250)
    with pytest.raises(TypeError):
        guard.flags(beats, 250)  # the rate goes by name, so it cannot be mistaken
    with pytest.raises(TypeError, match=r"BeatGuard\(\.\.\., fs=250\)"):
        BeatGuard(n_components=5).fit(beats, 250)  # the old fit(X, fs) by position


def test_features_are_what_the_docstring_says(guard, beats):
    F = guard.features(beats[:10], fs=250)
    assert F.shape == (10, len(FEATURES))
    np.testing.assert_allclose(F[:, 0], np.ptp(beats[:10], axis=1), rtol=1e-6)
    np.testing.assert_allclose(F[:, 1], np.median(beats[:10], axis=1), rtol=1e-6)
    assert (F[:, 2] >= 0).all() and (F[:, 2] < 0.05).all(), "training shapes are explained"
    per_window = Normaliser("per_window", fs=250).fit(beats).transform(beats)
    np.testing.assert_allclose(standardise(beats), per_window, atol=1e-6)


def test_training_beats_mostly_pass_and_shifted_or_noisy_beats_are_flagged(guard, beats):
    assert guard.flags(beats, fs=250).mean() <= 0.03
    assert guard.flags(5 * beats, fs=250).all(), "a gain of 5 leaves the amplitude range"
    assert guard.flags(beats + 1.0).all(), "an offset of 1 mV leaves the baseline range"
    noise = np.random.default_rng(1).normal(scale=0.3, size=beats.shape).astype(np.float32)
    assert guard.flags(beats + noise, fs=250).mean() > 0.9, "noise raises the shape residual"
    assert np.isneginf(guard.low_[2]), "the shape residual has an upper limit only"


def test_save_and_load_rebuild_the_same_guard(guard, beats, tmp_path):
    path = save_calibration(tmp_path, guard, temperature=2.5, notes={"records": ["101"]})
    assert path.name == CALIBRATION_FILE
    loaded, temperature, notes = load_calibration(tmp_path)
    assert temperature == 2.5 and notes == {"records": ["101"]}
    mixed = np.concatenate([beats[:50], 5 * beats[:50]])
    np.testing.assert_array_equal(loaded.flags(mixed, fs=250), guard.flags(mixed, fs=250))
    np.testing.assert_allclose(loaded.features(mixed), guard.features(mixed), rtol=1e-6)
    assert loaded.get_params() == guard.get_params() and loaded.fs_ == 250


def test_bad_saved_files_and_temperatures_are_refused(guard, tmp_path):
    with pytest.raises(FileNotFoundError, match=f"no {CALIBRATION_FILE}"):
        load_calibration(tmp_path)
    with pytest.raises(ValueError, match="temperature must be a positive number"):
        save_calibration(tmp_path, guard, temperature=0.0)
    data = guard.to_dict()
    del data["components"]
    (tmp_path / CALIBRATION_FILE).write_text(json.dumps({"temperature": 1.0, "guard": data}))
    with pytest.raises(ValueError, match=r"missing \['components'\]"):
        load_calibration(tmp_path)
    with pytest.raises(ValueError, match="more training beats"):
        BeatGuard(n_components=5).fit(np.zeros((5, 100), dtype=np.float32))


def test_hyper_parameters_are_checked_by_fit_not_by_the_constructor(beats):
    for params, message in (
        ({"n_components": 0}, "n_components must be an integer of at least 1"),
        ({"n_components": 2.5}, "n_components must be an integer"),
        ({"tail_percent": 50}, r"tail_percent must be in \[0, 50\)"),
        ({"fs": -250}, "fs must be a positive sampling rate"),
        ({"fs": None}, "fs must be the sampling rate"),
    ):
        guard = BeatGuard(**params)  # stores only, as scikit-learn estimators do
        assert guard.get_params()[next(iter(params))] == params[next(iter(params))]
        with pytest.raises(ValueError, match=message):
            guard.fit(beats)


def test_fit_sets_only_attributes_that_end_in_an_underscore(beats):
    guard = BeatGuard(n_components=5, tail_percent=1, fs=250)
    before = dict(vars(guard))
    assert before == {"n_components": 5, "tail_percent": 1, "fs": 250}
    assert guard.fit(beats) is guard
    assert set(vars(guard)) - set(before) == {
        "shape_mean_",
        "components_",
        "low_",
        "high_",
        "fs_",
    }
    assert {k: v for k, v in vars(guard).items() if not k.endswith("_")} == before
    assert guard.components_.shape == (5, 100) and guard.shape_mean_.shape == (100,)
    assert guard.low_.shape == guard.high_.shape == (len(FEATURES),)


def test_get_params_round_trips_and_clone_copies_settings_not_the_fit(guard, beats):
    params = guard.get_params()
    assert params == {"n_components": 5, "tail_percent": 0.5, "fs": 250}
    assert BeatGuard(**params).get_params() == params
    copy = clone(guard)
    assert copy.get_params() == params and not hasattr(copy, "shape_mean_")
    with pytest.raises(NotFittedError):
        copy.flags(beats)
    np.testing.assert_array_equal(copy.fit(beats).flags(beats), guard.flags(beats))
    assert BeatGuard().fs == 250, "the course rate is the default"
