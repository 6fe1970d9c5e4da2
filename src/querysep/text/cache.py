"""On-disk cache of token embeddings: one ``.pt`` file per (encoder, text), written atomically."""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

import torch


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
        handle, tmp_name = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        os.close(handle)
        try:
            torch.save(tokens.contiguous(), tmp_name)
            os.replace(tmp_name, self.path(key))  # atomic: readers never see half a file
        finally:
            if os.path.exists(tmp_name):
                os.remove(tmp_name)
