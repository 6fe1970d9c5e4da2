"""``build_corpus``: the offline captioned corpus, from Debian packages to Clotho CSVs.

Layout of ``out_dir``::

    train.csv validation.csv test.csv     Clotho v2: file_name,caption_1..caption_5
    test_ood.csv                          every clip of the held-out packages (OOD_PACKAGES)
    train/ validation/ test/ test_ood/    16 kHz mono FLAC clips + metadata.csv
    test_spec.csv                         DCASE 2024 Task 9: source,noise,snr,caption,class
    test_ood_spec.csv                     the same from test_ood/, sources of trained classes
    test_ood_unseen_spec.csv              the same, sources of classes that are not trained
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
from querysep.data.corpus.split import (
    OOD_SPEC,
    OOD_SPLIT,
    SPLITS,
    UNSEEN_SPEC,
    assign_splits,
    make_test_spec,
)
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
# Whole packages held out as the out-of-package test (test_ood): chosen so that many of their
# classes also occur in the training packages (docs/CORPUS.md).
OOD_PACKAGES: tuple[str, ...] = (
    "redeclipse-data",
    "supertux-data",
    "colobot-common-sounds",
    "gcompris-qt-data",
)


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
    packages: list[str] | None = None,
    ood_packages: tuple[str, ...] = OOD_PACKAGES,
) -> CorpusStats:
    """Download, label, split and write the corpus to ``out_dir``; return its statistics.

    ``packages`` builds from a subset of the rule-table keys (all when ``None``);
    ``ood_packages`` are held out whole as ``test_ood``.
    Raises ``PackageError`` when apt-get / dpkg-deb fail and ``RenderError`` when fluidsynth
    or espeak-ng are missing or fail.
    """
    out_dir = Path(out_dir)
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    sources = fetch_sources(cache_dir, seed=seed, progress=progress, packages=packages)
    held_out = tuple(p for p in ood_packages if any(s.key == p for s in sources))
    collected = collect(
        sources,
        sample_rate,
        min_seconds=MIN_CLIP_SECONDS,
        max_seconds=MAX_CLIP_SECONDS,
        progress=progress,
    )
    keys = {s.name: s.key for s in sources}
    assignment = assign_splits(
        {c.recording: (keys[c.package], c.label) for c in collected.clips + collected.events},
        seed,
        held_out,
    )
    placed = [(assignment[c.recording], c) for c in collected.clips]
    placed += build_sequences(collected.events, assignment, sample_rate, seed)
    entries = _entries(placed, seed)

    tmp = out_dir.with_name(f".{out_dir.name}.building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for split in (*SPLITS, OOD_SPLIT) if held_out else SPLITS:
        write_split(tmp, split, [e for e in entries if e.split == split], sample_rate, progress)
    spec = make_test_spec(_spec_clips(entries, "test"), num_test_mixtures, seed)
    write_spec(tmp, spec)
    ood = ood_specs(entries, num_test_mixtures, seed) if held_out else {}
    for name, rows in ood.items():
        write_spec(tmp, rows, name)
    ood_spec = ood.get(OOD_SPEC, [])
    stats = corpus_stats(
        entries,
        sample_rate,
        num_duplicates=collected.num_duplicates,
        num_unusable=collected.num_unusable,
        num_test_mixtures=len(spec),
        ood_packages=tuple(_package_names(sources, held_out)),
        num_ood_mixtures=len(ood_spec),
    )
    write_stats(tmp, stats)
    write_attribution(tmp, sources, stats)
    _swap_in(tmp, out_dir)
    return stats


def ood_specs(entries: list[Entry], num_rows: int, seed: int) -> dict[str, list]:
    """The out-of-package specs: sources of trained classes (``num_rows``), and sources of
    classes that are not trained (a third as many, when there are any): text has nothing to
    go on there, so query by example is measured on them."""
    clips = _spec_clips(entries, OOD_SPLIT)
    trained = {e.clip.label for e in entries if e.split == "train"}
    specs = {OOD_SPEC: make_test_spec(clips, num_rows, seed, trained)}
    unseen = {label for _, label, _ in clips} - trained
    if unseen:
        specs[UNSEEN_SPEC] = make_test_spec(clips, num_rows // 3, seed, unseen)
    return specs


def _spec_clips(entries: list[Entry], split: str) -> list[tuple[str, str, list[str]]]:
    return [(e.file_name, e.clip.label, e.captions) for e in entries if e.split == split]


def _package_names(sources, keys: tuple[str, ...]) -> list[str]:
    """The Debian package names used for the rule-table ``keys``."""
    return [s.name for s in sources if s.key in keys]


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
