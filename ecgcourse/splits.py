"""Patient-wise splits and leakage checks.

MIT-BIH: the inter-patient DS1/DS2 split of de Chazal et al. (2004) over the 44 non-paced
records. Records 201 and 202 come from one subject, so they count as one patient
everywhere here, and the published split itself puts that subject on both sides (201 in
DS1, 202 in DS2): :func:`ds1_ds2` therefore leaves 202 out of the test set. LUDB: one
record per subject, so a record-wise split is patient-wise.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np
from sklearn.model_selection import GroupShuffleSplit, StratifiedGroupKFold

# fmt: off
DS1: tuple[str, ...] = (
    "101", "106", "108", "109", "112", "114", "115", "116", "118", "119", "122",
    "124", "201", "203", "205", "207", "208", "209", "215", "220", "223", "230",
)
DS2: tuple[str, ...] = (
    "100", "103", "105", "111", "113", "117", "121", "123", "200", "202", "210",
    "212", "213", "214", "219", "221", "222", "228", "231", "232", "233", "234",
)
# fmt: on
PACED: tuple[str, ...] = ("102", "104", "107", "217")
SAME_SUBJECT: dict[str, str] = {"202": "201"}
"""Records that belong to the subject of another record (MIT-BIH 201 and 202)."""


class LeakageError(AssertionError):
    """The same patient appears on both sides of a split."""


def subject_of(record: str) -> str:
    """The subject id of a record: its own name, except where two records share a subject."""
    record = str(record)
    return SAME_SUBJECT.get(record, record)


def record_list(records: Iterable[str], argument: str = "records") -> list[str]:
    """``records`` as a list of record ids; a bare string is refused, since iterating over
    ``"22"`` would give the records ``"2"`` and ``"2"``."""
    if isinstance(records, str | bytes):
        raise TypeError(
            f"{argument} must be a list of record ids, got the string {records!r}: "
            f"write [{records!r}]"
        )
    return [str(r) for r in records]


def subjects(records: Iterable[str]) -> np.ndarray:
    """Subject ids for a sequence of record ids (one per sample is fine), shape ``(n,)``."""
    return np.array([subject_of(r) for r in record_list(records)])


def ds1_ds2() -> tuple[list[str], list[str]]:
    """The inter-patient MIT-BIH split: (DS1 training records, DS2 test records).

    Record 202 is left out of DS2 because its subject is record 201's, in DS1; the
    published ``DS1``/``DS2`` constants keep it (and fail :func:`check_no_leakage`).
    """
    test = [r for r in DS2 if subject_of(r) not in {subject_of(t) for t in DS1}]
    check_no_leakage(DS1, test)
    return list(DS1), test


def check_no_leakage(train_records: Iterable[str], test_records: Iterable[str]) -> None:
    """Raise :class:`LeakageError` naming every record whose subject is on both sides."""
    train = set(record_list(train_records, "train_records"))
    test = set(record_list(test_records, "test_records"))
    shared = {subject_of(r) for r in train} & {subject_of(r) for r in test}
    if shared:
        culprits = sorted(r for r in train | test if subject_of(r) in shared)
        raise LeakageError(
            f"{len(shared)} subject(s) on both sides of the split; records involved: "
            f"{', '.join(culprits)} (201 and 202 are one subject)"
        )


def split_by_patient(
    records: Sequence[str], test_fraction: float = 0.3, seed: int = 0
) -> tuple[list[str], list[str]]:
    """Split record ids into (train, test) so no subject is on both sides."""
    records = record_list(records)
    splitter = GroupShuffleSplit(n_splits=1, test_size=test_fraction, random_state=seed)
    train_idx, test_idx = next(splitter.split(records, groups=subjects(records)))
    train = [records[i] for i in train_idx]
    test = [records[i] for i in test_idx]
    check_no_leakage(train, test)
    return train, test


def group_kfold(
    record_per_sample: Sequence[str], labels: Sequence[str], n_splits: int = 5
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield (train_index, test_index) for k folds that keep each subject in one fold and
    give every fold as close to the same class mix as whole subjects allow
    (``StratifiedGroupKFold``, deterministic: no shuffling).

    ``record_per_sample``, ``labels``: the record id and class of every sample, shape ``(n,)``.
    """
    groups = subjects(record_per_sample)
    labels = np.asarray(labels)
    if len(labels) != len(groups):
        raise ValueError(f"{len(labels)} labels for {len(groups)} samples")
    splitter = StratifiedGroupKFold(n_splits=n_splits)
    placeholder = np.zeros(len(groups))
    for train_idx, test_idx in splitter.split(placeholder, labels, groups=groups):
        check_no_leakage(groups[train_idx], groups[test_idx])
        yield train_idx, test_idx
