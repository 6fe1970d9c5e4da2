import numpy as np
import pytest

from querysep.data.mixing import (
    active_span,
    dominant_span,
    loudness_lufs,
    mix_at_snr,
    mix_equal_loudness,
)
from tests.conftest import noise_burst, tone


def snr_of(source, noise):
    return 10 * np.log10(
        np.mean(source.astype(np.float64) ** 2) / np.mean(noise.astype(np.float64) ** 2)
    )


@pytest.mark.parametrize("snr_db", [-15, -3, 0, 7, 15])
def test_mix_at_snr_gives_requested_snr(snr_db):
    source, noise = tone(440, 1.0, amplitude=0.1), noise_burst(0, 1.0, amplitude=0.05)
    out_source, mixture = mix_at_snr(source, noise, snr_db)
    assert np.max(np.abs(mixture)) <= 1.0
    assert abs(snr_of(out_source, mixture - out_source) - snr_db) < 1e-3


def test_peak_rule_scales_source_and_mixture_to_point_nine():
    source, noise = tone(440, 1.0, amplitude=0.9), noise_burst(1, 1.0, amplitude=0.5)
    out_source, mixture = mix_at_snr(source, noise, -5)
    assert np.max(np.abs(mixture)) == pytest.approx(0.9, abs=1e-6)
    scale = np.max(np.abs(out_source)) / 0.9
    assert scale < 1.0  # the source was scaled down by the same factor
    assert abs(snr_of(out_source, mixture - out_source) - (-5)) < 1e-3


def test_no_scaling_when_mixture_does_not_clip():
    source = tone(440, 1.0, amplitude=0.1)
    out_source, _ = mix_at_snr(source, noise_burst(2, 1.0, 0.01), 10)
    np.testing.assert_array_equal(out_source, source)


def test_noise_is_fitted_to_source_length():
    source, mixture = mix_at_snr(tone(440, 1.0), noise_burst(3, 0.5), 0)
    assert source.shape == mixture.shape == (16000,)
    np.testing.assert_allclose(mixture[8000:], source[8000:])  # zero padding after the noise


def test_thesis_mixing_equal_loudness_padding_and_alignment():
    loud = tone(440, 2.0, amplitude=0.8)
    quiet = noise_burst(4, 1.0, amplitude=0.01)
    target, interferer, mixture = mix_equal_loudness(loud, quiet, 16000, target_lufs=-23.0)
    assert target.shape == interferer.shape == mixture.shape == (32000,)
    assert abs(loudness_lufs(target, 16000) - loudness_lufs(interferer[:16000], 16000)) < 0.5
    assert abs(loudness_lufs(target, 16000) - (-23.0)) < 0.5
    assert np.all(interferer[16000:] == 0)  # shorter clip padded with silence at the end
    np.testing.assert_allclose(mixture, target + interferer)


def test_spans_are_placed_where_the_target_plays_or_dominates():
    rate = 16000
    target = np.zeros(6 * rate, np.float32)
    target[1 * rate : 2 * rate] = tone(500, 1.0, amplitude=0.5)  # loud, under loud noise
    target[4 * rate : 5 * rate] = tone(500, 1.0, amplitude=0.2)  # quieter, alone
    rest = np.zeros_like(target)
    rest[: 3 * rate] = noise_burst(0, 3.0, amplitude=0.8)
    rng = np.random.default_rng(0)
    for _ in range(20):
        start = active_span(target, rate, rng) / rate  # the loud part: where it is active
        assert 0.5 <= start <= 1.5
        start = dominant_span(target, rest, rate, rng) / rate  # the quiet part, alone
        assert 3.5 <= start <= 4.5
    assert active_span(target[:800], rate, rng) == 0  # shorter than a span: from the start
