"""Rebuild the shipped example mixtures from the corpus' test split.

    .venv/bin/querysep corpus build --out data/corpus      # once
    .venv/bin/python examples/make_examples.py --corpus data/corpus

Each example is a test-split clip (never heard in training) plus a clip of another class,
mixed by the DCASE rule at the SNR given below, cut to at most 8 s, written as 16 kHz FLAC
with its query in ``examples.csv`` (the format ``querysep serve --examples-dir`` reads) and
the sources' packages and licences in ``LICENSES.md``. ``references/NAME.flac`` holds what
the query asks for (the target as it sits in the mixture): listen to compare, and the tests
score the shipped model against it.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from querysep.audio.io import load_audio, save_audio
from querysep.data.mixing import mix_at_snr

SAMPLE_RATE = 16000
MAX_SECONDS = 8.0
HERE = Path(__file__).resolve().parent

# (output name, query, target test clip, interferer test clip, SNR in dB)
EXAMPLES = [
    ("speech_in_rain", "a person speaking", "speech_2c7096d13b02", "rain_b4cca653df59", 0),
    ("piano_by_the_sea", "a piano playing", "piano_d966243be795", "ocean_waves_6d67d9740c0f", 0),
    ("violin_and_footsteps", "a violin melody", "violin_e329ddf928a6", "footsteps_efcbd53bea87", 3),
    ("bell_and_drums", "a bell ringing", "bell_655740649d03", "drums_bc02e0cb5f85", 0),
    ("trumpet_by_a_stream", "a trumpet playing", "trumpet_fe91817f4a30", "stream_4e259a8ee9b3", -3),
]


def metadata(corpus: Path) -> dict[str, dict[str, str]]:
    with (corpus / "test" / "metadata.csv").open(newline="", encoding="utf-8") as handle:
        return {Path(row["file_name"]).stem: row for row in csv.DictReader(handle)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    rows = metadata(args.corpus)
    queries, licences = [], []
    for name, query, target, interferer, snr_db in EXAMPLES:
        source = load_audio(args.corpus / "test" / f"{target}.flac", SAMPLE_RATE, mono=True)[0][0]
        noise = load_audio(args.corpus / "test" / f"{interferer}.flac", SAMPLE_RATE, mono=True)[0][0]
        source = source[: int(MAX_SECONDS * SAMPLE_RATE)]
        source, mixture = mix_at_snr(source, noise, snr_db)
        save_audio(args.out / f"{name}.flac", mixture, SAMPLE_RATE)
        save_audio(args.out / "references" / f"{name}.flac", source, SAMPLE_RATE)
        queries.append({"file": f"{name}.flac", "query": query, "snr_db": snr_db})
        for clip in (target, interferer):
            row = rows[clip]
            licences.append(f"| {name}.flac | {clip} | {row['package']} | {row['original_path']} |")
    with (args.out / "examples.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "query", "snr_db"])
        writer.writeheader()
        writer.writerows(queries)
    (args.out / "LICENSES.md").write_text(
        "# Example sources\n\n"
        "Each example mixes two clips of the corpus' test split (`querysep corpus build`).\n"
        "The audio keeps its Debian package's licence: see the corpus' `ATTRIBUTION.md`\n"
        "(0ad-data: CC-BY-SA-3.0; tuxpaint-stamps-default: GPL-2; fluid-soundfont-gm: MIT\n"
        "soundfont, melodies rendered by the corpus builder; espeak-ng: GPL-3+; others as\n"
        "listed there).\n\n"
        "| example | clip | package | original file |\n|---|---|---|---|\n"
        + "\n".join(licences)
        + "\n"
    )
    print(f"wrote {len(EXAMPLES)} examples to {args.out}")


if __name__ == "__main__":
    main()
