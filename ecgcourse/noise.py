"""Real recorded noise (nstdb ``bw`` baseline wander, ``ma`` muscle artefact) mixed into ECG."""

from __future__ import annotations

import numpy as np


def noise_scale_for_snr(clean: np.ndarray, noise: np.ndarray, snr_db: float) -> float:
    """Factor to multiply ``noise`` by so that ``clean + factor * noise`` has ``snr_db`` dB SNR.

    SNR is the ratio of the variances (power around the mean) of the clean signal and the
    scaled noise, in decibels: ``10 * log10(var(clean) / var(factor * noise))``.
    """
    p_clean, p_noise = float(np.var(clean)), float(np.var(noise))
    if p_noise == 0:
        raise ValueError("the noise segment is flat (zero variance): it cannot set an SNR")
    return float(np.sqrt(p_clean / (p_noise * 10 ** (snr_db / 10))))


def add_noise(clean: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """``clean`` (mV) plus ``noise`` (same shape, mV) scaled to ``snr_db`` dB; float32.

    Shapes must match: cut the noise record to the clean signal's length (and sampling rate)
    first.
    """
    clean, noise = np.asarray(clean, dtype=np.float32), np.asarray(noise, dtype=np.float32)
    if clean.shape != noise.shape:
        raise ValueError(f"clean {clean.shape} and noise {noise.shape} must have the same shape")
    return (clean + noise_scale_for_snr(clean, noise, snr_db) * noise).astype(np.float32)
