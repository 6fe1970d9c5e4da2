"""Reading, writing and resampling audio (soundfile + soxr).

Waveforms are float32 numpy arrays shaped ``(channels, time)``.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

import numpy as np
import soundfile as sf
import soxr


class AudioError(ValueError):
    """An input that cannot be used as audio: unreadable, empty, or not finite."""


def load_audio(
    source: str | Path | BinaryIO | bytes, sample_rate: int | None = None, mono: bool = False
) -> tuple[np.ndarray, int]:
    """Read wav/flac/ogg/mp3 into float32 ``(channels, time)``.

    ``sample_rate`` resamples (soxr) when given; ``mono`` averages the channels.
    Returns the waveform and its sample rate. Raises ``AudioError`` naming the file.
    """
    name = _describe(source)
    data = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        waveform, file_rate = sf.read(data, dtype="float32", always_2d=True)
    except Exception as error:  # soundfile raises several types for bad input
        raise AudioError(f"{name}: cannot read audio ({error})") from error
    waveform = np.ascontiguousarray(waveform.T)  # (time, channels) -> (channels, time)
    if waveform.shape[-1] == 0 or waveform.shape[0] == 0:
        raise AudioError(f"{name}: audio is empty (zero samples)")
    if not np.all(np.isfinite(waveform)):
        raise AudioError(f"{name}: audio contains NaN or infinite samples")
    if mono:
        waveform = waveform.mean(axis=0, keepdims=True)
    if sample_rate is not None and sample_rate != file_rate:
        waveform = resample(waveform, file_rate, sample_rate)
        file_rate = sample_rate
    return waveform, int(file_rate)


def resample(waveform: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Resample ``(..., time)`` float audio with soxr (high quality)."""
    if from_rate == to_rate:
        return waveform.astype(np.float32, copy=False)
    shape = waveform.shape
    flat = waveform.reshape(-1, shape[-1]).T  # (time, channels) as soxr expects
    out = soxr.resample(np.ascontiguousarray(flat, dtype=np.float32), from_rate, to_rate)
    return np.ascontiguousarray(out.T.reshape(*shape[:-1], -1), dtype=np.float32)


def save_audio(path: str | Path, waveform: np.ndarray, sample_rate: int) -> Path:
    """Write ``(channels, time)`` or ``(time,)`` audio atomically (temp file + rename).

    The format follows the suffix. ``.wav`` is written as 32-bit float (lossless, so
    evaluation re-reads exactly what was computed); ``.flac``/``.ogg`` as 16-bit after
    clipping to [-1, 1].
    """
    path = Path(path)
    waveform = np.asarray(waveform, dtype=np.float32)
    if waveform.ndim == 1:
        waveform = waveform[None]
    if waveform.ndim != 2 or waveform.shape[-1] == 0:
        raise AudioError(f"{path}: cannot save audio of shape {waveform.shape}")
    path.parent.mkdir(parents=True, exist_ok=True)
    lossless_float = path.suffix.lower() == ".wav"
    data = (waveform if lossless_float else np.clip(waveform, -1.0, 1.0)).T
    subtype = "FLOAT" if lossless_float else ("PCM_16" if path.suffix.lower() == ".flac" else None)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix)
    os.close(fd)
    try:
        sf.write(tmp, data, sample_rate, subtype=subtype)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600 files: give outputs ordinary permissions
        os.replace(tmp, path)
    except Exception:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def audio_info(path: str | Path) -> tuple[int, int, int]:
    """Return ``(sample_rate, num_frames, num_channels)`` without decoding the samples."""
    try:
        info = sf.info(str(path))
    except Exception as error:
        raise AudioError(f"{path}: cannot read audio ({error})") from error
    return int(info.samplerate), int(info.frames), int(info.channels)


def _describe(source: object) -> str:
    if isinstance(source, (str, Path)):
        return str(source)
    return getattr(source, "name", None) or "<audio data>"
