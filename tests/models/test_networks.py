"""The network contract: network(features, text_tokens, text_mask, text_pooled) -> mask."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from querysep.config import Config, ModelConfig
from querysep.models.film_resunet import FiLMResUNet
from querysep.models.registry import build_network, num_parameters
from querysep.models.resunetpp import ResUNetPlusPlus
from querysep.text.embedding import TextEmbedding
from querysep.text.encoders import TEXT_DIMS

CONFIGS = Path(__file__).resolve().parents[2] / "configs"
TEXT_DIM = 16

TINY = dict(channels=[4, 8, 8, 16], bridge_channels=16, aspp_rates=[1, 2, 4])
TINY_NETWORKS = {
    "resunetpp": lambda: ResUNetPlusPlus(text_dim=TEXT_DIM, attention_dim=8, num_heads=2, **TINY),
    "resunetpp_film": lambda: ResUNetPlusPlus(text_dim=TEXT_DIM, conditioning="film", **TINY),
    "resunetpp_full_resolution": lambda: ResUNetPlusPlus(
        text_dim=TEXT_DIM, attention_dim=8, num_heads=2, patch_size=1, **TINY
    ),
    "film_resunet": lambda: FiLMResUNet(text_dim=TEXT_DIM, channels=[4, 8, 8], bridge_channels=16),
}


def tiny_network(name: str) -> torch.nn.Module:
    torch.manual_seed(0)
    return TINY_NETWORKS[name]().eval()


def make_text(batch: int, lengths: list[int], num_tokens: int = 6, seed: int = 1) -> TextEmbedding:
    generator = torch.Generator().manual_seed(seed)
    tokens = torch.randn(batch, num_tokens, TEXT_DIM, generator=generator)
    mask = torch.arange(num_tokens)[None, :] < torch.tensor(lengths)[:, None]
    tokens[~mask] = 0.0
    return TextEmbedding.from_tokens(tokens, mask)


def run(network, features: torch.Tensor, text: TextEmbedding) -> torch.Tensor:
    with torch.no_grad():
        return network(features, text.tokens, text.mask, text.pooled)


@pytest.fixture(params=sorted(TINY_NETWORKS))
def network(request):
    return tiny_network(request.param)


@pytest.mark.parametrize("num_freqs, num_frames", [(257, 37), (257, 1), (33, 50), (5, 3)])
def test_mask_has_the_input_shape_and_lies_in_unit_interval(network, num_freqs, num_frames):
    features = torch.rand(2, 1, num_freqs, num_frames)
    mask = run(network, features, make_text(2, [6, 3]))
    assert mask.shape == features.shape
    assert mask.dtype == torch.float32
    assert (mask >= 0).all() and (mask <= 1).all()


def test_mask_changes_when_the_text_changes(network):
    features = torch.rand(1, 1, 64, 40)
    first = run(network, features, make_text(1, [6], seed=1))
    second = run(network, features, make_text(1, [6], seed=2))
    assert (first - second).abs().max() > 1e-4


def test_values_of_padded_tokens_change_nothing(network):
    features = torch.rand(2, 1, 64, 24)
    text = make_text(2, [6, 2])
    noisy = text.tokens.clone()
    noisy[~text.mask] = 50 * torch.randn(int((~text.mask).sum()), TEXT_DIM)
    changed = TextEmbedding(noisy, text.mask, text.pooled)  # pooled: of the real tokens only
    torch.testing.assert_close(
        run(network, features, changed), run(network, features, text), atol=1e-6, rtol=0
    )


def test_items_of_a_batch_do_not_mix(network):
    features = torch.rand(2, 1, 48, 20)
    text = make_text(2, [6, 4])
    together = run(network, features, text)
    for i in range(2):
        single = TextEmbedding(text.tokens[i : i + 1], text.mask[i : i + 1], text.pooled[i : i + 1])
        alone = run(network, features[i : i + 1], single)
        torch.testing.assert_close(alone, together[i : i + 1], atol=1e-5, rtol=1e-4)


def test_every_parameter_gets_a_gradient(network):
    network.train()
    features = torch.rand(2, 1, 40, 24)
    text = make_text(2, [6, 3])
    network(features, text.tokens, text.mask, text.pooled).mean().backward()
    missing = [
        name
        for name, p in network.named_parameters()
        if p.grad is None or not p.grad.abs().sum() > 0
    ]
    assert missing == []


def test_works_under_bf16_autocast(network):
    features = torch.rand(1, 1, 257, 19)
    text = make_text(1, [5])
    reference = run(network, features, text)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        mask = run(network, features, text)
    assert mask.shape == features.shape and mask.dtype == torch.float32
    assert torch.isfinite(mask).all() and (mask >= 0).all() and (mask <= 1).all()
    assert (mask - reference).abs().max() < 0.1


def test_patch_size_keeps_full_resolution_output():
    network = tiny_network("resunetpp")
    assert network.patch_size == 2
    assert network.stem[0].body[0].in_channels == 4  # one channel per bin of a 2x2 patch
    assert network.head.out.out_channels == 4


def test_unknown_architecture_or_conditioning_fails_clearly():
    with pytest.raises(ValueError, match="architecture"):
        build_network(ModelConfig(architecture="transformer"), text_dim=TEXT_DIM)
    with pytest.raises(ValueError, match="conditioning"):
        build_network(ModelConfig(conditioning="concat"), text_dim=TEXT_DIM)


def test_registry_builds_the_named_class():
    assert isinstance(build_network(ModelConfig(), TEXT_DIM), ResUNetPlusPlus)
    config = ModelConfig(architecture="film_resunet", channels=[4, 8], bridge_channels=8)
    assert isinstance(build_network(config, TEXT_DIM), FiLMResUNet)


def config_parameters(name: str) -> int:
    config = Config.from_yaml(CONFIGS / f"{name}.yaml")
    return num_parameters(build_network(config.model, text_dim=TEXT_DIMS[config.text.name]))


def test_parameter_budgets_of_the_shipped_configs():
    default = config_parameters("default")
    assert default <= 10_000_000
    assert 20_000_000 <= config_parameters("film_audiosep") <= 40_000_000
    assert abs(config_parameters("film_baseline") - default) <= 0.15 * default
    assert config_parameters("thesis") <= 10_000_000
    assert config_parameters("tiny") <= 200_000
