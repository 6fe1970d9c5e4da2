"""Each building block on its own: shapes, ranges, and the properties the networks rely on."""

from __future__ import annotations

import pytest
import torch

from querysep.models.blocks import (
    ASPP,
    AttentionGate,
    CrossAttention,
    FiLM,
    PreActResidualBlock,
    SqueezeExcitation,
    StemBlock,
    pad_to_multiple,
)
from querysep.text.embedding import TextEmbedding

TEXT_DIM = 12


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def make_text(
    batch: int = 2, num_tokens: int = 5, lengths: tuple[int, ...] = (5, 3)
) -> TextEmbedding:
    tokens = torch.randn(batch, num_tokens, TEXT_DIM)
    mask = torch.arange(num_tokens)[None, :] < torch.tensor(lengths)[:, None]  # (batch, tokens)
    return TextEmbedding.from_tokens(tokens, mask)


def test_pad_to_multiple_pads_at_the_end_with_zeros():
    x = torch.ones(1, 1, 257, 37)
    padded = pad_to_multiple(x, 8)
    assert padded.shape == (1, 1, 264, 40)
    assert torch.equal(padded[..., :257, :37], x)
    assert padded[..., 257:, :].abs().sum() == 0 and padded[..., :, 37:].abs().sum() == 0


def test_squeeze_excitation_weights_lie_strictly_between_zero_and_one():
    se = SqueezeExcitation(channels=16)
    x = 10 * torch.randn(3, 16, 9, 7)
    weights = se.weights(x)
    assert weights.shape == (3, 16, 7)  # per frame
    assert (weights > 0).all() and (weights < 1).all()
    torch.testing.assert_close(se(x), x * weights[:, :, None, :])


def test_squeeze_excitation_is_local_in_time():
    """A frame's output depends on that frame only (any-length inference needs locality)."""
    se = SqueezeExcitation(channels=8)
    x = torch.randn(1, 8, 5, 12)
    changed = x.clone()
    changed[..., 6:] = 100 * torch.randn(1, 8, 5, 6)
    torch.testing.assert_close(se(changed)[..., :6], se(x)[..., :6])


@pytest.mark.parametrize("stride", [1, 2])
def test_preact_residual_block_shapes(stride):
    block = PreActResidualBlock(in_channels=4, out_channels=8, stride=stride)
    y = block(torch.randn(2, 4, 16, 10))
    assert y.shape == (2, 8, 16 // stride, 10 // stride)


def test_preact_residual_block_identity_shortcut_when_shape_is_kept():
    block = PreActResidualBlock(in_channels=8, out_channels=8)
    assert isinstance(block.shortcut, torch.nn.Identity)
    torch.nn.init.zeros_(block.body[-1].weight)  # the body now adds nothing
    x = torch.randn(2, 8, 6, 6)
    torch.testing.assert_close(block(x), x)


def test_stem_block_keeps_the_size():
    assert StemBlock(in_channels=1, out_channels=6)(torch.randn(2, 1, 11, 13)).shape == (
        2,
        6,
        11,
        13,
    )


def test_aspp_keeps_the_size_for_large_rates_on_small_maps():
    aspp = ASPP(in_channels=8, out_channels=20, rates=[1, 6, 12, 18])
    assert [b[0].dilation for b in aspp.branches] == [(1, 1), (6, 6), (12, 12), (18, 18)]
    assert aspp.branches[0][0].out_channels == 5  # out_channels // len(rates)
    assert aspp(torch.randn(2, 8, 5, 7)).shape == (2, 20, 5, 7)


def test_attention_gate_scales_the_skip_by_a_map_in_unit_interval():
    gate = AttentionGate(skip_channels=4, gate_channels=8, hidden_channels=4).eval()
    skip = torch.randn(2, 4, 12, 10)
    gated = gate(skip, torch.randn(2, 8, 6, 5))
    assert gated.shape == skip.shape
    ratio = gated / skip
    assert (ratio >= 0).all() and (ratio <= 1).all()
    torch.testing.assert_close(ratio[:, :1], ratio[:, 1:2])  # one map for all channels


def cross_attention(channels: int = 6, num_bands: int = 4) -> CrossAttention:
    return CrossAttention(
        channels=channels, text_dim=TEXT_DIM, attention_dim=8, num_heads=2, num_bands=num_bands
    ).eval()


def test_cross_attention_keeps_the_shape():
    x = torch.randn(2, 6, 13, 7)
    assert cross_attention()(x, make_text()).shape == x.shape


def test_cross_attention_ignores_the_values_of_padded_tokens():
    layer = cross_attention()
    x = torch.randn(2, 6, 16, 9)
    text = make_text()
    changed = text.tokens.clone()
    changed[~text.mask] = 100 * torch.randn(int((~text.mask).sum()), TEXT_DIM)
    other = TextEmbedding(changed, text.mask, text.pooled)
    torch.testing.assert_close(layer(x, other), layer(x, text), atol=1e-6, rtol=0)


def test_cross_attention_with_identical_tokens_adds_one_constant_vector():
    """All keys equal -> any attention weights give the same value: the residual added to
    every position is out(value(token)), whatever the audio."""
    layer = cross_attention()
    token = torch.randn(1, 1, TEXT_DIM)
    text = TextEmbedding.from_tokens(
        token.expand(1, 4, TEXT_DIM), torch.ones(1, 4, dtype=torch.bool)
    )
    x = torch.randn(1, 6, 16, 9)
    value = layer.key_value(layer.norm_text(token)).chunk(2, dim=-1)[1]  # (1, 1, attention_dim)
    expected = layer.out(value).reshape(1, 6, 1, 1)
    torch.testing.assert_close(layer(x, text) - x, expected.expand_as(x), atol=1e-5, rtol=1e-5)


def test_cross_attention_output_depends_on_text_and_on_band():
    layer = cross_attention()
    x = torch.randn(1, 6, 16, 9)
    first, second = make_text(batch=1, lengths=(5,)), make_text(batch=1, lengths=(5,))
    assert not torch.allclose(layer(x, first), layer(x, second))
    delta = layer(x, first) - x  # (1, 6, 16, 9): 4 bands of 4 bins
    torch.testing.assert_close(delta[:, :, 0], delta[:, :, 3])  # same band
    assert not torch.allclose(delta[:, :, 0], delta[:, :, 15])  # other band


def test_cross_attention_survives_a_row_without_tokens():
    text = make_text(lengths=(5, 0))
    y = cross_attention()(torch.randn(2, 6, 8, 4), text)
    assert torch.isfinite(y).all()


def test_film_scales_and_shifts_per_channel():
    film = FiLM(channels=3, text_dim=TEXT_DIM)
    text = make_text()
    x = torch.randn(2, 3, 5, 4)
    scale, shift = film.project(text.pooled).chunk(2, dim=-1)
    expected = x * (1 + scale[:, :, None, None]) + shift[:, :, None, None]
    torch.testing.assert_close(film(x, text), expected)
