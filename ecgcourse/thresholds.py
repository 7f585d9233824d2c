"""Alarm thresholds for the rare classes, chosen on training patients' out-of-fold
probabilities and then applied unchanged to the test patients."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted


class AlarmThresholds(BaseEstimator):
    """Call an alarm class (S, V) when its probability reaches its threshold, the one with
    the larger ``probability / threshold`` where two do; otherwise the most probable of
    the other classes.

    ``fit(proba, y)`` tries every pair of thresholds in ``grid`` and keeps the one with the
    best mean F1 over ``alarm_classes``; ``proba``: ``(n, len(classes))`` probabilities
    (columns in the order of ``classes``), ``y``: ``(n,)`` class letters. Fitted:
    ``thresholds_`` (``{class: threshold}``) and ``score_`` (that mean F1).
    """

    def __init__(
        self,
        classes: Sequence[str] = ("N", "S", "V", "F"),
        alarm_classes: Sequence[str] = ("S", "V"),
        grid: Sequence[float] = tuple(np.round(np.arange(0.05, 0.96, 0.05), 2)),
    ):
        self.classes = classes
        self.alarm_classes = alarm_classes
        self.grid = grid

    def _check(self, proba: np.ndarray) -> np.ndarray:
        proba = np.asarray(proba, dtype=np.float64)
        if proba.ndim != 2 or proba.shape[1] != len(self.classes):
            raise ValueError(
                f"proba must be (n, {len(self.classes)}) for classes {tuple(self.classes)}, "
                f"got {proba.shape}"
            )
        missing = set(self.alarm_classes) - set(self.classes)
        if missing:
            raise ValueError(f"alarm classes {sorted(missing)} are not among {self.classes}")
        return proba

    def _decide_index(self, proba: np.ndarray, thresholds: Sequence[float]) -> np.ndarray:
        # (n,) column index of the class called for every row
        alarm = np.array([list(self.classes).index(c) for c in self.alarm_classes])
        other = np.array([i for i in range(len(self.classes)) if i not in alarm])
        pred = other[proba[:, other].argmax(axis=1)]
        ratio = proba[:, alarm] / np.asarray(thresholds)
        fires = ratio.max(axis=1) >= 1
        pred[fires] = alarm[ratio[fires].argmax(axis=1)]
        return pred

    def fit(self, proba: np.ndarray, y: Sequence[str]) -> AlarmThresholds:
        proba, y = self._check(proba), np.asarray(y)
        if len(y) != len(proba):
            raise ValueError(f"{len(y)} labels for {len(proba)} rows of probabilities")
        truth = np.array([list(self.classes).index(c) if c in self.classes else -1 for c in y])
        alarm = [list(self.classes).index(c) for c in self.alarm_classes]
        grids = np.meshgrid(*[np.asarray(self.grid)] * len(self.alarm_classes), indexing="ij")
        best, best_t = -1.0, None
        for t in np.column_stack([g.ravel() for g in grids]):
            pred = self._decide_index(proba, t)
            f1 = []
            for a in alarm:  # F1 = 2 TP / (2 TP + FP + FN), 0 where undefined (as sklearn)
                tp = np.count_nonzero((pred == a) & (truth == a))
                wrong = np.count_nonzero((pred == a) != (truth == a))
                f1.append(2 * tp / (2 * tp + wrong) if 2 * tp + wrong else 0.0)
            if np.mean(f1) > best:
                best, best_t = float(np.mean(f1)), t
        self.thresholds_ = {c: float(t) for c, t in zip(self.alarm_classes, best_t)}
        self.score_ = best
        return self

    def predict(self, proba: np.ndarray) -> np.ndarray:
        """``(n,)`` class letters."""
        check_is_fitted(self, "thresholds_")
        proba = self._check(proba)
        index = self._decide_index(proba, [self.thresholds_[c] for c in self.alarm_classes])
        return np.asarray(self.classes)[index]


def cross_fitted(
    rule: AlarmThresholds, proba: np.ndarray, y: Sequence[str], fold: Sequence[int]
) -> np.ndarray:
    """``(n,)`` predictions where every fold's thresholds were fitted on the *other* folds'
    out-of-fold probabilities: an honest DS1 score for a rule that is itself fitted."""
    y, fold = np.asarray(y), np.asarray(fold)
    pred = np.empty(len(y), dtype=object)
    for k in np.unique(fold):
        mine = fold == k
        pred[mine] = clone(rule).fit(proba[~mine], y[~mine]).predict(proba[mine])
    return pred.astype(str)
