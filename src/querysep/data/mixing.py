"""Making two-source mixtures: the DCASE evaluator's SNR rule and the thesis' loudness rule."""

from __future__ import annotations

import warnings

import numpy as np
import pyloudnorm

from querysep.audio.io import fit_length
from querysep.metrics import POWER_FLOOR

PEAK_LIMIT = 0.9  # DCASE: if the mixture would clip, scale source and mixture to this peak
MIN_LOUDNESS_SECONDS = 0.4  # BS.1770 gating block; shorter clips are measured tiled


def scale_to_snr(source: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """Scale ``noise`` so that 10·log10(P_source / P_noise) = ``snr_db``, P = mean(x²)."""
    source_power = np.mean(np.square(source, dtype=np.float64))
    noise_power = np.mean(np.square(noise, dtype=np.float64))
    if noise_power < POWER_FLOOR:
        return noise.copy()
    target_noise_power = source_power / 10.0 ** (snr_db / 10.0)
    return (noise * np.sqrt(target_noise_power / noise_power)).astype(noise.dtype)


def mix_at_snr(
    source: np.ndarray, noise: np.ndarray, snr_db: float
) -> tuple[np.ndarray, np.ndarray]:
    """Mix as the DCASE 2024 Task 9 evaluator: returns ``(source, mixture)``.

    The noise is cropped or zero-padded to the source's length, scaled to ``snr_db``,
    and added. If max|mixture| > 1, source and mixture are both scaled by 0.9 / max.
    """
    source = np.asarray(source, dtype=np.float32)
    noise = fit_length(np.asarray(noise, dtype=np.float32), source.shape[-1])
    mixture = source + scale_to_snr(source, noise, snr_db)
    peak = float(np.max(np.abs(mixture))) if mixture.size else 0.0
    if peak > 1.0:
        scale = PEAK_LIMIT / peak
        source = source * scale
        mixture = mixture * scale
    return source.astype(np.float32), mixture.astype(np.float32)


def loudness_lufs(waveform: np.ndarray, sample_rate: int) -> float:
    """Integrated loudness (ITU-R BS.1770, pyloudnorm) of mono ``(time,)`` audio.

    Clips shorter than the 400 ms gating block are measured tiled to that length.
    Returns ``-inf`` for silence.
    """
    waveform = np.asarray(waveform, dtype=np.float64).reshape(-1)
    min_length = int(np.ceil(MIN_LOUDNESS_SECONDS * sample_rate)) + 1
    if 0 < waveform.size < min_length:
        waveform = np.tile(waveform, int(np.ceil(min_length / waveform.size)))
    if waveform.size == 0 or not np.any(waveform):
        return float("-inf")
    meter = pyloudnorm.Meter(sample_rate)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(meter.integrated_loudness(waveform))


def normalize_loudness(waveform: np.ndarray, sample_rate: int, target_lufs: float) -> np.ndarray:
    """Gain ``waveform`` so its integrated loudness is ``target_lufs`` (silence unchanged)."""
    loudness = loudness_lufs(waveform, sample_rate)
    if not np.isfinite(loudness):
        return np.asarray(waveform, dtype=np.float32).copy()
    gain = 10.0 ** ((target_lufs - loudness) / 20.0)
    return (np.asarray(waveform, dtype=np.float64) * gain).astype(np.float32)


def mix_equal_loudness(
    target: np.ndarray, interferer: np.ndarray, sample_rate: int, target_lufs: float = -23.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The thesis' mixing (5.3.2): equal loudness, shorter clip padded with silence, starts aligned.

    Returns ``(target, interferer, mixture)``, all of the longer clip's length.
    """
    target = normalize_loudness(target, sample_rate, target_lufs)
    interferer = normalize_loudness(interferer, sample_rate, target_lufs)
    length = max(target.shape[-1], interferer.shape[-1])
    target, interferer = fit_length(target, length), fit_length(interferer, length)
    return target, interferer, target + interferer


def active_span(
    target: np.ndarray, length: int, rng: np.random.Generator, *, hop: int = 160
) -> int:
    """Start of a ``length``-sample span where ``target`` is active: drawn among the starts
    (on a ``hop`` grid) whose span holds at least half the energy of the most energetic one.

    Training draws span examples with it, and evaluation places its span queries with it.
    """
    if target.shape[-1] <= length:
        return 0
    starts, window = _window_energies(target, length, hop)
    candidates = starts[window >= 0.5 * window.max()]
    return int(candidates[int(rng.integers(len(candidates)))])


def dominant_span(
    target: np.ndarray,
    rest: np.ndarray,
    length: int,
    rng: np.random.Generator,
    *,
    hop: int = 160,
) -> int:
    """Start of a ``length``-sample span where ``target`` dominates ``rest`` (the rest of the
    mixture): drawn among the starts whose target-to-rest energy ratio is within 3 dB of the
    best one. Where the target dominates, a span says unambiguously which sound is meant."""
    if target.shape[-1] <= length:
        return 0
    starts, target_energy = _window_energies(target, length, hop)
    _, rest_energy = _window_energies(rest, length, hop)
    ratio = (target_energy + POWER_FLOOR) / (rest_energy + POWER_FLOOR)
    candidates = starts[ratio >= 0.5 * ratio.max()]
    return int(candidates[int(rng.integers(len(candidates)))])


def _window_energies(signal: np.ndarray, length: int, hop: int) -> tuple[np.ndarray, np.ndarray]:
    """Starts on a ``hop`` grid and the energy of the ``length`` samples from each."""
    energy = np.concatenate([[0.0], np.cumsum(np.square(signal, dtype=np.float64))])
    starts = np.arange(0, signal.shape[-1] - length + 1, hop)
    return starts, energy[starts + length] - energy[starts]
