"""The thesis' Clotho test set (thesis 5.4.3) written as a DCASE-format spec.

Input: a Clotho v2 folder in the official layout, ``clotho_captions_<split>.csv`` next to
the ``<split>/`` audio folder (split ``evaluation`` by default). Output: a CSV with
``source,noise,snr,caption`` (source and noise relative to the audio folder) plus
``similarity`` (and ``class`` when every clip has one), which ``querysep evaluate --spec``
scores under the DCASE 2024 Task 9 rule.

Drawing, from a seeded numpy Generator:

- every clip is in turn the source, in a shuffled order, for as many rounds as needed;
  the caption is the source's first caption (the thesis keeps one caption per clip);
- the noise is another clip drawn at random (never the source, never a pair already
  used, never the same class when both clips have one);
- the SNR is an integer drawn uniformly from ``snr_range`` (inclusive). The default
  (0, 0) mixes at equal power, the DCASE-rule counterpart of the thesis' equal-loudness
  mixing (5.3.2); ``(-15, 15)`` gives a spread of SNRs instead;
- the cosine filter (5.3.4) is applied to the mixture exactly as the evaluator will make
  it (:func:`querysep.data.mixing.mix_at_snr` at 16 kHz): a pair whose mixture and source
  magnitude spectrograms have a cosine similarity above ``threshold`` (0.75) is rejected
  and another noise drawn, up to ``max_attempts`` times per source.

The thesis reserved 2500 mixtures; drawing stops early when no admissible pair is left.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from querysep.audio.io import load_audio
from querysep.data.captions import CaptionedClip, load_clotho
from querysep.data.filtering import is_accepted, waveform_similarity
from querysep.data.mixing import mix_at_snr

SAMPLE_RATE = 16000  # the DCASE evaluation rate
NUM_MIXTURES = 2500  # thesis 5.4.3
THRESHOLD = 0.75  # thesis 5.4.2 / DESIGN: the training filter threshold
MAX_ATTEMPTS = 20
SPEC_COLUMNS = ("source", "noise", "snr", "caption", "similarity")


class ClothoError(ValueError):
    """A Clotho folder that does not have the official layout; says what is expected."""


@dataclass
class PairLog:
    """Pairs already decided: accepted pairs are not reused, rejected ones not re-mixed."""

    accepted: set[tuple[int, int]] = field(default_factory=set)  # (source, noise)
    rejected: set[tuple[int, int, int]] = field(default_factory=set)  # (source, noise, snr)

    def is_new(self, source: int, noise: int, snr: int) -> bool:
        return (source, noise) not in self.accepted and (source, noise, snr) not in self.rejected


def clotho_paths(clotho_dir: str | Path, split: str = "evaluation") -> tuple[Path, Path]:
    """``(captions CSV, audio folder)`` of ``split`` in the official Clotho v2 layout."""
    clotho_dir = Path(clotho_dir)
    csv_path = clotho_dir / f"clotho_captions_{split}.csv"
    audio_dir = clotho_dir / split
    expected = f"expected {csv_path.name} and the audio folder {split}/ (official Clotho v2 layout)"
    if not clotho_dir.is_dir():
        raise ClothoError(f"{clotho_dir}: not a folder; {expected}")
    if not csv_path.is_file():
        raise ClothoError(f"{clotho_dir}: {csv_path.name} not found; {expected}")
    if not audio_dir.is_dir():
        raise ClothoError(f"{clotho_dir}: audio folder {split}/ not found; {expected}")
    return csv_path, audio_dir


def build_clotho_spec(
    clotho_dir: str | Path,
    out_path: str | Path,
    *,
    split: str = "evaluation",
    num_mixtures: int = NUM_MIXTURES,
    threshold: float = THRESHOLD,
    snr_range: tuple[int, int] = (0, 0),
    seed: int = 0,
    max_attempts: int = MAX_ATTEMPTS,
    progress: bool = True,
) -> tuple[Path, Path]:
    """Write the test-set spec to ``out_path``; returns ``(spec, audio folder)``."""
    if num_mixtures < 1:
        raise ClothoError(f"the number of mixtures must be at least 1, not {num_mixtures}")
    if snr_range[0] > snr_range[1]:
        raise ClothoError(f"snr range {snr_range}: the low end is above the high end")
    csv_path, audio_dir = clotho_paths(clotho_dir, split)
    clips = load_clotho(csv_path, audio_dir)
    if len(clips) < 2:
        raise ClothoError(f"{csv_path}: needs at least two clips to make mixtures")
    rows = draw_rows(
        clips,
        audio_dir,
        num_mixtures=num_mixtures,
        threshold=threshold,
        snr_range=snr_range,
        rng=np.random.default_rng(seed),
        max_attempts=max_attempts,
        progress=progress,
    )
    if not rows:
        raise ClothoError(f"{csv_path}: no pair passes the cosine filter (threshold {threshold})")
    return write_spec(out_path, rows), audio_dir


def draw_rows(
    clips: list[CaptionedClip],
    audio_dir: Path,
    *,
    num_mixtures: int,
    threshold: float,
    snr_range: tuple[int, int],
    rng: np.random.Generator,
    max_attempts: int = MAX_ATTEMPTS,
    progress: bool = True,
) -> list[dict[str, str]]:
    """Spec rows: rounds over the clips as sources until ``num_mixtures`` or no pair is left."""
    rows: list[dict[str, str]] = []
    log = PairLog()
    with tqdm(total=num_mixtures, desc="building Clotho test set", disable=not progress) as bar:
        while len(rows) < num_mixtures:
            num_before = len(rows)
            for source_index in rng.permutation(len(clips)):
                if len(rows) == num_mixtures:
                    break
                row = draw_row(
                    clips,
                    audio_dir,
                    int(source_index),
                    log,
                    threshold,
                    snr_range,
                    rng,
                    max_attempts,
                )
                if row is not None:
                    rows.append(row)
                    bar.update()
            if len(rows) == num_before:
                break  # a whole round found nothing: no admissible pair left
    return rows


def draw_row(
    clips: list[CaptionedClip],
    audio_dir: Path,
    source_index: int,
    log: PairLog,
    threshold: float,
    snr_range: tuple[int, int],
    rng: np.random.Generator,
    max_attempts: int,
) -> dict[str, str] | None:
    """One accepted (source, noise, snr) for ``source_index``, or None after ``max_attempts``."""
    source_clip = clips[source_index]
    source = load_audio(source_clip.path, SAMPLE_RATE, mono=True)[0][0]
    for _ in range(max_attempts):
        noise_index = draw_other(len(clips), source_index, rng)
        snr = int(rng.integers(snr_range[0], snr_range[1] + 1))
        noise_clip = clips[noise_index]
        if not log.is_new(source_index, noise_index, snr) or same_class(source_clip, noise_clip):
            continue
        noise = load_audio(noise_clip.path, SAMPLE_RATE, mono=True)[0][0]
        scaled_source, mixture = mix_at_snr(source, noise, snr)
        similarity = waveform_similarity(mixture, scaled_source)
        if is_accepted(similarity, threshold):
            log.accepted.add((source_index, noise_index))
            return spec_row(source_clip, noise_clip, snr, similarity, audio_dir)
        log.rejected.add((source_index, noise_index, snr))
    return None


def draw_other(num_clips: int, index: int, rng: np.random.Generator) -> int:
    """A clip index drawn uniformly among the ``num_clips - 1`` others."""
    other = int(rng.integers(num_clips - 1))
    return other + 1 if other >= index else other


def same_class(a: CaptionedClip, b: CaptionedClip) -> bool:
    return a.label is not None and a.label == b.label


def spec_row(
    source: CaptionedClip, noise: CaptionedClip, snr: int, similarity: float, audio_dir: Path
) -> dict[str, str]:
    row = {
        "source": source.path.relative_to(audio_dir).as_posix(),
        "noise": noise.path.relative_to(audio_dir).as_posix(),
        "snr": str(snr),
        "caption": source.captions[0],
        "similarity": f"{similarity:.6f}",
    }
    if source.label is not None:
        row["class"] = source.label
    return row


def write_spec(path: str | Path, rows: list[dict[str, str]]) -> Path:
    """Write the rows as CSV; ``class`` is a column only when every row has one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = list(SPEC_COLUMNS)
    if all("class" in row for row in rows):
        columns.append("class")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path
