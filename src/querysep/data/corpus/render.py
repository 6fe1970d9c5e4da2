"""Rendered sources: instrument melodies (fluidsynth + several soundfonts) and espeak-ng speech.

Each rendered file lands in ``<out>/<class>/<name>.wav``; names carry the variant (``nylon``,
``church``, ``f3``) so that captions can mention it. Rendering is seeded and skipped for files
that already exist, so a rebuild reuses them.
"""

from __future__ import annotations

import shutil
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from querysep.data.corpus.midi import (
    DRUM_CHANNEL,
    Note,
    Part,
    drum_pattern,
    melody,
    part_seconds,
    percussion_pattern,
    sequence_bytes,
)
from querysep.data.corpus.sentences import SENTENCES
from querysep.files import atomic_path


class RenderError(RuntimeError):
    """fluidsynth or espeak-ng is missing or failed."""


@dataclass(frozen=True)
class Instrument:
    programs: dict[str, int]  # variant -> General MIDI program (drum kits for drums)
    low: int = 0
    high: int = 127
    chords: bool = False
    percussion: tuple[int, ...] = ()  # set: GM drum keys of one hand percussion instrument


INSTRUMENTS = {
    "piano": Instrument({"grand": 0, "bright": 1, "honkytonk": 3}, 40, 84, True),
    "electric_piano": Instrument({"rhodes": 4, "chorused": 5}, 40, 84, True),
    "harpsichord": Instrument({"harpsichord": 6}, 41, 84, True),
    "music_box": Instrument({"celesta": 8, "musicbox": 10}, 60, 96),
    "glockenspiel": Instrument({"glockenspiel": 9}, 72, 100),
    "vibraphone": Instrument({"vibraphone": 11}, 53, 89),
    "xylophone": Instrument({"xylophone": 13, "marimba": 12}, 53, 89),
    "bell": Instrument({"tubular": 14}, 60, 77),
    "organ": Instrument({"church": 19, "drawbar": 16, "rock": 18}, 43, 79, True),
    "accordion": Instrument({"accordion": 21, "tango": 23}, 48, 81, True),
    "harmonica": Instrument({"harmonica": 22}, 60, 84),
    "guitar": Instrument({"nylon": 24, "steel": 25, "electric": 27}, 40, 76, True),
    "bass_guitar": Instrument({"fingered": 33, "picked": 34, "acoustic": 32}, 28, 55),
    "violin": Instrument({"violin": 40}, 55, 91),
    "viola": Instrument({"viola": 41}, 48, 84),
    "cello": Instrument({"cello": 42}, 36, 69),
    "double_bass": Instrument({"contrabass": 43}, 28, 55),
    "pizzicato": Instrument({"pizzicato": 45}, 40, 80),
    "harp": Instrument({"harp": 46}, 36, 88, True),
    "timpani": Instrument({"timpani": 47}, 40, 55),
    "strings": Instrument({"ensemble": 48, "slow": 49}, 43, 84, True),
    "choir": Instrument({"aahs": 52, "oohs": 53}, 48, 79, True),
    "trumpet": Instrument({"trumpet": 56}, 55, 82),
    "trombone": Instrument({"trombone": 57}, 40, 72),
    "tuba": Instrument({"tuba": 58}, 28, 58),
    "french_horn": Instrument({"frenchhorn": 60}, 41, 77),
    "saxophone": Instrument({"alto": 65, "tenor": 66}, 49, 80),
    "oboe": Instrument({"oboe": 68}, 58, 91),
    "bassoon": Instrument({"bassoon": 70}, 34, 72),
    "clarinet": Instrument({"clarinet": 71}, 50, 84),
    "flute": Instrument({"flute": 73, "piccolo": 72}, 60, 93),
    "recorder": Instrument({"recorder": 74}, 60, 91),
    "pan_flute": Instrument({"panflute": 75}, 60, 91),
    "ocarina": Instrument({"ocarina": 79}, 60, 89),
    "synthesizer": Instrument({"square": 80, "saw": 81, "pad": 88, "warm": 89}, 40, 84, True),
    "sitar": Instrument({"sitar": 104}, 48, 80),
    "banjo": Instrument({"banjo": 105}, 48, 84),
    "koto": Instrument({"koto": 107}, 48, 84),
    "kalimba": Instrument({"kalimba": 108}, 60, 88),
    "bagpipe": Instrument({"bagpipe": 109}, 55, 79),
    "steel_drum": Instrument({"steeldrum": 114}, 55, 84),
    "taiko": Instrument({"taiko": 116}, 40, 60),
    "drums": Instrument({"standard": 0, "room": 8, "power": 16, "jazz": 32, "brush": 40}),
    "tambourine": Instrument({"standard": 0}, percussion=(54,)),
    "cowbell": Instrument({"standard": 0}, percussion=(56,)),
    "congas": Instrument({"standard": 0}, percussion=(60, 61, 62, 63, 64)),
    "maracas": Instrument({"standard": 0}, percussion=(70, 69)),
    "triangle": Instrument({"standard": 0}, percussion=(80, 81)),
    "woodblock": Instrument({"standard": 0}, percussion=(76, 77)),
    "clapping": Instrument({"standard": 0}, percussion=(39,)),
}
MALE_VOICES = ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8")
FEMALE_VOICES = ("f1", "f2", "f3", "f4", "f5")
# espeak-ng's named voice variants that sound like a person (robotic, whispering, croaking and
# demonic variants are left out); each one is a distinct synthetic speaker of the corpus
NAMED_VOICES = (
    "adam",
    "alex",
    "alicia",
    "andrea",
    "andy",
    "annie",
    "antonio",
    "aunty",
    "belinda",
    "benjamin",
    "boris",
    "caleb",
    "david",
    "denis",
    "ed",
    "edward",
    "gene",
    "gustave",
    "henrique",
    "hugo",
    "iven",
    "jacky",
    "john",
    "klatt",
    "klatt2",
    "klatt3",
    "klatt4",
    "lee",
    "linda",
    "marcelo",
    "marco",
    "mario",
    "max",
    "michael",
    "michel",
    "miguel",
    "mike",
    "nguyen",
    "pablo",
    "paul",
    "pedro",
    "quincy",
    "rob",
    "robert",
    "steph",
    "storm",
    "zac",
    "anika",
    "grandpa",
    "grandma",
    "norbert",
    "sandro",
    "shelby",
    "travis",
    "victor",
)
GAP_SECONDS = 3.0  # silence between two melodies of one batch (room for release tails)
RENDER_RATE = 32000


