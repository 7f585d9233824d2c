"""MIT-BIH beat annotation symbols mapped to the five AAMI EC57 classes.

N: normal and bundle-branch-block beats, S: supraventricular ectopic beats,
V: ventricular ectopic beats, F: fusion beats, Q: paced and unclassifiable beats.
Every other symbol (rhythm changes, noise, signal quality) is not a beat.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

AAMI_CLASSES: tuple[str, ...] = ("N", "S", "V", "F", "Q")

SYMBOL_TO_AAMI: dict[str, str] = {
    "N": "N", "L": "N", "R": "N", "e": "N", "j": "N",
    "A": "S", "a": "S", "J": "S", "S": "S",
    "V": "V", "E": "V",
    "F": "F",
    "/": "Q", "f": "Q", "Q": "Q",
}  # fmt: skip
"""Beat symbols (see ``wfdb.io.annotation.ann_label_table``) to AAMI class."""


def is_beat(symbol: str) -> bool:
    """True when ``symbol`` marks a heartbeat (as opposed to a rhythm or noise note)."""
    return symbol in SYMBOL_TO_AAMI


def aami_class(symbol: str) -> str:
    """The AAMI class of one beat symbol; raises ``ValueError`` for non-beat symbols."""
    try:
        return SYMBOL_TO_AAMI[symbol]
    except KeyError:
        raise ValueError(
            f"annotation symbol {symbol!r} is not a beat; beat symbols are "
            f"{''.join(sorted(SYMBOL_TO_AAMI))}"
        ) from None


def aami_labels(symbols: Iterable[str]) -> np.ndarray:
    """AAMI classes for a sequence of beat symbols, as an array of one-letter strings."""
    return np.array([aami_class(s) for s in symbols], dtype="<U1")


def class_index(labels: Iterable[str], classes: tuple[str, ...] = AAMI_CLASSES) -> np.ndarray:
    """Integer class ids (position in ``classes``) for one-letter labels, shape ``(n,)``."""
    lookup = {c: i for i, c in enumerate(classes)}
    return np.array([lookup[label] for label in labels], dtype=np.int64)
