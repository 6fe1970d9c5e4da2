import pytest
import torch

from querysep.config import LossConfig
from querysep.losses import (
    log_magnitude,
    negative_snr,
    separation_loss,
    spectral_convergence,
)


def test_spectral_convergence_and_log_magnitude_values():
    target = torch.ones(2, 1, 4, 5)
    assert spectral_convergence(target, target) == 0
    assert spectral_convergence(0.5 * target, target) == pytest.approx(0.5)
    assert log_magnitude(target * torch.e, target) == pytest.approx(1.0)


def test_weighted_sum_returns_named_terms():
    torch.manual_seed(0)
    magnitude, waveform = torch.rand(2, 1, 8, 6), torch.randn(2, 1, 100)
    config = LossConfig(spectral_convergence=2.0, log_magnitude=0.0, waveform_l1=1.0)
    total, terms = separation_loss(
        config,
        estimate_magnitude=magnitude * 0.9,
        target_magnitude=magnitude,
        estimate_waveform=waveform * 0.5,
        target_waveform=waveform,
    )
    assert set(terms) == {"spectral_convergence", "waveform_l1"}
    assert total == pytest.approx(2.0 * terms["spectral_convergence"] + terms["waveform_l1"])
    assert terms["spectral_convergence"] == pytest.approx(0.1, rel=1e-5)


def test_negative_si_sdr_term_and_all_zero_weights():
    waveform = torch.randn(3, 1, 200)
    config = LossConfig(spectral_convergence=0, log_magnitude=0, neg_si_sdr=1.0)
    magnitude = torch.rand(3, 1, 4, 4)
    total, _ = waveform_loss(config, waveform + 0.1 * torch.randn_like(waveform), waveform)
    assert total < -15  # about −20 dB error: SI-SDR ≈ 20 dB
    with pytest.raises(ValueError, match="every loss weight is zero"):
        separation_loss(
            LossConfig(0, 0, 0, 0),
            estimate_magnitude=magnitude,
            target_magnitude=magnitude,
            estimate_waveform=waveform,
            target_waveform=waveform,
        )


def test_negative_snr_punishes_silence_more_than_the_mixture_and_saturates():
    torch.manual_seed(0)
    target = torch.randn(1, 1, 4000)
    quiet_interferer = 10 ** (-10 / 20) * torch.randn(1, 1, 4000)  # input SNR about 10 dB
    mixture = target + quiet_interferer
    assert negative_snr(torch.zeros_like(target), target) == pytest.approx(0.0, abs=0.01)
    assert negative_snr(0.5 * target, target) == pytest.approx(-6.02, abs=0.03)
    mixture_loss = negative_snr(mixture, target)
    assert mixture_loss == pytest.approx(-10.0, abs=0.3)
    assert mixture_loss < negative_snr(torch.zeros_like(target), target)
    assert negative_snr(target, target) == pytest.approx(-30.0, abs=1e-3)  # the 30 dB cap
    config = LossConfig(spectral_convergence=0, log_magnitude=0, neg_snr=1.0)
    total, terms = waveform_loss(config, mixture, target)
    assert set(terms) == {"neg_snr"} and total == pytest.approx(mixture_loss.item())


def waveform_loss(config: LossConfig, estimate: torch.Tensor, target: torch.Tensor):
    """``separation_loss`` for waveform-only weights (the magnitudes are a perfect match)."""
    magnitude = torch.rand(target.shape[0], 1, 4, 4)
    return separation_loss(
        config,
        estimate_magnitude=magnitude,
        target_magnitude=magnitude,
        estimate_waveform=estimate,
        target_waveform=target,
    )
