"""Writing the corpus: FLAC clips, Clotho CSVs, metadata, test spec, attribution, stats."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import soundfile as sf
from tqdm.auto import tqdm

from querysep.data.corpus.collect import Clip, Source
from querysep.data.corpus.split import OOD_SPLIT, SPLITS, SpecRow

NUM_CAPTIONS = 5
METADATA_COLUMNS = (
    "file_name",
    "class",
    "package",
    "original_path",
    "duration_seconds",
    "recording",
    "speaker",
)
MIN_RECORDINGS = 5  # a class "has variety" with recordings from this many original files


@dataclass(frozen=True)
class Entry:
    split: str
    file_name: str
    clip: Clip
    captions: list[str]


@dataclass(frozen=True)
class CorpusStats:
    classes: int
    hours: float  # every split, after de-duplication
    recorded_hours: float  # recorded audio (not rendered by a soundfont or a synthesiser)
    rendered_hours: float
    speech_hours: float
    classes_with_5_recordings: int  # recording = one original file (events count one each)
    classes_from_2_packages: int
    voices: int  # distinct speakers (recorded people and synthetic voices)
    human_voices: int  # distinct recorded speakers
    packages: list[str]
    ood_packages: list[str]
    test_ood_mixtures: int
    class_names: list[str]
    clips_per_class: dict[str, dict[str, int]]  # class -> split -> clips
    recordings_per_class: dict[str, int]
    hours_per_class: dict[str, float]
    packages_per_class: dict[str, list[str]]
    clips_per_split: dict[str, int]
    hours_per_split: dict[str, float]
    clips_per_source: dict[str, int]
    hours_per_source: dict[str, float]
    recordings_per_source: dict[str, int]
    train_only_classes: list[str]
    ood_classes_in_train: list[str]  # classes of the held-out packages that train also has
    num_duplicates: int
    num_unusable: int
    num_test_mixtures: int

    def summary(self) -> str:
        splits = ", ".join(
            f"{s} {n} ({self.hours_per_split[s]:.2f} h)" for s, n in self.clips_per_split.items()
        )
        return (
            f"{self.classes} classes, {self.hours:.2f} h ({self.recorded_hours:.2f} h recorded); "
            f"{splits}; {self.num_test_mixtures} test and {self.test_ood_mixtures} "
            "out-of-package test mixtures"
        )


def write_split(
    out_dir: Path, split: str, entries: list[Entry], sample_rate: int, progress: bool
) -> None:
    """``<split>/*.flac``, ``<split>.csv`` (Clotho) and ``<split>/metadata.csv``."""
    audio_dir = out_dir / split
    audio_dir.mkdir(parents=True, exist_ok=True)
    for entry in tqdm(entries, desc=f"writing {split}", disable=not progress, leave=False):
        sf.write(audio_dir / entry.file_name, entry.clip.pcm, sample_rate, subtype="PCM_16")
    captions = [(e.file_name, *e.captions) for e in entries]
    _write_csv(
        out_dir / f"{split}.csv",
        ("file_name", *(f"caption_{k + 1}" for k in range(NUM_CAPTIONS))),
        captions,
    )
    metadata = [
        (
            e.file_name,
            e.clip.label,
            e.clip.package,
            e.clip.original_path,
            f"{len(e.clip.pcm) / sample_rate:.3f}",
            e.clip.recording,
            e.clip.speaker,
        )
        for e in entries
    ]
    _write_csv(audio_dir / "metadata.csv", METADATA_COLUMNS, metadata)


def write_spec(out_dir: Path, rows: list[SpecRow], name: str = "test_spec.csv") -> None:
    _write_csv(
        out_dir / name,
        ("source", "noise", "snr", "caption", "class"),
        [(r.source, r.noise, r.snr, r.caption, r.label) for r in rows],
    )


def corpus_stats(
    entries: list[Entry],
    sample_rate: int,
    *,
    num_duplicates: int,
    num_unusable: int,
    num_test_mixtures: int,
    ood_packages: tuple[str, ...] = (),
    num_ood_mixtures: int = 0,
) -> CorpusStats:
    per_class: dict[str, Counter] = {}
    clips, seconds = Counter(), Counter()
    recordings: dict[str, set[str]] = {}
    packages: dict[str, set[str]] = {}
    speakers: dict[str, bool] = {}  # speaker -> recorded
    for entry in entries:
        clip = entry.clip
        duration = len(clip.pcm) / sample_rate
        per_class.setdefault(clip.label, Counter())[entry.split] += 1
        originals = {f"{clip.package}:{path}" for path in clip.original_path.split(" + ")}
        recordings.setdefault(clip.label, set()).update(originals)
        recordings.setdefault(f"package:{clip.package}", set()).update(originals)
        packages.setdefault(clip.label, set()).add(clip.package)
        kind = "rendered" if clip.rendered else "recorded"
        for key in (entry.split, clip.package, kind, f"class:{clip.label}", "all"):
            clips[key] += 1
            seconds[key] += duration
        if clip.speaker:
            speakers[clip.speaker] = not clip.rendered
    splits = [s for s in (*SPLITS, OOD_SPLIT) if clips[s] or s in SPLITS]
    names = sorted(per_class)
    all_packages = sorted({e.clip.package for e in entries})
    train_classes = {c for c in names if per_class[c]["train"]}
    ood_classes = {c for c in names if per_class[c][OOD_SPLIT]}
    return CorpusStats(
        classes=len(names),
        hours=_hours(seconds["all"]),
        recorded_hours=_hours(seconds["recorded"]),
        rendered_hours=_hours(seconds["rendered"]),
        speech_hours=_hours(seconds["class:speech"]),
        classes_with_5_recordings=sum(len(recordings[c]) >= MIN_RECORDINGS for c in names),
        classes_from_2_packages=sum(len(packages[c]) >= 2 for c in names),
        voices=len(speakers),
        human_voices=sum(speakers.values()),
        packages=all_packages,
        ood_packages=sorted(ood_packages),
        test_ood_mixtures=num_ood_mixtures,
        class_names=names,
        clips_per_class={c: {s: per_class[c][s] for s in splits} for c in names},
        recordings_per_class={c: len(recordings[c]) for c in names},
        hours_per_class={c: _hours(seconds[f"class:{c}"]) for c in names},
        packages_per_class={c: sorted(packages[c]) for c in names},
        clips_per_split={s: clips[s] for s in splits},
        hours_per_split={s: _hours(seconds[s]) for s in splits},
        clips_per_source={p: clips[p] for p in all_packages},
        hours_per_source={p: _hours(seconds[p]) for p in all_packages},
        recordings_per_source={p: len(recordings[f"package:{p}"]) for p in all_packages},
        train_only_classes=sorted(c for c in train_classes if per_class[c]["test"] == 0),
        ood_classes_in_train=sorted(ood_classes & train_classes),
        num_duplicates=num_duplicates,
        num_unusable=num_unusable,
        num_test_mixtures=num_test_mixtures,
    )


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 3)


def write_stats(out_dir: Path, stats: CorpusStats) -> None:
    (out_dir / "stats.json").write_text(
        json.dumps(asdict(stats), indent=2) + "\n", encoding="utf-8"
    )


def write_attribution(out_dir: Path, sources: list[Source], stats: CorpusStats) -> None:
    """``ATTRIBUTION.md`` and each package's full copyright notice under ``licenses/``."""
    licences = out_dir / "licenses"
    licences.mkdir(exist_ok=True)
    lines = [
        "# Attribution",
        "",
        "The clips of this corpus are derived (resampled to mono, trimmed, cut, strung into",
        "sequences) from audio shipped by the Debian packages below, downloaded with",
        "`apt-get download` and unpacked with `dpkg-deb -x`, and from melodies and speech",
        "rendered by `querysep corpus build`. Each clip keeps the licence of its source; the",
        "`package` and `original_path` columns of `<split>/metadata.csv` name it. Full",
        "copyright notices: `licenses/<package>.copyright`.",
        "",
        "| Source | Version | Upstream | Licence of the audio | Clips | Hours |",
        "|---|---|---|---|---:|---:|",
    ]
    for source in sources:
        clips = stats.clips_per_source.get(source.name, 0)
        hours = stats.hours_per_source.get(source.name, 0.0)
        cells = (source.name, source.version, source.info.upstream, source.info.licence)
        lines.append(f"| {' | '.join(cells)} | {clips} | {hours:.2f} |")
        (licences / f"{source.name}.copyright").write_text(source.copyright, encoding="utf-8")
    (out_dir / "ATTRIBUTION.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_csv(path: Path, header, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
