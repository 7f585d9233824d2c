"""Diagnosing a network that does not learn (notebook 6): the course's versions of the
checks the student writes there, and the training curves against a chance line.

- :func:`overfit_one_batch`: can the network fit one small batch? If not, the plumbing is
  broken (labels, loss, learning rate), whatever the data.
- :func:`shuffled_label_control`: does it reach the same training accuracy on labels that
  mean nothing? Then its training accuracy measures memory, not learning.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator


def overfit_one_batch(
    model: keras.Model, x: np.ndarray, y: np.ndarray, *, max_steps: int
) -> list[float]:
    """Train the compiled ``model`` on the one batch ``(x, y)`` again and again, at most
    ``max_steps`` steps, until it classifies every sample of it right; returns the batch's
    accuracy (inference mode, ``evaluate``) after every step."""
    accuracy: list[float] = []
    while len(accuracy) < max_steps and accuracy[-1:] != [1.0]:
        model.train_on_batch(x, y)
        accuracy.append(float(model.evaluate(x, y, verbose=0)[1]))
    return accuracy


def shuffled_label_control(
    train: Callable[..., tuple[keras.Model, dict]],
    x: np.ndarray,
    y: np.ndarray,
    n_train: int,
    seed: int,
) -> tuple[np.ndarray, keras.Model, dict, float]:
    """Shuffle the first ``n_train`` labels of ``y`` (the training part; the rest, the
    validation part, stays), train with ``train(x, y_shuffled) -> (model, history)``, and
    score the final weights on the training part against the shuffled labels in inference
    mode. Returns ``(y_shuffled, model, history, training accuracy)``."""
    y_shuffled = np.array(y, copy=True)
    y_shuffled[:n_train] = np.random.default_rng(seed).permutation(y_shuffled[:n_train])
    model, history = train(x, y_shuffled)
    accuracy = float(model.evaluate(x[:n_train], y_shuffled[:n_train], verbose=0)[1])
    return y_shuffled, model, history, accuracy


def plot_history(
    ax: Axes, history: dict, chance: float, *, title: str, unit: str = "minutes"
) -> None:
    """Training and validation accuracy per epoch from a Keras ``history.history``, with a
    dashed chance line (the validation set's majority share)."""
    epochs = np.arange(1, len(history["accuracy"]) + 1)
    ax.plot(epochs, history["accuracy"], "o-", ms=3, label="training")
    if "val_accuracy" in history:
        ax.plot(epochs, history["val_accuracy"], "o-", ms=3, label="validation")
    ax.axhline(chance, color="grey", ls="--", label=f"chance ({chance:.2f})")
    ax.set_ylim(0.3, 1.03)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(xlabel="epoch", ylabel=f"accuracy (fraction of {unit})", title=title)
    ax.legend(fontsize=8)
