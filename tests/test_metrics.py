import numpy as np
import pytest
import torch
from torchmetrics.functional.audio import scale_invariant_signal_distortion_ratio

from querysep.metrics import batch_sdr, batch_si_sdr, sdr, sdri, si_sdr, si_sdri


def test_sdr_matches_analytic_value():
    rng = np.random.default_rng(0)
    signal = rng.standard_normal(16000)
    error = rng.standard_normal(16000)
    error *= np.sqrt(np.mean(signal**2) / np.mean(error**2)) * 10 ** (-12.5 / 20)  # 12.5 dB below
    assert abs(sdr(signal, signal + error) - 12.5) < 1e-6


def test_sdr_floors_silence_and_perfect_estimates():
    silence = np.zeros(100)
    assert sdr(silence, silence) == pytest.approx(0.0)
    assert sdr(np.ones(100), np.ones(100)) == pytest.approx(100.0)  # 10·log10(1 / 1e-10)


def test_si_sdr_agrees_with_torchmetrics_and_is_scale_invariant():
    rng = np.random.default_rng(1)
    for _ in range(5):
        reference = rng.standard_normal(8000).astype(np.float32)
        estimate = (0.7 * reference + 0.3 * rng.standard_normal(8000)).astype(np.float32)
        expected = scale_invariant_signal_distortion_ratio(
            torch.from_numpy(estimate), torch.from_numpy(reference), zero_mean=False
        ).item()
        assert abs(si_sdr(reference, estimate) - expected) < 1e-3
        assert abs(si_sdr(reference, 3.0 * estimate) - si_sdr(reference, estimate)) < 1e-6


def test_improvements_are_zero_for_the_mixture_itself():
    rng = np.random.default_rng(2)
    reference, mixture = rng.standard_normal(800), rng.standard_normal(800)
    assert sdri(reference, mixture, mixture) == 0.0
    assert si_sdri(reference, mixture, mixture) == 0.0
    assert sdri(reference, reference, mixture) > 50


def test_batched_torch_versions_match_numpy():
    rng = np.random.default_rng(3)
    reference = rng.standard_normal((4, 2000)).astype(np.float32)
    estimate = reference + 0.5 * rng.standard_normal((4, 2000)).astype(np.float32)
    torch_sdr = batch_sdr(torch.from_numpy(reference), torch.from_numpy(estimate))
    torch_si = batch_si_sdr(torch.from_numpy(reference), torch.from_numpy(estimate))
    for row in range(4):
        assert abs(torch_sdr[row].item() - sdr(reference[row], estimate[row])) < 1e-6
        assert abs(torch_si[row].item() - si_sdr(reference[row], estimate[row])) < 1e-5


def test_shape_mismatch_is_an_error():
    with pytest.raises(ValueError):
        sdr(np.zeros(10), np.zeros(11))
