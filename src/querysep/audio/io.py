"""Reading, writing and resampling audio (soundfile + soxr), whole or in blocks.

Waveforms are float32 numpy arrays shaped ``(channels, time)``. :class:`BlockReader` and
:class:`BlockWriter` stream a file through soxr's streaming resampler, so memory does not
depend on the file's length; a written file appears only when it is complete.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
import soundfile as sf
import soxr

from querysep.files import atomic_path

# what users may give: separate's folders, the web app's examples
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".oga", ".mp3", ".aiff", ".aif")


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


def fit_length(waveform: np.ndarray, length: int) -> np.ndarray:
    """Crop or zero-pad the last axis to ``length`` (padding at the end)."""
    if waveform.shape[-1] >= length:
        return waveform[..., :length]
    pad = [(0, 0)] * (waveform.ndim - 1) + [(0, length - waveform.shape[-1])]
    return np.pad(waveform, pad)


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
    with atomic_path(path) as tmp:
        sf.write(tmp, _storable(waveform, path).T, sample_rate, subtype=_subtype(path))
    return path


def _subtype(path: Path) -> str | None:
    """``.wav``: 32-bit float (lossless); ``.flac``: 16-bit; others: the format's default."""
    suffix = path.suffix.lower()
    return "FLOAT" if suffix == ".wav" else ("PCM_16" if suffix == ".flac" else None)


def _storable(waveform: np.ndarray, path: Path) -> np.ndarray:
    return waveform if path.suffix.lower() == ".wav" else np.clip(waveform, -1.0, 1.0)


def resampled_length(num_frames: int, from_rate: int, to_rate: int) -> int:
    """Samples soxr gives for ``num_frames`` at ``from_rate`` resampled to ``to_rate``."""
    return int(round(num_frames * to_rate / from_rate))


class BlockReader:
    """A file read in blocks, down-mixed or not, resampled to ``sample_rate`` on the fly.

    ``length`` is the resampled length; :meth:`blocks` yields ``(channels, n)`` float32
    blocks that add up to exactly ``length`` samples. Unreadable, empty or non-finite audio
    raises :class:`AudioError` naming the file.
    """

    def __init__(self, path: str | Path, sample_rate: int, *, block_seconds: float = 10.0):
        self.path = Path(path)
        self.file_rate, self.num_frames, self.num_channels = audio_info(self.path)
        if self.num_frames == 0:
            raise AudioError(f"{self.path}: audio is empty (zero samples)")
        self.sample_rate = sample_rate
        self.length = resampled_length(self.num_frames, self.file_rate, sample_rate)
        if self.length == 0:
            raise AudioError(
                f"{self.path}: too short ({self.num_frames} sample(s) at {self.file_rate} Hz "
                f"is less than one sample at {sample_rate} Hz)"
            )
        self.block_frames = max(1, int(block_seconds * self.file_rate))

    def blocks(self, *, mono: bool = False) -> Iterator[np.ndarray]:
        channels = 1 if mono else self.num_channels
        stream = None
        if self.file_rate != self.sample_rate:
            stream = soxr.ResampleStream(
                self.file_rate, self.sample_rate, channels, dtype="float32"
            )
        produced, read = 0, 0
        try:
            with sf.SoundFile(str(self.path)) as handle:
                for block in handle.blocks(self.block_frames, dtype="float32", always_2d=True):
                    read += block.shape[0]
                    if not np.all(np.isfinite(block)):
                        raise AudioError(f"{self.path}: audio contains NaN or infinite samples")
                    if mono:
                        block = block.mean(axis=1, keepdims=True)
                    last = read >= self.num_frames
                    out = block if stream is None else stream.resample_chunk(block, last=last)
                    out = out[: self.length - produced]
                    produced += out.shape[0]
                    if out.shape[0]:
                        yield np.ascontiguousarray(out.T)
        except (RuntimeError, sf.LibsndfileError) as error:
            raise AudioError(f"{self.path}: cannot read audio ({error})") from error
        if produced < self.length:  # soxr's last chunk may be a sample short
            yield np.zeros((channels, self.length - produced), dtype=np.float32)


class BlockWriter:
    """Writes ``(channels, n)`` blocks at ``sample_rate`` into ``path`` at ``file_rate``.

    Exactly ``num_frames`` frames are written (the resampler's last few samples are padded
    or dropped). The file is written under a temporary name and appears at ``path`` only
    when :meth:`close` succeeds; leaving a ``with`` block by an exception removes it.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        sample_rate: int,
        file_rate: int,
        num_channels: int,
        num_frames: int,
    ) -> None:
        self.path = Path(path)
        self.num_frames = num_frames
        self.written = 0
        self._stream = None
        if sample_rate != file_rate:
            self._stream = soxr.ResampleStream(sample_rate, file_rate, num_channels, "float32")
        self._atomic = atomic_path(self.path)
        tmp = self._atomic.__enter__()
        self._file = sf.SoundFile(
            str(tmp), "w", file_rate, num_channels, subtype=_subtype(self.path)
        )

    def write(self, block: np.ndarray, *, last: bool = False) -> None:
        frames = np.ascontiguousarray(np.asarray(block, dtype=np.float32).T)  # (n, channels)
        if self._stream is not None:
            frames = self._stream.resample_chunk(frames, last=last)
        frames = frames[: self.num_frames - self.written]
        self._file.write(_storable(frames, self.path))
        self.written += frames.shape[0]

    def close(self) -> Path:
        if self._stream is not None:
            self.write(np.zeros((self._file.channels, 0), dtype=np.float32), last=True)
        if self.written < self.num_frames:
            pad = np.zeros((self.num_frames - self.written, self._file.channels), np.float32)
            self._file.write(pad)
            self.written = self.num_frames
        self._file.close()
        self._atomic.__exit__(None, None, None)
        return self.path

    def __enter__(self) -> BlockWriter:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            self.close()
            return
        self._file.close()
        self._atomic.__exit__(kind, error, traceback)


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
