"""Audio input/output and time-frequency transforms."""

from querysep.audio.io import AudioError, audio_info, load_audio, resample, save_audio
from querysep.audio.stft import denormalize_db, istft, normalize_db, stft

__all__ = [
    "AudioError",
    "audio_info",
    "denormalize_db",
    "istft",
    "load_audio",
    "normalize_db",
    "resample",
    "save_audio",
    "stft",
]
