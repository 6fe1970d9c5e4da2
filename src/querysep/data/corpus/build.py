"""``build_corpus``: the offline captioned corpus, from Debian packages to Clotho CSVs.

Layout of ``out_dir``::

    train.csv validation.csv test.csv     Clotho v2: file_name,caption_1..caption_5
    train/ validation/ test/              16 kHz mono FLAC clips + metadata.csv
    test_spec.csv                         DCASE 2024 Task 9: source,noise,snr,caption,class
    ATTRIBUTION.md licenses/ stats.json

The corpus is built in a temporary folder beside ``out_dir`` and swapped in at the end, so an
interrupted build leaves the previous corpus intact. Same seed and sources, same corpus.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np

from querysep.data.corpus.captions import make_captions
from querysep.data.corpus.collect import Clip, collect, fetch_sources
from querysep.data.corpus.sequences import build_sequences
from querysep.data.corpus.split import SPLITS, make_test_spec, split_recordings
from querysep.data.corpus.write import (
    NUM_CAPTIONS,
    CorpusStats,
    Entry,
    corpus_stats,
    write_attribution,
    write_spec,
    write_split,
    write_stats,
)

MIN_CLIP_SECONDS = 0.5
MAX_CLIP_SECONDS = 15.0


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "querysep" / "corpus"


def build_corpus(
    out_dir: str | Path,
    *,
    cache_dir: str | Path | None = None,
    sample_rate: int = 16000,
    seed: int = 0,
    num_test_mixtures: int = 300,
    progress: bool = True,
) -> CorpusStats:
    """Download, label, split and write the corpus to ``out_dir``; return its statistics.

    Raises ``PackageError`` when apt-get / dpkg-deb fail and ``RenderError`` when fluidsynth
    or espeak-ng are missing or fail.
    """
    out_dir = Path(out_dir)
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    sources = fetch_sources(cache_dir, seed=seed, progress=progress)
    collected = collect(
        sources,
        sample_rate,
        min_seconds=MIN_CLIP_SECONDS,
        max_seconds=MAX_CLIP_SECONDS,
        progress=progress,
    )
    assignment = split_recordings(
        {c.recording: c.label for c in collected.clips + collected.events}, seed
    )
    placed = [(assignment[c.recording], c) for c in collected.clips]
    placed += build_sequences(collected.events, assignment, sample_rate, seed)
    entries = _entries(placed, seed)

    tmp = out_dir.with_name(f".{out_dir.name}.building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for split in SPLITS:
        write_split(tmp, split, [e for e in entries if e.split == split], sample_rate, progress)
    test = [(e.file_name, e.clip.label, e.captions) for e in entries if e.split == "test"]
    spec = make_test_spec(test, num_test_mixtures, seed)
    write_spec(tmp, spec)
    stats = corpus_stats(
        entries,
        sample_rate,
        num_duplicates=collected.num_duplicates,
        num_unusable=collected.num_unusable,
        num_test_mixtures=len(spec),
    )
    write_stats(tmp, stats)
    write_attribution(tmp, sources, stats)
    _swap_in(tmp, out_dir)
    return stats


def _entries(placed: list[tuple[str, Clip]], seed: int) -> list[Entry]:
    """Name and caption every clip; identical sequences (rare) are kept once."""
    entries, names = [], set()
    for split, clip in sorted(placed, key=lambda item: (item[1].label, item[1].digest)):
        name = f"{clip.label}_{clip.digest[:12]}.flac"
        if name in names:
            continue
        names.add(name)
        rng = np.random.default_rng([seed, int(clip.digest[:12], 16)])
        captions = make_captions(clip.label, clip.original_path, rng, NUM_CAPTIONS)
        entries.append(Entry(split, name, clip, captions))
    return entries


def _swap_in(tmp: Path, out_dir: Path) -> None:
    old = out_dir.with_name(f".{out_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(tmp, out_dir)
    shutil.rmtree(old, ignore_errors=True)
