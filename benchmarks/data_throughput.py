"""Mixtures per second from the on-the-fly MixtureDataset (cosine filter on), DataLoader workers.

    python benchmarks/data_throughput.py                       # synthetic clips
    python benchmarks/data_throughput.py \
        --captions data/corpus/train.csv --audio-dir data/corpus/train
    python benchmarks/data_throughput.py --config configs/default.yaml \
        --captions data/corpus/train.csv --audio-dir data/corpus/train  # the config's mixing

Prints one table row; record it in docs/BENCHMARKS.md with the machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
from torch.utils.data import DataLoader

from querysep.audio.io import save_audio
from querysep.config import Config
from querysep.data.augment import AugmentConfig
from querysep.data.captions import load_captions
from querysep.data.dataset import MixingConfig, MixtureDataset
from querysep.train import mixing_config


def synthetic_folder(folder: Path, num_clips: int = 40, seconds: float = 10.0) -> Path:
    rng = np.random.default_rng(0)
    rows = []
    for index in range(num_clips):
        time_axis = np.arange(int(seconds * 16000)) / 16000
        waveform = 0.3 * np.sin(2 * np.pi * rng.uniform(100, 4000) * time_axis)
        waveform += 0.1 * rng.standard_normal(time_axis.size)
        save_audio(folder / f"clip{index}.flac", waveform.astype(np.float32), 16000)
        rows.append(
            [f"clip{index}.flac", f"sound {index}", f"clip {index}", f"noise {index}", index]
        )
    with (folder / "captions.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file_name", "caption_1", "caption_2", "caption_3", "class"])
        writer.writerows(rows)
    return folder / "captions.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captions", type=Path)
    parser.add_argument("--audio-dir", type=Path)
    parser.add_argument("--num-workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--num-batches", type=int, default=40)
    parser.add_argument("--segment-seconds", type=float, default=4.0)
    parser.add_argument("--filter-threshold", type=float, default=0.75)
    parser.add_argument("--no-augment", action="store_true")
    parser.add_argument("--config", type=Path, help="a training YAML: mix as its data section says")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        captions = args.captions or synthetic_folder(Path(tmp))
        clips = load_captions(captions, args.audio_dir)
        if args.config is not None:
            config = mixing_config(Config.from_yaml(args.config))
        else:
            config = MixingConfig(
                segment_seconds=args.segment_seconds, filter_threshold=args.filter_threshold
            )
        dataset = MixtureDataset(
            clips,
            config=config,
            length=args.batch_size * args.num_batches,
            augment_config=None if args.no_augment else AugmentConfig(),
        )
        loader = DataLoader(dataset, batch_size=args.batch_size, num_workers=args.num_workers)
        tries = accepted = 0
        iterator = iter(loader)
        next(iterator)  # worker start-up and first decode are not counted
        start = time.perf_counter()
        count = 0
        for batch in iterator:
            count += batch["mixture"].shape[0]
            tries += int(batch["filter_tries"].sum())
            accepted += int(batch["filter_accepted"].sum())
        seconds = time.perf_counter() - start
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    print(
        f"clips: {len(clips)}  workers: {args.num_workers}  segment: {config.segment_seconds} s  "
        f"filter: {config.filter_threshold}  augment: {not args.no_augment}  "
        f"interferers: {config.num_interferers}  room: {config.room_probability}  "
        f"codec: {config.codec_probability}"
    )
    print(f"mixtures/s: {count / seconds:.1f}  ({count} mixtures in {seconds:.1f} s)")
    print(f"filter acceptance rate: {accepted / max(tries, 1):.2f} ({tries} candidate interferers)")


if __name__ == "__main__":
    main()
