"""Pack the offline corpus and the caption embeddings for a GPU machine reached through a
64 MiB transfer limit (the `device` tool of our workplace).

The training clips (4.1 h, 255 MB of FLAC) do not fit, so they travel as Ogg/Opus at about
22 kbit/s (soundfile ``compression_level=0.95``); every training row then hears the same
Opus-coded clips, so rows stay comparable with each other (the test spec stays FLAC).
MiniLM's weights (90 MB) do not fit either; the text encoder is frozen, so the token
embeddings of every caption are computed here, once, into ``captions.pt``.

    .venv/bin/python benchmarks/gpu/pack.py --corpus data/corpus --out .gpu

Re-running it encodes only clips that are not there yet. docs/ABLATION.md shows how the
folder travels (one tar.gz: the transfer limit counts every small file's disk blocks).
"""

from __future__ import annotations

import argparse
import csv
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import soundfile as sf
import torch
from tqdm import tqdm

OPUS_LEVEL = 0.95  # soundfile's compression level: 0 = largest, 1 = smallest (~22 kbit/s here)


def encode(job: tuple[str, str]) -> None:
    source, target = job
    if Path(target).exists():
        return
    waveform, sample_rate = sf.read(source, dtype="float32")
    tmp = target + ".tmp"
    sf.write(tmp, waveform, sample_rate, format="OGG", subtype="OPUS", compression_level=OPUS_LEVEL)
    os.replace(tmp, target)


def pack_split(corpus: Path, out: Path, split: str, workers: int) -> list[str]:
    """Opus copies of one split's clips, and its CSV pointing at them; returns its captions."""
    (out / split).mkdir(parents=True, exist_ok=True)
    with open(corpus / f"{split}.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    jobs = []
    for row in rows:
        name = Path(row["file_name"]).with_suffix(".ogg").name
        jobs.append((str(corpus / split / row["file_name"]), str(out / split / name)))
        row["file_name"] = name
    with ProcessPoolExecutor(workers) as pool:
        list(tqdm(pool.map(encode, jobs, chunksize=16), total=len(jobs), desc=split))
    with open(out / f"{split}.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return [v for row in rows for k, v in row.items() if k.startswith("caption") and v]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    parser.add_argument("--out", type=Path, default=Path(".gpu"))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    captions: list[str] = []
    for split in ("train", "validation"):
        captions += pack_split(args.corpus, args.out, split, args.workers)
    from querysep.config import TextConfig
    from querysep.text.encoders import build_text_encoder

    encoder = build_text_encoder(TextConfig())
    texts = sorted(set(captions))
    encoder.encode(texts)
    table = {text: encoder.memory[text].clone() for text in texts}  # (tokens_i, 384) float32
    torch.save(table, args.out / "captions.pt")
    print(f"{len(texts)} captions -> {args.out / 'captions.pt'}")


if __name__ == "__main__":
    main()
