"""The Separator: waveform + text query -> separated waveform.

mixture -> STFT -> |X| -> normalised log-dB features -> network(features, text) -> mask
-> estimate magnitude (mask·|X|, or the thesis' mask on the normalised dB, de-normalised)
-> estimate with the mixture phase -> iSTFT -> waveform of the mixture's length.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from querysep.audio.io import load_audio, resample, save_audio
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
from querysep.inference import overlap_add
from querysep.models.registry import build_network, num_parameters
from querysep.text import TextEmbedding, TextEncoder, build_text_encoder

# segments of long inputs start on multiples of hop_length * TIME_STRIDE samples: a multiple
# of every network's downsampling in time (2x2 patches and 3 levels: 16; 6 FiLM levels: 64)
TIME_STRIDE = 64


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


class Separator(nn.Module):
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
        self.inference_dtype: torch.dtype = torch.float32  # bfloat16 = bf16 autocast on CPU
        self.onnx_network = None  # set by use_onnx(): the network runs in ONNX Runtime
        self.window_seconds = 10.0  # inference windows, joined by crossfade
        self.overlap_seconds = 1.0
        # audio added on both sides of each window: the default network's receptive field
        # reaches about 7 s (ASPP dilation 18 at 1/16 of the frame rate), so windows with this
        # much context agree with one pass over the whole file
        self.context_seconds = 8.0

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_config(
        cls, path: str | Path, overrides: list[str] | None = None, **kwargs
    ) -> Separator:
        """An untrained separator from a YAML config."""
        return cls(Config.from_yaml(path, overrides), **kwargs)

    @classmethod
    def load(cls, checkpoint: str | Path | None = None, **kwargs) -> Separator:
        """A trained separator; ``None`` loads the shipped default model."""
        from querysep.models.checkpoint import load_checkpoint

        return load_checkpoint(checkpoint, **kwargs)

    def save(self, path: str | Path, metadata: dict | None = None) -> Path:
        from querysep.models.checkpoint import save_checkpoint

        return save_checkpoint(path, self, metadata=metadata)

    def use_onnx(self, path: str | Path | None, *, num_threads: int | None = None) -> Separator:
        """Run the network through ONNX Runtime from an exported file (``None``: PyTorch).

        Export with ``querysep export-onnx`` (:func:`querysep.export.export_onnx`) from the
        same checkpoint: STFT, text encoding and windows stay in PyTorch either way.
        """
        from querysep.export import OnnxNetwork

        self.onnx_network = None if path is None else OnnxNetwork(path, num_threads=num_threads)
        return self

    def num_parameters(self) -> int:
        """Parameters of the separation network (the frozen text encoder excluded)."""
        return num_parameters(self.network)

    @property
    def sample_rate(self) -> int:
        return self.config.audio.sample_rate

    # -- model ----------------------------------------------------------------------------
    def encode_text(self, queries: list[str]) -> TextEmbedding:
        return self.text_encoder.encode(queries).to(self._device())

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
        if self.onnx_network is not None and not torch.is_grad_enabled():
            network = self.onnx_network  # inference only: training always runs PyTorch
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

    # -- user API -------------------------------------------------------------------------
    @torch.inference_mode()
    def separate(
        self,
        waveform: np.ndarray | torch.Tensor,
        sample_rate: int,
        query: str | list[str],
        *,
        negative_query: str | None = None,
        remove: bool = False,
        progress: bool = False,
    ) -> np.ndarray:
        """Extract the sound ``query`` describes from ``waveform`` (any length).

        ``waveform``: numpy or torch, ``(time,)`` or ``(channels, time)`` at ``sample_rate``.
        Returns float32 numpy of the same shape and rate; with a list of queries, one such
        array per query stacked first (the input's STFT is shared). The mask is predicted
        from the channels' mean and applied to each channel with its own phase.
        ``remove`` returns everything but the query (1 − mask); ``negative_query`` B
        suppresses B from the estimate (mask_A · (1 − mask_B)).
        """
        queries = [query] if isinstance(query, str) else list(query)
        if not queries or any(not q.strip() for q in queries):
            raise ValueError("the query must be a non-empty sentence")
        audio = torch.as_tensor(np.asarray(waveform, dtype=np.float32))
        squeeze = audio.ndim == 1
        audio = audio[None] if squeeze else audio  # (channels, time)
        if audio.ndim != 2 or audio.shape[-1] == 0:
            raise ValueError(
                f"expected (time,) or (channels, time) audio, got {tuple(audio.shape)}"
            )
        model_audio = torch.from_numpy(resample(audio.numpy(), sample_rate, self.sample_rate))
        was_training = self.training
        self.eval()  # inference always uses running statistics, also mid-training
        try:
            estimates = self._separate_model_audio(
                model_audio, queries, negative_query, remove, progress
            )
        finally:
            self.train(was_training)
        out = np.stack(
            [
                _fit(resample(e.numpy(), self.sample_rate, sample_rate), audio.shape[-1])
                for e in estimates
            ]
        )
        out = out[:, 0] if squeeze else out
        return out[0] if isinstance(query, str) else out

    def _separate_model_audio(self, model_audio, queries, negative_query, remove, progress):
        text = self.encode_text(queries)
        negative = self.encode_text([negative_query]) if negative_query else None
        device = self._device()
        stats = self.db_stats(model_audio.mean(0).to(device))

        def process(chunk: torch.Tensor) -> torch.Tensor:
            chunk = chunk.to(device)
            return self.separate_window(chunk, text, stats, negative=negative, remove=remove).cpu()

        return overlap_add(
            process,
            model_audio,
            window_samples=int(self.window_seconds * self.sample_rate),
            overlap_samples=int(self.overlap_seconds * self.sample_rate),
            context_samples=int(self.context_seconds * self.sample_rate),
            align_samples=self.config.audio.hop_length * TIME_STRIDE,
            progress=progress,
        )  # (queries, channels, time)

    def separate_window(
        self,
        chunk: torch.Tensor,
        text: TextEmbedding,
        stats: DbStats,
        *,
        negative: TextEmbedding | None = None,
        remove: bool = False,
    ) -> torch.Tensor:
        """One window ``(channels, time)`` -> ``(queries, channels, time)``."""
        spec = self.spectrogram(chunk)  # (channels, freq, frames)
        mono = self.spectrogram(chunk.mean(0)).abs()[None, None]  # (1, 1, freq, frames)
        num_queries = text.tokens.shape[0]
        _, magnitude = self.predict_mask(mono.expand(num_queries, -1, -1, -1), text, stats)
        gain = ratio_mask(magnitude, mono)  # (queries, 1, freq, frames)
        if negative is not None:
            _, negative_magnitude = self.predict_mask(mono, negative, stats)
            gain = gain * (1.0 - ratio_mask(negative_magnitude, mono))
        if remove:
            gain = 1.0 - gain
        return self.waveform(spec[None] * gain, chunk.shape[-1])

    def db_stats(self, waveform: torch.Tensor) -> DbStats:
        """The dB min/max of a whole ``(time,)`` signal, for window-independent features.

        With absolute features, the fixed range (the signal is not even looked at).
        """
        if self.config.model.features == "absolute":
            return absolute_db_stats(waveform)
        _, stats = normalize_db(self.spectrogram(waveform).abs())
        return stats

    def separate_file(
        self, path: str | Path, query: str, out_path: str | Path | None = None, **options
    ) -> tuple[np.ndarray, int]:
        """Separate an audio file; writes ``out_path`` when given. Returns (audio, rate)."""
        audio, sample_rate = load_audio(path)
        estimate = self.separate(audio, sample_rate, query, **options)
        if out_path is not None:
            save_audio(out_path, estimate, sample_rate)
        return estimate, sample_rate

    def _device(self) -> torch.device:
        return next(self.network.parameters()).device

    def _autocast(self) -> bool:
        return self.inference_dtype == torch.bfloat16 and self._device().type == "cpu"


def ratio_mask(estimate: torch.Tensor, magnitude: torch.Tensor) -> torch.Tensor:
    """The effective mask ``estimate / magnitude`` in [0, 1] (equals the mask in the
    magnitude domain; makes the normalised-dB domain applicable to other spectrograms)."""
    return (estimate / magnitude.clamp_min(1e-12)).clamp(0.0, 1.0)


def _fit(waveform: np.ndarray, length: int) -> np.ndarray:
    if waveform.shape[-1] >= length:
        return np.ascontiguousarray(waveform[..., :length])
    return np.pad(waveform, [(0, 0)] * (waveform.ndim - 1) + [(0, length - waveform.shape[-1])])


def load_model(checkpoint: str | Path | None = None, **kwargs) -> Separator:
    """Shortcut for :meth:`Separator.load`."""
    return Separator.load(checkpoint, **kwargs)
