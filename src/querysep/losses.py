"""Training losses. Each returns a scalar; :func:`separation_loss` returns the weighted sum
and the named terms (weights from ``LossConfig``; a zero weight skips the term).

- spectral convergence (thesis 5.4.2): ‖|S| − |Ŝ|‖_F / ‖|S|‖_F, averaged over the batch
- log-STFT magnitude (thesis 5.4.2): mean |log|S| − log|Ŝ||
- waveform L1: mean |s − ŝ|
- negative SI-SDR: −mean SI-SDR(s, ŝ)
- negative thresholded SNR (Wisdom et al. 2020, MixIT):
  −mean 10·log10(‖s‖² / (‖s − ŝ‖² + τ‖s‖²)), τ = 10^(−SNR_MAX_DB/10). Unlike the spectral
  terms and SI-SDR it is not indifferent to level: a silent estimate scores 0 dB, the
  mixture scores its input SNR, so returning silence is never cheaper than keeping the
  mixture when the target dominates. τ keeps well-separated examples from dominating.
"""

from __future__ import annotations

import torch

from querysep.config import LossConfig
from querysep.metrics import EPS, batch_si_sdr

MAGNITUDE_FLOOR = 1e-5
SNR_MAX_DB = 30.0


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


def negative_snr(estimate: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Waveforms ``(batch, ..., time)``; the SNR saturates at ``SNR_MAX_DB``."""
    target_power = target.flatten(1).pow(2).sum(dim=1)
    error_power = (target - estimate).flatten(1).pow(2).sum(dim=1)
    threshold = 10.0 ** (-SNR_MAX_DB / 10.0)
    snr = 10.0 * torch.log10((target_power + EPS) / (error_power + threshold * target_power + EPS))
    return -snr.mean()


SPECTRAL_TERMS = {"spectral_convergence": spectral_convergence, "log_magnitude": log_magnitude}
WAVEFORM_TERMS = {
    "waveform_l1": waveform_l1,
    "neg_si_sdr": negative_si_sdr,
    "neg_snr": negative_snr,
}


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
