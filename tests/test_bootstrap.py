import numpy as np
import pytest

from ecgcourse.bootstrap import bootstrap_by_record, interval, record_resamples
from ecgcourse.scores import per_class_scores

CLASSES = ("N", "S", "V")


def _beats(seed=0):
    rng = np.random.default_rng(seed)
    record = np.repeat(["a", "b", "c", "d", "e"], [30, 50, 20, 40, 10])
    y = rng.choice(CLASSES, size=len(record), p=[0.7, 0.2, 0.1])
    pred = np.where(rng.random(len(y)) < 0.8, y, rng.choice(CLASSES, size=len(y)))
    return y, pred, record


def test_each_resample_scores_like_scikit_learn_on_the_drawn_records():
    y, pred, record = _beats()
    boot = bootstrap_by_record(y, {"m": pred}, record, classes=CLASSES, n_boot=20, seed=3)
    draws = record_resamples(5, 20, seed=3)
    names = np.unique(record)
    for b in (0, 7, 19):
        rows = np.concatenate(
            [np.flatnonzero(record == r) for r, k in zip(names, draws[b]) for _ in range(k)]
        )
        expected = per_class_scores(y[rows], pred[rows], CLASSES)
        for c in CLASSES:
            for metric in ("Se", "+P", "F1"):
                got = boot["m"][c][metric][b]
                if expected[c]["support"] == 0 and metric != "+P":
                    assert np.isnan(got)
                elif not np.isnan(got):
                    assert got == pytest.approx(expected[c][metric])


def test_models_share_the_resamples_so_differences_are_paired():
    y, pred, record = _beats()
    boot = bootstrap_by_record(y, {"a": pred, "b": pred}, record, classes=CLASSES, n_boot=50)
    diff = boot["a"]["S"]["F1"] - boot["b"]["S"]["F1"]
    assert np.all(diff[~np.isnan(diff)] == 0)
    assert boot["a"]["S"]["F1"].std() > 0  # the resamples differ


def test_a_class_never_drawn_is_nan_and_the_interval_ignores_it():
    y = np.array(["N"] * 10 + ["S"] * 2)
    record = np.array(["a"] * 10 + ["b"] * 2)
    boot = bootstrap_by_record(y, {"m": y}, record, classes=("N", "S"), n_boot=200, seed=1)
    se = boot["m"]["S"]["Se"]
    assert np.isnan(se).any() and np.nanmin(se) == 1.0
    assert interval(se) == (1.0, 1.0)


def test_bad_input_is_refused():
    y, pred, record = _beats()
    with pytest.raises(ValueError, match="predictions for"):
        bootstrap_by_record(y, {"m": pred[:-1]}, record, classes=CLASSES)
    with pytest.raises(ValueError, match="at least 2 records"):
        record_resamples(1, 10)
    with pytest.raises(ValueError, match="level"):
        interval(np.ones(3), level=95)


def test_bootstrap_means_pool_whole_records_with_the_same_draws():
    from ecgcourse.bootstrap import bootstrap_means

    record = np.array(["a", "a", "b", "c"])
    out = bootstrap_means(
        {"x": [1.0, 3.0, 5.0, 7.0], "y": [0.0, 0.0, 1.0, 1.0]}, record, n_boot=200, seed=1
    )
    assert out["x"].shape == (200,)
    assert out["x"].min() >= 2.0 and out["x"].max() <= 7.0  # record means 2, 5, 7
    assert np.isclose(np.median(out["x"]), 4.0, atol=1.1)
    assert ((out["y"] == 0) == (out["x"] == 2.0)).all()  # the same resamples for both
