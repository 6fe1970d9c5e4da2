"""FiLM-ResUNet baseline in the style of AudioSep / the DCASE 2024 Task 9 baseline.

A U-Net of residual conv blocks (BN-FiLM-LeakyReLU-conv3x3 twice, 1x1 shortcut), 2x2
average pooling down, 2x2 transposed convs up, one more block at full resolution before the
1x1 output conv; every block is modulated by FiLM from the pooled text vector. Written from
the published description; with 6 levels of 32..384 channels it is about the size of
AudioSep's ResUNet30.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from querysep.config import ModelConfig
from querysep.models.blocks import FiLM, conv3x3, pad_to_multiple
from querysep.models.facts import NetworkFacts
from querysep.text.embedding import TextEmbedding


class FiLMResidualBlock(nn.Module):
    """(BN, FiLM, LeakyReLU, conv3x3) twice, plus a 1x1 shortcut when the width changes.
    As in AudioSep's residual conv block, the text modulates the input of both convs."""

    def __init__(self, *, in_channels: int, out_channels: int, text_dim: int) -> None:
        super().__init__()
        self.norm1 = nn.BatchNorm2d(in_channels)
        self.film1 = FiLM(channels=in_channels, text_dim=text_dim)
        self.conv1 = conv3x3(in_channels, out_channels)
        self.norm2 = nn.BatchNorm2d(out_channels)
        self.film2 = FiLM(channels=out_channels, text_dim=text_dim)
        self.conv2 = conv3x3(out_channels, out_channels)
        self.shortcut: nn.Module = nn.Identity()
        if in_channels != out_channels:
            self.shortcut = nn.Conv2d(in_channels, out_channels, 1)

    def forward(self, x: torch.Tensor, text: TextEmbedding) -> torch.Tensor:
        """x: (batch, in_channels, freq, frames) -> (batch, out_channels, freq, frames)."""
        h = self.conv1(F.leaky_relu(self.film1(self.norm1(x), text), 0.01))
        h = self.conv2(F.leaky_relu(self.film2(self.norm2(h), text), 0.01))
        return self.shortcut(x) + h


class FiLMStage(nn.Module):
    """``num_blocks`` FiLM residual blocks in a row, the first one changing the width."""

    def __init__(
        self, *, in_channels: int, out_channels: int, num_blocks: int, text_dim: int
    ) -> None:
        super().__init__()
        widths = [in_channels] + [out_channels] * num_blocks
        self.blocks = nn.ModuleList(
            FiLMResidualBlock(in_channels=widths[i], out_channels=widths[i + 1], text_dim=text_dim)
            for i in range(num_blocks)
        )

    def forward(self, x: torch.Tensor, text: TextEmbedding) -> torch.Tensor:
        """x: (batch, in_channels, freq, frames) -> (batch, out_channels, freq, frames)."""
        for block in self.blocks:
            x = block(x, text)
        return x


class FiLMResUNet(nn.Module, NetworkFacts):
    """``channels`` = widths of the N encoder levels (each followed by 2x2 average pooling);
    a bottleneck of ``bridge_channels``; N decoder levels mirror the encoder. The input is
    padded to a multiple of 2**N and cropped back."""

    def __init__(
        self,
        *,
        text_dim: int,
        channels: Sequence[int] = (32, 64, 128, 256, 384, 384),
        bridge_channels: int = 384,
        num_blocks_per_level: int = 1,
    ) -> None:
        super().__init__()
        self.text_dim = text_dim
        channels = list(channels)
        self.num_levels = len(channels)
        self.input_conv = nn.Conv2d(1, channels[0], 1)
        encoder_inputs = [channels[0], *channels[:-1]]
        self.encoder = nn.ModuleList(
            FiLMStage(
                in_channels=encoder_inputs[level],
                out_channels=channels[level],
                num_blocks=num_blocks_per_level,
                text_dim=text_dim,
            )
            for level in range(self.num_levels)
        )
        self.bridge = FiLMStage(
            in_channels=channels[-1],
            out_channels=bridge_channels,
            num_blocks=num_blocks_per_level,
            text_dim=text_dim,
        )
        decoder_inputs = [*channels[1:], bridge_channels]  # what arrives at level 0..N-1
        self.upsample = nn.ModuleList(
            nn.ConvTranspose2d(decoder_inputs[level], channels[level], 2, stride=2)
            for level in reversed(range(self.num_levels))
        )
        self.decoder = nn.ModuleList(
            FiLMStage(
                in_channels=2 * channels[level],
                out_channels=channels[level],
                num_blocks=num_blocks_per_level,
                text_dim=text_dim,
            )
            for level in reversed(range(self.num_levels))
        )
        self.output_block = FiLMStage(  # one more block at full resolution, as in ResUNet30
            in_channels=channels[0], out_channels=channels[0], num_blocks=1, text_dim=text_dim
        )
        self.output_conv = nn.Conv2d(channels[0], 1, 1)

    def time_stride(self) -> int:
        """Input frames per frame of the coarsest level."""
        return 2**self.num_levels

    @classmethod
    def from_config(cls, config: ModelConfig, text_dim: int) -> FiLMResUNet:
        return cls(
            text_dim=text_dim,
            channels=config.channels,
            bridge_channels=config.bridge_channels,
            num_blocks_per_level=config.num_blocks_per_level,
        )

    def forward(
        self,
        features: torch.Tensor,
        text_tokens: torch.Tensor,
        text_mask: torch.Tensor,
        text_pooled: torch.Tensor,
    ) -> torch.Tensor:
        """features: (batch, 1, freq, frames) in [0, 1]; text_tokens: (batch, tokens, dim) and
        text_mask: (batch, tokens) are unused (FiLM reads text_pooled: (batch, dim))
        -> mask (batch, 1, freq, frames) in [0, 1], float32."""
        text = TextEmbedding(tokens=text_tokens, mask=text_mask, pooled=text_pooled)
        num_freqs, num_frames = features.shape[-2:]
        x = pad_to_multiple(features, 2**self.num_levels)  # (b, 1, f', t'), f', t' multiples
        x = self.input_conv(x)  # (b, c0, f', t')
        skips = []
        for stage in self.encoder:
            x = stage(x, text)  # (b, c_level, f'/2**level, t'/2**level)
            skips.append(x)
            x = F.avg_pool2d(x, 2)
        x = self.bridge(x, text)  # (b, bridge, f'/2**N, t'/2**N)
        for upsample, stage, skip in zip(self.upsample, self.decoder, reversed(skips)):
            x = stage(torch.cat([upsample(x), skip], dim=1), text)  # (b, c_level, ...)
        logits = self.output_conv(self.output_block(x, text))  # (b, 1, f', t')
        logits = logits[..., :num_freqs, :num_frames]  # (batch, 1, freq, frames)
        return torch.sigmoid(logits.float())
