"""Building blocks of the separators: residual convs, SE, ASPP, attention gate, text conditioning.

Every block works on spectrogram-like features ``(batch, channels, freq, frames)``. The two
text-conditioning blocks (:class:`CrossAttention`, :class:`FiLM`) share one signature,
``forward(x, text)`` with ``text`` a :class:`~querysep.text.embedding.TextEmbedding`, so a
network can swap one for the other.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from querysep.text.embedding import TextEmbedding


def conv3x3(
    in_channels: int, out_channels: int, *, stride: int = 1, dilation: int = 1
) -> nn.Conv2d:
    """3x3 convolution that keeps the size (or halves it with stride 2); no bias (a BN follows)."""
    return nn.Conv2d(
        in_channels, out_channels, 3, stride=stride, padding=dilation, dilation=dilation, bias=False
    )


def pad_to_multiple(x: torch.Tensor, multiple: int) -> torch.Tensor:
    """Zero-pad the last two axes (freq, frames) at the end up to a multiple of ``multiple``."""
    num_freqs, num_frames = x.shape[-2:]
    pad_freqs = -num_freqs % multiple
    pad_frames = -num_frames % multiple
    return F.pad(x, (0, pad_frames, 0, pad_freqs))


def band_pooling(num_freqs: int, num_bands: int, *, like: torch.Tensor) -> torch.Tensor:
    """``(num_bands, num_freqs)`` averaging matrix: row n averages the bins of band n.

    The bands are adaptive average pooling's (bin ``floor(n·F/N)`` up to ``ceil((n+1)·F/N)``),
    written as a matrix product so that it exports to ONNX with a variable frame count.
    """
    weights = torch.zeros(num_bands, num_freqs, dtype=like.dtype, device=like.device)
    for band in range(num_bands):
        start = band * num_freqs // num_bands
        # ceiling division with non-negative operands only: the legacy ONNX exporter writes
        # ``//`` on traced sizes as truncating division, so ``-(-a // b)`` would export as
        # ``a // b`` (bands one bin short wherever num_bands does not divide num_freqs)
        end = ((band + 1) * num_freqs + num_bands - 1) // num_bands
        weights[band, start:end] = 1.0 / (end - start)
    return weights


def band_ranges(num_freqs: int, num_bands: int) -> list[tuple[int, int]]:
    """``[start, end)`` bins of each band where a band's result goes back: bin f to band
    ``f * num_bands // num_freqs`` (contiguous, disjoint, covering every bin)."""

    def first_bin(band: int) -> int:  # ceil(band * num_freqs / num_bands), see band_pooling
        return (band * num_freqs + num_bands - 1) // num_bands

    return [(first_bin(band), first_bin(band + 1)) for band in range(num_bands)]


class SqueezeExcitation(nn.Module):
    """Channel attention (Hu et al. 2018), per frame: mean over frequency -> 2-layer MLP ->
    sigmoid -> rescale each frame's channels.

    The original squeezes over the whole image. Over a spectrogram that makes every output
    frame depend on the whole clip, so a long file cut into windows would not give what one
    pass gives; squeezing each frame keeps the network local in time (any-length inference).
    """

    def __init__(self, *, channels: int, reduction: int = 8) -> None:
        super().__init__()
        hidden = max(channels // reduction, 4)
        self.inplace = False  # rescale x in place (the inference copy; x is a fresh tensor)
        self.excite = nn.Sequential(
            nn.Linear(channels, hidden), nn.ReLU(), nn.Linear(hidden, channels), nn.Sigmoid()
        )

    def weights(self, x: torch.Tensor) -> torch.Tensor:
        """Weights in (0, 1): (batch, channels, freq, frames) -> (batch, channels, frames)."""
        squeezed = x.mean(dim=2).transpose(1, 2)  # (batch, frames, channels)
        return self.excite(squeezed).transpose(1, 2)  # (batch, channels, frames)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (batch, channels, freq, frames) -> same shape, each frame's channels rescaled."""
        weights = self.weights(x)[:, :, None, :]  # (batch, channels, 1, frames)
        return x.mul_(weights) if self.inplace else x * weights


class PreActResidualBlock(nn.Module):
    """BN-ReLU-conv3x3 (stride) - BN-ReLU-conv3x3, plus a shortcut (1x1 strided conv + BN when
    the shape changes, identity otherwise). Pre-activation as in ResUNet++ (He et al. 2016)."""

    def __init__(self, *, in_channels: int, out_channels: int, stride: int = 1) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.BatchNorm2d(in_channels),
            nn.ReLU(),
            conv3x3(in_channels, out_channels, stride=stride),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(),
            conv3x3(out_channels, out_channels),
        )
        self.shortcut: nn.Module = nn.Identity()
        if in_channels != out_channels or stride != 1:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )
        self.inplace = False  # add the shortcut into the body's output (the inference copy)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (batch, in_channels, freq, frames)
        -> (batch, out_channels, freq / stride, frames / stride)."""
        if self.inplace:  # the body's intermediates are freed before the shortcut is made
            return self.body(x).add_(self.shortcut(x))
        return self.shortcut(x) + self.body(x)


class StemBlock(nn.Module):
    """First block of ResUNet++: conv3x3-BN-ReLU-conv3x3 plus a 1x1 conv + BN shortcut."""

    def __init__(self, *, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.body = nn.Sequential(
            conv3x3(in_channels, out_channels),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(),
            conv3x3(out_channels, out_channels),
        )
        self.shortcut = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 1, bias=False), nn.BatchNorm2d(out_channels)
        )
        self.inplace = False  # add the shortcut into the body's output (the inference copy)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (batch, in_channels, freq, frames) -> (batch, out_channels, freq, frames)."""
        if self.inplace:
            return self.body(x).add_(self.shortcut(x))
        return self.shortcut(x) + self.body(x)


