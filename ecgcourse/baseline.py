"""The baseline of the course (notebook 4): four simple classifiers of beat features, and the
one patient-grouped cross-validation on the training patients picks.

Every network of the course is compared with the chosen baseline (notebook 5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sklearn.base import ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from ecgcourse.scores import mean_f1_sv

CANDIDATES = ("logistic", "logistic, weighted", "trees", "trees, weighted")
"""A logistic regression on standardised features and a gradient-boosted tree ensemble,
each without and with class weights (``class_weight="balanced"``)."""


def make_candidate(
    name: str, *, seed: int = 0, max_iter: int = 1000, tree_iterations: int = 100
) -> Pipeline | ClassifierMixin:
    """A fresh, unfitted candidate of :data:`CANDIDATES`.

    The tree ensemble's early stopping is off: scikit-learn would hold out a random tenth of
    the *beats* to decide when to stop, a beat-wise split that leaks patients.
    """
    if name not in CANDIDATES:
        raise ValueError(f"unknown baseline candidate {name!r}; choose one of {CANDIDATES}")
    weights = "balanced" if name.endswith(", weighted") else None
    if name.startswith("logistic"):
        return make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=max_iter, class_weight=weights)
        )
    return HistGradientBoostingClassifier(
        max_iter=tree_iterations, early_stopping=False, class_weight=weights, random_state=seed
    )


def choose_baseline(y: Sequence[str], out_of_fold: Mapping[str, Sequence[str]]) -> str:
    """The candidate whose out-of-fold predictions have the highest EC57 mean F1 of S and V
    (:func:`ecgcourse.scores.mean_f1_sv`); the first listed wins a tie."""
    if not out_of_fold:
        raise ValueError("out_of_fold is empty: no candidate to choose from")
    scores = {name: mean_f1_sv(y, pred) for name, pred in out_of_fold.items()}
    return max(scores, key=scores.__getitem__)
