"""Confidence intervals from a bootstrap over records (patients), not over beats.

Beats of one patient are not independent: record 232 alone holds most of DS2's S beats.
Resampling whole records with replacement asks "how much would the score move with
another set of patients like these?". Every model is scored on the *same* resamples, so
the difference of two models' scores has an interval of its own (a paired comparison).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


def record_resamples(n_records: int, n_boot: int, seed: int = 0) -> np.ndarray:
    """``(n_boot, n_records)`` int: how many times each record is drawn in each resample
    (``n_records`` records drawn with replacement per resample)."""
    if n_records < 2 or n_boot < 1:
        raise ValueError(f"need at least 2 records and 1 resample, got {n_records}, {n_boot}")
    rng = np.random.default_rng(seed)
    return rng.multinomial(n_records, np.full(n_records, 1 / n_records), size=n_boot)


def _per_record_counts(
    y_true: np.ndarray, y_pred: np.ndarray, record: np.ndarray, names: np.ndarray, c: str
) -> np.ndarray:
    # (3, n_records): true positives, false positives, false negatives of class c per record.
    out = np.zeros((3, len(names)))
    index = np.searchsorted(names, record)
    is_c, called = y_true == c, y_pred == c
    np.add.at(out[0], index, is_c & called)
    np.add.at(out[1], index, ~is_c & called)
    np.add.at(out[2], index, is_c & ~called)
    return out


def bootstrap_by_record(
    y_true: Sequence[str],
    predictions: Mapping[str, Sequence[str]],
    record: Sequence[str],
    *,
    classes: Sequence[str],
    n_boot: int = 2000,
    seed: int = 0,
) -> dict[str, dict[str, dict[str, np.ndarray]]]:
    """``{model: {class: {"Se", "+P", "F1": (n_boot,)}}}``: pooled per-class scores of every
    model on ``n_boot`` resamples of the records (the same resamples for every model).

    ``y_true``, ``record`` and each prediction: shape ``(n,)``, one entry per beat. A score
    with a zero denominator in a resample (no beat of the class drawn, or none called) is
    NaN there: use :func:`interval`, which ignores NaNs.
    """
    y_true, record = np.asarray(y_true), np.asarray(record).astype(str)
    names = np.unique(record)
    draws = record_resamples(len(names), n_boot, seed)
    out: dict[str, dict[str, dict[str, np.ndarray]]] = {}
    for model, y_pred in predictions.items():
        y_pred = np.asarray(y_pred)
        if y_pred.shape != y_true.shape:
            raise ValueError(f"{model}: {y_pred.shape} predictions for {y_true.shape} beats")
        out[model] = {}
        for c in classes:
            tp, fp, fn = (draws @ _per_record_counts(y_true, y_pred, record, names, c).T).T
            with np.errstate(invalid="ignore", divide="ignore"):
                out[model][c] = {
                    "Se": np.where(tp + fn > 0, tp / (tp + fn), np.nan),
                    "+P": np.where(tp + fp > 0, tp / (tp + fp), np.nan),
                    "F1": np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan),
                }
    return out


def interval(samples: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Percentile interval ``(low, high)`` holding ``level`` of the bootstrap samples
    (NaNs ignored)."""
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    tail = 50 * (1 - level)
    low, high = np.nanpercentile(samples, [tail, 100 - tail])
    return float(low), float(high)


def bootstrap_means(
    values: Mapping[str, Sequence[float]],
    record: Sequence[str],
    *,
    n_boot: int = 2000,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """``{name: (n_boot,)}``: the mean of each per-beat quantity (``values[name]``, shape
    ``(n,)``, for example a beat's log loss) over ``n_boot`` resamples of whole records,
    the same resamples for every name (so a difference of two has an interval too)."""
    names, index = np.unique(np.asarray(record).astype(str), return_inverse=True)
    draws = record_resamples(len(names), n_boot, seed)  # (n_boot, n_records)
    beats = draws @ np.bincount(index, minlength=len(names))
    return {
        k: draws
        @ np.bincount(index, weights=np.asarray(v, dtype=float), minlength=len(names))
        / beats
        for k, v in values.items()
    }
