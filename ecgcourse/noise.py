"""Real recorded noise (nstdb ``bw`` baseline wander, ``ma`` muscle artefact) mixed into ECG,
at an SNR defined as the MIT-BIH Noise Stress Test Database defines it.

nstdb was made with WFDB's ``nst`` (:func:`nst_snr_db`): S from the QRS peak-to-peak
amplitude, N from the noise's RMS in one-second chunks. The course uses this definition
everywhere, so that "6 dB" means what it means in nstdb's record 118e06. The ratio of whole-
signal variances, a common other definition, reads nstdb's records about 17 dB lower, and
the same noise level differs between the two by an amount that depends on the noise: slow
baseline wander has a large variance but little power inside one-second chunks.
"""

from __future__ import annotations

import numpy as np

from ecgcourse.signals import check_rate

NSTDB_NOISE_START_S = 300.0
"""nstdb's noisy records (118e24 ... 119e_6) are clean for their first 5 minutes, ..."""
NSTDB_NOISE_ON_S = 120.0
"""... then carry noise for 2 minutes, are clean for 2 minutes, and so on to the end."""


def nstdb_noise_on(time_s: np.ndarray) -> np.ndarray:
    """True where an nstdb noisy record carries added noise, same shape as ``time_s``.

    ``time_s``: seconds from the start of the *original* 30-minute record (for a cut pack
    record, add :func:`ecgcourse.records.cut_start_s`). Schedule from the nstdb documentation
    (Moody, Muldrow, Mark 1984): noise from 5:00, alternately 2 minutes on and 2 minutes off.
    """
    t = np.asarray(time_s, dtype=np.float64) - NSTDB_NOISE_START_S
    return (t >= 0) & (np.mod(t, 2 * NSTDB_NOISE_ON_S) < NSTDB_NOISE_ON_S)


# --- SNR as nstdb (WFDB's `nst`) defines it -------------------------------------------------
#
# Source: WFDB software package, app/nst.c, app/sigamp.c and the nst(1) manual page
# (doc/wag-src/nst.1). nst calls `sigamp` twice and sets the noise gain from the results:
#   S = (trimmed-mean peak-to-peak amplitude of the first 300 normal QRS complexes)**2 / 8,
#       each complex measured over [annotation - 50 ms, annotation + 50 ms];
#   N = (trimmed-mean RMS of the first 300 one-second chunks of the noise, each chunk about
#       its own mean)**2;
#   "trimmed mean": the largest and the smallest len // 20 measurements dropped;
#   SNR = 10 log10(S / (N * a**2)) for a noise gain a.

NST_QRS_HALF_WINDOW_S = 0.05
"""nst measures each QRS complex's peak-to-peak amplitude from 50 ms before to 50 ms after
its annotation (``sigamp``'s default window)."""
NST_MAX_BEATS = 300
"""nst measures the first 300 normal QRS complexes of the clean record."""
NST_CHUNK_S = 1.0
"""nst measures the noise in consecutive one-second chunks ..."""
NST_MAX_CHUNKS = 300
"""... the first 300 of them (the noise record's first 5 minutes)."""
NST_NORMAL_SYMBOLS = frozenset("NLRaJASj/QBenf")
"""Beat labels that WFDB's ``map1`` maps to NORMAL, the beats nst measures: normal, bundle
branch block, aberrated, supraventricular (A, a, J, S), escape (j, e, n), paced, unclassified
(Q), unspecified bundle branch block (B) and fusion of paced and normal (f). Ventricular
beats (V, E, r, !) and fusions (F) are left out."""


def _signal_1d(x: np.ndarray, what: str) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"{what} must be one lead, a 1-D array of samples; got shape {x.shape}")
    n_bad = int(x.size - np.count_nonzero(np.isfinite(x)))
    if n_bad:
        raise ValueError(f"{what} contains {n_bad} NaN or infinite values; clean them first")
    return x


