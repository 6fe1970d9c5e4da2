"""Run ``querysep`` with the MiniLM encoder replaced by a table of precomputed caption
embeddings (``captions.pt`` from ``pack.py``), for machines without MiniLM's weights.

    python benchmarks/gpu/cached_text.py --captions .gpu/captions.pt train --config ...

The text encoder is frozen, so a table of its outputs is the same encoder for every text in
the table; a text outside it is an error, never a silent zero.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from pathlib import Path

import torch

from querysep.text import encoders
from querysep.text.encoders import TextEncoder, TextEncoderError


class TableTextEncoder(TextEncoder):
    """A TextEncoder whose memory is a fixed table: text -> (tokens, dim) float32."""

    def __init__(self, *, name: str, table: dict[str, torch.Tensor]) -> None:
        super().__init__()
        self.name = name
        self.memory = OrderedDict((text, tokens.float()) for text, tokens in table.items())
        self.max_cached_texts = len(self.memory)  # a fixed table: nothing is evicted
        self.dim = int(next(iter(self.memory.values())).shape[-1])

    def encode_uncached(self, texts: list[str]) -> list[torch.Tensor]:
        raise TextEncoderError(f"{len(texts)} text(s) not in the caption table, e.g. {texts[0]!r}")


def install(table_path: str | Path, name: str = "minilm") -> None:
    """Make ``build_text_encoder`` return the table for ``text.name == name``."""
    table = torch.load(table_path, map_location="cpu", weights_only=True)
    encoders.ENCODERS[name] = lambda config: TableTextEncoder(name=name, table=table)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "--captions":
        sys.exit("usage: cached_text.py --captions FILE querysep-arguments...")
    install(argv[1])
    from querysep.cli import main as querysep_main

    return querysep_main(argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
