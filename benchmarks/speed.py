"""End-to-end separation speed and memory (issue 6, DESIGN section 6).

Prints markdown tables:
1. separator parameters of the default model and the AudioSep-sized FiLM-ResUNet;
2. time to separate 10 s of 16 kHz audio with ``Separator.separate`` -- STFT, text encoding
   of a query never seen before (so the text cache hides nothing), network, inverse STFT --
   first call and warm (median), both models in the same run, and their ratio;
3. the default model with the network in PyTorch and in ONNX Runtime;
4. audio queries (issue 16): the default model with an example encoder, 10 s queried by text
   only, by a 2 s span, by text and the span, and by a 4 s example recording (example
   encoding counted: it runs on every call);
5. peak RSS and time for long files (by default 10 and 60 minutes of 44.1 kHz stereo
   16-bit WAV) through ``separate_file`` (streamed: read, resample, separate, resample back,
   write), each in a fresh process so that its peak RSS is its own, under the allocator
   ``querysep separate`` uses (tcmalloc, else jemalloc, when installed; ``--allocator``
   names one, or ``system`` for glibc's).

    .venv/bin/python benchmarks/speed.py [--threads 2] [--repeats 5] [--checkpoint CKPT]
                                         [--minutes 10 60] [--rate 44100] [--channels 2]
                                         [--no-onnx] [--long-only] [--allocator NAME]
                                         [--example-checkpoint CKPT] [--caption-ensembles K...]

Without ``--checkpoint`` the shipped default model is timed (random weights of the same
config if none is shipped: the speed is the same).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

from querysep.allocator import SWITCH, choose, preload_environment
from querysep.cli import release_text_encoder
from querysep.models.checkpoint import DEFAULT_CHECKPOINT
from querysep.separator import Separator

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
SAMPLE_RATE = 16000


def test_audio(seconds: float, seed: int = 0) -> np.ndarray:
    """Noise plus a few tones: a stand-in mixture (speed does not depend on content)."""
    rng = np.random.default_rng(seed)
    time_axis = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    tones = sum(0.1 * np.sin(2 * np.pi * f * time_axis) for f in (220.0, 660.0, 1760.0))
    return (tones + 0.05 * rng.standard_normal(time_axis.size)).astype(np.float32)


# (row name, config, overrides): the AudioSep-sized FiLM-ResUNet on AudioSep's own STFT
# (2048/320, as in configs/film_audiosep.yaml), and on ours (512/256) for reference
OUR_STFT = ["audio.n_fft=512", "audio.hop_length=256"]
MODELS = [
    ("default", "default", []),
    ("film_audiosep (STFT 2048/320)", "film_audiosep", []),
    ("film_audiosep on our STFT (512/256)", "film_audiosep", OUR_STFT),
]


def load_separator(name: str, checkpoint: str | None, overrides=()) -> Separator:
    if name == "default" and (checkpoint or DEFAULT_CHECKPOINT.is_file()):
        return Separator.load(checkpoint)
    torch.manual_seed(0)
    return Separator.from_config(CONFIGS / f"{name}.yaml", list(overrides)).eval()


def time_separation(
    separator: Separator, repeats: int, tag: str, *, text: bool = True, **audio_query
) -> tuple[float, list[float]]:
    """(first call, warm calls) for 10 s, each with a new query (text encoding counted);
    ``audio_query``: ``example=`` / ``example_spans=`` as ``Separator.separate`` takes them."""
    audio = test_audio(10.0)
    times = []
    for index in range(repeats + 1):
        query = f"{tag}: a dog barking in the distance, take {index}" if text else None
        start = time.perf_counter()
        separator.separate(audio, SAMPLE_RATE, query, **audio_query)
        times.append(time.perf_counter() - start)
    return times[0], times[1:]


def ensemble_runs(args: argparse.Namespace) -> None:
    """10 s with the masks of K training captions averaged (``--caption-ensemble K``)."""
    separator = Separator.load(args.checkpoint)
    print("\n| 10 s, caption ensemble | first call (s) | warm median (s) | warm best (s) |"
          "\n|---|---:|---:|---:|")  # fmt: skip
    for size in [0, *args.caption_ensembles]:
        separator.use_caption_ensemble(size)
        first, warm = time_separation(separator, args.repeats, f"ensemble {size}")
        row = f"K = {size}" if size else "off (the query as typed)"
        print(f"| {row} | {first:.3f} | {statistics.median(warm):.3f} | {min(warm):.3f} |")


def example_runs(args: argparse.Namespace) -> None:
    """10 s by text, span, text + span and example with the example-encoder model."""
    if args.example_checkpoint:
        separator = Separator.load(args.example_checkpoint)
    else:  # random weights of the same config: the speed is the same
        torch.manual_seed(0)
        separator = Separator.from_config(CONFIGS / "default_example.yaml").eval()
    queries = [
        ("text only", True, {}),
        ("span 2 s", False, {"example_spans": [(3.0, 5.0)]}),
        ("text + span 2 s", True, {"example_spans": [(3.0, 5.0)]}),
        ("example recording 4 s", False, {"example": (test_audio(4.0, seed=1), SAMPLE_RATE)}),
    ]
    print(f"\n| 10 s, default + example encoder ({separator.num_parameters() / 1e6:.2f} M) "
          "| first call (s) | warm median (s) | warm best (s) |\n|---|---:|---:|---:|")  # fmt: skip
    for row, text, audio_query in queries:
        first, warm = time_separation(separator, args.repeats, row, text=text, **audio_query)
        print(f"| {row} | {first:.3f} | {statistics.median(warm):.3f} | {min(warm):.3f} |")


def write_long_file(path: Path, minutes: float, rate: int, channels: int) -> Path:
    """A 16-bit WAV of ``minutes``, written a minute at a time (the parent stays small)."""
    with sf.SoundFile(str(path), "w", rate, channels, subtype="PCM_16") as handle:
        for minute in range(int(np.ceil(minutes))):
            seconds = min(60.0, minutes * 60 - 60 * minute)
            rng = np.random.default_rng(minute)
            time_axis = np.arange(int(seconds * rate)) / rate
            tones = sum(0.1 * np.sin(2 * np.pi * f * time_axis) for f in (220.0, 660.0, 1760.0))
            block = [tones + 0.05 * rng.standard_normal(time_axis.size) for _ in range(channels)]
            handle.write(np.stack(block, axis=1).astype(np.float32))
    return path


def long_file_child(path: str, checkpoint: str | None, threads: int) -> None:
    """Run in a fresh process: separate the file ``path`` as ``querysep separate`` does (the
    query encoded and the text encoder freed before the file); print JSON time and peak RSS."""
    torch.set_num_threads(threads)
    separator = load_separator("default", checkpoint)
    start = time.perf_counter()  # lazy set-up (the inference copy, kernels) included
    release_text_encoder(separator, ["a dog barking"])  # as `querysep separate` does
    separator.separate_file(path, "a dog barking", Path(path).with_suffix(".out.wav"))
    elapsed = time.perf_counter() - start
    print(json.dumps({"time": elapsed, "peak_rss_mib": peak_rss_mib()}))


def peak_rss_mib() -> float:
    """This process's peak resident set (VmHWM). Not ru_maxrss: a child started by fork and
    exec keeps its parent's ru_maxrss as a floor, which would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB -> MiB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2, help="CPU threads (the goal: 2)")
    parser.add_argument("--repeats", type=int, default=5, help="warm calls per model")
    parser.add_argument("--checkpoint", help="default model checkpoint (default: shipped)")
    parser.add_argument("--minutes", type=float, nargs="*", default=[10, 60])
    parser.add_argument("--rate", type=int, default=44100, help="long files' sample rate")
    parser.add_argument("--channels", type=int, default=2, help="long files' channels")
    parser.add_argument("--no-onnx", action="store_true")
    parser.add_argument("--long-only", action="store_true", help="only the long files")
    parser.add_argument(
        "--allocator",
        choices=["auto", "tcmalloc", "jemalloc", "system"],
        default="auto",
        help="long files: auto = as `querysep separate` (tcmalloc, else jemalloc, if installed)",
    )
    parser.add_argument(
        "--example-checkpoint", help="a model with an example encoder (default: random weights)"
    )
    parser.add_argument(
        "--caption-ensembles",
        type=int,
        nargs="*",
        default=[],
        metavar="K",
        help="also time 10 s with caption ensembles of these sizes (shipped model)",
    )
    parser.add_argument("--long-child", metavar="WAV", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.long_child is not None:
        long_file_child(args.long_child, args.checkpoint, args.threads)
        return
    torch.set_num_threads(args.threads)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads, load average {os.getloadavg()[0]:.2f}"
    )

    if args.caption_ensembles:
        ensemble_runs(args)
        return
    if not args.long_only:
        short_runs(args)
        example_runs(args)
    if args.minutes:
        long_runs(args)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")


