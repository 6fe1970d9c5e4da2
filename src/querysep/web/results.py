"""Finished separations kept in memory for the result page: a bounded LRU keyed by random ids."""

from __future__ import annotations

import io
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import soundfile as sf

from querysep.web.pictures import spectrogram_db, spectrogram_png
from querysep.web.separation import Conditions, Separation

TRACKS = ("mixture", "separated", "residual")


def encode_wav(waveform: np.ndarray, sample_rate: int, subtype: str = "PCM_16") -> bytes:
    """``(channels, time)`` or ``(time,)`` audio as WAV bytes (PCM_16 clips to [-1, 1])."""
    waveform = np.asarray(waveform, dtype=np.float32)
    waveform = waveform[None] if waveform.ndim == 1 else waveform
    if subtype != "FLOAT":
        waveform = np.clip(waveform, -1.0, 1.0)
    buffer = io.BytesIO()
    sf.write(buffer, waveform.T, sample_rate, format="WAV", subtype=subtype)
    return buffer.getvalue()


@dataclass(frozen=True)
class Track:
    wav: bytes
    picture: bytes  # PNG


@dataclass(frozen=True)
class Result:
    source_name: str
    conditions: Conditions
    sample_rate: int
    seconds: float
    tracks: dict[str, Track] = field(default_factory=dict)
    hint: str | None = None
    quiet_note: str | None = None

    @property
    def num_bytes(self) -> int:
        return sum(len(track.wav) + len(track.picture) for track in self.tracks.values())


def make_result(separation: Separation, *, source_name: str) -> Result:
    """Encode the three tracks and draw their spectrograms on the mixture's colour scale."""
    reference_db = float(spectrogram_db(separation.mixture).max())
    tracks = {
        name: Track(
            encode_wav(getattr(separation, name), separation.sample_rate),
            spectrogram_png(
                getattr(separation, name), separation.sample_rate, reference_db=reference_db
            ),
        )
        for name in TRACKS
    }
    seconds = separation.mixture.shape[-1] / separation.sample_rate
    return Result(
        source_name,
        separation.conditions,
        separation.sample_rate,
        seconds,
        tracks,
        separation.hint,
        separation.quiet_note,
    )


class ResultStore:
    """At most ``max_results`` results and ``max_bytes`` in all; the least recent go first."""

    def __init__(self, *, max_results: int = 16, max_bytes: int = 256 * 2**20) -> None:
        self.max_results = max_results
        self.max_bytes = max_bytes
        self._results: OrderedDict[str, Result] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, result: Result) -> str:
        result_id = secrets.token_urlsafe(16)
        with self._lock:
            self._results[result_id] = result
            while len(self._results) > 1 and self._over_limits():
                self._results.popitem(last=False)  # the newest always stays
        return result_id

    def get(self, result_id: str) -> Result | None:
        with self._lock:
            result = self._results.get(result_id)
            if result is not None:
                self._results.move_to_end(result_id)
            return result

    def __len__(self) -> int:
        return len(self._results)

    def _over_limits(self) -> bool:
        num_bytes = sum(result.num_bytes for result in self._results.values())
        return len(self._results) > self.max_results or num_bytes > self.max_bytes
