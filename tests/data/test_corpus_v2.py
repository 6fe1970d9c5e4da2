"""Corpus v2 pieces: the .rcc reader, the out-of-package split, the statistics, batch renders."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
import soundfile as sf

from querysep.data.corpus.collect import Clip, Source, collect
from querysep.data.corpus.debian import iter_audio
from querysep.data.corpus.midi import Note, Part, part_seconds, percussion_pattern, sequence_bytes
from querysep.data.corpus.rcc import RccError, read_rcc
from querysep.data.corpus.rules.base import Package
from querysep.data.corpus.sources import speaker_of
from querysep.data.corpus.split import OOD_SPLIT, assign_splits, make_test_spec
from querysep.data.corpus.write import Entry, corpus_stats

SAMPLE_RATE = 16000


def make_rcc(files: dict[str, bytes], compress: set[str] = frozenset()) -> bytes:
    """A version-2 Qt resource file holding ``files`` (paths with one folder level)."""
    folders: dict[str, list[str]] = {}
    for path in files:
        folder, name = path.split("/")
        folders.setdefault(folder, []).append(name)
    names_blob, name_offsets = bytearray(), {}

    def name_offset(name: str) -> int:
        if name not in name_offsets:
            name_offsets[name] = len(names_blob)
            encoded = name.encode("utf-16-be")
            names_blob.extend(struct.pack(">HI", len(name), 0) + encoded)
        return name_offsets[name]

    data_blob, nodes = bytearray(), []
    # node 0: root directory; nodes 1..F: folders; then files, children contiguous per folder
    nodes.append(struct.pack(">IHII", 0, 2, len(folders), 1) + b"\0" * 8)
    first_file = 1 + len(folders)
    file_nodes = []
    for folder, names in folders.items():
        nodes.append(
            struct.pack(">IHII", name_offset(folder), 2, len(names), first_file + len(file_nodes))
            + b"\0" * 8
        )
        for name in names:
            content = files[f"{folder}/{name}"]
            flags = 0
            if f"{folder}/{name}" in compress:
                content, flags = struct.pack(">I", len(content)) + zlib.compress(content), 1
            offset = len(data_blob)
            data_blob.extend(struct.pack(">I", len(content)) + content)
            file_nodes.append(
                struct.pack(">IHHHI", name_offset(name), flags, 0, 0, offset) + b"\0" * 8
            )
    tree = b"".join(nodes + file_nodes)
    header_size = 20
    tree_offset = header_size
    data_offset = tree_offset + len(tree)
    names_offset = data_offset + len(data_blob)
    header = b"qres" + struct.pack(">IIII", 2, tree_offset, data_offset, names_offset)
    return header + tree + bytes(data_blob) + bytes(names_blob)


def wav_bytes(seconds: float, frequency: float = 440.0) -> bytes:
    time = np.arange(int(seconds * 22050)) / 22050
    buffer = io.BytesIO()
    sf.write(
        buffer, (0.5 * np.sin(2 * np.pi * frequency * time)).astype(np.float32), 22050, format="WAV"
    )
    return buffer.getvalue()


def test_rcc_reader_returns_every_file_and_inflates_compressed_ones():
    files = {
        "sounds/drip.wav": wav_bytes(0.6),
        "sounds/bell.ogg": b"OggS" + b"x" * 100,
        "images/tux.svg": b"<svg/>" * 50,
    }
    data = make_rcc(files, compress={"images/tux.svg"})
    assert dict(read_rcc(data)) == files
    with pytest.raises(RccError):
        list(read_rcc(b"RIFF" + data[4:]))


def test_iter_audio_reads_rcc_members_and_suffixless_audio(tmp_path):
    rcc = {"sounds/drip.wav": wav_bytes(0.6), "images/tux.svg": b"<svg/>"}
    (tmp_path / "share").mkdir()
    (tmp_path / "share" / "clickgame.rcc").write_bytes(make_rcc(rcc))
    (tmp_path / "share" / "explosion").write_bytes(wav_bytes(0.7))  # no suffix, RIFF header
    (tmp_path / "share" / "readme").write_bytes(b"not audio at all")
    found = dict(iter_audio(tmp_path))
    assert set(found) == {"share/clickgame.rcc:sounds/drip.wav", "share/explosion"}
    assert found["share/clickgame.rcc:sounds/drip.wav"]() == rcc["sounds/drip.wav"]


def test_out_of_package_split_leaves_no_package_on_both_sides():
    recordings = {
        f"{package}:{k}": (package, label)
        for package in ("games", "themes", "held")
        for k, label in enumerate(["dog", "rain", "bell", "dog", "rain", "bell"] * 3)
    }
    assignment = assign_splits(recordings, seed=0, ood_packages=("held",))
    sides: dict[str, set[str]] = {}
    for recording, split in assignment.items():
        sides.setdefault(recordings[recording][0], set()).add(split)
    assert sides["held"] == {OOD_SPLIT}
    assert OOD_SPLIT not in sides["games"] | sides["themes"]
    assert {"train", "test"} <= sides["games"]
    assert assign_splits(recordings, seed=0, ood_packages=()) == assign_splits(recordings, 0)


def test_ood_spec_draws_sources_only_from_trained_classes():
    clips = [
        (f"{label}_{k}.flac", label, [f"{label} caption"]) for label in "abcd" for k in range(3)
    ]
    rows = make_test_spec(clips, num_rows=40, seed=1, source_labels={"a", "b"})
    assert {r.label for r in rows} == {"a", "b"}
    assert {r.noise[0] for r in rows} & {"c", "d"}  # noise may be any other class


def _clip(label, package, path, seconds, *, speaker="", rendered=False, split="train"):
    pcm = np.ones(int(seconds * SAMPLE_RATE), dtype=np.int16)
    clip = Clip(
        label,
        package,
        path,
        f"{package}:{path}",
        pcm,
        f"{label}{path}",
        None,
        "",
        speaker,
        rendered,
    )
    return Entry(split, f"{label}_{path}.flac", clip, ["c"] * 5)


def test_corpus_stats_counts_hours_recordings_packages_and_voices():
    entries = [
        _clip("speech", "tux", "fr/a.ogg", 1800, speaker="tux:fr"),
        _clip("speech", "tux", "de/b.ogg", 1800, speaker="tux:de"),
        _clip(
            "speech", "espeak-ng", "speech/en_m1_0.wav", 3600, speaker="espeak-ng:m1", rendered=True
        ),
        _clip("piano", "fluid", "gm/piano/1.wav", 3600, rendered=True),
        _clip("piano", "musescore", "ms/piano/1.wav", 1800, rendered=True, split="test"),
        # one sequence strung from five distinct events: five recordings
        _clip("footsteps", "game", "s1.wav + s2.wav + s3.wav + s4.wav + s5.wav", 1800),
        _clip("dog", "held", "dog.wav", 1800, split=OOD_SPLIT),
        _clip("footsteps", "held", "step.wav", 1800, split=OOD_SPLIT),
    ]
    stats = corpus_stats(
        entries,
        SAMPLE_RATE,
        num_duplicates=0,
        num_unusable=0,
        num_test_mixtures=0,
        ood_packages=("held",),
        num_ood_mixtures=7,
    )
    assert stats.classes == 4 and stats.class_names == ["dog", "footsteps", "piano", "speech"]
    assert stats.hours == pytest.approx(5.0)
    assert stats.rendered_hours == pytest.approx(2.5)
    assert stats.recorded_hours == pytest.approx(2.5)
    assert stats.speech_hours == pytest.approx(2.0)
    assert stats.hours_per_class["speech"] == stats.speech_hours
    assert stats.recordings_per_class["footsteps"] == 6
    assert stats.classes_with_5_recordings == 1
    assert stats.classes_from_2_packages == 3  # speech, piano, footsteps
    assert (stats.voices, stats.human_voices) == (3, 2)
    assert stats.ood_classes_in_train == ["footsteps"]
    assert stats.clips_per_split[OOD_SPLIT] == 2 and stats.test_ood_mixtures == 7


def test_speaker_comes_from_the_rule_pattern():
    from querysep.data.corpus.rules.base import Rule

    rule = Rule(r"voices/", "speech", speaker=r"voices/(?P<speaker>[^/]+)/")
    assert speaker_of("pkg", rule, "share/Voices/Pirate/hello.ogg") == "pkg:pirate"
    assert speaker_of("pkg", Rule(r"x", "dog"), "x.wav") == ""


def test_batched_midi_plays_each_part_from_its_start():
    parts = [
        Part(0.0, [Note(0.0, 1.0, 60, 100)], 0, 0),
        Part(4.0, [Note(0.5, 1.0, 62, 100)], 40, 0),
    ]
    data = sequence_bytes(parts)
    assert data[:4] == b"MThd" and data.endswith(b"\xff\x2f\x00")
    assert data.count(bytes([0xC0, 40])) == 1  # the second part's program change
    assert part_seconds(parts[1]) == pytest.approx(1.5)
    notes = percussion_pattern(np.random.default_rng(0), (54,))
    assert notes and {n.pitch for n in notes} == {54}


def test_parallel_collect_equals_serial(tmp_path):
    info = Package(("pkg",), "https://example.org", "GPL")
    sources = [
        Source("sonic-pi-samples", f"pkg{n}", "1", tmp_path / f"sp{n}", info, "") for n in range(3)
    ]
    for n, source in enumerate(sources):
        path = source.root / "samples" / "misc_crow.wav"
        path.parent.mkdir(parents=True)
        path.write_bytes(wav_bytes(1.0, 500 + 100 * (n % 2)))  # packages 0 and 2 are identical
    serial = collect(
        sources, SAMPLE_RATE, min_seconds=0.5, max_seconds=15, progress=False, num_workers=1
    )
    parallel = collect(
        sources, SAMPLE_RATE, min_seconds=0.5, max_seconds=15, progress=False, num_workers=2
    )
    assert [c.digest for c in serial.clips] == [c.digest for c in parallel.clips]
    assert [c.package for c in parallel.clips] == ["pkg0", "pkg1"]
    assert parallel.num_duplicates == 1 and all(c.label == "bird" for c in parallel.clips)


def test_ood_specs_hold_trained_sources_and_a_spec_of_unseen_classes():
    from querysep.data.corpus.build import ood_specs
    from querysep.data.corpus.split import OOD_SPEC, UNSEEN_SPEC

    entries = [
        _clip(label, "pkg", f"{label}{k}", 2.0, split=split)
        for label, split in [("dog", "train"), ("rain", "train"), ("dog", OOD_SPLIT),
                             ("rain", OOD_SPLIT), ("coins", OOD_SPLIT), ("knock", OOD_SPLIT)]
        for k in range(3)
    ]  # fmt: skip
    specs = ood_specs(entries, num_rows=30, seed=0)
    assert {r.label for r in specs[OOD_SPEC]} == {"dog", "rain"} and len(specs[OOD_SPEC]) == 30
    assert {r.label for r in specs[UNSEEN_SPEC]} == {"coins", "knock"}
    assert len(specs[UNSEEN_SPEC]) == 10
    trained_only = [e for e in entries if e.clip.label in ("dog", "rain")]
    assert UNSEEN_SPEC not in ood_specs(trained_only, num_rows=30, seed=0)