def short_runs(args: argparse.Namespace) -> None:
    results = {}
    print("\n| 10 s of 16 kHz, text encoding included | parameters | first call (s) "
          "| warm median (s) | warm best (s) | warm median / default |"
          "\n|---|---:|---:|---:|---:|---:|")  # fmt: skip
    for row, config, overrides in MODELS:
        separator = load_separator(config, args.checkpoint, overrides)
        repeats = args.repeats if config == "default" else max(2, args.repeats // 2)
        first, warm = time_separation(separator, repeats, row)
        results[row] = statistics.median(warm)
        ratio = results[row] / results["default"]
        print(
            f"| {row} | {separator.num_parameters() / 1e6:.2f} M | {first:.3f} | "
            f"{statistics.median(warm):.3f} | {min(warm):.3f} | {ratio:.1f}x |"
        )

    if not args.no_onnx:
        from querysep.export import export_onnx

        separator = load_separator("default", args.checkpoint)
        with tempfile.TemporaryDirectory() as folder:
            export_onnx(separator, Path(folder) / "default.onnx")
            separator.use_onnx(Path(folder) / "default.onnx", num_threads=args.threads)
            first, warm = time_separation(separator, args.repeats, "onnx")
        print(
            "\n| default, 10 s, text included | first call (s) | warm median (s) |"
            f"\n|---|---:|---:|\n| PyTorch | | {results['default']:.3f} |"
            f"\n| ONNX Runtime | {first:.3f} | {statistics.median(warm):.3f} |"
        )


def long_runs(args: argparse.Namespace) -> None:
    # the chosen allocator only: other preloaded libraries stay, preloaded allocators go
    others = [lib for lib in os.environ.get("LD_PRELOAD", "").split() if "malloc" not in lib]
    environ = dict(os.environ) | {SWITCH: args.allocator, "LD_PRELOAD": " ".join(others)}
    chosen = choose(environ)
    if args.allocator not in ("auto", "system") and chosen is None:
        sys.exit(f"error: {args.allocator} is not installed")
    env = preload_environment(environ) or environ
    allocator = chosen[0] if chosen else "system malloc"
    print(f"\n| {args.rate} Hz, {args.channels} channels, {allocator} | time (s) | x real time "
          "| s per minute of audio | peak RSS (MiB) |\n|---|---:|---:|---:|---:|")  # fmt: skip
    for minutes in args.minutes:
        with tempfile.TemporaryDirectory() as folder:  # written here: the child only separates
            path = write_long_file(Path(folder) / "long.wav", minutes, args.rate, args.channels)
            command = [sys.executable, __file__, "--long-child", str(path)]
            command += ["--threads", str(args.threads)]
            command += ["--checkpoint", args.checkpoint] if args.checkpoint else []
            output = subprocess.run(
                command, capture_output=True, text=True, check=True, env=env
            ).stdout
        row = json.loads(output.strip().splitlines()[-1])
        print(
            f"| {minutes:g} min | {row['time']:.2f} | {minutes * 60 / row['time']:.0f}x | "
            f"{row['time'] / minutes:.2f} | {row['peak_rss_mib']:.0f} |"
        )


if __name__ == "__main__":
    main()
