"""Calibration of a binary classifier's logits: log loss, temperature, expected calibration
error of p(V). The course's answers to notebook 8's exercises, used where they stand in.

Logits ``z`` and labels ``y`` are arrays of shape ``(n,)``; ``y`` is 1 (or True) for V.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar


def log_loss_from_logits(z: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy of ``sigmoid(z)`` against ``y``, computed from the logits
    as ``log(1 + exp(z)) - y z`` in float64: finite for any finite logit."""
    z = np.asarray(z, dtype=np.float64)
    return float(np.mean(np.logaddexp(0.0, z) - np.asarray(y, dtype=np.float64) * z))


def fit_temperature(z: np.ndarray, y: np.ndarray) -> float:
    """The temperature ``T > 0`` that minimises the log loss of ``sigmoid(z / T)`` on
    ``(z, y)``, searched over ``log T`` in [-3, 5]."""
    search = minimize_scalar(
        lambda log_t: log_loss_from_logits(np.asarray(z) / np.exp(log_t), y),
        bounds=(-3, 5),
        method="bounded",
    )
    return float(np.exp(search.x))


def expected_calibration_error(p: np.ndarray, y: np.ndarray, n_bins: int = 10) -> float:
    """Class-wise ECE of ``p`` = p(V): the beats sorted by ``p`` and cut into ``n_bins`` bins
    of (nearly) equal count (tied values may fall in two bins); the mean over bins,
    weighted by their share of beats, of |mean p - share of V beats|."""
    p, y = np.asarray(p, dtype=np.float64), np.asarray(y, dtype=np.float64)
    order = np.argsort(p, kind="stable")
    return float(
        sum(
            len(b) / len(p) * abs(p[b].mean() - y[b].mean())
            for b in np.array_split(order, n_bins)
            if len(b)
        )
    )
