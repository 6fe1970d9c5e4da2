"""What makes a training mixture sound like a recording: a room, a level, a codec.

Each function takes mono ``(time,)`` float32 audio and an explicit ``numpy`` generator.
Rooms are simulated with pyroomacoustics (image source method in a random shoebox, one
microphone, every source at its own position), so the target and the interferers share the
room's reverberation as sounds in one recording do. The level sets the mixture's RMS in dBFS
(the network's absolute-dB features see quiet and loud recordings); the codec round trip
(MP3 or Ogg Vorbis at a random quality) adds the artefacts of compressed files.
"""

from __future__ import annotations

import io

import numpy as np
import pyroomacoustics as pra
import soundfile as sf
from scipy.signal import fftconvolve

from querysep.data.mixing import PEAK_LIMIT

MAX_IMAGE_ORDER = 20  # reflections up to this order (~0.4 s of tail); ~20 ms per source
ROOM_SIZE_RANGE = ((3.0, 10.0), (3.0, 8.0), (2.4, 4.0))  # metres: length, width, height
CODECS = (("MP3", "MPEG_LAYER_III"), ("OGG", "VORBIS"))


def simulate_room(
    signals: list[np.ndarray],
    rng: np.random.Generator,
    sample_rate: int,
    rt60_seconds_range: tuple[float, float],
) -> list[np.ndarray]:
    """The ``signals`` as one microphone hears them in one random room (same lengths).

    Each signal plays from its own random position; the direct path's delay is kept, so the
    reverberant signals still sum to what the microphone records.
    """
    size = [rng.uniform(low, high) for low, high in ROOM_SIZE_RANGE]
    rt60 = rng.uniform(*rt60_seconds_range)
    for _ in range(16):
        try:
            absorption, order = pra.inverse_sabine(rt60, size)
            break
        except ValueError:  # a big room cannot be that dry (absorption > 1): longer RT60
            rt60 *= 1.25
    room = pra.ShoeBox(
        size,
        fs=sample_rate,
        materials=pra.Material(float(min(absorption, 1.0))),
        max_order=min(order, MAX_IMAGE_ORDER),
    )
    room.add_microphone(_position(size, rng))
    for _ in signals:
        room.add_source(_position(size, rng))
    room.compute_rir()
    out = []
    for index, signal in enumerate(signals):
        impulse = np.asarray(room.rir[0][index], dtype=np.float64)
        impulse /= np.sqrt(np.sum(impulse**2)) + 1e-12  # keep each source's energy
        out.append(fftconvolve(signal, impulse)[: signal.size].astype(np.float32))
    return out


def _position(size: list[float], rng: np.random.Generator) -> list[float]:
    """A random point at least 0.5 m from every wall."""
    return [rng.uniform(0.5, side - 0.5) for side in size]


def set_level(
    source: np.ndarray,
    mixture: np.ndarray,
    rng: np.random.Generator,
    level_dbfs_range: tuple[float, float],
) -> tuple[np.ndarray, np.ndarray]:
    """Scale source and mixture together so the mixture's RMS is a random dBFS level.

    The mixture's peak stays at or below 0.9 (the DCASE peak rule).
    """
    rms = float(np.sqrt(np.mean(np.square(mixture, dtype=np.float64))))
    if rms <= 0.0:
        return source, mixture
    gain = 10.0 ** (rng.uniform(*level_dbfs_range) / 20.0) / rms
    peak = float(np.max(np.abs(mixture))) * gain
    if peak > PEAK_LIMIT:
        gain *= PEAK_LIMIT / peak
    return (source * gain).astype(np.float32), (mixture * gain).astype(np.float32)


def codec_round_trip(
    waveform: np.ndarray, rng: np.random.Generator, sample_rate: int
) -> np.ndarray:
    """Encode with a random lossy codec and quality, decode, and return the same length."""
    file_format, subtype = CODECS[int(rng.integers(len(CODECS)))]
    buffer = io.BytesIO()
    sf.write(
        buffer,
        np.clip(waveform, -1.0, 1.0),
        sample_rate,
        format=file_format,
        subtype=subtype,
        compression_level=float(rng.uniform(0.0, 0.8)),  # 1.0: very low bit rates
    )
    buffer.seek(0)
    decoded, _ = sf.read(buffer, dtype="float32")
    out = np.zeros_like(waveform)
    out[: min(decoded.size, waveform.size)] = decoded[: waveform.size]
    return out
