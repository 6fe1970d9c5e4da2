"""Separation metrics exactly as the DCASE 2024 Task 9 evaluator computes them.

numpy versions take 1-D arrays and return a float in dB; ``batch_*`` torch versions take
``(batch, time)`` and return ``(batch,)`` for training and validation.

- SDR = 10·log10(max(mean(s²), 1e-10) / max(mean((ŝ − s)²), 1e-10))
- SI-SDR: α = (ε + sᵀŝ) / (sᵀs + ε); 10·log10((ε + ‖αs‖²) / (ε + ‖ŝ − αs‖²)), ε = float32 eps
- SDRi / SI-SDRi: metric(estimate) − metric(mixture), both against the same reference.
"""

from __future__ import annotations

import numpy as np
import torch

POWER_FLOOR = 1e-10
EPS = float(np.finfo(np.float32).eps)


def _pair(reference: np.ndarray, estimate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    reference = np.asarray(reference, dtype=np.float64).reshape(-1)
    estimate = np.asarray(estimate, dtype=np.float64).reshape(-1)
    if reference.shape != estimate.shape:
        raise ValueError(f"reference {reference.shape} and estimate {estimate.shape} differ")
    return reference, estimate


def sdr(reference: np.ndarray, estimate: np.ndarray) -> float:
    reference, estimate = _pair(reference, estimate)
    signal = max(np.mean(reference**2), POWER_FLOOR)
    error = max(np.mean((estimate - reference) ** 2), POWER_FLOOR)
    return float(10.0 * np.log10(signal / error))


def si_sdr(reference: np.ndarray, estimate: np.ndarray) -> float:
    reference, estimate = _pair(reference, estimate)
    alpha = (EPS + reference @ estimate) / (reference @ reference + EPS)
    target = alpha * reference
    residual = estimate - target
    return float(10.0 * np.log10((EPS + target @ target) / (EPS + residual @ residual)))


def sdri(reference: np.ndarray, estimate: np.ndarray, mixture: np.ndarray) -> float:
    return sdr(reference, estimate) - sdr(reference, mixture)


def si_sdri(reference: np.ndarray, estimate: np.ndarray, mixture: np.ndarray) -> float:
    return si_sdr(reference, estimate) - si_sdr(reference, mixture)


def batch_sdr(reference: torch.Tensor, estimate: torch.Tensor) -> torch.Tensor:
    """SDR over the last axis: ``(..., time) -> (...)`` (computed in float64)."""
    reference, estimate = reference.double(), estimate.double()
    signal = reference.pow(2).mean(-1).clamp_min(POWER_FLOOR)
    error = (estimate - reference).pow(2).mean(-1).clamp_min(POWER_FLOOR)
    return 10.0 * torch.log10(signal / error)


def batch_si_sdr(reference: torch.Tensor, estimate: torch.Tensor) -> torch.Tensor:
    """SI-SDR over the last axis: ``(..., time) -> (...)`` (float64 when not differentiating)."""
    dtype = torch.float64 if not estimate.requires_grad else estimate.dtype
    reference, estimate = reference.to(dtype), estimate.to(dtype)
    alpha = (EPS + (reference * estimate).sum(-1, keepdim=True)) / (
        reference.pow(2).sum(-1, keepdim=True) + EPS
    )
    target = alpha * reference  # (..., time)
    residual = estimate - target
    return 10.0 * torch.log10((EPS + target.pow(2).sum(-1)) / (EPS + residual.pow(2).sum(-1)))