def _trimmed_mean(values: np.ndarray) -> float:
    """Mean after dropping the largest and the smallest ``len // 20`` values (sigamp's)."""
    values = np.sort(np.asarray(values, dtype=np.float64))
    cut = len(values) // 20
    return float(values[cut : len(values) - cut].mean())


def nst_normal_beats(sample: np.ndarray, symbol: np.ndarray) -> np.ndarray:
    """Sample indices (int64) of the beats nst measures: those whose label is in
    :data:`NST_NORMAL_SYMBOLS`. ``sample`` and ``symbol`` as in
    :class:`ecgcourse.records.Annotations` (same length)."""
    sample, symbol = np.asarray(sample), np.asarray(symbol, dtype=str)
    if sample.shape != symbol.shape:
        raise ValueError(f"sample {sample.shape} and symbol {symbol.shape} must match")
    return sample[np.isin(symbol, sorted(NST_NORMAL_SYMBOLS))].astype(np.int64)


def nst_qrs_amplitude(x: np.ndarray, fs: float, *, beats: np.ndarray) -> float:
    """QRS peak-to-peak amplitude (mV) as nst measures it on the clean lead ``x`` (mV, at
    ``fs`` Hz): the range of ``x`` from 50 ms before to 50 ms after each beat (``beats``:
    sample indices of *normal* beats, see :func:`nst_normal_beats`), for the first
    :data:`NST_MAX_BEATS` beats whose window lies inside ``x``; the mean of these ranges
    without the largest and the smallest 5 % (``len // 20`` each)."""
    fs, x = check_rate(fs), _signal_1d(x, "the clean signal x")
    beats = np.asarray(beats)
    if beats.size == 0:
        raise ValueError(
            "no beats: nst measures the signal on annotated normal QRS complexes; pass their "
            "sample indices (for example nst_normal_beats(ann.sample, ann.symbol))"
        )
    if beats.ndim != 1 or not np.all(np.mod(beats, 1) == 0):
        raise ValueError(f"beats must be a 1-D array of whole sample indices, got {beats!r}")
    beats = np.sort(beats.astype(np.int64))
    if beats[0] < 0 or beats[-1] >= len(x):
        raise ValueError(
            f"beats run from sample {beats[0]} to {beats[-1]}, outside x (0 to {len(x) - 1}): "
            "were they shifted to the record's cut?"
        )
    half = int(np.floor(NST_QRS_HALF_WINDOW_S * fs + 0.5))
    inside = beats[(beats - half >= 0) & (beats + half < len(x))][:NST_MAX_BEATS]
    if inside.size == 0:
        raise ValueError(
            f"no beat has its +-{NST_QRS_HALF_WINDOW_S * 1000:g} ms window inside x "
            f"({len(x)} samples)"
        )
    windows = x[inside[:, None] + np.arange(-half, half + 1)]
    amplitude = _trimmed_mean(np.ptp(windows, axis=1))
    if amplitude == 0:
        raise ValueError("x is flat around every beat (zero QRS amplitude): it sets no SNR")
    return amplitude


def nst_signal_power(x: np.ndarray, fs: float, *, beats: np.ndarray) -> float:
    """Signal power S (mV²) as nst defines it: the QRS peak-to-peak amplitude of
    :func:`nst_qrs_amplitude` (mV), squared, over 8 (a sinusoid's power from its
    peak-to-peak amplitude). ``x``: clean lead (mV) at ``fs`` Hz; ``beats``: sample indices
    of its normal beats."""
    return nst_qrs_amplitude(x, fs, beats=beats) ** 2 / 8.0


