"""Train/validation/test split by source recording, and the DCASE-style test spec.

Recordings (not clips) are split, per class, so every piece of one recording lands in one
split and every class with two or more recordings has test material.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

SPLITS = ("train", "validation", "test")
OOD_SPLIT = "test_ood"  # every clip of the held-out packages, and nothing else
OOD_SPEC = "test_ood_spec.csv"  # test_ood mixtures whose source class is trained
UNSEEN_SPEC = "test_ood_unseen_spec.csv"  # test_ood mixtures whose source class is not trained
SNR_DB_RANGE = (-15, 15)


def split_recordings(
    labels: dict[str, str], seed: int, *, test_fraction: float = 0.1, validation_fraction=0.1
) -> dict[str, str]:
    """Map recording id -> split, stratified by class (``labels``: recording id -> class).

    Per class of n recordings: ``max(1, round(test_fraction * n))`` go to test when n >= 2,
    ``max(1, round(validation_fraction * n))`` to validation when n >= 4, the rest to train.
    A class with a single recording is train only.
    """
    by_label: dict[str, list[str]] = {}
    for recording, label in sorted(labels.items()):
        by_label.setdefault(label, []).append(recording)
    assignment = {}
    for label, recordings in by_label.items():
        rng = np.random.default_rng([seed, zlib.crc32(label.encode())])
        order = [recordings[i] for i in rng.permutation(len(recordings))]
        n = len(order)
        num_test = max(1, round(test_fraction * n)) if n >= 2 else 0
        num_validation = max(1, round(validation_fraction * n)) if n >= 4 else 0
        for position, recording in enumerate(order):
            if position < num_test:
                assignment[recording] = "test"
            elif position < num_test + num_validation:
                assignment[recording] = "validation"
            else:
                assignment[recording] = "train"
    return assignment


@dataclass(frozen=True)
class SpecRow:
    source: str
    noise: str
    snr: int
    caption: str
    label: str  # the source's class (the spec's ``class`` column)


def assign_splits(
    recordings: dict[str, tuple[str, str]], seed: int, ood_packages: tuple[str, ...] = ()
) -> dict[str, str]:
    """Map recording id -> split; ``recordings``: id -> (package, class).

    Every recording of an ``ood_packages`` package goes to ``test_ood``; the others are split
    by ``split_recordings``, so no package is on both sides.
    """
    held_out = {r for r, (package, _) in recordings.items() if package in ood_packages}
    kept = {r: label for r, (_, label) in recordings.items() if r not in held_out}
    return {**split_recordings(kept, seed), **dict.fromkeys(held_out, OOD_SPLIT)}


def make_test_spec(
    clips: list[tuple[str, str, list[str]]],
    num_rows: int,
    seed: int,
    source_labels: set[str] | None = None,
) -> list[SpecRow]:
    """Seeded two-source mixtures of different classes from ``(file, class, captions)``.

    Source classes are drawn uniformly (so a large class does not dominate) from
    ``source_labels`` (all classes when ``None``), then a clip of that class, then a noise
    clip of another class; SNR is an integer in [-15, 15] dB.
    """
    by_label: dict[str, list[tuple[str, list[str]]]] = {}
    for name, label, captions in sorted(clips):
        by_label.setdefault(label, []).append((name, captions))
    all_labels = sorted(by_label)
    labels = [x for x in all_labels if source_labels is None or x in source_labels]
    if len(all_labels) < 2 or not labels:
        raise ValueError("a test spec needs test clips of at least two classes")
    rng = np.random.default_rng([seed, 20240])
    rows, seen = [], set()
    for _ in range(num_rows * 20):  # bounded: small test sets may not allow num_rows rows
        if len(rows) == num_rows:
            break
        source_label = labels[rng.integers(len(labels))]
        noise_label = [x for x in all_labels if x != source_label][
            rng.integers(len(all_labels) - 1)
        ]
        source, captions = by_label[source_label][rng.integers(len(by_label[source_label]))]
        noise, _ = by_label[noise_label][rng.integers(len(by_label[noise_label]))]
        if (source, noise) in seen:
            continue
        seen.add((source, noise))
        snr = int(rng.integers(SNR_DB_RANGE[0], SNR_DB_RANGE[1] + 1))
        rows.append(
            SpecRow(source, noise, snr, captions[rng.integers(len(captions))], source_label)
        )
    return rows
