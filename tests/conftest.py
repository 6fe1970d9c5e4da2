"""Shared fixtures: synthetic audio written to tmp_path, no network."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import torch

from querysep.audio.io import save_audio

SAMPLE_RATE = 16000

# One compute thread: on 2-core machines a second OpenMP thread competes with DataLoader
# workers, and its threads run without flush-to-zero (denormals made steps crawl).
torch.set_num_threads(1)


def tone(frequency: float, seconds: float, sample_rate: int = SAMPLE_RATE, amplitude: float = 0.5):
    time = np.arange(int(seconds * sample_rate)) / sample_rate
    return (amplitude * np.sin(2 * np.pi * frequency * time)).astype(np.float32)


def noise_burst(seed: int, seconds: float, sample_rate: int = SAMPLE_RATE, amplitude: float = 0.3):
    rng = np.random.default_rng(seed)
    return (amplitude * rng.standard_normal(int(seconds * sample_rate))).astype(np.float32)


@pytest.fixture
def clotho_folder(tmp_path: Path) -> tuple[Path, Path]:
    """Six labelled clips (tones and noises of varied length) in Clotho v2 format."""
    audio_dir = tmp_path / "audio"
    sounds = {
        "low_tone.flac": (tone(220, 3.0), "tone"),
        "high_tone.flac": (tone(3000, 1.5), "tone"),
        "mid_tone.wav": (tone(880, 5.0, amplitude=0.2), "tone"),
        "hiss.flac": (noise_burst(1, 2.5), "noise"),
        "rumble.flac": (np.convolve(noise_burst(2, 4.0), np.ones(40) / 40, "same"), "rumble"),
        "chirp.wav": (tone(500, 2.0) * np.linspace(0, 1, 32000, dtype=np.float32), "chirp"),
    }
    rows = []
    for index, (name, (waveform, label)) in enumerate(sounds.items()):
        save_audio(audio_dir / name, waveform, SAMPLE_RATE)
        rows.append([name, *(f"{label} sound number {index} variant {k}" for k in range(5)), label])
    csv_path = tmp_path / "captions.csv"
    with csv_path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file_name", *(f"caption_{k}" for k in range(1, 6)), "class"])
        writer.writerows(rows)
    return csv_path, audio_dir


REPO = Path(__file__).resolve().parents[1]
TINY_CONFIG = REPO / "configs" / "tiny.yaml"


@pytest.fixture(scope="session")
def text_encoder():
    """The real MiniLM encoder, loaded once per test session (offline, from the package)."""
    from querysep.config import TextConfig
    from querysep.text import build_text_encoder

    return build_text_encoder(TextConfig())


@pytest.fixture
def tiny_separator(text_encoder):
    """An untrained separator with the tiny test config (seeded, eval mode)."""
    from querysep.separator import Separator

    torch.manual_seed(0)
    return Separator.from_config(TINY_CONFIG, text_encoder=text_encoder).eval()


EXAMPLE_OVERRIDES = ["model.example_tokens=4", "model.example_dim=32"]


@pytest.fixture
def example_separator(text_encoder):
    """An untrained tiny separator with an example encoder (query by example and spans)."""
    from querysep.separator import Separator

    torch.manual_seed(0)
    return Separator.from_config(TINY_CONFIG, EXAMPLE_OVERRIDES, text_encoder=text_encoder).eval()
