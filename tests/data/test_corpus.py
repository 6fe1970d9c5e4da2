"""The offline corpus builder on fake extracted packages: no network, no apt, seconds."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from querysep.data.corpus.captions import CAPTIONS, HINTS, make_captions
from querysep.data.corpus.clips import clips_from_recording, string_events, trim_silence
from querysep.data.corpus.collect import Source, collect
from querysep.data.corpus.debian import iter_audio
from querysep.data.corpus.midi import drum_pattern, melody, midi_bytes
from querysep.data.corpus.sequences import build_sequences
from querysep.data.corpus.sources import PACKAGES, RULES, classify, event_group
from querysep.data.corpus.split import SNR_DB_RANGE, make_test_spec, split_recordings
from querysep.data.corpus.write import Entry, corpus_stats, write_spec, write_split

SAMPLE_RATE = 16000


def tone(frequency: float, seconds: float, sample_rate: int = 22050) -> np.ndarray:
    time = np.arange(int(seconds * sample_rate)) / sample_rate
    return (0.5 * np.sin(2 * np.pi * frequency * time)).astype(np.float32)


def wav_bytes(waveform: np.ndarray, sample_rate: int = 22050) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, waveform, sample_rate, format="WAV")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("package", "path", "label"),
    [
        (
            "tuxpaint-stamps-default",
            "usr/share/tuxpaint/stamps/animals/mammals/dogs/dog.ogg",
            "dog",
        ),
        (
            "tuxpaint-stamps-default",
            "usr/share/tuxpaint/stamps/animals/birds/duck_desc_fr.ogg",
            "speech",
        ),
        (
            "tuxpaint-stamps-default",
            "usr/share/tuxpaint/stamps/animals/birds/rooster.ogg",
            "chicken",
        ),
        ("tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/household/rubberduck.ogg", None),
        ("0ad-data", "usr/x/public.zip:audio/ambient/weather/rain_11.ogg", "rain"),
        ("0ad-data", "usr/x/public.zip:audio/actor/singlesteps/fs_snow_12.ogg", "footsteps"),
        ("0ad-data", "usr/x/public.zip:audio/voice/greek/civ/civ_female_build_1.ogg", "speech"),
        ("0ad-data", "usr/x/public.zip:audio/music/Sunrise.ogg", None),
        ("hedgewars-data", "usr/share/games/hedgewars/Data/Sounds/voices/Robot/Hello.ogg", None),
        (
            "hedgewars-data",
            "usr/share/games/hedgewars/Data/Sounds/voices/Pirate/Hello.ogg",
            "speech",
        ),
        (
            "hedgewars-data",
            "usr/share/games/hedgewars/Data/Sounds/voices/Pirate/Firepunch1.ogg",
            None,
        ),
        ("bucklespring-data", "usr/share/buckle/wav/3b-1.wav", "typing"),
        ("fluid-soundfont-gm", "fluidr3_gm/violin/violin_violin_03.wav", "violin"),
        ("avldrums.lv2-soundfont", "black_pearl_4_lv2/drums/drums_standard_00.wav", "drums"),
        ("hydrogen-drumkits", "usr/share/hydrogen/data/drumkits/Audiophob/bd_01.flac", "drums"),
        ("hydrogen-drumkits", "drumkits/Gimme A Hand 1.0/Fingersnap-Hard.wav", None),
        ("musescore-general-soundfont", "musescore_general_full/oboe/oboe_oboe_03.wav", "oboe"),
        ("csound-soundfont", "sf_gmbank/congas/congas_standard_01.wav", "congas"),
        ("csound-soundfont", "sf_gmbank/unknown/x.wav", None),
        ("hydrogen-drumkits", "drumkits/Gimme A Hand 1.0/Tambourine-Hard.wav", "tambourine"),
        ("espeak-ng", "speech/en_f3_012.wav", "speech"),
        ("not-a-source", "dog.ogg", None),
    ],
)
def test_rules_map_paths_to_classes(package, path, label):
    rule = classify(package, path)
    assert (rule.label if rule else None) == label


def test_every_rule_class_has_captions_and_the_table_is_large():
    labels = {r.label for rules in RULES.values() for r in rules if r.label is not None}
    assert len(labels) >= 120
    assert labels <= set(CAPTIONS)
    assert set(HINTS) <= set(CAPTIONS)
    assert all(len(set(CAPTIONS[label])) >= 6 for label in labels)
    assert set(RULES) == set(PACKAGES)


def test_event_groups_keep_surfaces_apart():
    rule = classify("0ad-data", "a.zip:audio/actor/singlesteps/fs_grass_3.ogg")
    assert rule.gap_seconds is not None
    assert event_group(rule, "a.zip:audio/actor/singlesteps/fs_grass_3.ogg") == "grass"
    drums = classify("sonic-pi-samples", "usr/share/sonic-pi/samples/bd_808.flac")
    assert event_group(drums, "usr/share/sonic-pi/samples/bd_808.flac") == ""


def test_captions_are_varied_seeded_and_use_safe_hints():
    path = "usr/share/tuxpaint/stamps/animals/birds/rooster.ogg"
    first = make_captions("chicken", path, np.random.default_rng(1))
    assert first == make_captions("chicken", path, np.random.default_rng(1))
    assert len(first) == 5 and len(set(first)) == 5
    assert any("rooster" in caption for caption in first)
    female = make_captions(
        "speech", "x.zip:audio/voice/latin/civ/civ_female_hello_1.ogg", np.random.default_rng(0)
    )
    assert not any("a man" in caption for caption in female)
    for label in CAPTIONS:
        assert len(set(make_captions(label, "", np.random.default_rng(3)))) >= 3


def test_trim_and_cut_long_recordings():
    silence = np.zeros(8000, dtype=np.float32)
    sound = tone(440, 1.0, SAMPLE_RATE)
    trimmed = trim_silence(np.concatenate([silence, sound, silence]), SAMPLE_RATE)
    assert abs(len(trimmed) - len(sound)) <= 2 * 160 + 1
    long = tone(300, 40.0, SAMPLE_RATE)
    pieces = clips_from_recording(long, SAMPLE_RATE, min_seconds=0.5, max_seconds=15.0)
    assert len(pieces) == 3 and all(len(p) <= 15 * SAMPLE_RATE for p in pieces)
    assert clips_from_recording(silence, SAMPLE_RATE, min_seconds=0.5, max_seconds=15.0) == []
    assert clips_from_recording(sound[:4000], SAMPLE_RATE, min_seconds=0.5, max_seconds=15.0) == []


def test_string_events_is_seeded_and_long_enough():
    events = [tone(500, 0.1, SAMPLE_RATE), tone(900, 0.2, SAMPLE_RATE)]
    first, used = string_events(events, SAMPLE_RATE, np.random.default_rng(0), (0.05, 0.2), 3.0)
    again, _ = string_events(events, SAMPLE_RATE, np.random.default_rng(0), (0.05, 0.2), 3.0)
    np.testing.assert_array_equal(first, again)
    assert len(first) >= (3.0 - 0.2) * SAMPLE_RATE and set(used) <= {0, 1}


@pytest.fixture
def fake_sources(tmp_path: Path) -> list[Source]:
    """Two fake extracted packages: tuxpaint files and a 0 A.D.-style zip archive."""
    tux = tmp_path / "tux" / "usr/share/tuxpaint/stamps/animals"
    rng = np.random.default_rng(0)
    files = {
        "mammals/dogs/dog.ogg": tone(300, 2.0),
        "mammals/bovines/cow.ogg": tone(150, 3.0),
        "mammals/bovines/bull.ogg": tone(120, 2.5),
        "mammals/bovines/bison.ogg": tone(120, 2.5),  # identical to bull: a duplicate
        "mammals/pig.ogg": tone(700, 1.5),
        "birds/rooster.ogg": tone(1200, 1.2),
        "birds/hen.ogg": tone(1000, 1.0),
        "birds/duck.ogg": tone(800, 0.3),  # too short: left out
        "mammals/dogs/dog_desc_fr.ogg": tone(250, 1.0),
        "mammals/dogs/dog_desc_es.ogg": tone(260, 1.0),
        "mammals/pig_desc_fr.ogg": tone(270, 1.1),
        "mammals/pig_desc_ru.ogg": tone(280, 1.2),
        "mammals/pig_desc_ro.ogg": tone(290, 1.3),
    }
    for name, waveform in files.items():
        (tux / name).parent.mkdir(parents=True, exist_ok=True)
        (tux / name).with_suffix(".wav").write_bytes(wav_bytes(waveform))
    archive_dir = tmp_path / "0ad" / "usr/share/games/0ad/mods/public"
    archive_dir.mkdir(parents=True)
    with zipfile.ZipFile(archive_dir / "public.zip", "w") as archive:
        archive.writestr(
            "audio/ambient/weather/rain_11.wav",
            wav_bytes(0.1 * rng.standard_normal(22050 * 20).astype(np.float32)),
        )
        archive.writestr(
            "audio/ambient/weather/rain_12.wav",
            wav_bytes(0.2 * rng.standard_normal(22050 * 4).astype(np.float32)),
        )
        archive.writestr("audio/ambient/weather/wind_11.wav", wav_bytes(tone(90, 6.0)))
        archive.writestr("audio/ambient/weather/windgust_11.wav", wav_bytes(tone(95, 3.0)))
        for k in range(12):
            step = tone(200 + 40 * k, 0.12) * np.hanning(int(0.12 * 22050)).astype(np.float32)
            surface = "grass" if k % 2 else "snow"
            archive.writestr(f"audio/actor/singlesteps/fs_{surface}_{k}.wav", wav_bytes(step))
    return [
        Source(
            "tuxpaint-stamps-default",
            "tuxpaint-stamps-default",
            "1",
            tmp_path / "tux",
            PACKAGES["tuxpaint-stamps-default"],
            "",
        ),
        Source("0ad-data", "0ad-data", "1", tmp_path / "0ad", PACKAGES["0ad-data"], ""),
    ]


def test_iter_audio_reads_zip_members(fake_sources):
    paths = [path for path, _ in iter_audio(fake_sources[1].root)]
    assert "usr/share/games/0ad/mods/public/public.zip:audio/ambient/weather/rain_11.wav" in paths


def test_collect_deduplicates_cuts_and_sorts_events(fake_sources):
    collected = collect(
        fake_sources, SAMPLE_RATE, min_seconds=0.5, max_seconds=15.0, progress=False
    )
    paths = [c.original_path for c in collected.clips]
    assert collected.num_duplicates == 1
    assert sum("bull" in p or "bison" in p for p in paths) == 1
    assert not any("duck" in p for p in paths)
    assert paths.count(next(p for p in paths if "rain_11" in p)) == 2  # 20 s cut in two
    assert {c.group for c in collected.events} == {"grass", "snow"}
    assert all(c.label == "footsteps" for c in collected.events)


def test_split_never_shares_a_recording_and_gives_classes_test_material():
    labels = {f"rec{k}": ("a" if k < 10 else "b" if k < 13 else "c") for k in range(14)}
    assignment = split_recordings(labels, seed=0)
    assert assignment == split_recordings(labels, seed=0)
    assert set(assignment) == set(labels)
    tests = {labels[r] for r, split in assignment.items() if split == "test"}
    assert tests == {"a", "b"}  # c has a single recording: train only
    assert assignment["rec13"] == "train"
    assert sum(split == "validation" for r, split in assignment.items() if labels[r] == "a") == 1


def test_built_clips_keep_recordings_within_one_split(fake_sources, tmp_path):
    collected = collect(
        fake_sources, SAMPLE_RATE, min_seconds=0.5, max_seconds=15.0, progress=False
    )
    assignment = split_recordings(
        {c.recording: c.label for c in collected.clips + collected.events}, 0
    )
    placed = [(assignment[c.recording], c) for c in collected.clips]
    sequences = build_sequences(collected.events, assignment, SAMPLE_RATE, seed=0)
    assert sequences and all(c.label == "footsteps" for _, c in sequences)
    for split, clip in sequences:  # every event in a sequence comes from the sequence's split
        for path in clip.original_path.split(" + "):
            assert assignment[f"0ad-data:{path}"] == split
    splits_of: dict[str, set[str]] = {}
    for split, clip in placed:
        splits_of.setdefault(clip.recording, set()).add(split)
    assert all(len(s) == 1 for s in splits_of.values())
    entries = [
        Entry(
            split,
            f"{c.label}_{c.digest[:12]}.flac",
            c,
            make_captions(c.label, c.original_path, np.random.default_rng(0)),
        )
        for split, c in placed + sequences
    ]
    for split in ("train", "validation", "test"):
        write_split(
            tmp_path / "corpus", split, [e for e in entries if e.split == split], SAMPLE_RATE, False
        )
    with (tmp_path / "corpus" / "train.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(len({row[f"caption_{k}"] for k in range(1, 6)}) == 5 for row in rows)
    info = sf.info(tmp_path / "corpus" / "train" / rows[0]["file_name"])
    assert info.samplerate == SAMPLE_RATE and info.channels == 1
    stats = corpus_stats(
        entries, SAMPLE_RATE, num_duplicates=1, num_unusable=0, num_test_mixtures=0
    )
    assert sum(stats.clips_per_split.values()) == len(entries)


def test_test_spec_rows_are_valid(tmp_path):
    clips = [
        (f"{label}_{k}.flac", label, [f"{label} caption {j}" for j in range(5)])
        for label in "abc"
        for k in range(4)
    ]
    rows = make_test_spec(clips, num_rows=30, seed=0)
    assert rows == make_test_spec(clips, num_rows=30, seed=0)
    assert len(rows) == 30 and len({(r.source, r.noise) for r in rows}) == 30
    label_of = {name: label for name, label, _ in clips}
    for row in rows:
        assert label_of[row.source] == row.label != label_of[row.noise]
        assert isinstance(row.snr, int) and SNR_DB_RANGE[0] <= row.snr <= SNR_DB_RANGE[1]
        assert row.caption.startswith(row.label)
    write_spec(tmp_path, rows)
    with (tmp_path / "test_spec.csv").open() as handle:
        assert next(csv.reader(handle)) == ["source", "noise", "snr", "caption", "class"]
    with pytest.raises(ValueError):
        make_test_spec(clips[:4], num_rows=3, seed=0)


def test_midi_files_are_well_formed():
    rng = np.random.default_rng(0)
    notes = melody(rng, 60, 84, chords=True)
    assert notes and all(60 - 24 <= n.pitch <= 84 for n in notes)
    data = midi_bytes(notes, program=40, channel=0)
    assert data[:4] == b"MThd" and data[14:18] == b"MTrk" and data.endswith(b"\xff\x2f\x00")
    assert drum_pattern(np.random.default_rng(1))
