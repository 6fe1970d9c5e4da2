"""Training-clip augmentation: band limits, and runs without them drawing exactly as before."""

import numpy as np
import pytest

from querysep.data.augment import AugmentConfig, augment, random_lowpass

SAMPLE_RATE = 16000


def band_energy_db(waveform: np.ndarray, low_hz: float, high_hz: float) -> float:
    spectrum = np.abs(np.fft.rfft(waveform)) ** 2
    freqs = np.fft.rfftfreq(waveform.size, 1 / SAMPLE_RATE)
    band = (freqs >= low_hz) & (freqs < high_hz)
    return 10 * np.log10(spectrum[band].sum() + 1e-20)


def test_lowpass_keeps_the_band_below_the_cutoff_and_removes_the_band_above():
    noise = np.random.default_rng(0).standard_normal(SAMPLE_RATE * 2).astype(np.float32)
    # a range of one value: the cutoff is exactly 3 kHz
    limited = random_lowpass(noise, np.random.default_rng(1), SAMPLE_RATE, (3000.0, 3000.0))
    assert limited.dtype == np.float32 and limited.shape == noise.shape
    kept = band_energy_db(limited, 100, 2000) - band_energy_db(noise, 100, 2000)
    removed = band_energy_db(limited, 4500, 8000) - band_energy_db(noise, 4500, 8000)
    assert abs(kept) < 0.5
    assert removed < -40


def test_lowpass_cutoffs_are_drawn_within_the_range():
    impulse = np.zeros(4096, dtype=np.float32)
    impulse[0] = 1.0
    freqs = np.fft.rfftfreq(impulse.size, 1 / SAMPLE_RATE)
    rng = np.random.default_rng(2)
    for _ in range(20):
        response = np.abs(np.fft.rfft(random_lowpass(impulse, rng, SAMPLE_RATE, (2000, 7000))))
        cutoff = freqs[np.argmax(response < 10 ** (-3 / 20))]  # first bin 3 dB down
        assert 1900 <= cutoff <= 7200


@pytest.mark.parametrize("probability, changed", [(0.0, False), (1.0, True)])
def test_band_limits_off_leave_the_draws_as_they_were(probability, changed):
    """Off, augmentation draws the same random numbers as before the option existed."""
    clip = np.random.default_rng(3).standard_normal(SAMPLE_RATE).astype(np.float32)
    before = AugmentConfig()  # the defaults: no band limits
    option = AugmentConfig(lowpass_probability=probability)
    for seed in range(5):
        rng_before, rng_option = np.random.default_rng(seed), np.random.default_rng(seed)
        out_before = augment(clip, rng_before, SAMPLE_RATE, before)
        out_option = augment(clip, rng_option, SAMPLE_RATE, option)
        same_draws = rng_before.random() == rng_option.random()
        assert np.array_equal(out_before, out_option) != changed
        assert same_draws != changed
