import torch

from querysep.audio.stft import denormalize_db, istft, normalize_db, num_frames, stft


def test_round_trip_over_leading_dims():
    torch.manual_seed(0)
    waveform = torch.randn(2, 3, 16001) * 0.3
    spec = stft(waveform)
    assert spec.shape == (2, 3, 257, num_frames(16001))
    restored = istft(spec, length=16001)
    assert restored.shape == waveform.shape
    assert (restored - waveform).abs().max() < 1e-5


def test_short_input_round_trip():
    waveform = torch.randn(100) * 0.1  # shorter than half a window: constant padding
    assert (istft(stft(waveform), length=100) - waveform).abs().max() < 1e-5


def test_normalised_db_lies_in_unit_range_and_inverts_exactly():
    torch.manual_seed(1)
    magnitude = stft(torch.randn(4, 1, 8000)).abs()
    features, stats = normalize_db(magnitude)
    assert features.min() >= 0 and features.max() <= 1
    assert torch.allclose(features.amin(dim=(-2, -1)), torch.zeros(4, 1))
    assert torch.allclose(features.amax(dim=(-2, -1)), torch.ones(4, 1))
    restored = denormalize_db(features, stats)
    floor = 1e-5
    assert torch.allclose(restored, magnitude.clamp_min(floor), rtol=1e-4)


def test_per_clip_normalisation_is_independent_of_other_clips():
    torch.manual_seed(2)
    quiet, loud = torch.randn(1, 8000) * 0.01, torch.randn(1, 8000)
    together, _ = normalize_db(stft(torch.stack([quiet, loud])).abs())
    alone, _ = normalize_db(stft(quiet[None]).abs())
    assert torch.allclose(together[0], alone[0], atol=1e-6)


def test_absolute_features_need_no_statistics_and_ignore_a_quiet_noise_floor():
    from querysep.audio.stft import ABSOLUTE_DB_RANGE, normalize_db_absolute

    rng = torch.Generator().manual_seed(0)
    time = torch.arange(32000) / 16000
    clip = 0.5 * torch.sin(2 * torch.pi * 440 * time)
    noisy = clip + 1e-3 * torch.randn(32000, generator=rng)  # a -60 dBFS noise floor
    clean_features, stats = normalize_db_absolute(stft(clip).abs())
    noisy_features, _ = normalize_db_absolute(stft(noisy).abs())
    assert (float(stats.low), float(stats.high)) == ABSOLUTE_DB_RANGE
    loud = clean_features > 0.7  # the tone's bins: far above the noise floor
    assert loud.any() and torch.allclose(clean_features[loud], noisy_features[loud], atol=3e-3)
    # time-local: the features of a crop are the crop of the features (away from the edges)
    crop_features, _ = normalize_db_absolute(stft(noisy[8192:24576]).abs())
    torch.testing.assert_close(crop_features[:, 4:-4], noisy_features[:, 36:93])
    # while per-clip min/max features move everywhere when the floor appears
    moved = (normalize_db(stft(clip).abs())[0] - normalize_db(stft(noisy).abs())[0]).abs()
    absolute_moved = (clean_features - noisy_features)[loud].abs().mean()
    assert float(moved[loud].mean()) > 5 * float(absolute_moved)
