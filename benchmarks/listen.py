"""The shipped examples through a model: figures per example and a table to read beside them.

For every row of ``examples/examples.csv`` (mixtures from the corpus test split, their
queries and clean references) this separates the mixture by its query and prints SDRi,
SI-SDRi and the estimate's level against the mixture's (a near-silent estimate shows as a
large negative level), and draws one figure: mixture, reference and estimate spectrograms
on the mixture's colour scale. The estimates are written beside the figure, to listen to.

    .venv/bin/python benchmarks/listen.py --checkpoint CKPT --out DIR [--examples examples]
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from querysep.audio.io import load_audio, save_audio
from querysep.metrics import sdri, si_sdr
from querysep.separator import Separator
from querysep.web.pictures import draw_spectrogram

SAMPLE_RATE = 16000


def level_db(audio: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.square(audio, dtype=np.float64)) + 1e-12))


def figure(panels: list[tuple[str, np.ndarray]], path: Path) -> Path:
    """Spectrograms stacked, all on the first panel's colour scale."""
    canvas = Figure(figsize=(8.0, 2.0 * len(panels)), dpi=100)
    FigureCanvasAgg(canvas)
    top_db = None
    for index, (title, audio) in enumerate(panels):
        axes = canvas.add_subplot(len(panels), 1, index + 1)
        top_db = draw_spectrogram(axes, audio, SAMPLE_RATE, reference_db=top_db)
        axes.set_title(title, fontsize=9)
        axes.set_ylabel("kHz")
    axes.set_xlabel("seconds")
    canvas.tight_layout()
    canvas.savefig(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", help="default: the shipped model")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--examples", type=Path, default=Path("examples"))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    separator = Separator.load(args.checkpoint)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.examples / "examples.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    print("| example | query | SDRi | SI-SDRi | estimate level − mixture level |")
    print("|---|---|---:|---:|---:|")
    for row in rows:
        mixture = load_audio(args.examples / row["file"], SAMPLE_RATE)[0].mean(0)
        reference = load_audio(args.examples / "references" / row["file"], SAMPLE_RATE)[0].mean(0)
        estimate = separator.separate(mixture, SAMPLE_RATE, row["query"])
        gain = sdri(reference, estimate, mixture)
        scale_free = si_sdr(reference, estimate) - si_sdr(reference, mixture)
        level = level_db(estimate) - level_db(mixture)
        stem = Path(row["file"]).stem
        save_audio(args.out / f"{stem}_estimate.wav", estimate, SAMPLE_RATE)
        title = f'estimate for "{row["query"]}": SDRi {gain:.1f} dB, SI-SDRi {scale_free:.1f} dB'
        figure(
            [("mixture", mixture), ("reference", reference), (title, estimate)],
            args.out / f"{stem}.png",
        )
        print(f"| {stem} | {row['query']} | {gain:.2f} | {scale_free:.2f} | {level:.1f} dB |")


if __name__ == "__main__":
    main()
