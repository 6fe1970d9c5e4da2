"""On-disk cache of token embeddings: one ``.pt`` file per (encoder, text), written atomically."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import torch

from querysep.files import atomic_path


class DiskCache:
    """Maps a key string (encoder identity + text) to an unpadded (tokens, dim) float32 tensor."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.directory / f"{digest[:40]}.pt"

    def get(self, key: str) -> torch.Tensor | None:
        path = self.path(key)
        if not path.exists():
            return None
        try:
            return torch.load(path, map_location="cpu", weights_only=True)
        except (OSError, RuntimeError, EOFError, pickle.UnpicklingError):  # damaged: a miss
            return None

    def put(self, key: str, tokens: torch.Tensor) -> None:
        with atomic_path(self.path(key)) as tmp:  # readers never see half a file
            torch.save(tokens.contiguous(), tmp)
