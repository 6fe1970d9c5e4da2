"""Parameter counts and CPU speed of the separation networks (DESIGN section 6).

One network forward on 10 s of 16 kHz audio (features 1x1xFREQxFRAMES of each config's STFT:
257x626 for ours, 1025x501 for film_audiosep's 2048/320) on 2 CPU threads, warm,
median of a few runs, in fp32 and under bf16 autocast, for the default model and the
AudioSep-sized FiLM-ResUNet, measured in the same run. Also the MiniLM encoding of one
(uncached) query, which the speed goal counts.

    .venv/bin/python benchmarks/model_speed.py [--repeats 5] [--threads 2] [--no-bf16] [--no-text]

On a machine shared with other busy processes, 2-thread timings of small networks suffer
badly (OpenMP threads wait for each other); compare ``--threads 1`` there.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import time
from contextlib import nullcontext
from pathlib import Path

import torch

from querysep.config import Config, TextConfig
from querysep.models.registry import build_network, num_parameters
from querysep.text.encoders import TEXT_DIMS

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
COUNTED = ["default", "thesis", "film_baseline", "film_audiosep"]
TIMED = ["default", "film_audiosep"]
NUM_FREQS, NUM_FRAMES = 257, 626  # 10 s at 16 kHz, n_fft 512, hop 256 (the default's)


def build(name: str) -> torch.nn.Module:
    config = Config.from_yaml(CONFIGS / f"{name}.yaml")
    network = build_network(config.model, text_dim=TEXT_DIMS[config.text.name]).eval()
    network.input_shape = (  # features of 10 s with this config's STFT
        config.audio.n_fft // 2 + 1,
        10 * config.audio.sample_rate // config.audio.hop_length + 1,
    )
    return network


def seconds_per_run(run, repeats: int) -> list[float]:
    run()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def time_network(network: torch.nn.Module, text_dim: int, bf16: bool, repeats: int) -> list[float]:
    features = torch.rand(1, 1, *network.input_shape)
    tokens = torch.randn(1, 8, text_dim)
    mask = torch.ones(1, 8, dtype=torch.bool)
    autocast = torch.autocast("cpu", dtype=torch.bfloat16) if bf16 else nullcontext()

    def run():
        with torch.inference_mode(), autocast:
            network(features, tokens, mask, tokens.mean(dim=1)).float()

    return seconds_per_run(run, repeats)


def time_text(repeats: int) -> list[float]:
    from querysep.text import build_text_encoder

    encoder = build_text_encoder(TextConfig())
    queries = iter(f"a dog barking number {index}" for index in range(repeats + 1))
    with torch.inference_mode():
        return seconds_per_run(lambda: encoder.encode_uncached([next(queries)]), repeats)


def cell(value: float, pattern: str) -> str:
    return "-" if math.isnan(value) else pattern.format(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2, help="CPU threads (the goal: 2)")
    parser.add_argument("--no-bf16", action="store_true", help="skip the bf16 autocast timings")
    parser.add_argument("--no-text", action="store_true", help="skip the MiniLM timing")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
        f"input 1x1x{NUM_FREQS}x{NUM_FRAMES} (10 s), load average {os.getloadavg()[0]:.2f}"
    )

    print("\n| config | parameters |\n|---|---:|")
    for name in COUNTED:
        print(f"| {name} | {num_parameters(build(name)) / 1e6:.2f} M |")

    print(
        "\n| network forward, 10 s | fp32 median (s) | fp32 best (s) | bf16 median (s) |"
        "\n|---|---:|---:|---:|"
    )
    timings = {}  # name -> (fp32 median, fp32 best, bf16 median)
    for name in TIMED:
        network = build(name)
        text_dim = TEXT_DIMS[Config.from_yaml(CONFIGS / f"{name}.yaml").text.name]
        fp32 = time_network(network, text_dim, bf16=False, repeats=args.repeats)
        bf16_repeats = max(args.repeats // 2, 1)  # bf16 can be very slow without bf16 units
        bf16 = [math.nan] if args.no_bf16 else time_network(network, text_dim, True, bf16_repeats)
        timings[name] = (statistics.median(fp32), min(fp32), statistics.median(bf16))
        print(f"| {name} | " + " | ".join(cell(value, "{:.3f}") for value in timings[name]) + " |")
    ratios = [a / b for a, b in zip(timings["film_audiosep"], timings["default"])]
    print(
        "| ratio film_audiosep / default | " + " | ".join(cell(r, "{:.1f}x") for r in ratios) + " |"
    )

    if not args.no_text:
        text = statistics.median(time_text(args.repeats))
        print(
            f"\nMiniLM, one uncached query: {text:.3f} s; default network (fp32 median) + text: "
            f"{timings['default'][0] + text:.3f} s. Load average at the end: "
            f"{os.getloadavg()[0]:.2f}"
        )


if __name__ == "__main__":
    main()
