"""Real recorded noise (nstdb ``bw`` baseline wander, ``ma`` muscle artefact) mixed into ECG."""

from __future__ import annotations

import numpy as np


def noise_scale_for_snr(clean: np.ndarray, noise: np.ndarray, *, snr_db: float) -> float:
    """Factor to multiply ``noise`` by so that ``clean + factor * noise`` has ``snr_db`` dB SNR.

    SNR is the ratio of the variances (power around the mean) of the clean signal and the
    scaled noise, in decibels: ``10 * log10(var(clean) / var(factor * noise))``.
    """
    p_clean, p_noise = float(np.var(clean)), float(np.var(noise))
    if p_noise == 0:
        raise ValueError("the noise segment is flat (zero variance): it cannot set an SNR")
    return float(np.sqrt(p_clean / (p_noise * 10 ** (snr_db / 10))))


def add_noise(clean: np.ndarray, noise: np.ndarray, *, snr_db: float) -> np.ndarray:
    """``clean`` (mV) plus ``noise`` (same shape, mV) scaled to ``snr_db`` dB; float32.

    Shapes must match: cut the noise record to the clean signal's length (and sampling rate)
    first.
    """
    clean, noise = np.asarray(clean, dtype=np.float32), np.asarray(noise, dtype=np.float32)
    if clean.shape != noise.shape:
        raise ValueError(f"clean {clean.shape} and noise {noise.shape} must have the same shape")
    return (clean + noise_scale_for_snr(clean, noise, snr_db=snr_db) * noise).astype(np.float32)


NSTDB_NOISE_START_S = 300.0
"""nstdb's noisy records (118e24 ... 118e_6) are clean for their first 5 minutes, ..."""
NSTDB_NOISE_ON_S = 120.0
"""... then carry noise for 2 minutes, are clean for 2 minutes, and so on to the end."""


def nstdb_noise_on(time_s: np.ndarray) -> np.ndarray:
    """True where an nstdb noisy record carries added noise, same shape as ``time_s``.

    ``time_s``: seconds from the start of the *original* 30-minute record (for a cut pack
    record, add :func:`ecgcourse.pack.cut_start_s`). Schedule from the nstdb documentation
    (Moody, Muldrow, Mark 1984): noise from 5:00, alternately 2 minutes on and 2 minutes off.
    """
    t = np.asarray(time_s, dtype=np.float64) - NSTDB_NOISE_START_S
    return (t >= 0) & (np.mod(t, 2 * NSTDB_NOISE_ON_S) < NSTDB_NOISE_ON_S)
