"""Train ablation rows side by side on one GPU machine, within a deadline, and pack the
results small enough to travel back (fp16 weights + logs, tar files of at most 15 MiB).

    python benchmarks/gpu/run_ablation.py --packed .gpu --out "$OUT" --deadline 540 \
        [--rows default film_resunet ...] [--steps 2000]
    python benchmarks/gpu/run_ablation.py --packed .gpu --unpack-to data/corpus_opus --workers 2
        # (the second form only decodes the clips, for training the same rows on a CPU)

Each run is exactly what ``benchmarks/ablation.py train`` would run (same config, overrides,
seeds, batch, segment and steps), on the packed corpus (``pack.py``: Opus-coded clips,
decoded here to WAV once) and the caption-embedding table. Before any run starts, one
training step of every distinct configuration runs on the GPU, so a broken setup fails in
seconds, not at the deadline. Runs that miss the deadline come back at their last
checkpoint (every 100 steps) and are marked unfinished.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))  # benchmarks/, for ablation.ROWS
import ablation  # noqa: E402

MAX_TAR_BYTES = 15 * 2**20


def decode(job: tuple[str, str]) -> None:
    import soundfile as sf

    source, target = job
    waveform, sample_rate = sf.read(source, dtype="int16")
    sf.write(target, waveform, sample_rate, subtype="PCM_16")


def unpack_corpus(packed: Path, corpus: Path, workers: int) -> None:
    """Opus clips -> 16-bit WAV (decoding once is cheaper than in every data worker)."""
    jobs = []
    for split in ("train", "validation"):
        (corpus / split).mkdir(parents=True, exist_ok=True)
        with open(packed / f"{split}.csv", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            name = Path(row["file_name"]).with_suffix(".wav").name
            jobs.append((str(packed / split / row["file_name"]), str(corpus / split / name)))
            row["file_name"] = name
        with open(corpus / f"{split}.csv", "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(decode, jobs, chunksize=32))


def run_arguments(
    row, seed: int, run_dir: Path, corpus: Path, steps: int, extra: tuple[str, ...] = ()
) -> list[str]:
    """``ablation.py train``'s arguments for one run, on the decoded corpus."""
    data = ablation.data_overrides(corpus)
    return [*ablation.train_arguments(row, seed, run_dir, steps, data), *extra, "--resume", "last"]


def smoke_test(runs: list[tuple], corpus: Path, captions: Path, device: str) -> None:
    """One optimiser step of each distinct configuration on the GPU (fails fast)."""
    import torch

    sys.path.insert(0, str(HERE))
    import cached_text

    from querysep.cli import build_parser
    from querysep.config import Config
    from querysep.train import MixtureDataModule, SeparationModule

    cached_text.install(captions)
    seen = set()
    for row, seed, run_dir in runs:
        if row.name in seen:
            continue
        seen.add(row.name)
        args = build_parser().parse_args(run_arguments(row, seed, run_dir, corpus, 1))
        config = Config.from_yaml(args.config, args.overrides)
        data = MixtureDataModule(config)
        data.setup()
        batch = torch.utils.data.default_collate([data.train_set[i] for i in range(8)])
        batch = {k: v.to(device) if torch.is_tensor(v) else v for k, v in batch.items()}
        module = SeparationModule(config.to_dict()).to(device)
        _, loss, _ = module._step(batch)
        loss.backward()
        print(f"smoke {row.name}: loss {loss.item():.3f} on {device}", flush=True)


def last_step(run_dir: Path) -> int:
    logs = sorted((run_dir / "logs").glob("version_*/metrics.csv"))
    if not logs:
        return 0
    step = 0
    with logs[-1].open(newline="") as handle:
        for line in csv.DictReader(handle):
            if line.get("step"):
                step = max(step, int(float(line["step"])))
    return step


