"""Uploads in, separations out: decoding from memory, limits, and one model call at a time.

The model logic lives in the separator; this module only checks the request, decodes the
upload (never a user-chosen path) and serialises calls to the shared model with a lock.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import soundfile as sf

from querysep.audio.io import AudioError, load_audio


class SeparatorLike(Protocol):
    sample_rate: int

    def separate(self, waveform, sample_rate, query, *, negative_query=None, remove=False): ...


class UploadError(ValueError):
    """A request the app refuses with 400: not audio, empty query, too long."""


@dataclass(frozen=True)
class Separation:
    mixture: np.ndarray  # (channels, time)
    separated: np.ndarray  # (channels, time)
    residual: np.ndarray  # (channels, time): mixture - separated
    sample_rate: int
    hint: str | None = None  # the query is far from what the model was trained on


class SeparationService:
    def __init__(
        self, separator: SeparatorLike, *, max_seconds: float, max_query_chars: int
    ) -> None:
        self.separator = separator
        self.max_seconds = max_seconds
        self.max_query_chars = max_query_chars
        self._lock = threading.Lock()  # one model call at a time: safe and memory-flat

    def run(
        self, data: bytes, name: str, query: str, *, negative_query: str = "", remove: bool = False
    ) -> Separation:
        query = self.check_text(query, "query", required=True)
        negative_query = self.check_text(negative_query, "negative query", required=False)
        mixture, sample_rate = self.decode(data, name)
        with self._lock:
            separated = self.separator.separate(
                mixture, sample_rate, query, negative_query=negative_query or None, remove=remove
            )
        separated = np.asarray(separated, dtype=np.float32)
        hint = self.hint(query)
        return Separation(mixture, separated, mixture - separated, sample_rate, hint)

    def hint(self, query: str) -> str | None:
        """The separator's vocabulary warning for ``query`` (None when it has no vocabulary)."""
        query_hint = getattr(self.separator, "query_hint", None)
        return query_hint(query) if query_hint is not None else None

    def check_text(self, text: str, what: str, *, required: bool) -> str:
        text = text.strip()
        if required and not text:
            raise UploadError(f"the {what} is empty: describe the sound to separate")
        if len(text) > self.max_query_chars:
            raise UploadError(f"the {what} is longer than {self.max_query_chars} characters")
        return text

    def decode(self, data: bytes, name: str) -> tuple[np.ndarray, int]:
        """``(channels, time)`` float32 audio from uploaded bytes, within the duration limit."""
        if not data:
            raise UploadError(f"{name}: the file is empty")
        try:
            info = sf.info(io.BytesIO(data))  # reads the header only
        except Exception as error:
            raise UploadError(f"{name}: not a readable audio file (wav, flac, ogg, mp3)") from error
        self.check_duration(info.frames, info.samplerate, name)  # before decoding it all
        try:
            waveform, sample_rate = load_audio(data)
        except AudioError as error:
            raise UploadError(f"{name}: {str(error).split(': ', 1)[-1]}") from error
        self.check_duration(waveform.shape[-1], sample_rate, name)  # headers can be wrong
        return waveform, sample_rate

    def check_duration(self, num_samples: int, sample_rate: int, name: str) -> None:
        seconds = num_samples / max(sample_rate, 1)
        if seconds > self.max_seconds:
            raise UploadError(
                f"{name}: {seconds:.1f} s is too long (at most {self.max_seconds:g} s)"
            )
