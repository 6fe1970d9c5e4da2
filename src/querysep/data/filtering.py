"""Cosine-similarity filtering of training mixtures (thesis 5.3.4).

cos = <|M|, |S|> / (‖|M|‖ · ‖|S|‖) over the flattened magnitude spectrograms of the
mixture M and the target S. A pair above the threshold is too similar: the network could
learn to copy the mixture, so the pair is rejected.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import torch

from querysep.audio.stft import stft


def magnitude(waveform: np.ndarray | torch.Tensor, n_fft: int = 512, hop_length: int = 256):
    """Magnitude spectrogram ``(..., time) -> (..., freq, frames)`` as a torch tensor."""
    return stft(torch.as_tensor(np.asarray(waveform, dtype=np.float32)), n_fft, hop_length).abs()


def cosine_similarity(mixture_magnitude, target_magnitude) -> float:
    """Cosine of two flattened magnitude spectrograms, in [0, 1] for magnitudes."""
    mixture = torch.as_tensor(mixture_magnitude).reshape(-1).double()
    target = torch.as_tensor(target_magnitude).reshape(-1).double()
    norm = mixture.norm() * target.norm()
    if norm <= 0:
        return 1.0  # a silent target (or mixture) carries nothing to separate: reject
    return float(mixture @ target / norm)


def waveform_similarity(
    mixture: np.ndarray, target: np.ndarray, n_fft: int = 512, hop_length: int = 256
) -> float:
    """:func:`cosine_similarity` of two waveforms' magnitude spectrograms."""
    return cosine_similarity(
        magnitude(mixture, n_fft, hop_length), magnitude(target, n_fft, hop_length)
    )


def is_accepted(similarity: float, threshold: float | None) -> bool:
    """A pair is kept when its similarity is at most ``threshold`` (None = filter off)."""
    return threshold is None or similarity <= threshold


def filter_pairs(
    pairs: Iterable[tuple[np.ndarray, np.ndarray]],
    threshold: float,
    n_fft: int = 512,
    hop_length: int = 256,
) -> list[tuple[bool, float]]:
    """Standalone filter over ``(mixture, target)`` waveform pairs: ``[(accepted, cosine)]``."""
    results = []
    for mixture, target in pairs:
        similarity = waveform_similarity(mixture, target, n_fft, hop_length)
        results.append((is_accepted(similarity, threshold), similarity))
    return results