class ASPP(nn.Module):
    """Atrous spatial pyramid pooling: parallel dilated 3x3 convs (one per rate, each
    conv-BN-ReLU), concatenated, then a 1x1 conv-BN-ReLU projection. Each branch is
    ``branch_channels`` wide, by default ``out_channels // len(rates)`` so that the
    concatenation is as wide as the output (cheap enough for the CPU budget)."""

    def __init__(
        self,
        *,
        in_channels: int,
        out_channels: int,
        rates: Sequence[int],
        branch_channels: int | None = None,
    ) -> None:
        super().__init__()
        branch_channels = branch_channels or max(out_channels // len(rates), 4)
        self.branches = nn.ModuleList(
            nn.Sequential(
                conv3x3(in_channels, branch_channels, dilation=rate),
                nn.BatchNorm2d(branch_channels),
                nn.ReLU(),
            )
            for rate in rates
        )
        self.project = nn.Sequential(
            nn.Conv2d(branch_channels * len(rates), out_channels, 1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (batch, in_channels, freq, frames) -> (batch, out_channels, freq, frames)."""
        branches = [branch(x) for branch in self.branches]  # each (batch, branch, freq, frames)
        return self.project(torch.cat(branches, dim=1))


class AttentionGate(nn.Module):
    """ResUNet++ attention block on a skip connection: the decoder feature (half resolution)
    and the encoder skip, subsampled by 2 to meet it, each go through BN-ReLU-1x1 conv; their
    sum gives (BN-ReLU-1x1 conv, sigmoid) a one-channel map that, upsampled, gates the skip
    (Oktay et al. 2018). All of it runs at half resolution, with 1x1 convs: cheap."""

    def __init__(self, *, skip_channels: int, gate_channels: int, hidden_channels: int) -> None:
        super().__init__()
        self.skip = nn.Sequential(
            nn.BatchNorm2d(skip_channels),
            nn.ReLU(),
            nn.Conv2d(skip_channels, hidden_channels, 1),
        )
        self.gate = nn.Sequential(
            nn.BatchNorm2d(gate_channels), nn.ReLU(), nn.Conv2d(gate_channels, hidden_channels, 1)
        )
        self.score = nn.Sequential(
            nn.BatchNorm2d(hidden_channels), nn.ReLU(), nn.Conv2d(hidden_channels, 1, 1)
        )
        self.inplace = False  # gate the skip in place (the inference copy: a skip is used once)

    def forward(self, skip: torch.Tensor, gate: torch.Tensor) -> torch.Tensor:
        """skip: (batch, skip_channels, freq, frames), gate: (batch, gate_channels, freq/2,
        frames/2) -> the skip times a (batch, 1, freq, frames) map in (0, 1)."""
        sampled = skip[..., ::2, ::2]  # (batch, skip_channels, freq/2, frames/2)
        weights = torch.sigmoid(self.score(self.skip(sampled) + self.gate(gate)))  # (b,1,f/2,t/2)
        weights = F.interpolate(weights, size=skip.shape[-2:], mode="bilinear")  # (b, 1, f, t)
        return skip.mul_(weights) if self.inplace else skip * weights


class CrossAttention(nn.Module):
    """Audio queries attend to text tokens (keys/values); pre-norm, output added residually.

    Cheap at high resolution: frequency is average-pooled into at most ``num_bands`` bands, so
    the queries are (band, frame) cells -- ``num_bands * frames`` of them instead of
    ``freq * frames`` -- and each cell's result is added back to every bin of its band. The
    text can so act differently on low and high bands and on every frame, at a cost that
    does not grow with the frequency resolution. Padded tokens (mask False) are not attended.
    Works in (batch, freq, frames, channels) order, a free view of channels-last features.
    """

    def __init__(
        self,
        *,
        channels: int,
        text_dim: int,
        attention_dim: int,
        num_heads: int,
        num_bands: int = 8,
    ) -> None:
        super().__init__()
        assert attention_dim % num_heads == 0, "attention_dim must be divisible by num_heads"
        self.num_heads = num_heads
        self.num_bands = num_bands
        self.norm = nn.LayerNorm(channels)
        self.norm_text = nn.LayerNorm(text_dim)
        self.query = nn.Linear(channels, attention_dim)
        self.key_value = nn.Linear(text_dim, 2 * attention_dim)
        self.out = nn.Linear(attention_dim, channels)
        self.inplace = False  # add each band's result into x in place (the inference copy)

    def forward(self, x: torch.Tensor, text: TextEmbedding) -> torch.Tensor:
        """x: (batch, channels, freq, frames), text.tokens: (batch, tokens, text_dim),
        text.mask: (batch, tokens) -> same shape as x."""
        num_freqs, num_frames = x.shape[-2:]
        num_bands = min(self.num_bands, num_freqs)
        pooling = band_pooling(num_freqs, num_bands, like=x)  # (bands, freq)
        cells = torch.einsum("bcft,nf->bntc", x, pooling)  # (batch, bands, frames, channels)
        cells = self.norm(cells).flatten(1, 2)  # (batch, bands*frames, channels)
        query = self.query(cells).unflatten(-1, (self.num_heads, -1)).transpose(1, 2)
        key, value = self.key_value(self.norm_text(text.tokens)).chunk(2, dim=-1)  # (b, l, a)
        key = key.unflatten(-1, (self.num_heads, -1)).transpose(1, 2)  # (b, heads, l, a/heads)
        value = value.unflatten(-1, (self.num_heads, -1)).transpose(1, 2)
        mask = text.mask | ~text.mask.any(dim=1, keepdim=True)  # a row with no token sees all
        attended = F.scaled_dot_product_attention(
            query, key, value, attn_mask=mask[:, None, None, :]
        )  # (batch, heads, bands*frames, attention_dim/heads)
        attended = self.out(attended.transpose(1, 2).flatten(2))  # (b, bands*frames, channels)
        attended = attended.unflatten(1, (num_bands, num_frames))  # (b, bands, frames, channels)
        if self.inplace:  # no (batch, freq, frames, channels) copy of the bands' results
            for band, (start, end) in enumerate(band_ranges(num_freqs, num_bands)):
                x[:, :, start:end].add_(attended[:, band].permute(0, 2, 1)[:, :, None])
            return x
        band_of_freq = torch.arange(num_freqs, device=x.device) * num_bands // num_freqs
        channels_last = x.is_contiguous(memory_format=torch.channels_last)
        x = x.permute(0, 2, 3, 1) + attended[:, band_of_freq]  # (b, freq, frames, channels)
        x = x.permute(0, 3, 1, 2)  # (batch, channels, freq, frames), stored channels-last
        # Channels-last in, channels-last out (the inference copy, see models/inference.py);
        # otherwise contiguous NCHW: channels-last 1x1 conv backward hangs in oneDNN (torch
        # 2.13, AVX2), so training stays NCHW.
        return x if channels_last else x.contiguous()


class FiLM(nn.Module):
    """Feature-wise linear modulation (Perez et al. 2018): per-channel scale and shift from the
    pooled text vector, ``x * (1 + scale) + shift``."""

    def __init__(self, *, channels: int, text_dim: int) -> None:
        super().__init__()
        self.project = nn.Linear(text_dim, 2 * channels)

    def forward(self, x: torch.Tensor, text: TextEmbedding) -> torch.Tensor:
        """x: (batch, channels, freq, frames), text.pooled: (batch, text_dim) -> same shape as x."""
        scale, shift = self.project(text.pooled).chunk(2, dim=-1)  # (batch, channels) each
        return x * (1 + scale[:, :, None, None]) + shift[:, :, None, None]
