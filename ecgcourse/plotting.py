"""ECG paper: 25 mm/s and 10 mm/mV, with 1 mm and 5 mm grid lines."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes


def plot_ecg_paper(
    x_mv: np.ndarray,
    fs: float,
    ax: Axes | None = None,
    t0_s: float = 0.0,
    label: str | None = None,
    marks_s: np.ndarray | None = None,
    mark_labels: list[str] | None = None,
) -> Axes:
    """Plot one lead (``x_mv``: shape ``(n_samples,)``, mV, at ``fs`` Hz) on ECG paper.

    Small squares are 0.04 s x 0.1 mV, large squares 0.2 s x 0.5 mV; the aspect ratio is
    that of real paper. ``marks_s`` (seconds) puts a letter (``mark_labels``) above beats.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(min(2 + len(x_mv) / fs * 1.6, 18), 3.2))
    t = t0_s + np.arange(len(x_mv)) / fs
    lo = np.floor(np.nanmin(x_mv) / 0.5) * 0.5 - 0.5
    hi = np.ceil(np.nanmax(x_mv) / 0.5) * 0.5 + 0.5
    ax.set_xlim(t[0], t[-1])
    ax.set_ylim(lo, hi)
    ax.set_xticks(np.arange(np.ceil(t[0] / 0.2) * 0.2, t[-1], 0.2), minor=False)
    ax.set_xticks(np.arange(np.ceil(t[0] / 0.04) * 0.04, t[-1], 0.04), minor=True)
    ax.set_yticks(np.arange(lo, hi + 1e-9, 0.5))
    ax.set_yticks(np.arange(lo, hi + 1e-9, 0.1), minor=True)
    ax.grid(which="major", color="#e8a0a0", linewidth=0.8)
    ax.grid(which="minor", color="#f6d6d6", linewidth=0.4)
    ax.set_axisbelow(True)
    ax.set_aspect(0.4)  # 0.2 s and 0.5 mV are both 5 mm
    ax.plot(t, x_mv, color="black", linewidth=0.9, label=label)
    for i, tick in enumerate(ax.xaxis.get_major_ticks()):
        tick.label1.set_visible(i % 5 == 0)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("voltage (mV)")
    if marks_s is not None:
        for when, text in zip(marks_s, mark_labels or [""] * len(marks_s)):
            ax.annotate(text, (when, hi - 0.25), ha="center", color="tab:blue", fontsize=9)
    return ax