@dataclass(frozen=True)
class Soundfont:
    path: str  # inside the unpacked package
    labels: tuple[str, ...] | None = None  # the classes it renders (None: every instrument)
    drum_channel: int = DRUM_CHANNEL  # drum-only kits play their drums on channel 0


def render_instruments(
    soundfont: Path,
    out_dir: Path,
    *,
    labels: tuple[str, ...] | None = None,
    drum_channel: int = DRUM_CHANNEL,
    num_per_instrument: int = 12,
    seed: int = 0,
) -> Iterator[Path]:
    """Seeded melodies (drum and percussion patterns) per class, one fluidsynth run per class.

    The melodies of a class are played one after another with ``GAP_SECONDS`` of silence in
    one MIDI file, rendered once, and cut at the known starts into
    ``<out>/<class>/<class>_<variant>_<index>.wav``.
    """
    fluidsynth = _tool("fluidsynth")
    for label in labels or tuple(INSTRUMENTS):
        instrument = INSTRUMENTS[label]
        parts, paths = [], []
        start = 0.0
        for index in range(num_per_instrument):
            rng = np.random.default_rng([seed, zlib.crc32(label.encode()), index])
            variant = str(rng.choice(sorted(instrument.programs)))
            program = instrument.programs[variant]
            if drum_channel != DRUM_CHANNEL:  # a drum-only soundfont: its one kit
                variant, program = "kit", 0
            channel = drum_channel if label == "drums" or instrument.percussion else 0
            part = Part(start, _notes(label, instrument, rng), program, channel)
            parts.append(part)
            paths.append(out_dir / label / f"{label}_{variant}_{index:02d}.wav")
            start += part_seconds(part) + GAP_SECONDS
        if not all(path.exists() for path in paths):
            _render_parts(fluidsynth, soundfont, parts, paths)
        yield from paths


def _notes(label: str, instrument: Instrument, rng: np.random.Generator) -> list[Note]:
    if instrument.percussion:
        return percussion_pattern(rng, instrument.percussion)
    if label == "drums":
        return drum_pattern(rng)
    return melody(rng, instrument.low, instrument.high, instrument.chords)


def _render_parts(fluidsynth: str, soundfont: Path, parts: list[Part], paths: list[Path]):
    """Render ``parts`` in one run and write each part (with its release tail) to its path."""
    batch = paths[0].parent / ".batch.wav"
    midi_path = batch.with_suffix(".mid")
    batch.parent.mkdir(parents=True, exist_ok=True)
    midi_path.write_bytes(sequence_bytes(parts))
    try:
        _run_to(
            batch,
            lambda tmp: (
                [fluidsynth, "-ni", "-q", "-g", "0.5", "-r", str(RENDER_RATE), "-F", str(tmp)]
                + [str(soundfont), str(midi_path)]
            ),
        )
        audio, rate = sf.read(batch, dtype="float32", always_2d=True)
    finally:
        midi_path.unlink(missing_ok=True)
        batch.unlink(missing_ok=True)
    for part, path in zip(parts, paths, strict=True):
        start = int(part.start_seconds * rate)
        end = int((part.start_seconds + part_seconds(part) + GAP_SECONDS - 0.5) * rate)
        with atomic_path(path) as tmp:
            sf.write(tmp, audio[start:end], rate, subtype="PCM_16")


def render_speech(out_dir: Path, *, num_utterances: int = 400, seed: int = 0) -> Iterator[Path]:
    """Speak seeded sentences with varied languages, male/female voices, speeds and pitches."""
    espeak = _tool("espeak-ng")
    languages = sorted(SENTENCES)
    for index in range(num_utterances):
        rng = np.random.default_rng([seed, 7919, index])
        language = "en" if rng.random() < 0.5 else str(rng.choice(languages))
        variant = str(rng.choice(MALE_VOICES + FEMALE_VOICES + tuple(NAMED_VOICES)))
        path = out_dir / "speech" / f"{language}_{variant}_{index:03d}.wav"
        if not path.exists():
            text = str(rng.choice(SENTENCES[language]))
            options = ["-v", f"{language}+{variant}", "-s", str(rng.integers(120, 191))]
            options += ["-p", str(rng.integers(25, 76))]
            _run_to(path, lambda tmp, o=options, t=text: [espeak, *o, "-w", str(tmp), t])
        yield path


def _run_to(path: Path, command) -> None:
    """Run ``command(tmp)`` which writes ``tmp``; then rename it to ``path`` (atomic)."""
    with atomic_path(path) as tmp:
        result = subprocess.run(command(tmp), capture_output=True, text=True)
        if result.returncode != 0 or tmp.stat().st_size == 0:
            raise RenderError(f"rendering {path.name} failed: {result.stderr.strip()[-500:]}")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RenderError(f"{name} not found: install it with `sudo apt-get install {name}`")
    return found
