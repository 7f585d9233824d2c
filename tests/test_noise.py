import numpy as np
import pytest

from ecgcourse.noise import add_noise, nstdb_noise_on
from ecgcourse.pack import cut_start_s
from ecgcourse.records import load_record


def test_add_noise_reaches_the_asked_snr():
    rng = np.random.default_rng(0)
    clean, noise = rng.normal(size=5000), rng.normal(size=5000)
    noisy = add_noise(clean, noise, snr_db=6.0)
    snr = 10 * np.log10(np.var(clean) / np.var(noisy - clean))
    assert snr == pytest.approx(6.0, abs=1e-3)
    with pytest.raises(ValueError, match="same shape"):
        add_noise(clean, noise[:-1], snr_db=6.0)


def test_nstdb_schedule_is_two_minutes_on_two_off_from_minute_five():
    t = np.array([0, 299.9, 300, 419.9, 420, 539.9, 540, 660, 780, 1799])
    on = [False, False, True, True, False, False, True, False, True, True]
    np.testing.assert_array_equal(nstdb_noise_on(t), on)


def test_pack_records_know_where_they_were_cut():
    rec = load_record("nstdb", "118e_6")
    assert cut_start_s(rec.comments, rec.fs) == 240.0
    assert cut_start_s(["Created by `nst'"], 360) == 0.0


def test_the_noise_sits_where_the_schedule_says():
    # 118e_6 minus the clean 118 is nstdb's added noise; outside the schedule it is a
    # constant (an offset that differs from one clean stretch to the next).
    noisy, clean = load_record("nstdb", "118e_6"), load_record("mitdb", "118")
    s0, c0 = cut_start_s(noisy.comments, 360), cut_start_s(clean.comments, 360)
    start = max(s0, c0)
    n = int(min(s0 + noisy.duration_s, c0 + clean.duration_s) - start) * 360
    a = noisy.lead("MLII")[int((start - s0) * 360) :][:n]
    b = clean.lead("MLII")[int((start - c0) * 360) :][:n]
    on = nstdb_noise_on(start + np.arange(n) / 360)
    blocks = (a - b)[: n // 3600 * 3600].reshape(-1, 3600)  # 10-s blocks
    block_on = on[: n // 3600 * 3600].reshape(-1, 3600)
    clean_blocks, noisy_blocks = ~block_on.any(axis=1), block_on.all(axis=1)
    assert clean_blocks.sum() >= 10 and noisy_blocks.sum() >= 10
    assert np.ptp(blocks[clean_blocks], axis=1).max() < 0.02, "no noise outside the schedule"
    assert np.std(blocks[noisy_blocks], axis=1).min() > 0.5, "noise inside the schedule"
