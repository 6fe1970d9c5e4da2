"""Self-describing separator checkpoints: config, weights, versions, training metadata.

A checkpoint is a ``torch.save`` dict with ``format``, ``format_version``, ``config``,
``state_dict`` (separation network only) and ``versions``, all plain data, so loading uses
``torch.load(weights_only=True)``: a file that would unpickle anything else (and could run
code) is refused. Loading is all-or-nothing: a
missing or mismatched tensor raises :class:`CheckpointError` before any weight is set.
Lightning checkpoints written by ``querysep train`` carry the same payload under
``"querysep"`` and load the same way.
"""

from __future__ import annotations

import os
import pickle
import platform
import tempfile
from pathlib import Path

import torch

import querysep
from querysep.config import Config

FORMAT = "querysep-separator"
FORMAT_VERSION = 1
DEFAULT_CHECKPOINT = Path(querysep.__file__).parent / "assets" / "default.pt"


class CheckpointError(RuntimeError):
    """A checkpoint that cannot be loaded as a querysep separator."""


def versions() -> dict[str, str]:
    return {
        "querysep": querysep.__version__,
        "torch": str(torch.__version__),  # a plain str: Lightning loads with weights_only
        "python": platform.python_version(),
    }


def checkpoint_payload(separator, metadata: dict | None = None) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "config": separator.config.to_dict(),
        "state_dict": {k: v.detach().cpu() for k, v in separator.network.state_dict().items()},
        "versions": versions(),
        "metadata": dict(metadata or {}),
    }


def save_checkpoint(path: str | Path, separator, metadata: dict | None = None) -> Path:
    """Write atomically (temp file in the same folder, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_torch_save(checkpoint_payload(separator, metadata), path)
    return path


def atomic_torch_save(payload: dict, path: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        torch.save(payload, tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600 files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_payload(path: str | Path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: checkpoint not found")
    try:
        raw = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:  # weights_only refuses anything but plain data
        raise CheckpointError(
            f"{path}: refused: the file holds Python objects other than tensors and plain "
            "data, and unpickling them could run code; querysep checkpoints never do"
        ) from error
    except Exception as error:
        raise CheckpointError(f"{path}: not a readable checkpoint ({error})") from error
    payload = raw.get("querysep", raw) if isinstance(raw, dict) else None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a querysep separator checkpoint")
    if payload.get("format_version", 0) > FORMAT_VERSION:
        raise CheckpointError(
            f"{path}: checkpoint format {payload['format_version']} is newer than this "
            f"querysep understands ({FORMAT_VERSION}); upgrade querysep"
        )
    return payload


def load_checkpoint(
    path: str | Path | None = None, *, text_encoder=None, config: Config | None = None
):
    """Build the separator the checkpoint describes and load its weights (strictly).

    ``config`` forces an architecture (to check a checkpoint against it): a mismatch raises.
    """
    from querysep.models.separator import Separator

    if path is None:
        path = DEFAULT_CHECKPOINT
        if not path.is_file():
            raise CheckpointError(
                "no checkpoint given and no shipped default model found at "
                f"{path}; pass one with --checkpoint / Separator.load(path)"
            )
    payload = read_payload(path)
    if config is None:
        try:
            config = Config.from_dict(payload["config"])
        except ValueError as error:  # ConfigError: a key or value this querysep rejects
            raise CheckpointError(f"{path}: its config does not load: {error}") from error
    separator = Separator(config, text_encoder=text_encoder)
    load_network_weights(separator.network, payload["state_dict"], source=str(path))
    separator.eval()
    separator.metadata = payload.get("metadata", {})
    return separator


def load_network_weights(network: torch.nn.Module, state_dict: dict, source: str) -> None:
    """Check every name and shape first, then load: never a half-loaded network."""
    expected = network.state_dict()
    missing = sorted(set(expected) - set(state_dict))
    unexpected = sorted(set(state_dict) - set(expected))
    mismatched = [
        f"{name}: checkpoint {tuple(state_dict[name].shape)} vs model {tuple(tensor.shape)}"
        for name, tensor in expected.items()
        if name in state_dict and state_dict[name].shape != tensor.shape
    ]
    if missing or unexpected or mismatched:
        details = [
            *(f"missing {name}" for name in missing[:5]),
            *(f"unexpected {name}" for name in unexpected[:5]),
            *mismatched[:5],
        ]
        raise CheckpointError(
            f"{source}: weights do not fit this architecture "
            f"({len(missing)} missing, {len(unexpected)} unexpected, "
            f"{len(mismatched)} mismatched): " + "; ".join(details)
        )
    network.load_state_dict(state_dict, strict=True)
