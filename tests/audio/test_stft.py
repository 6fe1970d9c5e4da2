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
