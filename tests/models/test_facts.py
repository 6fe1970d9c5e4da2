"""Network facts from the network itself: the receptive field bounds what one frame sees."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from querysep.apply import WindowPlan
from querysep.config import Config
from querysep.models.registry import build_network
from querysep.separator import OVERLAP_SECONDS, WINDOW_SECONDS

CONFIGS = sorted((Path(__file__).resolve().parents[2] / "configs").glob("*.yaml"))
TEXT_DIM = 16


def probed_radius(network: torch.nn.Module, num_frames: int) -> int:
    """Frames whose input reaches the centre frame's output: a gradient probe."""
    network.eval()
    features = torch.full((1, 1, 32, num_frames), 0.5, requires_grad=True)
    text = (
        torch.randn(1, 2, TEXT_DIM),
        torch.ones(1, 2, dtype=torch.bool),
        torch.randn(1, TEXT_DIM),
    )
    mask = network(features, *text)
    mask[..., num_frames // 2].sum().backward()
    reached = torch.nonzero(features.grad.abs().sum(dim=(0, 1, 2)) > 0).flatten()
    return int(max(num_frames // 2 - reached.min(), reached.max() - num_frames // 2))


@pytest.mark.parametrize("path", CONFIGS, ids=[p.stem for p in CONFIGS])
def test_window_context_covers_the_receptive_field_of_every_config(path):
    config = Config.from_yaml(path)
    torch.manual_seed(0)
    network = build_network(config.model, text_dim=TEXT_DIM)
    declared = network.receptive_radius()
    probe_frames = 4 * declared + 64
    assert probed_radius(network, probe_frames) <= declared
    hop, rate = config.audio.hop_length, config.audio.sample_rate
    stride = hop * network.time_stride()
    context = -(-(declared + 1) * hop // stride) * stride  # what Separator.context_samples does
    assert context >= (declared + 1) * hop
    plan = WindowPlan(int(WINDOW_SECONDS * rate), int(OVERLAP_SECONDS * rate), context, stride)
    if path.stem == "default":
        assert plan.cost(3600 * rate) <= 1.3  # the context costs at most 30 % more work
