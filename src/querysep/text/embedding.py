"""The text side of the network contract: token embeddings, their mask and a pooled vector."""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass
class TextEmbedding:
    """Encoded queries.

    tokens: (batch, tokens, dim) float32; mask: (batch, tokens) bool, True = real token;
    pooled: (batch, dim), the masked mean of the real tokens.
    """

    tokens: torch.Tensor
    mask: torch.Tensor
    pooled: torch.Tensor

    @classmethod
    def from_tokens(cls, tokens: torch.Tensor, mask: torch.Tensor) -> TextEmbedding:
        return cls(tokens=tokens, mask=mask, pooled=masked_mean(tokens, mask))

    def to(self, device: torch.device | str) -> TextEmbedding:
        return TextEmbedding(self.tokens.to(device), self.mask.to(device), self.pooled.to(device))


def masked_mean(tokens: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over real tokens: (batch, tokens, dim), (batch, tokens) -> (batch, dim)."""
    weights = mask.to(tokens.dtype).unsqueeze(-1)  # (batch, tokens, 1)
    return (tokens * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)


def pad_tokens(sequences: list[torch.Tensor]) -> TextEmbedding:
    """Stack unpadded (tokens_i, dim) sequences into one zero-padded batch."""
    num_tokens = max(max(len(s) for s in sequences), 1)
    dim = sequences[0].shape[-1]
    tokens = torch.zeros(len(sequences), num_tokens, dim, dtype=torch.float32)
    mask = torch.zeros(len(sequences), num_tokens, dtype=torch.bool)
    for row, sequence in enumerate(sequences):
        tokens[row, : len(sequence)] = sequence
        mask[row, : len(sequence)] = True
    return TextEmbedding.from_tokens(tokens, mask)
