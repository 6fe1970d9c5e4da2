"""STFT, inverse STFT and the network's normalised log-magnitude features.

Everything works over any leading dims: ``(..., time)`` <-> ``(..., freq, frames)``
(the demucs ``spec.py`` idea). Defaults follow the thesis: n_fft 512, hop 256, Hann.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

DB_FLOOR = 1e-5  # magnitudes below this are treated as -100 dB
# The absolute feature range: -100 dB (the floor) to +40 dB (a full-scale sine peaks at about
# +42 dB with n_fft 512 and a Hann window). Features in this range need no clip statistics.
ABSOLUTE_DB_RANGE = (-100.0, 40.0)


def _window(n_fft: int, like: torch.Tensor) -> torch.Tensor:
    dtype = like.real.dtype if like.is_complex() else like.dtype
    return torch.hann_window(n_fft, device=like.device, dtype=dtype)


def stft(waveform: torch.Tensor, n_fft: int = 512, hop_length: int = 256) -> torch.Tensor:
    """Complex STFT ``(..., time) -> (..., n_fft // 2 + 1, frames)`` (centred, reflect pad)."""
    *leading, length = waveform.shape
    flat = waveform.reshape(-1, length)  # (batch*, time)
    spec = torch.stft(
        flat,
        n_fft=n_fft,
        hop_length=hop_length,
        window=_window(n_fft, flat),
        center=True,
        pad_mode="reflect" if length > n_fft // 2 else "constant",
        return_complex=True,
    )
    return spec.reshape(*leading, *spec.shape[-2:])


def istft(spec: torch.Tensor, length: int, n_fft: int = 512, hop_length: int = 256) -> torch.Tensor:
    """Inverse of :func:`stft`: ``(..., freq, frames) -> (..., length)``."""
    *leading, num_freqs, num_frames = spec.shape
    flat = spec.reshape(-1, num_freqs, num_frames)
    wave = torch.istft(
        flat,
        n_fft=n_fft,
        hop_length=hop_length,
        window=_window(n_fft, flat),
        center=True,
        length=length,
    )
    return wave.reshape(*leading, length)


def num_frames(length: int, hop_length: int = 256) -> int:
    """Frames :func:`stft` produces for ``length`` samples."""
    return length // hop_length + 1


@dataclass
class DbStats:
    """Per-clip min/max of the dB spectrogram, kept to invert the normalisation."""

    low: torch.Tensor  # (..., 1, 1)
    high: torch.Tensor  # (..., 1, 1)


def magnitude_to_db(magnitude: torch.Tensor) -> torch.Tensor:
    return 20.0 * torch.log10(magnitude.clamp_min(DB_FLOOR))


def db_to_magnitude(db: torch.Tensor) -> torch.Tensor:
    return torch.pow(10.0, db / 20.0)


def normalize_db(magnitude: torch.Tensor) -> tuple[torch.Tensor, DbStats]:
    """Log-magnitude in dB scaled per clip to [0, 1] over its (freq, frames) plane.

    ``(..., freq, frames) -> (..., freq, frames)`` plus the stats for the inverse.
    """
    db = magnitude_to_db(magnitude)
    low = db.amin(dim=(-2, -1), keepdim=True)
    high = db.amax(dim=(-2, -1), keepdim=True)
    scale = (high - low).clamp_min(1e-6)
    return (db - low) / scale, DbStats(low=low, high=low + scale)


def absolute_db_stats(like: torch.Tensor) -> DbStats:
    """The fixed ``ABSOLUTE_DB_RANGE`` as stats: the same for every clip, window and file."""
    low, high = (torch.tensor(v, dtype=like.dtype, device=like.device) for v in ABSOLUTE_DB_RANGE)
    return DbStats(low=low, high=high)


def normalize_db_absolute(magnitude: torch.Tensor) -> tuple[torch.Tensor, DbStats]:
    """Log-magnitude mapped from ``ABSOLUTE_DB_RANGE`` to [0, 1] (clamped), no statistics.

    Time-local: a frame's features depend on that frame only, so crops, windows of long
    files and whole files see the same numbers, and a noise floor moves only quiet bins.
    """
    stats = absolute_db_stats(magnitude)
    return normalize_db_with(magnitude, stats), stats


def normalize_db_with(magnitude: torch.Tensor, stats: DbStats) -> torch.Tensor:
    """Normalise with given stats (e.g. a whole file's), clamped to [0, 1]."""
    db = magnitude_to_db(magnitude)
    return ((db - stats.low) / (stats.high - stats.low)).clamp(0.0, 1.0)


def denormalize_db(features: torch.Tensor, stats: DbStats) -> torch.Tensor:
    """Exact inverse of :func:`normalize_db`: [0, 1] features back to linear magnitude."""
    db = features * (stats.high - stats.low) + stats.low
    return db_to_magnitude(db)
