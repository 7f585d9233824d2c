import json

import numpy as np
import pytest

from ecgcourse.normalise import METHODS, Normaliser, NotFittedError


@pytest.fixture
def windows():
    rng = np.random.default_rng(1)
    return (rng.normal(size=(50, 100)) * 0.5 + 0.1).astype(np.float32)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_refuses_use_before_fit(method, windows):
    with pytest.raises(NotFittedError, match=rf"Normaliser\('{method}'\) is not fitted"):
        Normaliser(method).transform(windows)
    with pytest.raises(NotFittedError):
        Normaliser(method).save("unused.json")


@pytest.mark.parametrize("method", METHODS)
def test_save_and_load_give_the_same_transform(method, windows, tmp_path):
    norm = Normaliser(method).fit(windows, fs=250)
    path = norm.save(tmp_path / "model" / "normaliser.json")
    loaded = Normaliser.load(path)
    np.testing.assert_allclose(loaded.transform(windows), norm.transform(windows), rtol=1e-6)
    assert loaded.fs == 250 and loaded.window_shape == (100,)
    assert [p.name for p in path.parent.iterdir()] == ["normaliser.json"], "no temp files left"


def test_methods_do_what_they_say(windows):
    z = Normaliser("zscore").fit_transform(windows)
    assert abs(z.mean()) < 1e-5 and abs(z.std() - 1) < 1e-4
    g = Normaliser("global_max").fit_transform(windows)
    assert np.abs(g).max() == pytest.approx(1.0)
    w = Normaliser("per_window").fit_transform(windows)
    np.testing.assert_allclose(w.std(axis=1), 1, rtol=1e-4)
    r = Normaliser("robust").fit_transform(windows)
    q25, q75 = np.percentile(r, [25, 75])
    assert q75 - q25 == pytest.approx(1.0, rel=1e-3)


def test_per_window_is_blind_to_gain_and_offset_but_global_max_is_not(windows):
    per_window = Normaliser("per_window").fit(windows)
    np.testing.assert_allclose(
        per_window.transform(5 * windows + 2), per_window.transform(windows), atol=1e-4
    )
    global_max = Normaliser("global_max").fit(windows)
    assert np.abs(global_max.transform(5 * windows)).max() == pytest.approx(5.0)


def test_nans_are_refused_with_their_position(windows):
    norm = Normaliser("zscore").fit(windows)
    bad = windows.copy()
    bad[3, 7] = np.nan
    with pytest.raises(ValueError, match=r"1 NaN .*index \(3, 7\)"):
        norm.transform(bad)
    with pytest.raises(ValueError, match="NaN"):
        Normaliser("robust").fit(bad)


def test_shape_mismatch_is_refused(windows):
    norm = Normaliser("zscore").fit(windows)
    with pytest.raises(ValueError, match=r"fitted on windows of shape \(100,\) but got \(80,\)"):
        norm.transform(windows[:, :80])
    with pytest.raises(ValueError, match="expected windows of shape"):
        norm.transform(windows[0])


def test_wrong_sampling_rate_is_refused(windows):
    norm = Normaliser("per_window").fit(windows, fs=250)
    with pytest.raises(ValueError, match="sampled at 250 Hz but got 360 Hz"):
        norm.transform(windows, fs=360)


def test_unknown_method_and_broken_file(tmp_path):
    with pytest.raises(ValueError, match="unknown normalisation method"):
        Normaliser("max")
    (tmp_path / "n.json").write_text(json.dumps({"method": "zscore"}))
    with pytest.raises(ValueError, match="missing"):
        Normaliser.load(tmp_path / "n.json")
    with pytest.raises(FileNotFoundError, match="no saved normaliser"):
        Normaliser.load(tmp_path / "absent.json")


def test_multi_lead_statistics_are_per_lead():
    rng = np.random.default_rng(2)
    X = np.stack([rng.normal(size=(20, 50)), 10 * rng.normal(size=(20, 50))], axis=-1)
    z = Normaliser("zscore").fit_transform(X)
    np.testing.assert_allclose(z.reshape(-1, 2).std(axis=0), [1, 1], rtol=1e-4)
