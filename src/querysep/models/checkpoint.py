"""Self-describing separator checkpoints: config, weights, versions, training metadata.

Pure serialisation: this module builds and reads payloads; it imports no model, so both the
networks' side (``models.separation``) and the product (``querysep.separator``) use it.

A checkpoint is a ``torch.save`` dict with ``format``, ``format_version``, ``config``,
``state_dict`` (separation network only), ``versions`` and, for models that take examples,
``example_encoder`` (its weights), all plain data, so loading uses
``torch.load(weights_only=True)``: a file that would unpickle anything else (and could run
code) is refused. Loading is all-or-nothing: a
missing or mismatched tensor raises :class:`CheckpointError` before any weight is set.
Lightning checkpoints written by ``querysep train`` carry the same payload under
``"querysep"`` and load the same way.
"""

from __future__ import annotations

import pickle
import platform
from pathlib import Path

import torch

import querysep
from querysep.config import Config
from querysep.files import atomic_path

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


def checkpoint_payload(
    config: Config,
    state_dict: dict[str, torch.Tensor],
    metadata: dict | None = None,
    vocabulary: dict | None = None,
    example_state_dict: dict[str, torch.Tensor] | None = None,
) -> dict:
    """The checkpoint dict: format, config, the network's weights (on the CPU), versions,
    the training vocabulary (classes, captions, their embeddings) when known, and the
    example encoder's weights when the model has one (``example_encoder``)."""
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "config": config.to_dict(),
        "state_dict": {k: v.detach().cpu() for k, v in state_dict.items()},
        "versions": versions(),
        "metadata": dict(metadata or {}),
    }
    if vocabulary is not None:
        payload["vocabulary"] = vocabulary
    if example_state_dict is not None:
        payload["example_encoder"] = {k: v.detach().cpu() for k, v in example_state_dict.items()}
    return payload


def save_payload(path: str | Path, payload: dict) -> Path:
    """Write a payload atomically (temp file in the same folder, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_torch_save(payload, path)
    return path


def atomic_torch_save(payload: dict, path: Path) -> None:
    with atomic_path(path) as tmp:
        torch.save(payload, tmp)


def read_payload(path: str | Path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: checkpoint not found")
    try:
        raw = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        if "unsupported global" not in str(error).lower():  # not a (torch) pickle at all
            raise CheckpointError(f"{path}: not a readable checkpoint ({error})") from error
        # weights_only met a global (a class or function) that is not tensor or plain data
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


def resolve_checkpoint(path: str | Path | None) -> Path:
    """``path``, or the shipped default model when ``None`` (a clear error if it is absent)."""
    if path is not None:
        return Path(path)
    if not DEFAULT_CHECKPOINT.is_file():
        raise CheckpointError(
            "no checkpoint given and no shipped default model found at "
            f"{DEFAULT_CHECKPOINT}; pass one with --checkpoint / Separator.load(path)"
        )
    return DEFAULT_CHECKPOINT


def payload_config(payload: dict, source: str) -> Config:
    """The config a payload was trained with (a ``CheckpointError`` if it does not load)."""
    try:
        return Config.from_dict(payload["config"])
    except (KeyError, ValueError) as error:  # ConfigError: a key or value this querysep rejects
        raise CheckpointError(f"{source}: its config does not load: {error}") from error


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
