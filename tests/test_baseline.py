import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import Pipeline

from ecgcourse.baseline import CANDIDATES, choose_baseline, make_candidate


def test_candidates_are_a_linear_model_and_trees_with_and_without_weights():
    for name in CANDIDATES:
        model = make_candidate(name)
        weighted = name.endswith(", weighted")
        if name.startswith("logistic"):
            assert isinstance(model, Pipeline), "the scaler fits inside each fold"
            assert (model[-1].class_weight == "balanced") == weighted
        else:
            assert isinstance(model, HistGradientBoostingClassifier)
            assert model.early_stopping is False, "early stopping would hold out random beats"
            assert (model.class_weight == "balanced") == weighted
    with pytest.raises(ValueError, match="unknown baseline candidate 'svm'"):
        make_candidate("svm")


def test_choose_baseline_takes_the_best_ec57_mean_f1_first_on_ties():
    y = np.array(["N", "S", "V", "F", "N"])
    good = np.array(["N", "S", "V", "V", "N"])  # F called V: no false V alarm under EC57
    poor = np.array(["N", "N", "V", "N", "N"])
    assert choose_baseline(y, {"a": poor, "b": good}) == "b"
    assert choose_baseline(y, {"a": good, "b": good.copy()}) == "a"
    with pytest.raises(ValueError, match="empty"):
        choose_baseline(y, {})
