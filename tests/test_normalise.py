import json

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from ecgcourse.normalise import METHODS, Normaliser


@pytest.fixture
def windows():
    rng = np.random.default_rng(1)
    return (rng.normal(size=(50, 100)) * 0.5 + 0.1).astype(np.float32)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_refuses_use_before_fit(method, windows):
    with pytest.raises(
        NotFittedError, match=rf"Normaliser\('{method}'\) is not fitted: call \.fit"
    ):
        Normaliser(method).transform(windows)
    with pytest.raises(NotFittedError, match="Normaliser.load"):
        Normaliser(method).save("unused.json")


@pytest.mark.parametrize("method", METHODS)
def test_save_and_load_give_the_same_transform(method, windows, tmp_path):
    norm = Normaliser(method, fs=250).fit(windows)
    path = norm.save(tmp_path / "model" / "normaliser.json")
    loaded = Normaliser.load(path)
    np.testing.assert_allclose(loaded.transform(windows), norm.transform(windows), rtol=1e-6)
    assert loaded.get_params() == {"method": method, "fs": 250.0}
    assert loaded.fs_ == 250 and loaded.window_shape_ == (100,)
    for name in ("centre_", "scale_"):
        saved, read = getattr(norm, name), getattr(loaded, name)
        assert (saved is None and read is None) or np.array_equal(saved, read), name
    assert [p.name for p in path.parent.iterdir()] == ["normaliser.json"], "no temp files left"


@pytest.mark.parametrize(
    "method, stats, expected",
    [
        ("zscore", {"centre": [1.0], "scale": [2.0]}, [-0.5, 0.0, 0.5]),
        ("robust", {"centre": [1.0], "scale": [4.0]}, [-0.25, 0.0, 0.25]),
        ("global_max", {"scale": [2.0]}, [0.0, 0.5, 1.0]),
        ("per_window", {}, [-1.2247449, 0.0, 1.2247449]),
    ],
)
def test_files_of_the_old_format_still_load(method, stats, expected, tmp_path):
    # written by ecgcourse before Normaliser became a scikit-learn estimator
    old = {"method": method, "window_shape": [3], "fs": 250.0, "stats": stats}
    (tmp_path / "old.json").write_text(json.dumps(old, indent=2))
    loaded = Normaliser.load(tmp_path / "old.json")
    assert loaded.get_params() == {"method": method, "fs": 250.0}
    assert loaded.fs_ == 250 and loaded.window_shape_ == (3,)
    x = np.array([[0.0, 1.0, 2.0]], dtype=np.float32)
    np.testing.assert_allclose(loaded.transform(x, fs=250)[0], expected, rtol=1e-6)
    resaved = loaded.save(tmp_path / "new.json")
    assert "stats" not in json.loads(resaved.read_text())
    np.testing.assert_array_equal(Normaliser.load(resaved).transform(x), loaded.transform(x))


def test_fitted_statistics_per_method(windows):
    z = Normaliser("zscore").fit(windows)
    np.testing.assert_allclose(z.centre_, [windows.mean()], rtol=1e-6)
    np.testing.assert_allclose(z.scale_, [windows.std()], rtol=1e-6)
    g = Normaliser("global_max").fit(windows)
    assert g.centre_ is None and g.scale_ == pytest.approx([np.abs(windows).max()])
    w = Normaliser("per_window").fit(windows)
    assert w.centre_ is None and w.scale_ is None and w.window_shape_ == (100,)
    assert w.fs_ is None, "no fs given: the rate is not checked"


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


def test_shape_mismatch_and_zero_windows_are_refused(windows):
    norm = Normaliser("zscore").fit(windows)
    with pytest.raises(ValueError, match=r"fitted on windows of shape \(100,\) but got \(80,\)"):
        norm.transform(windows[:, :80])
    with pytest.raises(ValueError, match="expected windows of shape"):
        norm.transform(windows[0])
    with pytest.raises(ValueError, match="zero windows"):
        Normaliser("zscore").fit(windows[:0])


