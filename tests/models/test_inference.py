"""The inference copy: batch norms folded, channels-last, the same masks as the network."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from querysep.models.blocks import band_ranges
from querysep.models.inference import IN_PLACE_BLOCKS, fold_batch_norms, inference_copy
from querysep.separator import Separator
from tests.models.test_networks import TINY_NETWORKS, make_text, run, tiny_network


def with_trained_norms(network: nn.Module, seed: int = 3) -> nn.Module:
    """Random running statistics and affine parameters, as after training (the defaults,
    mean 0 and variance 1, would make folding trivially exact)."""
    generator = torch.Generator().manual_seed(seed)
    for module in network.modules():
        if isinstance(module, nn.BatchNorm2d):
            size = module.num_features
            module.running_mean.copy_(torch.randn(size, generator=generator) * 0.5)
            module.running_var.copy_(torch.rand(size, generator=generator) * 2 + 0.1)
            module.weight.data.copy_(torch.randn(size, generator=generator))
            module.bias.data.copy_(torch.randn(size, generator=generator) * 0.2)
    return network.eval()


def conv_norm_pairs(network: nn.Module) -> int:
    return sum(
        isinstance(a, nn.Conv2d) and isinstance(b, nn.BatchNorm2d)
        for module in network.modules()
        if isinstance(module, nn.Sequential)
        for a, b in zip(module, list(module)[1:])
    )


@pytest.mark.parametrize("name", sorted(TINY_NETWORKS))
def test_inference_copy_gives_the_network_s_masks(name):
    network = with_trained_norms(tiny_network(name))
    features = torch.rand(2, 1, 257, 40)
    text = make_text(2, [6, 3])
    expected = run(network, features, text)
    fast = inference_copy(network)
    pairs = conv_norm_pairs(network)
    assert conv_norm_pairs(fast) == 0
    assert pairs > 0 or name == "film_resunet"  # AudioSep's blocks: pre-activation norms only
    num_norms = sum(isinstance(m, nn.BatchNorm2d) for m in network.modules())
    assert sum(isinstance(m, nn.BatchNorm2d) for m in fast.modules()) == num_norms - pairs
    convs = [m for m in fast.modules() if isinstance(m, nn.Conv2d) and m.kernel_size == (3, 3)]
    assert all(c.weight.is_contiguous(memory_format=torch.channels_last) for c in convs)
    masks = run(fast, features, text)
    assert masks.shape == expected.shape
    assert torch.allclose(masks, expected, atol=1e-5)
    assert conv_norm_pairs(network) == pairs  # the original is left as it was
    in_place = [m.inplace for m in fast.modules() if isinstance(m, IN_PLACE_BLOCKS)]
    assert all(in_place) and (in_place or name == "film_resunet")  # AudioSep's own blocks
    assert not any(m.inplace for m in network.modules() if isinstance(m, IN_PLACE_BLOCKS))


@pytest.mark.parametrize(("num_freqs", "num_bands"), [(257, 8), (17, 8), (5, 5), (64, 8)])
def test_band_ranges_send_each_bin_to_its_band(num_freqs, num_bands):
    ranges = band_ranges(num_freqs, num_bands)
    band_of_freq = [f * num_bands // num_freqs for f in range(num_freqs)]
    assert [band for band, (start, end) in enumerate(ranges) for _ in range(start, end)] == (
        band_of_freq
    )


def test_folding_needs_eval_mode():
    with pytest.raises(ValueError, match="eval mode"):
        fold_batch_norms(tiny_network("resunetpp").train())


def test_loaded_separator_runs_the_copy_and_agrees_with_the_network(tiny_separator, tmp_path):
    with_trained_norms(tiny_separator.network)
    path = tiny_separator.save(tmp_path / "tiny.pt")
    loaded = Separator.load(path, text_encoder=tiny_separator.text_encoder)
    assert loaded.model.inference_network is not None
    assert conv_norm_pairs(loaded.model.inference_network) == 0
    assert conv_norm_pairs(loaded.network) > 0  # saved and trained as before
    audio = np.random.default_rng(0).standard_normal(16000 * 3).astype(np.float32) * 0.1
    fast = loaded.separate(audio, 16000, "a dog barking")
    loaded.model.use_inference_network(None)
    plain = loaded.separate(audio, 16000, "a dog barking")
    assert np.abs(fast - plain).max() < 1e-4 * np.abs(plain).max()
    loaded.use_onnx(None)  # back to PyTorch means back to the folded copy
    assert conv_norm_pairs(loaded.model.inference_network) == 0


def test_the_copy_is_not_part_of_the_model_s_weights(tiny_separator, tmp_path):
    path = tiny_separator.save(tmp_path / "tiny.pt")
    loaded = Separator.load(path, text_encoder=tiny_separator.text_encoder)
    assert not any(key.startswith("inference_network") for key in loaded.model.state_dict())
    assert loaded.model.payload()["state_dict"].keys() == tiny_separator.network.state_dict().keys()
