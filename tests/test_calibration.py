import numpy as np
import pytest
from scipy.special import expit
from sklearn.metrics import log_loss

from ecgcourse.calibration import (
    expected_calibration_error,
    fit_temperature,
    log_loss_from_logits,
)


def test_log_loss_from_logits_matches_scikit_learn_and_stays_finite():
    z, y = np.array([-2.0, 0.5, 3.0, 0.0]), np.array([0, 1, 0, 1])
    assert log_loss_from_logits(z, y) == pytest.approx(log_loss(y, expit(z)))
    assert log_loss_from_logits([1000.0, -1000.0], [0, 0]) == pytest.approx(500.0)


def test_fit_temperature_undoes_a_known_factor():
    rng = np.random.default_rng(0)
    z = rng.normal(0, 2, 20_000)
    y = rng.random(20_000) < expit(z)
    assert fit_temperature(3 * z, y) == pytest.approx(3, abs=0.2)
    assert fit_temperature(z / 2, y) == pytest.approx(0.5, abs=0.05)


def test_ece_of_p_v_keeps_errors_that_a_top_label_ece_cancels():
    p = np.repeat([0.2, 0.8], 10)
    y = np.repeat([0, 1, 0], [10, 6, 4])
    assert expected_calibration_error(p, y, n_bins=2) == pytest.approx(0.2)
    rng = np.random.default_rng(0)
    p = rng.random(100_000)
    assert expected_calibration_error(p, rng.random(100_000) < p) < 0.01  # calibrated