def test_wrong_sampling_rate_is_refused(windows):
    norm = Normaliser("per_window", fs=250).fit(windows)
    with pytest.raises(ValueError, match="sampled at 250 Hz but got 360 Hz"):
        norm.transform(windows, fs=360)
    assert norm.transform(windows, fs=250).shape == windows.shape
    unchecked = Normaliser("per_window").fit(windows)
    assert unchecked.transform(windows, fs=360).shape == windows.shape, "no fs: not checked"
    with pytest.raises(TypeError, match=r"constructor parameter now, Normaliser\(\.\.\., fs=250\)"):
        Normaliser("zscore").fit(windows, 250)  # the old fit(X, fs) by position
    with pytest.raises(ValueError, match="fs must be a positive sampling rate"):
        Normaliser("zscore", fs=0).fit(windows)


def test_unknown_method_is_refused_by_fit_and_broken_files_by_load(windows, tmp_path):
    norm = Normaliser("max")  # scikit-learn's rule: the constructor only stores
    assert norm.method == "max"
    with pytest.raises(ValueError, match="unknown normalisation method 'max'"):
        norm.fit(windows)
    (tmp_path / "n.json").write_text(json.dumps({"method": "zscore"}))
    with pytest.raises(ValueError, match="missing"):
        Normaliser.load(tmp_path / "n.json")
    with pytest.raises(FileNotFoundError, match="no saved normaliser"):
        Normaliser.load(tmp_path / "absent.json")


def test_multi_lead_statistics_are_per_lead():
    rng = np.random.default_rng(2)
    X = np.stack([rng.normal(size=(20, 50)), 10 * rng.normal(size=(20, 50))], axis=-1)
    norm = Normaliser("zscore")
    z = norm.fit_transform(X)
    np.testing.assert_allclose(z.reshape(-1, 2).std(axis=0), [1, 1], rtol=1e-4)
    assert norm.centre_.shape == norm.scale_.shape == (2,)
    assert norm.window_shape_ == (50, 2)


# scikit-learn conventions (sklearn.utils.estimator_checks wants any number of features;
# a normaliser takes windows of one fixed shape, so the conventions are tested one by one)


@pytest.mark.parametrize("method", METHODS)
def test_fit_sets_only_attributes_that_end_in_an_underscore(method, windows):
    norm = Normaliser(method, fs=250)
    before = dict(vars(norm))
    assert before == {"method": method, "fs": 250}, "the constructor stores its arguments only"
    assert norm.fit(windows) is norm
    added = set(vars(norm)) - set(before)
    assert added == {"centre_", "scale_", "window_shape_", "fs_"}
    assert {k: v for k, v in vars(norm).items() if not k.endswith("_")} == before


def test_get_params_round_trips_and_clone_copies_settings_not_statistics(windows):
    norm = Normaliser("robust", fs=360)
    assert norm.get_params() == {"method": "robust", "fs": 360}
    assert Normaliser(**norm.get_params()).get_params() == norm.get_params()
    assert norm.set_params(method="zscore") is norm and norm.method == "zscore"
    norm.fit(windows)
    copy = clone(norm)
    assert copy is not norm and copy.get_params() == norm.get_params()
    with pytest.raises(NotFittedError, match="is not fitted"):
        copy.transform(windows)


def test_goes_into_a_scikit_learn_pipeline(windows):
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, size=len(windows))
    X = windows + 0.5 * y[:, None]  # class 1 sits higher
    model = Pipeline([("norm", Normaliser("zscore")), ("clf", LogisticRegression())])
    assert model.fit(X, y) is model
    assert model.predict(X).shape == (len(X),)
    assert model.score(X, y) > 0.9
    assert model.named_steps["norm"].window_shape_ == (100,)
    assert model.get_params()["norm__method"] == "zscore"
    fitted_again = clone(model).set_params(norm__method="per_window").fit(X, y)
    assert fitted_again.named_steps["norm"].scale_ is None
    with pytest.raises(NotFittedError):
        Pipeline([("norm", Normaliser("zscore")), ("clf", LogisticRegression())]).predict(X)