def nst_noise_rms(noise: np.ndarray, fs: float) -> float:
    """RMS noise amplitude (mV) as nst measures it: ``noise`` (mV, at ``fs`` Hz) cut into
    consecutive one-second chunks (``round(fs)`` samples; a last partial chunk is dropped), at
    most the first :data:`NST_MAX_CHUNKS`; each chunk's RMS about its own mean (its standard
    deviation, so offsets and drifts slower than a second hardly count); the mean of these
    without the largest and the smallest 5 % (``len // 20`` each).

    Pieces of noise can be joined before the call when each lasts whole seconds: chunks then
    never straddle a join.
    """
    fs, noise = check_rate(fs), _signal_1d(noise, "the noise")
    chunk = int(np.floor(NST_CHUNK_S * fs + 0.5))
    n_chunks = min(len(noise) // chunk, NST_MAX_CHUNKS)
    if n_chunks == 0:
        raise ValueError(
            f"the noise is {len(noise)} samples ({len(noise) / fs:g} s) long: nst measures it "
            f"in {NST_CHUNK_S:g}-s chunks and needs at least one ({chunk} samples at {fs:g} Hz; "
            f"nst itself uses {NST_MAX_CHUNKS})"
        )
    rms = _trimmed_mean(noise[: n_chunks * chunk].reshape(n_chunks, chunk).std(axis=1))
    if rms == 0:
        raise ValueError("the noise is flat within every second (zero RMS): it sets no SNR")
    return rms


def nst_noise_power(noise: np.ndarray, fs: float) -> float:
    """Noise power N (mV²) as nst defines it: :func:`nst_noise_rms` (mV) squared."""
    return nst_noise_rms(noise, fs) ** 2


def nst_snr_db(x: np.ndarray, fs: float, *, beats: np.ndarray, noise: np.ndarray) -> float:
    """SNR (dB) of ``noise`` added to the clean lead ``x`` by nst's (and nstdb's) definition:
    ``10 * log10(S / N)`` with S from :func:`nst_signal_power` (``x`` in mV, ``beats`` its
    normal beats' sample indices) and N from :func:`nst_noise_power` (``noise``: the noise as
    added, mV). Both at ``fs`` Hz; ``noise`` need not have ``x``'s length (nst measures the
    noise record's first 300 s)."""
    signal_power = nst_signal_power(x, fs, beats=beats)
    return float(10 * np.log10(signal_power / nst_noise_power(noise, fs)))


def nst_scale_for_snr(
    x: np.ndarray, fs: float, *, beats: np.ndarray, noise: np.ndarray, snr_db: float
) -> float:
    """Factor (no unit) such that ``factor * noise`` has ``snr_db`` dB SNR by nst's
    definition against the clean lead ``x`` (mV, at ``fs`` Hz, normal beats at ``beats``):
    ``sqrt(S / (N * 10**(snr_db / 10)))``, which is nst.c's gain
    ``10**(-snr_db / 20) * sqrt(2) / 4 * qrs_amplitude / noise_rms``.

    nst calibrates on the first 300 s of the noise record and then adds the noise that runs
    alongside the ECG; pass the stretch you calibrate on as ``noise``.
    """
    if not np.isfinite(snr_db):
        raise ValueError(f"snr_db must be a finite number of decibels, got {snr_db}")
    signal_power = nst_signal_power(x, fs, beats=beats)
    noise_power = nst_noise_power(noise, fs)
    return float(np.sqrt(signal_power / (noise_power * 10 ** (snr_db / 10))))


def add_noise_nst(
    x: np.ndarray, fs: float, *, beats: np.ndarray, noise: np.ndarray, snr_db: float
) -> np.ndarray:
    """``x`` (mV, at ``fs`` Hz) plus ``noise`` (same shape, mV) scaled to ``snr_db`` dB by
    nst's definition (:func:`nst_scale_for_snr`, calibrated on this ``noise``); float32.

    Unlike nst, the noise is added everywhere (nst adds it in 2-minute stretches after a
    5-minute clean start, see :func:`nstdb_noise_on`).
    """
    x_arr, noise_arr = np.asarray(x), np.asarray(noise)
    if x_arr.shape != noise_arr.shape:
        raise ValueError(f"x {x_arr.shape} and noise {noise_arr.shape} must have the same shape")
    factor = nst_scale_for_snr(x_arr, fs, beats=beats, noise=noise_arr, snr_db=snr_db)
    return (x_arr.astype(np.float64) + factor * noise_arr).astype(np.float32)
