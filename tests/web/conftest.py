"""Web fixtures: a fake separator, example and listening-test folders, and the app."""

from __future__ import annotations

import csv
import io
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from querysep.audio.io import save_audio
from querysep.web.app import create_app
from tests.conftest import noise_burst, tone

SAMPLE_RATE = 16000
MAX_SECONDS = 3.0
MAX_UPLOAD_BYTES = 400_000


class FakeSeparator:
    """Halves the mixture; records calls and whether two calls ever overlapped."""

    sample_rate = SAMPLE_RATE

    def __init__(self, delay_seconds: float = 0.0) -> None:
        self.delay_seconds = delay_seconds
        self.calls: list[dict] = []
        self.overlapped = False
        self._active = 0
        self._guard = threading.Lock()

    def separate(
        self,
        waveform,
        sample_rate,
        query=None,
        *,
        example=None,
        example_spans=None,
        negative_query=None,
        remove=False,
    ):
        with self._guard:
            self._active += 1
            self.overlapped |= self._active > 1
        time.sleep(self.delay_seconds)
        self.calls.append(
            {
                "query": query,
                "example": example,  # None or (waveform, sample_rate)
                "example_spans": example_spans,
                "negative_query": negative_query,
                "remove": remove,
                "shape": np.shape(waveform),
                "sample_rate": sample_rate,
            }
        )
        with self._guard:
            self._active -= 1
        return 0.5 * np.asarray(waveform, dtype=np.float32)


def wav_bytes(seconds: float, sample_rate: int = SAMPLE_RATE, channels: int = 1) -> bytes:
    waveform = np.stack([tone(330 * (c + 1), seconds, sample_rate) for c in range(channels)])
    buffer = io.BytesIO()
    sf.write(buffer, waveform.T, sample_rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


@pytest.fixture
def examples_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "examples"
    save_audio(
        folder / "street.wav", tone(440, 2.0) + noise_burst(1, 2.0, amplitude=0.1), SAMPLE_RATE
    )
    save_audio(folder / "birds.flac", tone(2500, 1.5), SAMPLE_RATE)
    (folder / "notes.txt").write_text("not audio, not offered")
    with (folder / "examples.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows([["file", "query"], ["street.wav", "a siren blaring"]])
    return folder


@pytest.fixture
def listening_csv(tmp_path: Path) -> Path:
    folder = tmp_path / "listening"
    rows = [["name", "mixture", "separated", "query"]]
    for index, query in enumerate(["an owl hooting", "knocking on the door", "a siren blaring"]):
        save_audio(folder / f"mix{index}.wav", tone(300 + 100 * index, 1.0), SAMPLE_RATE)
        save_audio(
            folder / "out" / f"sep{index}.wav", tone(300 + 100 * index, 1.0) / 2, SAMPLE_RATE
        )
        rows.append([f"sample{index}", f"mix{index}.wav", f"out/sep{index}.wav", query])
    with (folder / "items.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return folder / "items.csv"


@pytest.fixture
def separator() -> FakeSeparator:
    return FakeSeparator()


@pytest.fixture
def app(separator, examples_dir, listening_csv, tmp_path):
    return create_app(
        separator,
        examples_dir=examples_dir,
        listening_items=listening_csv,
        database=tmp_path / "ratings.sqlite3",
        max_upload_bytes=MAX_UPLOAD_BYTES,
        max_seconds=MAX_SECONDS,
    )


@pytest.fixture
def client(app):
    return app.test_client()
