"""Seeded melodies and drum patterns written as standard MIDI files (no dependency).

Times are in seconds: the file runs at a fixed 120 bpm (960 ticks per second) and each
melody's own tempo is expressed by where its notes fall.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

TICKS_PER_SECOND = 960  # 480 ticks per beat at the default 120 bpm
DRUM_CHANNEL = 9
SCALES = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "pentatonic": (0, 2, 4, 7, 9),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
}
KICK, SNARE, CLOSED_HAT, OPEN_HAT, CRASH, RIDE = 36, 38, 42, 46, 49, 51
TOMS = (41, 45, 47, 48, 50)


@dataclass(frozen=True)
class Note:
    start_seconds: float
    duration_seconds: float
    pitch: int
    velocity: int


def melody(rng: np.random.Generator, low: int, high: int, chords: bool) -> list[Note]:
    """A random walk on a scale inside ``[low, high]``, with chords under it when asked."""
    beat_seconds = 60.0 / rng.uniform(70, 150)
    scale = SCALES[str(rng.choice(list(SCALES)))]
    root = int(rng.integers(0, 12))
    pitches = [p for p in range(low, high + 1) if (p - root) % 12 in scale]
    index = int(rng.integers(len(pitches) // 3, 2 * len(pitches) // 3 + 1))
    num_beats = int(rng.integers(12, 25))
    notes, time = [], 0.0
    while time < num_beats * beat_seconds:
        length = float(rng.choice([0.5, 1, 1, 1, 1.5, 2])) * beat_seconds
        index = int(
            np.clip(index + rng.choice([-3, -2, -1, -1, 0, 1, 1, 2, 3]), 0, len(pitches) - 1)
        )
        if rng.random() > 0.1:  # a few rests
            velocity = int(rng.integers(60, 111))
            notes.append(Note(time, length * rng.uniform(0.8, 1.0), pitches[index], velocity))
        time += length
    if chords:
        notes += _chords(rng, pitches[: max(3, len(pitches) // 3)], time, 4 * beat_seconds)
    return notes


def _chords(rng, pitches: list[int], total_seconds: float, bar_seconds: float) -> list[Note]:
    notes, arpeggio = [], rng.random() < 0.5
    for bar_start in np.arange(0.0, total_seconds, bar_seconds):
        degree = int(rng.integers(0, max(1, len(pitches) - 4)))
        chord = pitches[degree : degree + 5 : 2]  # root, third, fifth on the scale
        for k, pitch in enumerate(chord):
            offset = k * bar_seconds / 4 if arpeggio else 0.0
            notes.append(
                Note(bar_start + offset, bar_seconds - offset, pitch, int(rng.integers(45, 76)))
            )
    return notes


def drum_pattern(rng: np.random.Generator) -> list[Note]:
    """A few bars of a 16-step rock/pop pattern with a crash at the start and a tom fill."""
    step_seconds = 60.0 / rng.uniform(80, 160) / 4
    num_bars = int(rng.integers(3, 6))
    hat = RIDE if rng.random() < 0.3 else CLOSED_HAT
    hat_every = 1 if rng.random() < 0.5 else 2
    steps: list[tuple[int, int]] = [(0, CRASH)]
    for bar in range(num_bars):
        fill = bar == num_bars - 1 and rng.random() < 0.7
        for step in range(16):
            index = bar * 16 + step
            if fill and step >= 12:
                steps.append((index, int(rng.choice(TOMS))))
                continue
            if step in (0, 8) or rng.random() < 0.12:
                steps.append((index, KICK))
            if step in (4, 12) or rng.random() < 0.06:
                steps.append((index, SNARE))
            if step % hat_every == 0:
                steps.append((index, OPEN_HAT if step == 14 and rng.random() < 0.3 else hat))
    return [
        Note(index * step_seconds, step_seconds, pitch, int(rng.integers(70, 121)))
        for index, pitch in steps
    ]


def percussion_pattern(rng: np.random.Generator, pitches: tuple[int, ...]) -> list[Note]:
    """A few bars of one hand percussion instrument (its GM drum keys ``pitches``)."""
    step_seconds = 60.0 / rng.uniform(80, 150) / 4
    num_steps = 16 * int(rng.integers(2, 5))
    density = rng.uniform(0.3, 0.7)
    accent = rng.random(16) < density  # a one-bar rhythm, repeated with small variations
    notes = []
    for index in range(num_steps):
        if accent[index % 16] != (rng.random() < 0.08):  # flip ~8 % of the steps
            pitch = int(rng.choice(pitches))
            notes.append(
                Note(index * step_seconds, step_seconds, pitch, int(rng.integers(60, 121)))
            )
    return notes


@dataclass(frozen=True)
class Part:
    """Notes played from ``start_seconds`` with one GM ``program`` on ``channel``."""

    start_seconds: float
    notes: list[Note]
    program: int
    channel: int


def part_seconds(part: Part) -> float:
    """Where the part's last note ends, from the part's start."""
    return max((n.start_seconds + n.duration_seconds for n in part.notes), default=0.0)


def midi_bytes(notes: list[Note], program: int, channel: int) -> bytes:
    """A format-0 MIDI file playing ``notes`` with one GM ``program`` on ``channel``."""
    return sequence_bytes([Part(0.0, notes, program, channel)])


def sequence_bytes(parts: list[Part]) -> bytes:
    """A format-0 MIDI file playing ``parts`` one after another (each with its program)."""
    events = []
    for part in parts:
        offset = part.start_seconds
        program_tick = round(offset * TICKS_PER_SECOND)
        events.append((program_tick, 0, bytes([0xC0 | part.channel, part.program])))
        events += _note_events(part.notes, offset, part.channel)
    track, now = bytearray(), 0
    for tick, _, message in sorted(events):
        track += _variable_length(tick - now) + message
        now = tick
    track += _variable_length(0) + b"\xff\x2f\x00"  # end of track
    header = b"MThd" + struct.pack(">IHHH", 6, 0, 1, TICKS_PER_SECOND // 2)
    return header + b"MTrk" + struct.pack(">I", len(track)) + bytes(track)


def _note_events(notes: list[Note], offset: float, channel: int) -> list:
    events = []
    for note in notes:
        start = round((offset + note.start_seconds) * TICKS_PER_SECOND)
        end = start + max(1, round(note.duration_seconds * TICKS_PER_SECOND))
        events.append((start, 2, bytes([0x90 | channel, note.pitch, note.velocity])))
        events.append((end, 1, bytes([0x80 | channel, note.pitch, 0])))  # offs before ons
    return events


def _variable_length(value: int) -> bytes:
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))
