import numpy as np
import pytest

from ecgcourse.scores import per_class_scores, se_ppv


def test_se_ppv_matches_per_class_scores_where_both_are_defined():
    truth = np.array(["N", "V", "V", "N", "V", "N"])
    called = np.array(["N", "V", "N", "V", "V", "N"])
    by_class = per_class_scores(truth, called, ["N", "V"])["V"]
    assert se_ppv(truth == "V", called == "V") == pytest.approx((by_class["Se"], by_class["+P"]))


def test_se_ppv_is_nan_where_undefined():
    none = np.zeros(4, dtype=bool)
    se, ppv = se_ppv(none, none)
    assert np.isnan(se) and np.isnan(ppv)
    assert se_ppv(np.array([True, False]), np.array([False, False]))[0] == 0.0
    assert all(np.isnan(v) for v in se_ppv(np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)))


def test_se_ppv_wants_two_arrays_of_one_shape():
    with pytest.raises(ValueError, match="1-D arrays of one shape"):
        se_ppv(np.zeros(3, dtype=bool), np.zeros(4, dtype=bool))
