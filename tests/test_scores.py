import numpy as np
import pytest

from ecgcourse.scores import ec57_predictions, ec57_scores, mean_f1_sv, per_class_scores, se_ppv


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


def test_ec57_counts_a_fusion_beat_called_v_as_no_false_alarm():
    # bxb: VFP = Nv + Sv + Ov + Xv (no Fv); a V called F is a missed V; an F called S a false S
    truth = np.array(["V", "F", "N", "S", "V", "F", "N"])
    called = np.array(["V", "V", "S", "S", "F", "S", "N"])
    scores = ec57_scores(truth, called)
    assert scores["V"]["Se"] == pytest.approx(0.5) and scores["V"]["+P"] == pytest.approx(1.0)
    assert scores["S"]["Se"] == pytest.approx(1.0) and scores["S"]["+P"] == pytest.approx(1 / 3)
    assert set(scores) == {"S", "V"}, "EC57 scores S and V only"
    plain = per_class_scores(truth, called, ["S", "V"])
    assert plain["V"]["+P"] == pytest.approx(0.5), "counted the plain way, the F beat is a false V"
    assert mean_f1_sv(truth, called) == pytest.approx((scores["S"]["F1"] + scores["V"]["F1"]) / 2)


def test_ec57_predictions_refuse_mismatched_lengths():
    with pytest.raises(ValueError, match="3 predictions for 2 beats"):
        ec57_predictions(["N", "V"], ["N", "V", "V"])
