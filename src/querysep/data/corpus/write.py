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
from querysep.data.corpus.split import SPLITS, SpecRow

NUM_CAPTIONS = 5
METADATA_COLUMNS = (
    "file_name",
    "class",
    "package",
    "original_path",
    "duration_seconds",
    "recording",
)


@dataclass(frozen=True)
class Entry:
    split: str
    file_name: str
    clip: Clip
    captions: list[str]


@dataclass(frozen=True)
class CorpusStats:
    classes: list[str]
    clips_per_class: dict[str, dict[str, int]]  # class -> split -> clips
    clips_per_split: dict[str, int]
    hours_per_split: dict[str, float]
    clips_per_source: dict[str, int]
    hours_per_source: dict[str, float]
    train_only_classes: list[str]
    num_duplicates: int
    num_unusable: int
    num_test_mixtures: int

    def summary(self) -> str:
        splits = ", ".join(
            f"{s} {self.clips_per_split[s]} ({self.hours_per_split[s]:.2f} h)" for s in SPLITS
        )
        return f"{len(self.classes)} classes; {splits}; {self.num_test_mixtures} test mixtures"


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
        )
        for e in entries
    ]
    _write_csv(audio_dir / "metadata.csv", METADATA_COLUMNS, metadata)


def write_spec(out_dir: Path, rows: list[SpecRow]) -> None:
    _write_csv(
        out_dir / "test_spec.csv",
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
) -> CorpusStats:
    per_class: dict[str, Counter] = {}
    clips, seconds = Counter(), Counter()
    for entry in entries:
        duration = len(entry.clip.pcm) / sample_rate
        per_class.setdefault(entry.clip.label, Counter())[entry.split] += 1
        for key in (entry.split, entry.clip.package):
            clips[key] += 1
            seconds[key] += duration
    packages = sorted({e.clip.package for e in entries})
    return CorpusStats(
        classes=sorted(per_class),
        clips_per_class={
            label: {s: per_class[label][s] for s in SPLITS} for label in sorted(per_class)
        },
        clips_per_split={s: clips[s] for s in SPLITS},
        hours_per_split={s: round(seconds[s] / 3600, 3) for s in SPLITS},
        clips_per_source={p: clips[p] for p in packages},
        hours_per_source={p: round(seconds[p] / 3600, 3) for p in packages},
        train_only_classes=sorted(c for c, n in per_class.items() if n["test"] == 0),
        num_duplicates=num_duplicates,
        num_unusable=num_unusable,
        num_test_mixtures=num_test_mixtures,
    )


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