def pack(runs: list[tuple], out: Path, statuses: dict[str, str]) -> None:
    """fp16 payloads of each run's last.ckpt + logs, into tar files of at most 15 MiB."""
    import torch

    from querysep.models.checkpoint import read_payload

    staging = Path(tempfile.mkdtemp(prefix="pack_"))
    members = []
    summary = {}
    for _row, _seed, run_dir in runs:
        name = run_dir.name
        last = run_dir / "checkpoints" / "last.ckpt"
        target = staging / name
        (target / "checkpoints").mkdir(parents=True, exist_ok=True)
        files = []
        if last.is_file():
            raw = torch.load(last, map_location="cpu", weights_only=False)
            payload = read_payload(last)
            state = payload["state_dict"]
            payload["state_dict"] = {
                k: v.half() if v.is_floating_point() else v for k, v in state.items()
            }
            payload["metadata"]["weights_dtype_in_transit"] = "float16"
            slim = {"global_step": raw["global_step"], "querysep": payload}
            torch.save(slim, target / "checkpoints" / "last.ckpt")
            files.append(target / "checkpoints" / "last.ckpt")
            summary[name] = {"global_step": raw["global_step"], "status": statuses.get(name)}
        for log in sorted((run_dir / "logs").glob("version_*/metrics.csv")):
            copy = target / "logs" / log.parent.name / "metrics.csv"
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(log.read_bytes())
            files.append(copy)
        for extra in ("config.yaml",):
            if (run_dir / extra).is_file():
                (target / extra).write_bytes((run_dir / extra).read_bytes())
                files.append(target / extra)
        members.append(files)
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    groups: list[list[Path]] = []  # runs packed greedily, each tar at most MAX_TAR_BYTES
    for files in members:
        size = sum(f.stat().st_size for f in files)
        if not groups or sum(f.stat().st_size for f in groups[-1]) + size > MAX_TAR_BYTES:
            groups.append([])
        groups[-1].extend(files)
    for index, files in enumerate(groups, start=1):
        with tarfile.open(out / f"runs_{index}.tar", "w") as tar:
            for f in files:
                tar.add(f, arcname=str(f.relative_to(staging)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packed", type=Path, default=REPO / ".gpu")
    parser.add_argument("--out", type=Path, help="where the packed results go (required)")
    parser.add_argument(
        "--unpack-to", type=Path, help="only decode the packed clips into this folder, then stop"
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/ablation"))
    parser.add_argument("--rows", nargs="*")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--deadline", type=float, default=540.0, help="seconds from start")
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--num-data-workers", type=int, default=2)
    parser.add_argument("--skip-smoke", action="store_true")
    parser.add_argument(
        "--fail-fast", type=float, default=150.0,
        help="a run failing within this many seconds is a setup error: stop all runs",
    )  # fmt: skip
    parser.add_argument("--smoke-device", default="cuda")
    args = parser.parse_args()
    if args.unpack_to is not None:
        unpack_corpus(args.packed, args.unpack_to, args.workers)
        return
    if args.out is None:
        parser.error("--out is required (unless --unpack-to)")
    start = time.monotonic()
    args.out.mkdir(parents=True, exist_ok=True)
    corpus = args.work / "corpus"
    unpack_corpus(args.packed, corpus, args.workers)
    print(f"corpus decoded in {time.monotonic() - start:.0f} s", flush=True)
    runs = [
        (row, seed, args.work / "runs" / run)
        for row in ablation.selected(args.rows)
        for seed, run in zip(row.seeds, row.run_names())
    ]
    if not args.skip_smoke:
        smoke_test(runs, corpus, args.packed / "captions.pt", args.smoke_device)
        print(f"smoke tests passed at {time.monotonic() - start:.0f} s", flush=True)
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p
    )
    processes = {}
    data_workers = (f"data.num_workers={args.num_data_workers}",)
    for row, seed, run_dir in runs:
        run_dir.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, str(HERE / "cached_text.py"), "--captions",
            str(args.packed / "captions.pt"),
            *run_arguments(row, seed, run_dir, corpus, args.steps, data_workers),
        ]  # fmt: skip
        with open(run_dir / "train.log", "w") as log:  # the child keeps its own handle
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        processes[run_dir.name] = (process, run_dir)
    statuses: dict[str, str] = {}
    while len(statuses) < len(processes):
        time.sleep(10)
        elapsed = time.monotonic() - start
        for name, (process, run_dir) in processes.items():
            if name in statuses or process.poll() is None:
                continue
            statuses[name] = "finished" if process.returncode == 0 else "failed"
            if process.returncode != 0:
                print(f"{name} FAILED:\n" + (run_dir / "train.log").read_text()[-3000:])
                if elapsed < args.fail_fast:  # a setup error: stop everything, say why
                    for other, _ in processes.values():
                        other.kill()
                    sys.exit(f"{name} failed after {elapsed:.0f} s; all runs stopped")
        progress = " ".join(f"{n}:{last_step(d)}" for n, (_, d) in processes.items())
        print(f"[{elapsed:.0f} s] {progress}", flush=True)
        if elapsed > args.deadline:
            for name, (process, _) in processes.items():
                if name not in statuses:
                    process.send_signal(signal.SIGKILL)
                    statuses[name] = "deadline"
    for process, _ in processes.values():
        process.wait()
    pack(runs, args.out, statuses)
    print(f"packed at {time.monotonic() - start:.0f} s: {json.dumps(statuses)}", flush=True)


if __name__ == "__main__":
    main()
