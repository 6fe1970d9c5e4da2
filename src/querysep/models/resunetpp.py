"""ResUNet++ with text cross-attention (thesis 4.2.2; ResUNet++: Jha et al. 2019).

stem + SE -> encoder stages (strided residual block, SE, text) -> ASPP bridge + text ->
decoder stages (gated skip, upsample, concat, residual block, text, SE) -> head (text, light
ASPP, 1x1 conv, sigmoid). "text" is cross-attention to the query tokens, or FiLM from the
pooled query for the ablation (``conditioning="film"``): the backbone stays the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from querysep.config import ModelConfig
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
from querysep.models.facts import NetworkFacts
from querysep.text.embedding import TextEmbedding

ConditioningFactory = Callable[[int], nn.Module]  # channels -> module with forward(x, text)


def conditioning_factory(
    kind: str, *, text_dim: int, attention_dim: int, num_heads: int, num_bands: int
) -> ConditioningFactory:
    """The text-conditioning layer of each stage: ``cross_attention`` or ``film``."""
    factories: dict[str, ConditioningFactory] = {
        "cross_attention": lambda channels: CrossAttention(
            channels=channels,
            text_dim=text_dim,
            attention_dim=attention_dim,
            num_heads=num_heads,
            num_bands=num_bands,
        ),
        "film": lambda channels: FiLM(channels=channels, text_dim=text_dim),
    }
    if kind not in factories:
        raise ValueError(f"unknown conditioning {kind!r}; choose one of {sorted(factories)}")
    return factories[kind]


def residual_stack(
    *, in_channels: int, out_channels: int, num_blocks: int, stride: int = 1
) -> nn.Sequential:
    """``num_blocks`` pre-activation residual blocks; the first sets the width and stride."""
    return nn.Sequential(
        PreActResidualBlock(in_channels=in_channels, out_channels=out_channels, stride=stride),
        *(
            PreActResidualBlock(in_channels=out_channels, out_channels=out_channels)
            for _ in range(num_blocks - 1)
        ),
    )


class EncoderStage(nn.Module):
    """Strided pre-activation residual block (+ stride-1 ones), SE, then text conditioning."""

    def __init__(
        self, *, in_channels: int, out_channels: int, num_blocks: int, condition: nn.Module
    ) -> None:
        super().__init__()
        self.blocks = residual_stack(
            in_channels=in_channels, out_channels=out_channels, num_blocks=num_blocks, stride=2
        )
        self.se = SqueezeExcitation(channels=out_channels)
        self.condition = condition

    def forward(self, x: torch.Tensor, text: TextEmbedding) -> torch.Tensor:
        """x: (batch, in_channels, freq, frames) -> (batch, out_channels, freq/2, frames/2)."""
        return self.condition(self.se(self.blocks(x)), text)


class DecoderStage(nn.Module):
    """Gate the encoder skip by the decoder feature, upsample (2x2 transposed conv, which also
    narrows the channels), concat the gated skip, residual block(s), text conditioning, SE."""

    def __init__(
        self,
        *,
        in_channels: int,
        skip_channels: int,
        out_channels: int,
        num_blocks: int,
        condition: nn.Module,
    ) -> None:
        super().__init__()
        self.gate = AttentionGate(
            skip_channels=skip_channels, gate_channels=in_channels, hidden_channels=skip_channels
        )
        self.upsample = nn.ConvTranspose2d(in_channels, out_channels, 2, stride=2)
        self.blocks = residual_stack(
            in_channels=out_channels + skip_channels,
            out_channels=out_channels,
            num_blocks=num_blocks,
        )
        self.condition = condition
        self.se = SqueezeExcitation(channels=out_channels)

    def forward(self, x: torch.Tensor, skip: torch.Tensor, text: TextEmbedding) -> torch.Tensor:
        """x: (batch, in_channels, freq/2, frames/2), skip: (batch, skip_channels, freq, frames)
        -> (batch, out_channels, freq, frames)."""
        skip = self.gate(skip, x)
        x = torch.cat([self.upsample(x), skip], dim=1)  # (batch, out + skip, freq, frames)
        return self.se(self.condition(self.blocks(x), text))


class MaskHead(nn.Module):
    """Text conditioning, light ASPP (two narrow branches), 1x1 conv -> mask logits."""

    def __init__(
        self, *, channels: int, out_channels: int, rates: Sequence[int], condition: nn.Module
    ) -> None:
        super().__init__()
        self.condition = condition
        self.aspp = ASPP(in_channels=channels, out_channels=channels, rates=rates[:2])
        self.out = nn.Conv2d(channels, out_channels, 1)

    def forward(self, x: torch.Tensor, text: TextEmbedding) -> torch.Tensor:
        """x: (batch, channels, freq, frames) -> logits (batch, out_channels, freq, frames)."""
        return self.out(self.aspp(self.condition(x, text)))


class ResUNetPlusPlus(nn.Module, NetworkFacts):
    """Text-queried mask estimator. ``channels`` = [stem, level 1, ..., level N] (N strided
    encoder stages, 3 in the thesis).

    ``patch_size`` p > 1 folds each p x p patch of the spectrogram into p*p input channels
    (space-to-depth) before the stem and unfolds p*p mask channels after the head (depth-to-
    space, as in ESPCN super-resolution): the mask keeps the full resolution, every bin its own
    value, while all convolutions run on p*p times fewer positions. p = 1 is the thesis'
    full-resolution network. The input is padded to a multiple of p * 2**N and cropped back.
    """

    def __init__(
        self,
        *,
        text_dim: int,
        channels: Sequence[int] = (16, 32, 64, 128),
        bridge_channels: int = 256,
        attention_dim: int = 64,
        num_heads: int = 4,
        aspp_rates: Sequence[int] = (1, 6, 12, 18),
        num_blocks_per_level: int = 1,
        conditioning: str = "cross_attention",
        num_bands: int = 8,
        patch_size: int = 2,
    ) -> None:
        super().__init__()
        self.text_dim = text_dim
        condition = conditioning_factory(
            conditioning,
            text_dim=text_dim,
            attention_dim=attention_dim,
            num_heads=num_heads,
            num_bands=num_bands,
        )
        channels = list(channels)
        self.num_levels = len(channels) - 1
        self.patch_size = patch_size
        self.stem = nn.Sequential(
            StemBlock(in_channels=patch_size**2, out_channels=channels[0]),
            SqueezeExcitation(channels=channels[0]),
        )
        self.encoder = nn.ModuleList(
            EncoderStage(
                in_channels=channels[level],
                out_channels=channels[level + 1],
                num_blocks=num_blocks_per_level,
                condition=condition(channels[level + 1]),
            )
            for level in range(self.num_levels)
        )
        self.bridge = ASPP(in_channels=channels[-1], out_channels=bridge_channels, rates=aspp_rates)
        self.bridge_condition = condition(bridge_channels)
        decoder_inputs = [*channels[1:-1], bridge_channels]  # what arrives at level 0..N-1
        self.decoder = nn.ModuleList(
            DecoderStage(
                in_channels=decoder_inputs[level],
                skip_channels=channels[level],
                out_channels=channels[level],
                num_blocks=num_blocks_per_level,
                condition=condition(channels[level]),
            )
            for level in reversed(range(self.num_levels))
        )
        self.head = MaskHead(
            channels=channels[0],
            out_channels=patch_size**2,
            rates=aspp_rates,
            condition=condition(channels[0]),
        )

    def time_stride(self) -> int:
        """Input frames per frame of the coarsest level (patches, then strided levels)."""
        return self.patch_size * 2**self.num_levels

    @classmethod
    def from_config(cls, config: ModelConfig, text_dim: int) -> ResUNetPlusPlus:
        return cls(
            text_dim=text_dim,
            channels=config.channels,
            bridge_channels=config.bridge_channels,
            attention_dim=config.attention_dim,
            num_heads=config.num_heads,
            aspp_rates=config.aspp_rates,
            num_blocks_per_level=config.num_blocks_per_level,
            conditioning=config.conditioning,
            patch_size=config.patch_size,
        )

    def forward(
        self,
        features: torch.Tensor,
        text_tokens: torch.Tensor,
        text_mask: torch.Tensor,
        text_pooled: torch.Tensor,
    ) -> torch.Tensor:
        """features: (batch, 1, freq, frames) in [0, 1]; text_tokens: (batch, tokens, dim);
        text_mask: (batch, tokens) bool; text_pooled: (batch, dim)
        -> mask (batch, 1, freq, frames) in [0, 1], float32."""
        text = TextEmbedding(tokens=text_tokens, mask=text_mask, pooled=text_pooled)
        num_freqs, num_frames = features.shape[-2:]
        x = pad_to_multiple(features, self.patch_size * 2**self.num_levels)  # (b, 1, F, T)
        x = F.pixel_unshuffle(x, self.patch_size)  # (b, p*p, f', t') with f' = F/p, t' = T/p
        x = self.stem(x)  # (b, c0, f', t')
        skips = []  # each encoder stage's input; the decoder stage that uses one pops it, so
        for stage in self.encoder:  # it is freed at once (less memory on long windows)
            skips.append(x)
            x = stage(x, text)  # (b, c_level, f'/2**level, t'/2**level)
        x = self.bridge_condition(self.bridge(x), text)  # (b, bridge, f'/2**N, t'/2**N)
        for stage in self.decoder:
            x = stage(x, skips.pop(), text)
        logits = F.pixel_shuffle(self.head(x, text), self.patch_size)  # (b, 1, F, T)
        logits = logits[..., :num_freqs, :num_frames]  # (batch, 1, freq, frames)
        return torch.sigmoid(logits.float())
