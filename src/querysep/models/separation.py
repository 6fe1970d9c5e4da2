"""The tensor-level separation model that training and inference share.

mixture -> STFT -> |X| -> log-dB features -> network(features, text) -> mask -> estimate
magnitude (mask·|X|, or the thesis' mask on the normalised dB, de-normalised) -> estimate
with the mixture phase -> iSTFT -> waveform of the mixture's length.

Tensors only: files, sample-rate conversion, channels and windows belong to the product
:class:`querysep.separator.Separator`, which wraps this model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import torch
from torch import nn

from querysep.audio.stft import (
    DbStats,
    absolute_db_stats,
    denormalize_db,
    istft,
    normalize_db,
    normalize_db_absolute,
    normalize_db_with,
    stft,
)
from querysep.config import Config
from querysep.models.checkpoint import (
    CheckpointError,
    checkpoint_payload,
    load_network_weights,
    payload_config,
)
from querysep.models.example import ExampleEncoder
from querysep.models.registry import build_network, num_parameters
from querysep.text import TextEmbedding, TextEncoder, build_text_encoder


@dataclass
class SeparationOutput:
    waveform: torch.Tensor  # (batch, 1, time)
    magnitude: torch.Tensor  # (batch, 1, freq, frames)
    mask: torch.Tensor  # (batch, 1, freq, frames), in [0, 1]


def _magnitude_mask(mask, magnitude, features, stats):
    return mask * magnitude


def _normalized_db_mask(mask, magnitude, features, stats: DbStats):
    return denormalize_db(mask * features, stats)  # thesis 5.4.4: mask, then de-normalise


MASK_DOMAINS: dict[str, Callable] = {
    "magnitude": _magnitude_mask,
    "normalized_db": _normalized_db_mask,
}
FEATURES: dict[str, Callable] = {"clip": normalize_db, "absolute": normalize_db_absolute}


class SeparationModel(nn.Module):
    """A separation network with its frozen text encoder and STFT settings.

    The text encoder is held outside the module tree: it is frozen, shared, and never part
    of a checkpoint (checkpoints name it in their config instead).
    """

    def __init__(self, config: Config, *, text_encoder: TextEncoder | None = None) -> None:
        super().__init__()
        if config.model.features not in FEATURES:
            raise ValueError(
                f"model.features must be one of {sorted(FEATURES)}, got {config.model.features!r}"
            )
        if config.model.mask_domain not in MASK_DOMAINS:
            raise ValueError(
                f"model.mask_domain must be one of {sorted(MASK_DOMAINS)}, "
                f"got {config.model.mask_domain!r}"
            )
        self.config = config
        # Denormal floats (tiny magnitudes near silence, their log-gradients) slow CPU
        # kernels by orders of magnitude, enough to stall a backward pass: flush them.
        torch.set_flush_denormal(True)
        encoder = text_encoder if text_encoder is not None else build_text_encoder(config.text)
        self.__dict__["text_encoder"] = encoder  # not registered: not in state_dict
        self.network = build_network(config.model, text_dim=encoder.dim)
        self.example_encoder: ExampleEncoder | None = None  # query by example, when configured
        if config.model.example_tokens > 0:
            self.example_encoder = ExampleEncoder(
                num_freqs=config.audio.n_fft // 2 + 1,
                out_dim=encoder.dim,
                num_tokens=config.model.example_tokens,
                hidden_dim=config.model.example_dim,
            )
        self.inference_dtype: torch.dtype = torch.float32  # bfloat16 = bf16 autocast on CPU
        # another runner of the network for inference (the folded copy, ONNX Runtime), set
        # by the product with use_inference_network
        self.use_inference_network(None)
        self.inference_example_encoder: Callable | None = None  # the same for the encoder

    def use_inference_network(self, network: Callable | None) -> None:
        """Run ``network`` in place of the trained one when no gradients are wanted (``None``:
        the trained one). Held outside the module tree: never trained, never in checkpoints."""
        self.__dict__["inference_network"] = network

    @classmethod
    def from_config(
        cls, path: str | Path, overrides: list[str] | None = None, **kwargs
    ) -> SeparationModel:
        """An untrained model from a YAML config."""
        return cls(Config.from_yaml(path, overrides), **kwargs)

    @classmethod
    def from_payload(
        cls,
        payload: dict,
        *,
        text_encoder: TextEncoder | None = None,
        config: Config | None = None,
        source: str = "checkpoint",
    ) -> SeparationModel:
        """The model a checkpoint payload describes, its weights loaded strictly (eval mode).

        ``config`` forces an architecture (to check a checkpoint against it).
        """
        config = config if config is not None else payload_config(payload, source)
        model = cls(config, text_encoder=text_encoder)
        load_network_weights(model.network, payload["state_dict"], source=source)
        if model.example_encoder is not None:
            if "example_encoder" not in payload:
                raise CheckpointError(
                    f"{source}: its config has an example encoder, its weights not"
                )
            load_network_weights(model.example_encoder, payload["example_encoder"], source=source)
        return model.eval()

    def payload(self, metadata: dict | None = None, vocabulary: dict | None = None) -> dict:
        """The checkpoint payload of this model (config, network weights, vocabulary)."""
        example = self.example_encoder.state_dict() if self.example_encoder is not None else None
        return checkpoint_payload(
            self.config, self.network.state_dict(), metadata, vocabulary, example
        )

    def num_parameters(self) -> int:
        """Parameters of the separation network and example encoder (the frozen text encoder
        excluded)."""
        count = num_parameters(self.network)
        if self.example_encoder is not None:
            count += num_parameters(self.example_encoder)
        return count

    @property
    def takes_examples(self) -> bool:
        return self.example_encoder is not None

    @property
    def sample_rate(self) -> int:
        return self.config.audio.sample_rate

    @property
    def time_stride_samples(self) -> int:
        """Samples per step of the network's coarsest level (windows start on this grid)."""
        return self.config.audio.hop_length * self.network.time_stride()

    @cached_property
    def receptive_radius_samples(self) -> int:
        """Samples on each side of a sample that can reach its estimate (an upper bound)."""
        return self.config.audio.hop_length * (self.network.receptive_radius() + 1)

    def encode_text(self, queries: list[str]) -> TextEmbedding:
        return self.text_encoder.encode(queries).to(self.device())

    def encode_examples(self, examples: torch.Tensor, lengths: torch.Tensor) -> TextEmbedding:
        """Example clips ``(batch, time)``, zero-padded after ``lengths`` samples -> tokens."""
        encoder = self._example_encoder()
        features = self.features(self.spectrogram(examples).abs()[:, None])  # (b, 1, f, t)
        frames = torch.arange(features.shape[-1], device=features.device)
        frame_mask = frames[None] * self.config.audio.hop_length < lengths[:, None]  # (b, frames)
        return encoder(features, frame_mask)

    def encode_example(self, parts: list[torch.Tensor]) -> TextEmbedding:
        """One example made of one or more clips ``(time,)`` (e.g. several spans of a file):
        their features side by side in time -> tokens of batch 1."""
        encoder = self._example_encoder()
        features = torch.cat(
            [self.features(self.spectrogram(part).abs()[None, None]) for part in parts], dim=-1
        )  # (1, 1, freq, frames of all parts)
        frame_mask = torch.ones(1, features.shape[-1], dtype=torch.bool, device=features.device)
        return encoder(features, frame_mask)

    def features(self, magnitude: torch.Tensor) -> torch.Tensor:
        """The network's input features of a magnitude ``(..., freq, frames)`` (the config's
        ``model.features``: each clip's own dB range, or the absolute one)."""
        return FEATURES[self.config.model.features](magnitude)[0]

    def _example_encoder(self) -> Callable:
        if self.example_encoder is None:
            raise ValueError(
                "this model takes text queries only (it was trained without an example encoder)"
            )
        if self.inference_example_encoder is not None and not torch.is_grad_enabled():
            return self.inference_example_encoder  # inference only, as the network's runner
        return self.example_encoder

    def spectrogram(self, waveform: torch.Tensor) -> torch.Tensor:
        """Complex STFT ``(..., time) -> (..., freq, frames)`` with the model's settings."""
        return stft(waveform, self.config.audio.n_fft, self.config.audio.hop_length)

    def waveform(self, spec: torch.Tensor, length: int) -> torch.Tensor:
        return istft(spec, length, self.config.audio.n_fft, self.config.audio.hop_length)

    def predict_mask(
        self, magnitude: torch.Tensor, text: TextEmbedding, stats: DbStats | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Mask and estimate magnitude from the mixture magnitude ``(batch, 1, freq, frames)``.

        ``stats`` fixes the dB normalisation (e.g. to a whole file's when processing it in
        windows); by default the config's ``model.features`` decides (each clip's min/max, or
        the absolute range).
        """
        if stats is None:
            features, stats = FEATURES[self.config.model.features](magnitude)
        else:
            features = normalize_db_with(magnitude, stats)
        network = self.network
        if self.inference_network is not None and not torch.is_grad_enabled():
            network = self.inference_network  # inference only: training always runs PyTorch
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self._autocast()):
            mask = network(features, text.tokens, text.mask, text.pooled)
        mask = mask.float()  # (batch, 1, freq, frames)
        estimate = MASK_DOMAINS[self.config.model.mask_domain](mask, magnitude, features, stats)
        return mask, estimate

    def forward(self, mixture: torch.Tensor, text: TextEmbedding) -> SeparationOutput:
        """Separate ``mixture`` (batch, 1, time) by ``text`` (batch queries)."""
        spec = self.spectrogram(mixture)  # (batch, 1, freq, frames) complex
        mask, magnitude = self.predict_mask(spec.abs(), text)
        estimate = torch.polar(magnitude, spec.angle())  # mixture phase (thesis 4.2.3)
        return SeparationOutput(self.waveform(estimate, mixture.shape[-1]), magnitude, mask)

    def needs_statistics(self) -> bool:
        """Whether features depend on the whole signal's dB range (v1's per-clip min/max)."""
        return self.config.model.features == "clip"

    def db_stats(self, magnitude: torch.Tensor) -> DbStats:
        """The dB range of a whole ``(..., freq, frames)`` magnitude, or the fixed one."""
        if not self.needs_statistics():
            return absolute_db_stats(magnitude)
        _, stats = normalize_db(magnitude)
        return stats

    def device(self) -> torch.device:
        return next(self.network.parameters()).device

    def _autocast(self) -> bool:
        return self.inference_dtype == torch.bfloat16 and self.device().type == "cpu"


def ratio_mask(estimate: torch.Tensor, magnitude: torch.Tensor) -> torch.Tensor:
    """The effective mask ``estimate / magnitude`` in [0, 1] (equals the mask in the
    magnitude domain; makes the normalised-dB domain applicable to other spectrograms)."""
    return (estimate / magnitude.clamp_min(1e-12)).clamp(0.0, 1.0)
