"""Query by example: a clip of the wanted sound becomes conditioning tokens.

The separator attends to a sequence of conditioning tokens (``TextEmbedding``: tokens, mask,
pooled vector). :class:`ExampleEncoder` turns an example clip (the separator's own dB
features, any length) into a few tokens of the same width, so text tokens and example tokens
can be given alone or together: :func:`join_conditions` concatenates them, masking out
whichever side a row does not use, so a text-only row attends to exactly what it did before
(masked tokens get no attention weight).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from querysep.text.embedding import TextEmbedding, masked_mean


class ExampleEncoder(nn.Module):
    """dB features of a clip -> ``num_tokens`` conditioning tokens of ``out_dim``.

    Four stride-2 conv layers (no batch statistics: padded examples must not change real
    ones), the frequency axis flattened into a per-frame vector (the spectral shape is what
    identifies a sound), LayerNorm, then ``num_tokens`` learned queries pool the frames by
    multi-head attention (padded frames excluded) and a linear layer maps them to the token
    width. Written with ``scaled_dot_product_attention`` so the frame axis stays dynamic in
    ONNX (``nn.MultiheadAttention`` traces its sequence length as a constant).
    """

    def __init__(
        self,
        *,
        num_freqs: int,
        out_dim: int,
        num_tokens: int = 4,
        hidden_dim: int = 256,
        channels: tuple[int, ...] = (16, 32, 64, 64),
        num_heads: int = 4,
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        in_channels, freqs = 1, num_freqs
        for out_channels in channels:
            layers += [nn.Conv2d(in_channels, out_channels, 3, stride=2, padding=1), nn.GELU()]
            in_channels, freqs = out_channels, (freqs - 1) // 2 + 1
        self.convs = nn.Sequential(*layers)
        self.time_stride = 2 ** len(channels)
        self.frame = nn.Sequential(
            nn.Linear(in_channels * freqs, hidden_dim), nn.LayerNorm(hidden_dim)
        )
        assert hidden_dim % num_heads == 0, "hidden_dim must be divisible by num_heads"
        self.num_heads = num_heads
        self.queries = nn.Parameter(torch.randn(num_heads, num_tokens, hidden_dim // num_heads))
        self.key_value = nn.Linear(hidden_dim, 2 * hidden_dim)
        self.out = nn.Sequential(nn.LayerNorm(hidden_dim), nn.Linear(hidden_dim, out_dim))

    def forward(self, features: torch.Tensor, frame_mask: torch.Tensor) -> TextEmbedding:
        """features: (batch, 1, freq, frames) in [0, 1]; frame_mask: (batch, frames) bool,
        True = real frame -> tokens (batch, num_tokens, out_dim), all real."""
        x = self.convs(features)  # (batch, channels, freq', frames')
        x = self.frame(x.flatten(1, 2).transpose(1, 2))  # (batch, frames', hidden)
        frames = x.shape[1]
        # a coarse frame is real when any of the fine frames it covers is
        real = frame_mask[:, :: self.time_stride][:, :frames]  # (batch, frames')
        real = real | ~real.any(dim=1, keepdim=True)  # a row with no real frame sees all
        key, value = self.key_value(x).chunk(2, dim=-1)  # (batch, frames', hidden) each
        key = key.unflatten(-1, (self.num_heads, -1)).transpose(1, 2)  # (b, heads, frames', d)
        value = value.unflatten(-1, (self.num_heads, -1)).transpose(1, 2)
        queries = self.queries.expand(x.shape[0], -1, -1, -1)  # (batch, heads, num_tokens, d)
        pooled = F.scaled_dot_product_attention(
            queries, key, value, attn_mask=real[:, None, None, :]
        )  # (batch, heads, num_tokens, d)
        tokens = self.out(pooled.transpose(1, 2).flatten(2))  # (batch, num_tokens, out_dim)
        mask = torch.ones(tokens.shape[:2], dtype=torch.bool, device=tokens.device)
        return TextEmbedding.from_tokens(tokens, mask)


def join_conditions(
    text: TextEmbedding | None,
    example: TextEmbedding | None,
    *,
    use_text: torch.Tensor | None = None,
    use_example: torch.Tensor | None = None,
) -> TextEmbedding:
    """Text tokens then example tokens, as one conditioning sequence.

    ``use_text`` / ``use_example``: (batch,) bool, which rows keep each side (default: all
    rows of each side given). The pooled vector is the mean of the used sides' pooled vectors.
    """
    if text is None and example is None:
        raise ValueError("a condition needs text, an example, or both")
    if example is None:
        return text
    if text is None:
        return example
    batch = text.tokens.shape[0]
    ones = torch.ones(batch, dtype=torch.bool, device=text.tokens.device)
    use_text = ones if use_text is None else use_text.to(ones.device)
    use_example = ones if use_example is None else use_example.to(ones.device)
    tokens = torch.cat([text.tokens, example.tokens], dim=1)  # (batch, t + e, dim)
    mask = torch.cat([text.mask & use_text[:, None], example.mask & use_example[:, None]], dim=1)
    sides = torch.stack([text.pooled, example.pooled], dim=1)  # (batch, 2, dim)
    used = torch.stack([use_text, use_example], dim=1)  # (batch, 2)
    return TextEmbedding(tokens=tokens, mask=mask, pooled=masked_mean(sides, used))
