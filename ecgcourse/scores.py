"""Per-class scores the way arrhythmia papers report them (AAMI EC57 style).

Sensitivity (Se) is recall, positive predictivity (+P) is precision; both per class, with
F1, support, balanced accuracy and a confusion matrix from scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from sklearn.metrics import (
    ConfusionMatrixDisplay,
    balanced_accuracy_score,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)

from ecgcourse.labels import AAMI_CLASSES


def per_class_scores(
    y_true: Sequence[str], y_pred: Sequence[str], classes: Sequence[str] = AAMI_CLASSES
) -> dict[str, dict[str, float]]:
    """``{class: {"Se", "+P", "F1", "support"}}`` for every class in ``classes``.

    A class never predicted gets +P 0 (scikit-learn's ``zero_division=0``), which is what a
    detector that never fires deserves.
    """
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=list(classes), zero_division=0
    )
    return {
        c: {"Se": float(r), "+P": float(p), "F1": float(f), "support": int(s)}
        for c, p, r, f, s in zip(classes, precision, recall, f1, support)
    }


def se_ppv(is_class: Sequence[bool], called_class: Sequence[bool]) -> tuple[float, float]:
    """Sensitivity (share of the class's beats called that class) and +P (share of the calls
    that are right) of one class, from two boolean arrays of shape ``(n,)``.

    Unlike :func:`per_class_scores`, an undefined score is NaN, not 0: with no beat of the
    class there is no sensitivity, with no call of it no +P (a record with 5 V beats in noise
    says little either way).
    """
    is_class, called_class = np.asarray(is_class, dtype=bool), np.asarray(called_class, dtype=bool)
    if is_class.shape != called_class.shape or is_class.ndim != 1:
        raise ValueError(
            f"need two 1-D arrays of one shape, got {is_class.shape} and {called_class.shape}"
        )
    if len(is_class) == 0:  # no beats at all: neither score is defined
        return float("nan"), float("nan")
    se = recall_score(is_class, called_class, zero_division=np.nan)
    ppv = precision_score(is_class, called_class, zero_division=np.nan)
    return float(se), float(ppv)


def balanced_accuracy(y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    """Mean per-class sensitivity over the classes present in ``y_true``."""
    return float(balanced_accuracy_score(y_true, y_pred))


def format_scores(scores: dict[str, dict[str, float]]) -> str:
    """A small text table of :func:`per_class_scores` output."""
    lines = [f"{'class':>5} {'Se':>6} {'+P':>6} {'F1':>6} {'support':>8}"]
    for c, s in scores.items():
        lines.append(f"{c:>5} {s['Se']:6.3f} {s['+P']:6.3f} {s['F1']:6.3f} {s['support']:8d}")
    return "\n".join(lines)


def plot_confusion(
    y_true: Sequence[str],
    y_pred: Sequence[str],
    classes: Sequence[str] = AAMI_CLASSES,
    ax: Axes | None = None,
    title: str = "",
) -> Axes:
    """Confusion matrix normalised per true class: each cell is a fraction, rows sum to 1."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.2, 3.8))
    display = ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, labels=list(classes), normalize="true", ax=ax, colorbar=False,
        values_format=".2f", cmap="Blues",
    )  # fmt: skip
    display.ax_.set_xlabel("predicted class")
    display.ax_.set_ylabel("true class")
    if title:
        display.ax_.set_title(title)
    return display.ax_


def class_weights(labels: np.ndarray, classes: Sequence[str]) -> dict[int, float]:
    """Keras-style ``{class_index: weight}`` with weights inversely proportional to frequency.

    Same formula as scikit-learn's ``class_weight="balanced"``: ``n / (k * count)``.
    Classes absent from ``labels`` get weight 0.
    """
    labels = np.asarray(labels)
    n, k = len(labels), len(classes)
    weights = {}
    for i, c in enumerate(classes):
        count = int((labels == c).sum())
        weights[i] = n / (k * count) if count else 0.0
    return weights


def ec57_predictions(y_true: Sequence[str], y_pred: Sequence[str]) -> np.ndarray:
    """``y_pred`` with every fusion (F) beat that was called V marked F, shape ``(n,)``.

    AAMI EC57 scores S and V only, and does not count a fusion beat called V as a false V
    alarm: WFDB's ``bxb``, the standard's reference comparator, counts V's false positives
    as ``VFP = Nv + Sv + Ov + Xv`` (reference class upper case, call lower case), without
    ``Fv``. A V beat called F is still a missed V, and an F beat called S a false S. Scored
    with :func:`per_class_scores`, these predictions give the standard's S and V numbers.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{len(y_pred)} predictions for {len(y_true)} beats")
    return np.where((y_true == "F") & (y_pred == "V"), "F", y_pred)


def ec57_scores(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, dict[str, float]]:
    """Se, +P, F1 and support of S and V, counted as AAMI EC57 counts them
    (:func:`ec57_predictions`); an undefined score is 0, as in :func:`per_class_scores`."""
    return per_class_scores(y_true, ec57_predictions(y_true, y_pred), ("S", "V"))


def mean_f1_sv(y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    """Mean of the EC57 F1 of S and of V (:func:`ec57_scores`): one number per model for
    the two classes that matter clinically, high only if both are found with few false
    alarms."""
    scores = ec57_scores(y_true, y_pred)
    return (scores["S"]["F1"] + scores["V"]["F1"]) / 2
