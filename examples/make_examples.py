"""Rebuild the shipped example mixtures from the corpus' test split.

    .venv/bin/querysep corpus build --out data/corpus      # once
    .venv/bin/python examples/make_examples.py --corpus data/corpus

Each example is a test-split clip (never heard in training: the corpus splits by recording)
of the target class plus a test-split clip of another class, mixed by the DCASE rule at the
SNR given below, cut to at most 8 s, written as 16 kHz FLAC with its query in
``examples.csv`` (the format ``querysep serve --examples-dir`` reads) and the sources'
packages and licences in ``LICENSES.md``. The clips are chosen by a rule that knows nothing
of any model: the longest test clip of the class (ties: the first name). An interferer
shorter than the target is repeated to cover it (ambient loops such as rain are made to
repeat). ``references/NAME.flac`` holds what the query asks for (the target as it sits in
the mixture): listen to compare, and the tests score the shipped model against it.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

from querysep.audio.io import load_audio, save_audio
from querysep.data.mixing import mix_at_snr

SAMPLE_RATE = 16000
MAX_SECONDS = 8.0
HERE = Path(__file__).resolve().parent

# (output name, query, target class, interferer class, SNR in dB)
EXAMPLES = [
    ("speech_in_rain", "a person speaking", "speech", "rain", 0),
    ("piano_by_the_sea", "a piano playing", "piano", "ocean_waves", 0),
    ("violin_and_footsteps", "a violin melody", "violin", "footsteps", 3),
    ("bell_and_drums", "a bell ringing", "bell", "drums", 0),
    ("trumpet_by_a_stream", "a trumpet playing", "trumpet", "stream", -3),
]


def longest_clips(corpus: Path) -> dict[str, dict[str, str]]:
    """Each class's longest test-split clip (its metadata row; ties: the first file name)."""
    with (corpus / "test" / "metadata.csv").open(newline="", encoding="utf-8") as handle:
        rows = sorted(
            csv.DictReader(handle), key=lambda r: (-float(r["duration_seconds"]), r["file_name"])
        )
    chosen: dict[str, dict[str, str]] = {}
    for row in rows:
        chosen.setdefault(row["class"], row)
    return chosen


def load_clip(corpus: Path, row: dict[str, str]) -> np.ndarray:
    return load_audio(corpus / "test" / row["file_name"], SAMPLE_RATE, mono=True)[0][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    clips = longest_clips(args.corpus)
    queries, licences = [], []
    for name, query, target_class, interferer_class, snr_db in EXAMPLES:
        target, interferer = clips[target_class], clips[interferer_class]
        source = load_clip(args.corpus, target)[: int(MAX_SECONDS * SAMPLE_RATE)]
        noise = load_clip(args.corpus, interferer)
        noise = np.tile(noise, -(-source.shape[-1] // noise.shape[-1]))  # cover the target
        source, mixture = mix_at_snr(source, noise, snr_db)
        save_audio(args.out / f"{name}.flac", mixture, SAMPLE_RATE)
        save_audio(args.out / "references" / f"{name}.flac", source, SAMPLE_RATE)
        queries.append({"file": f"{name}.flac", "query": query, "snr_db": snr_db})
        for row in (target, interferer):
            clip = Path(row["file_name"]).stem
            licences.append(f"| {name}.flac | {clip} | {row['package']} | {row['original_path']} |")
    with (args.out / "examples.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "query", "snr_db"])
        writer.writeheader()
        writer.writerows(queries)
    (args.out / "LICENSES.md").write_text(
        "# Example sources\n\n"
        "Each example mixes two clips of the corpus' test split (`querysep corpus build`;\n"
        "`make_examples.py` says how they are chosen).\n"
        "The audio keeps its Debian package's licence: see the corpus' `ATTRIBUTION.md`\n"
        "(0ad-data: CC-BY-SA-3.0; tuxpaint-stamps-default: GPL-2; fluid-soundfont-gm: MIT\n"
        "soundfont; csound-soundfont: LGPL-2.1+ soundfont (melodies rendered by the corpus\n"
        "builder); hydrogen-drumkits: GPL-2+, CC-BY-SA or CC0 per kit; supertuxkart-data:\n"
        "CC-BY-SA, CC-BY, CC0, GPL-2+ or public domain per file; others as listed there).\n\n"
        "| example | clip | package | original file |\n|---|---|---|---|\n"
        + "\n".join(licences)
        + "\n"
    )
    print(f"wrote {len(EXAMPLES)} examples to {args.out}")


if __name__ == "__main__":
    main()
