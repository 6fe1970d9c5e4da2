"""Sequences strung from one-shot events (typing from key presses, walking from single steps).

Events are split like recordings first; sequences are then built inside each split from
that split's events only, so no event is heard in two splits.
"""

from __future__ import annotations

import zlib

import numpy as np

from querysep.data.corpus.clips import digest, string_events, to_pcm16
from querysep.data.corpus.collect import Clip

TARGET_SECONDS = (3.0, 8.0)
USES_PER_EVENT = 3  # each event is heard about this often across its group's sequences


def build_sequences(
    events: list[Clip], assignment: dict[str, str], sample_rate: int, seed: int
) -> list[tuple[str, Clip]]:
    """``(split, clip)`` for the sequences of every (split, package, class, group)."""
    groups: dict[tuple[str, str, str, str], list[Clip]] = {}
    for event in events:
        key = (assignment[event.recording], event.package, event.label, event.group)
        groups.setdefault(key, []).append(event)
    sequences = []
    for key, members in sorted(groups.items()):
        rng = np.random.default_rng([seed, zlib.crc32("/".join(key).encode())])
        sequences += [(key[0], clip) for clip in _sequences(members, sample_rate, rng, key)]
    return sequences


def _sequences(members: list[Clip], sample_rate: int, rng, key) -> list[Clip]:
    split, package, label, group = key
    waveforms = [m.pcm.astype(np.float32) / 32767 for m in members]
    gap_seconds = members[0].gap_seconds
    mean_event_seconds = np.mean([len(w) for w in waveforms]) / sample_rate + np.mean(gap_seconds)
    num_sequences = USES_PER_EVENT * len(members) * mean_event_seconds / np.mean(TARGET_SECONDS)
    clips = []
    for index in range(max(1, round(num_sequences))):
        target_seconds = rng.uniform(*TARGET_SECONDS)
        waveform, used = string_events(waveforms, sample_rate, rng, gap_seconds, target_seconds)
        paths = " + ".join(sorted({members[i].original_path for i in used}))
        recording = f"sequence:{split}:{package}:{label}:{group}:{index}"
        speakers = {members[i].speaker for i in used}
        clip = Clip(label, package, paths, recording, to_pcm16(waveform), digest(waveform))
        clip.speaker = speakers.pop() if len(speakers) == 1 else ""
        clip.rendered = members[0].rendered
        clips.append(clip)
    return clips
