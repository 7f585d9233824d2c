import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.metrics import f1_score

from ecgcourse.thresholds import AlarmThresholds, cross_fitted

CLASSES = ("N", "S", "V", "F")


def _proba(seed=0, n=600):
    rng = np.random.default_rng(seed)
    y = rng.choice(CLASSES, size=n, p=[0.7, 0.15, 0.1, 0.05])
    logits = rng.normal(size=(n, 4))
    logits[np.arange(n), [CLASSES.index(c) for c in y]] += 1.5
    logits[:, 1] -= 1.0  # S under-called by argmax: a threshold below 0.5 should help
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return proba, y


def test_thresholds_beat_argmax_on_what_they_were_fitted_on():
    proba, y = _proba()
    rule = AlarmThresholds(CLASSES).fit(proba, y)
    argmax = np.array(CLASSES)[proba.argmax(axis=1)]
    f1 = lambda p: f1_score(y, p, labels=["S", "V"], average="macro")  # noqa: E731
    assert rule.score_ == pytest.approx(f1(rule.predict(proba)))
    assert rule.score_ >= f1(argmax)
    assert set(rule.thresholds_) == {"S", "V"}


def test_decision_rule():
    rule = AlarmThresholds(CLASSES)
    rule.thresholds_ = {"S": 0.2, "V": 0.5}
    proba = np.array(
        [
            [0.70, 0.25, 0.05, 0.00],  # S passes its threshold: S, though N is more probable
            [0.30, 0.30, 0.40, 0.00],  # S passes (1.5x), V does not: S
            [0.10, 0.30, 0.60, 0.00],  # both pass, S by 1.5x, V by 1.2x: S
            [0.60, 0.10, 0.10, 0.20],  # neither: the likelier of N and F
            [0.20, 0.10, 0.10, 0.60],
        ]
    )
    assert list(rule.predict(proba)) == ["S", "S", "S", "N", "F"]


def test_cross_fitted_never_uses_a_fold_to_choose_its_own_thresholds():
    proba, y = _proba(1)
    fold = np.arange(len(y)) % 3
    pred = cross_fitted(AlarmThresholds(CLASSES), proba, y, fold)
    mine = fold == 0
    expected = AlarmThresholds(CLASSES).fit(proba[~mine], y[~mine]).predict(proba[mine])
    assert list(pred[mine]) == list(expected)


def test_bad_input_is_refused():
    proba, y = _proba()
    with pytest.raises(NotFittedError):
        AlarmThresholds(CLASSES).predict(proba)
    with pytest.raises(ValueError, match=r"proba must be \(n, 4\)"):
        AlarmThresholds(CLASSES).fit(proba[:, :3], y)
    with pytest.raises(ValueError, match="labels for"):
        AlarmThresholds(CLASSES).fit(proba, y[:-1])
    with pytest.raises(ValueError, match="alarm classes"):
        AlarmThresholds(("N", "V"), alarm_classes=("S",)).fit(proba[:, :2], y)
