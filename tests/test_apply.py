import pytest
import torch

from querysep.apply import crossfade_weights, overlap_add, window_starts


@pytest.mark.parametrize("length", [1, 999, 1000, 1001, 4321, 10_000])
def test_identity_through_the_chunker_returns_the_input(length):
    torch.manual_seed(0)
    waveform = torch.randn(2, length)
    out = overlap_add(lambda x: x, waveform, window_samples=1000, overlap_samples=250)
    assert out.shape == waveform.shape
    assert torch.allclose(out, waveform, atol=1e-6)


def test_extra_leading_dims_and_linear_process():
    waveform = torch.randn(1, 5000)
    out = overlap_add(
        lambda x: torch.stack([2 * x, -x]), waveform, window_samples=800, overlap_samples=200
    )
    assert out.shape == (2, 1, 5000)
    assert torch.allclose(out[0], 2 * waveform, atol=1e-5)
    assert torch.allclose(out[1], -waveform, atol=1e-5)


def test_windows_cover_the_signal_and_crossfades_sum_to_one():
    starts = window_starts(2500, 1000, 300)
    assert starts[0] == 0 and starts[-1] + 1000 == 2500
    assert all(b - a <= 700 for a, b in zip(starts, starts[1:]))
    fade_out, fade_in = crossfade_weights(1000, 0, 300), crossfade_weights(1000, 300, 0)
    assert torch.allclose(fade_out[700:] + fade_in[:300], torch.ones(300))
    with pytest.raises(ValueError):
        window_starts(10, 100, 100)


def test_each_window_is_processed_once_in_order():
    seen = []

    def record(chunk):
        seen.append(chunk.shape[-1])
        return chunk

    overlap_add(record, torch.zeros(1, 3000), window_samples=1000, overlap_samples=100)
    assert seen == [1000, 1000, 1000, 1000] and len(window_starts(3000, 1000, 100)) == 4


def test_context_is_processed_but_only_the_window_is_kept():
    """With context, each call sees extra audio on both sides, starting on the grid; an
    identity still comes back exactly, and a position-dependent process shows the grid."""
    signal = torch.randn(1, 5000)
    seen = []

    def record(chunk):
        seen.append(chunk.shape[-1])
        return chunk

    out = overlap_add(
        record, signal, window_samples=1000, overlap_samples=100, context_samples=300,
        align_samples=64,
    )  # fmt: skip
    torch.testing.assert_close(out, signal)
    assert max(seen) > 1000  # windows were extended by context
    offsets = []
    overlap_add(
        lambda chunk: offsets.append(int((signal[0] == chunk[0, 0]).nonzero()[0])) or chunk,
        signal, window_samples=1000, overlap_samples=100, context_samples=300, align_samples=64,
    )  # fmt: skip
    assert all(offset % 64 == 0 for offset in offsets)
