"""CLAPScore and CLAPScore-A with a CLAP model from a local folder (transformers ``ClapModel``).

- CLAPScore   = cos(text embedding of the caption, audio embedding of the estimate);
- CLAPScore-A = cos(audio embedding of the estimate, audio embedding of the reference).

Audio is resampled to the feature extractor's rate (48 kHz for LAION CLAP). A clip longer
than the extractor's window (10 s for LAION CLAP) is embedded window by window, and the
window embeddings are averaged (weighted by window length) and re-normalised: the score
then covers the whole clip and is deterministic (the extractor's own long-clip modes,
``rand_trunc`` and ``fusion``, take random crops).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from querysep.audio.io import resample

CLAP_METRICS = ("clap_score", "clap_score_a")
WINDOWS_PER_BATCH = 16
HOW_TO_PROVIDE = (
    "--clap needs a local folder holding a CLAP model and its processor, as written by "
    "ClapModel.save_pretrained and ClapProcessor.save_pretrained (config.json with "
    "model_type 'clap', model.safetensors, preprocessor_config.json and the tokenizer "
    "files), e.g. a copy of the Hugging Face repository laion/clap-htsat-unfused"
)


class ClapError(ValueError):
    """A CLAP folder that cannot be used; the message says what to provide."""


def load_clap(path: str | Path, device: str | None = None) -> ClapScorer:
    """Load model, feature extractor and tokenizer from ``path`` (no download)."""
    path = Path(path)
    _check_folder(path)
    from transformers import AutoTokenizer, ClapFeatureExtractor, ClapModel

    try:
        model = ClapModel.from_pretrained(path, local_files_only=True)
        feature_extractor = ClapFeatureExtractor.from_pretrained(path, local_files_only=True)
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    except (OSError, ValueError, KeyError) as error:
        raise ClapError(f"{path}: cannot load CLAP ({error}). {HOW_TO_PROVIDE}") from error
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    return ClapScorer(model, feature_extractor, tokenizer, device=device, name=str(path))


def _check_folder(path: Path) -> None:
    if not path.is_dir():
        raise ClapError(f"{path}: not a folder. {HOW_TO_PROVIDE}")
    config = path / "config.json"
    if not config.is_file():
        raise ClapError(f"{path}: no config.json, so no CLAP weights here. {HOW_TO_PROVIDE}")
    try:
        model_type = json.loads(config.read_text(encoding="utf-8")).get("model_type")
    except (json.JSONDecodeError, AttributeError) as error:
        raise ClapError(f"{config}: not a model config ({error}). {HOW_TO_PROVIDE}") from error
    if model_type != "clap":
        raise ClapError(f"{path}: holds a {model_type!r} model, not CLAP. {HOW_TO_PROVIDE}")


class ClapScorer:
    """Embeds captions and audio with one CLAP model; text embeddings are cached."""

    def __init__(self, model, feature_extractor, tokenizer, device: str = "cpu", name: str = ""):
        self.model = model.eval().to(device)
        self.feature_extractor = feature_extractor
        self.tokenizer = tokenizer
        self.device = device
        self.name = name
        self._text_cache: dict[str, np.ndarray] = {}

    @property
    def sample_rate(self) -> int:
        return int(self.feature_extractor.sampling_rate)

    @property
    def window_length(self) -> int:
        """Samples (at :attr:`sample_rate`) the audio tower sees in one embedding."""
        return int(self.feature_extractor.nb_max_samples)

    def embed_text(self, caption: str) -> np.ndarray:
        if caption not in self._text_cache:
            max_length = min(
                self.tokenizer.model_max_length,
                self.model.config.text_config.max_position_embeddings - 2,  # RoBERTa offset
            )
            tokens = self.tokenizer(
                [caption], padding=True, truncation=True, max_length=max_length, return_tensors="pt"
            )
            with torch.inference_mode():
                output = self.model.get_text_features(
                    input_ids=tokens["input_ids"].to(self.device),
                    attention_mask=tokens["attention_mask"].to(self.device),
                )
            self._text_cache[caption] = _unit(_features(output)[0])
        return self._text_cache[caption]

    def embed_audio(self, waveform: np.ndarray, sample_rate: int) -> np.ndarray:
        """Unit embedding of mono audio ``(time,)`` at ``sample_rate``."""
        waveform = np.asarray(waveform, dtype=np.float32).reshape(-1)
        if waveform.size == 0:
            raise ValueError("cannot embed empty audio")
        waveform = resample(waveform, sample_rate, self.sample_rate)
        windows = split_windows(waveform, self.window_length)
        embeddings = []
        for start in range(0, len(windows), WINDOWS_PER_BATCH):
            embeddings.append(self._embed_windows(windows[start : start + WINDOWS_PER_BATCH]))
        weights = [window.size for window in windows]
        return _unit(np.average(np.concatenate(embeddings), axis=0, weights=weights))

    def _embed_windows(self, windows: list[np.ndarray]) -> np.ndarray:
        inputs = self.feature_extractor(
            windows, sampling_rate=self.sample_rate, return_tensors="pt"
        )
        # No window is longer than the extractor's window: say so instead of the extractor's
        # random pick, so that fusion models embed deterministically.
        is_longer = torch.zeros(len(windows), 1, dtype=torch.bool, device=self.device)
        with torch.inference_mode():
            output = self.model.get_audio_features(
                input_features=inputs["input_features"].to(self.device, torch.float32),
                is_longer=is_longer,
            )
        return np.stack([_unit(row) for row in _features(output)])

    def score(
        self, caption: str, estimate: np.ndarray, reference: np.ndarray, sample_rate: int
    ) -> dict[str, float]:
        """``clap_score`` (caption ↔ estimate) and ``clap_score_a`` (estimate ↔ reference)."""
        estimate_embedding = self.embed_audio(estimate, sample_rate)
        return {
            "clap_score": cosine(self.embed_text(caption), estimate_embedding),
            "clap_score_a": cosine(estimate_embedding, self.embed_audio(reference, sample_rate)),
        }


def split_windows(waveform: np.ndarray, window_length: int) -> list[np.ndarray]:
    """Consecutive windows of ``window_length`` samples; the last one may be shorter."""
    return [
        waveform[start : start + window_length] for start in range(0, waveform.size, window_length)
    ]


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of two vectors, clipped to [−1, 1] (0 when either is zero)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    norm = np.linalg.norm(a) * np.linalg.norm(b)
    if norm == 0:
        return 0.0
    return float(np.clip(a @ b / norm, -1.0, 1.0))


def _features(output) -> torch.Tensor:
    """Projected embeddings from ``get_*_features`` (a tensor, or an output with a pooler)."""
    features = output.pooler_output if hasattr(output, "pooler_output") else output
    return features.detach().to("cpu", torch.float64)


def _unit(vector) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float64)
    norm = np.linalg.norm(vector)
    return vector / norm if norm > 0 else vector
