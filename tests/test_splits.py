import numpy as np
import pytest

from ecgcourse.splits import (
    DS1,
    DS2,
    PACED,
    LeakageError,
    check_no_leakage,
    ds1_ds2,
    group_kfold,
    split_by_patient,
    subject_of,
)


def test_published_split_shares_one_subject_and_the_check_names_it():
    assert len(DS1) == len(DS2) == 22 and not set(DS1) & set(DS2)
    assert not set(PACED) & set(DS1 + DS2)
    with pytest.raises(LeakageError, match=r"records involved: 201, 202"):
        check_no_leakage(DS1, DS2)


def test_ds1_ds2_is_de_chazal_without_the_shared_subject():
    train, test = ds1_ds2()
    assert train == list(DS1)
    assert test == [r for r in DS2 if r != "202"]
    check_no_leakage(train, test)


def test_clean_split_passes():
    check_no_leakage(["100", "101"], ["103"])
    assert subject_of("202") == "201" and subject_of("100") == "100"


def test_split_by_patient_keeps_201_and_202_together():
    records = list(DS1 + DS2)
    for seed in range(10):
        train, test = split_by_patient(records, test_fraction=0.3, seed=seed)
        assert sorted(train + test) == sorted(records)
        assert ("201" in train) == ("202" in train)


def test_group_kfold_keeps_each_subject_in_one_fold():
    record_per_sample = np.repeat(np.array(DS1 + DS2), 5)
    seen_test = []
    labels = np.tile(np.array(["N", "N", "N", "S", "V"]), len(DS1 + DS2))
    for train_idx, test_idx in group_kfold(record_per_sample, labels, n_splits=4):
        train, test = set(record_per_sample[train_idx]), set(record_per_sample[test_idx])
        assert not {subject_of(r) for r in train} & {subject_of(r) for r in test}
        seen_test.extend(test_idx)
    assert sorted(seen_test) == list(range(len(record_per_sample)))


def test_group_kfold_spreads_a_rare_class_over_the_folds():
    # Four patients hold the only S beats: an unstratified GroupKFold may put two in one
    # fold; the stratified one gives every fold one.
    records = np.repeat([f"r{i}" for i in range(12)], 10)
    labels = np.where(np.isin(records, ["r0", "r1", "r2", "r3"]), "S", "N")
    folds = [
        set(records[te]) & {"r0", "r1", "r2", "r3"} for _, te in group_kfold(records, labels, 4)
    ]
    assert [len(f) for f in folds] == [1, 1, 1, 1]


def test_group_kfold_wants_one_label_per_sample():
    with pytest.raises(ValueError, match="3 labels for 4 samples"):
        next(group_kfold(["100", "100", "101", "103"], ["N", "N", "V"], 2))
