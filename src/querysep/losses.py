"""Training losses. Each returns a scalar; :func:`separation_loss` returns the weighted sum
and the named terms (weights from ``LossConfig``; a zero weight skips the term).

- spectral convergence (thesis 5.4.2): ‖|S| − |Ŝ|‖_F / ‖|S|‖_F, averaged over the batch
- log-STFT magnitude (thesis 5.4.2): mean |log|S| − log|Ŝ||
- waveform L1: mean |s − ŝ|
- negative SI-SDR: −mean SI-SDR(s, ŝ)
"""

from __future__ import annotations

import torch

from querysep.config import LossConfig
from querysep.metrics import batch_si_sdr

MAGNITUDE_FLOOR = 1e-5


def spectral_convergence(estimate: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Magnitudes ``(batch, ..., freq, frames)``."""
    difference = (target - estimate).flatten(1).norm(dim=1)
    return (difference / target.flatten(1).norm(dim=1).clamp_min(MAGNITUDE_FLOOR)).mean()


def log_magnitude(estimate: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Magnitudes ``(batch, ..., freq, frames)``."""
    return (
        (target.clamp_min(MAGNITUDE_FLOOR).log() - estimate.clamp_min(MAGNITUDE_FLOOR).log())
        .abs()
        .mean()
    )


def waveform_l1(estimate: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Waveforms ``(batch, ..., time)``."""
    return (target - estimate).abs().mean()


def negative_si_sdr(estimate: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Waveforms ``(batch, ..., time)``."""
    return -batch_si_sdr(target, estimate).mean()


SPECTRAL_TERMS = {"spectral_convergence": spectral_convergence, "log_magnitude": log_magnitude}
WAVEFORM_TERMS = {"waveform_l1": waveform_l1, "neg_si_sdr": negative_si_sdr}


def separation_loss(
    config: LossConfig,
    *,
    estimate_magnitude: torch.Tensor,
    target_magnitude: torch.Tensor,
    estimate_waveform: torch.Tensor,
    target_waveform: torch.Tensor,
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Weighted sum of the configured terms, and each term by name (unweighted)."""
    terms = {}
    for name, term in SPECTRAL_TERMS.items():
        if getattr(config, name) != 0:
            terms[name] = term(estimate_magnitude.float(), target_magnitude.float())
    for name, term in WAVEFORM_TERMS.items():
        if getattr(config, name) != 0:
            terms[name] = term(estimate_waveform.float(), target_waveform.float())
    if not terms:
        raise ValueError("every loss weight is zero: set at least one in the config's loss section")
    total = sum(getattr(config, name) * value for name, value in terms.items())
    return total, terms
