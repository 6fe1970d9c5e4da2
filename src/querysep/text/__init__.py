"""Frozen text encoders that turn queries into token embeddings."""

from querysep.text.embedding import TextEmbedding, masked_mean, pad_tokens
from querysep.text.encoders import TextEncoder, TextEncoderError, build_text_encoder

__all__ = [
    "TextEmbedding",
    "TextEncoder",
    "TextEncoderError",
    "build_text_encoder",
    "masked_mean",
    "pad_tokens",
]
