"""Rendered sources: instrument melodies (fluidsynth + FluidR3_GM) and espeak-ng speech.

Each rendered file lands in ``<out>/<class>/<name>.wav``; names carry the variant (``nylon``,
``church``, ``f3``) so that captions can mention it. Rendering is seeded and skipped for files
that already exist, so a rebuild reuses them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from querysep.data.corpus.midi import DRUM_CHANNEL, drum_pattern, melody, midi_bytes
from querysep.data.corpus.sentences import SENTENCES


class RenderError(RuntimeError):
    """fluidsynth or espeak-ng is missing or failed."""


@dataclass(frozen=True)
class Instrument:
    programs: dict[str, int]  # variant -> General MIDI program (drum kits for drums)
    low: int = 0
    high: int = 127
    chords: bool = False


INSTRUMENTS = {
    "piano": Instrument({"grand": 0, "bright": 1, "honkytonk": 3}, 40, 84, True),
    "organ": Instrument({"church": 19, "drawbar": 16, "rock": 18}, 43, 79, True),
    "guitar": Instrument({"nylon": 24, "steel": 25, "electric": 27}, 40, 76, True),
    "violin": Instrument({"violin": 40}, 55, 91),
    "cello": Instrument({"cello": 42}, 36, 69),
    "flute": Instrument({"flute": 73}, 60, 93),
    "trumpet": Instrument({"trumpet": 56}, 55, 82),
    "saxophone": Instrument({"alto": 65, "tenor": 66}, 49, 80),
    "clarinet": Instrument({"clarinet": 71}, 50, 84),
    "harp": Instrument({"harp": 46}, 36, 88, True),
    "xylophone": Instrument({"xylophone": 13, "marimba": 12}, 53, 89),
    "accordion": Instrument({"accordion": 21}, 48, 81, True),
    "bass_guitar": Instrument({"fingered": 33, "picked": 34, "acoustic": 32}, 28, 55),
    "bell": Instrument({"tubular": 14}, 60, 77),
    "drums": Instrument({"standard": 0, "room": 8, "power": 16, "jazz": 32, "brush": 40}),
}
MALE_VOICES = ("m1", "m2", "m3", "m4", "m5", "m6", "m7")
FEMALE_VOICES = ("f1", "f2", "f3", "f4")


def render_melodies(
    soundfont: Path, out_dir: Path, *, num_per_instrument: int = 20, seed: int = 0
) -> Iterator[Path]:
    """Render ``num_per_instrument`` seeded melodies (drum patterns for drums) per class."""
    fluidsynth = _tool("fluidsynth")
    for label, instrument in INSTRUMENTS.items():
        for index in range(num_per_instrument):
            rng = np.random.default_rng([seed, zlib.crc32(label.encode()), index])
            variant = str(rng.choice(sorted(instrument.programs)))
            path = out_dir / label / f"{label}_{variant}_{index:02d}.wav"
            if not path.exists():
                drums = label == "drums"
                notes = (
                    drum_pattern(rng)
                    if drums
                    else melody(rng, instrument.low, instrument.high, instrument.chords)
                )
                channel = DRUM_CHANNEL if drums else 0
                midi = midi_bytes(notes, instrument.programs[variant], channel)
                _render_midi(fluidsynth, soundfont, midi, path)
            yield path


def render_speech(out_dir: Path, *, num_utterances: int = 200, seed: int = 0) -> Iterator[Path]:
    """Speak seeded sentences with varied languages, male/female voices, speeds and pitches."""
    espeak = _tool("espeak-ng")
    languages = sorted(SENTENCES)
    for index in range(num_utterances):
        rng = np.random.default_rng([seed, 7919, index])
        language = "en" if rng.random() < 0.5 else str(rng.choice(languages))
        variant = str(rng.choice(MALE_VOICES + FEMALE_VOICES))
        path = out_dir / "speech" / f"{language}_{variant}_{index:03d}.wav"
        if not path.exists():
            text = str(rng.choice(SENTENCES[language]))
            options = ["-v", f"{language}+{variant}", "-s", str(rng.integers(120, 191))]
            options += ["-p", str(rng.integers(25, 76))]
            _run_to(path, lambda tmp, o=options, t=text: [espeak, *o, "-w", str(tmp), t])
        yield path


def _render_midi(fluidsynth: str, soundfont: Path, midi: bytes, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    midi_path = path.with_suffix(".mid")
    midi_path.write_bytes(midi)
    try:
        _run_to(
            path,
            lambda tmp: (
                [fluidsynth, "-ni", "-q", "-g", "0.5", "-r", "32000", "-F", str(tmp)]
                + [str(soundfont), str(midi_path)]
            ),
        )
    finally:
        midi_path.unlink(missing_ok=True)


def _run_to(path: Path, command) -> None:
    """Run ``command(tmp)`` which writes ``tmp``; then rename it to ``path`` (atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp.wav")
    result = subprocess.run(command(tmp), capture_output=True, text=True)
    if result.returncode != 0 or not tmp.exists():
        tmp.unlink(missing_ok=True)
        raise RenderError(f"rendering {path.name} failed: {result.stderr.strip()[-500:]}")
    os.replace(tmp, path)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RenderError(f"{name} not found: install it with `sudo apt-get install {name}`")
    return found
