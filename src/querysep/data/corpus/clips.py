"""Turning decoded recordings into clips: trim silence, cut long files, hash, string events.

All waveforms here are mono float32 ``(time,)`` at the corpus sample rate.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np

FRAME_SECONDS = 0.01
SILENCE_PEAK = 1e-3  # -60 dBFS: quieter recordings are treated as silent
TRIM_BELOW_PEAK_DB = 50.0  # frames this far below the loudest frame are trimmed at the edges
TRIM_FLOOR_DB = -65.0


def trim_silence(waveform: np.ndarray, sample_rate: int) -> np.ndarray:
    """Drop leading and trailing near-silence (keeps one quiet frame of margin each side)."""
    frame = max(1, int(FRAME_SECONDS * sample_rate))
    num_frames = math.ceil(len(waveform) / frame)
    padded = np.pad(waveform, (0, num_frames * frame - len(waveform)))
    rms = np.sqrt(np.mean(padded.reshape(num_frames, frame) ** 2, axis=1))  # (frames,)
    level_db = 20 * np.log10(rms + 1e-12)
    loud = np.flatnonzero(level_db > max(level_db.max() - TRIM_BELOW_PEAK_DB, TRIM_FLOOR_DB))
    if len(loud) == 0:
        return waveform[:0]
    start = max(0, (loud[0] - 1) * frame)
    end = min(len(waveform), (loud[-1] + 2) * frame)
    return waveform[start:end]


def is_silent(waveform: np.ndarray) -> bool:
    return len(waveform) == 0 or float(np.max(np.abs(waveform))) < SILENCE_PEAK


def cut(waveform: np.ndarray, sample_rate: int, max_seconds: float) -> list[np.ndarray]:
    """Equal pieces of at most ``max_seconds`` (one piece when the clip is short enough)."""
    num_pieces = max(1, math.ceil(len(waveform) / (max_seconds * sample_rate)))
    return [piece for piece in np.array_split(waveform, num_pieces) if len(piece)]


def clips_from_recording(
    waveform: np.ndarray, sample_rate: int, *, min_seconds: float, max_seconds: float
) -> list[np.ndarray]:
    """Trimmed clips of ``[min_seconds, max_seconds]``; none for silent or too short audio."""
    trimmed = trim_silence(waveform, sample_rate)
    if is_silent(trimmed) or len(trimmed) < min_seconds * sample_rate:
        return []
    pieces = cut(trimmed, sample_rate, max_seconds)
    return [p for p in pieces if not is_silent(p) and len(p) >= min_seconds * sample_rate]


def to_pcm16(waveform: np.ndarray) -> np.ndarray:
    """The 16-bit samples a FLAC file stores (what de-duplication compares)."""
    return np.round(np.clip(waveform, -1.0, 1.0) * 32767).astype(np.int16)


def digest(waveform: np.ndarray) -> str:
    return hashlib.sha1(to_pcm16(waveform).tobytes()).hexdigest()


def string_events(
    events: list[np.ndarray],
    sample_rate: int,
    rng: np.random.Generator,
    gap_seconds: tuple[float, float],
    target_seconds: float,
) -> tuple[np.ndarray, list[int]]:
    """One sequence: random events (±3 dB) separated by random gaps, about ``target_seconds``.

    Returns the waveform and the indices of the events used.
    """
    parts, used, length = [], [], 0
    while length < target_seconds * sample_rate:
        index = int(rng.integers(len(events)))
        gain = 10 ** (rng.uniform(-3, 3) / 20)
        gap = np.zeros(int(rng.uniform(*gap_seconds) * sample_rate), dtype=np.float32)
        parts += [events[index] * gain, gap]
        used.append(index)
        length += len(events[index]) + len(gap)
    waveform = np.concatenate(parts[:-1]).astype(np.float32)  # no trailing gap
    peak = float(np.max(np.abs(waveform)))
    return (waveform * 0.99 / peak if peak > 0.99 else waveform), used
