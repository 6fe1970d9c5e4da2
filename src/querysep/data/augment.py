"""Waveform augmentation for training clips: speed/pitch, EQ, light reverb and band limits.

Each transform takes mono ``(time,)`` float32 audio and an explicit ``numpy`` generator.
They widen the variety of recordings per class, the main limit of a small corpus
(DESIGN §7). Gain is not here: the mixing rule sets the levels, and the training step
sees per-clip normalised features.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.fft import next_fast_len
from scipy.signal import butter, fftconvolve, sosfilt

from querysep.audio.io import resample


@dataclass(frozen=True)
class AugmentConfig:
    speed_probability: float = 0.5
    speed_range: tuple[float, float] = (0.9, 1.1)  # resampling factor: tempo and pitch together
    eq_probability: float = 0.5
    eq_max_db: float = 6.0
    num_eq_bands: int = 6
    reverb_probability: float = 0.3
    rt60_seconds_range: tuple[float, float] = (0.1, 0.6)
    reverb_wet_range: tuple[float, float] = (0.05, 0.3)
    # a recording chain's band limit (telephone, low-rate files, old codecs), not the sound's:
    # a low-pass at a cutoff drawn log-uniformly from the range. Off (0.0) draws nothing, so
    # runs without it see exactly the mixtures they saw before it existed.
    lowpass_probability: float = 0.0
    lowpass_hz_range: tuple[float, float] = (2000.0, 7500.0)


def change_speed(waveform: np.ndarray, factor: float) -> np.ndarray:
    """Play ``factor`` times faster (and higher) by resampling."""
    rate = 10_000
    return resample(waveform, rate, int(round(rate / factor)))


def random_eq(
    waveform: np.ndarray, rng: np.random.Generator, max_db: float, num_bands: int
) -> np.ndarray:
    """Multiply the spectrum by a smooth random curve of ±``max_db`` (log-spaced bands)."""
    size = next_fast_len(waveform.size, real=True)  # zero-padded to a fast FFT length
    spectrum = np.fft.rfft(waveform, n=size)
    positions = np.log1p(np.arange(spectrum.size) * waveform.size / size)  # log-frequency axis
    anchors = np.linspace(0.0, positions[-1], num_bands)
    gains_db = rng.uniform(-max_db, max_db, size=num_bands)
    curve = 10.0 ** (np.interp(positions, anchors, gains_db) / 20.0)
    return np.fft.irfft(spectrum * curve, n=size)[: waveform.size].astype(np.float32)


def random_reverb(
    waveform: np.ndarray,
    rng: np.random.Generator,
    sample_rate: int,
    rt60_seconds: float,
    wet: float,
) -> np.ndarray:
    """Convolve with exponentially decaying noise (a synthetic room) and blend ``wet``."""
    length = max(int(rt60_seconds * sample_rate), 1)
    decay = np.exp(-6.91 * np.arange(length) / length)  # -60 dB at rt60
    impulse = rng.standard_normal(length) * decay
    impulse /= np.sqrt(np.sum(impulse**2)) + 1e-12
    reverberant = fftconvolve(waveform, impulse)[: waveform.size]
    return ((1.0 - wet) * waveform + wet * reverberant).astype(np.float32)


def random_lowpass(
    waveform: np.ndarray, rng: np.random.Generator, sample_rate: int, hz_range: tuple[float, float]
) -> np.ndarray:
    """An 8th-order Butterworth low-pass at a cutoff log-uniform in ``hz_range``."""
    low, high = np.log(hz_range[0]), np.log(hz_range[1])
    cutoff_hz = float(np.exp(rng.uniform(low, high)))
    sos = butter(8, cutoff_hz, btype="lowpass", fs=sample_rate, output="sos")
    return sosfilt(sos, waveform).astype(np.float32)


def augment(
    waveform: np.ndarray, rng: np.random.Generator, sample_rate: int, config: AugmentConfig
) -> np.ndarray:
    """Apply each transform with its probability; returns new ``(time,)`` audio."""
    if rng.random() < config.speed_probability:
        waveform = change_speed(waveform, rng.uniform(*config.speed_range))
    if rng.random() < config.eq_probability:
        waveform = random_eq(waveform, rng, config.eq_max_db, config.num_eq_bands)
    if rng.random() < config.reverb_probability:
        rt60 = rng.uniform(*config.rt60_seconds_range)
        waveform = random_reverb(
            waveform, rng, sample_rate, rt60, rng.uniform(*config.reverb_wet_range)
        )
    if config.lowpass_probability > 0.0 and rng.random() < config.lowpass_probability:
        waveform = random_lowpass(waveform, rng, sample_rate, config.lowpass_hz_range)
    return np.asarray(waveform, dtype=np.float32)
