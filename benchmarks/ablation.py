"""The same-budget ablation of the thesis' claims (issue 8): train, evaluate, tabulate.

Every row is ``configs/default.yaml`` (or the FiLM baseline's config) with model v1's recipe
pinned (``RECIPE_V1``) and a few overrides,
trained on the offline corpus with the same data, batch (8), segment (4 s), learning-rate
schedule and number of steps, then scored with ``querysep evaluate`` on the corpus test spec.

    .venv/bin/python benchmarks/ablation.py train    [--rows NAME ...] [--steps 2000]
    .venv/bin/python benchmarks/ablation.py evaluate [--rows NAME ...]
    .venv/bin/python benchmarks/ablation.py speed    [--rows NAME ...] --steps 60
    .venv/bin/python benchmarks/ablation.py table

``--runs``, ``--results`` and ``--train-corpus`` point all of them at another set of runs,
results and training clips (docs/ABLATION.md: the GPU runs on the Opus copy of the corpus).

``train`` runs the rows one after another (each ``--resume last``: stop it any time, run the
same command again, possibly in a later session after copying the committed checkpoints).
A run is done when its ``last.ckpt`` is at ``--steps``; the shared training schedule is the
default config's (cosine over 20,000 steps), so a row is the default run's first ``--steps``
steps with one thing changed. ``evaluate`` scores each finished run's final weights and keeps
the result in ``docs/ablation/<run>.json`` (small, committed), which ``table`` reads.
``speed`` times each row's training steps on this machine (``cpu_speed.json``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNS = REPO / "runs" / "ablation"
RESULTS = REPO / "docs" / "ablation"
CORPUS = REPO / "data" / "corpus"


def data_overrides(corpus: Path) -> list[str]:
    """Training and validation clips of a corpus folder (the test spec is always CORPUS's)."""
    return [
        f"data.train={corpus / 'train.csv'}",
        f"data.train_audio_dir={corpus / 'train'}",
        f"data.validation={corpus / 'validation.csv'}",
        f"data.validation_audio_dir={corpus / 'validation'}",
    ]


DATA = data_overrides(CORPUS)
# The ablation's recipe is model v1's: configs/default.yaml has since moved on to the v2
# recipe (absolute-dB features, scene mixing, a 60,000-step schedule, a weight average), so
# the v1 values are pinned here and the table's rows stay reproducible.
RECIPE_V1 = [
    "model.features=clip",
    "data.num_interferers=[1, 1]",
    "data.background_probability=0.0",
    "data.room_probability=0.0",
    "data.level_dbfs_range=null",
    "data.codec_probability=0.0",
    "data.class_weight_exponent=0.0",
    "data.balance_sources=false",
    "data.label_query_probability=0.0",
    "train.max_steps=20000",
    "train.scheduler_t_max=20000",
    "train.ema_decay=null",
]
COMMON = [
    *RECIPE_V1,
    "train.batch_size=8",
    "data.segment_seconds=4.0",
    "train.precision=32-true",
    "train.num_threads=1",
    "train.checkpoint_every_steps=100",
]


@dataclass(frozen=True)
class Row:
    name: str
    claim: str
    config: str = "default"
    overrides: tuple[str, ...] = ()
    seeds: tuple[int, ...] = (0,)

    def run_names(self) -> list[str]:
        return [f"{self.name}_seed{seed}" for seed in self.seeds]


ROWS = [
    Row("default", "reference", seeds=(0, 1)),
    Row("film_resunet", "conditioning", config="film_baseline", seeds=(0, 1)),
    Row("resunetpp_film", "conditioning", overrides=("model.conditioning=film",), seeds=(0, 1)),
    Row("filter_off", "filtering", overrides=("data.filter_threshold=null",), seeds=(0, 1)),
    Row("filter_0.65", "filtering", overrides=("data.filter_threshold=0.65",)),
    Row("filter_0.8", "filtering", overrides=("data.filter_threshold=0.8",)),
    Row("filter_at_drawn_snr", "filtering", overrides=("data.filter_snr_db=null",)),
    Row("mask_normalized_db", "mask domain", overrides=("model.mask_domain=normalized_db",)),
    Row(
        "loss_waveform_l1",
        "loss",
        overrides=("loss.spectral_convergence=0", "loss.log_magnitude=0", "loss.waveform_l1=1"),
    ),
    Row(
        "loss_neg_si_sdr",
        "loss",
        overrides=("loss.spectral_convergence=0", "loss.log_magnitude=0", "loss.neg_si_sdr=1"),
    ),
]


def selected(names: list[str] | None) -> list[Row]:
    rows = [row for row in ROWS if not names or row.name in names]
    unknown = set(names or []) - {row.name for row in ROWS}
    if unknown:
        sys.exit(f"unknown row(s) {sorted(unknown)}; rows: {[row.name for row in ROWS]}")
    return rows


def train_arguments(
    row: Row, seed: int, run_dir: Path, steps: int, data: list[str] | None = None
) -> list[str]:
    """``querysep train`` arguments of one run: the row's config and overrides on the shared
    budget (``data``: the training-clip overrides, by default ``DATA``)."""
    return [
        "train",
        "--config", str(REPO / "configs" / f"{row.config}.yaml"),
        *(DATA if data is None else data), *COMMON, *row.overrides,
        f"train.seed={seed}", f"train.max_steps={steps}", f"train.out_dir={run_dir}",
    ]  # fmt: skip


def run_step(run_dir: Path) -> int:
    """The global step of a run's last checkpoint (0 when none)."""
    import torch

    path = run_dir / "checkpoints" / "last.ckpt"
    if not path.is_file():
        return 0
    return int(torch.load(path, map_location="cpu", weights_only=False)["global_step"])


def train(rows: list[Row], steps: int) -> None:
    for row in rows:
        for seed, run in zip(row.seeds, row.run_names()):
            run_dir = RUNS / run
            if run_step(run_dir) >= steps:
                print(f"{run}: done ({steps} steps)")
                continue
            print(f"{run}: training to step {steps} in {run_dir}", flush=True)
            command = [sys.executable, "-m", "querysep.cli"]
            command += [*train_arguments(row, seed, run_dir, steps), "--resume", "last"]
            subprocess.run(command, check=True)


def training_figures(run_dir: Path) -> dict[str, float]:
    """Median s/step, wall time (s/step × steps) and filter acceptance from the CSV logs."""
    seconds, acceptance = [], []
    for log in sorted((run_dir / "logs").glob("version_*/metrics.csv")):
        with log.open(newline="") as handle:
            for line in csv.DictReader(handle):
                if line.get("train/seconds_per_step"):
                    seconds.append(float(line["train/seconds_per_step"]))
                if line.get("train/filter_acceptance"):
                    acceptance.append(float(line["train/filter_acceptance"]))
    steps = run_step(run_dir)
    mean_seconds = statistics.fmean(seconds) if seconds else float("nan")
    return {
        "steps": steps,
        "seconds_per_step": statistics.median(seconds) if seconds else float("nan"),
        "wall_hours": mean_seconds * steps / 3600,
        "filter_acceptance": statistics.fmean(acceptance) if acceptance else float("nan"),
    }


def evaluate(rows: list[Row], steps: int) -> None:
    from querysep.evaluate import evaluate as run_evaluation
    from querysep.evaluate import model_estimator
    from querysep.separator import Separator

    RESULTS.mkdir(parents=True, exist_ok=True)
    for row in rows:
        for run in row.run_names():
            run_dir = RUNS / run
            if run_step(run_dir) < steps:
                print(f"{run}: not trained to {steps} steps yet, skipped")
                continue
            separator = Separator.load(run_dir / "checkpoints" / "last.ckpt")
            summary = run_evaluation(
                CORPUS / "test_spec.csv",
                CORPUS / "test",
                model_estimator(separator),
                run_dir / "evaluation",
                method=run,
            )
            result = {
                "row": row.name,
                "claim": row.claim,
                "config": row.config,
                "overrides": list(row.overrides),
                "parameters": separator.num_parameters(),
                **training_figures(run_dir),
                **{k: summary[k] for k in summary if k not in ("per_class", "spec", "method")},
            }
            (RESULTS / f"{run}.json").write_text(json.dumps(result, indent=2))
            print(f"{run}: SDRi {summary['sdri']:.2f} dB")


def speed(rows: list[Row], steps: int) -> None:
    """s/step of each row on this machine: ``steps`` real training steps (data workers,
    one compute thread, as ``train``) in a scratch folder; the median after 20 warm-up steps
    goes to ``RESULTS/cpu_speed.json``. Run it with nothing else busy."""
    import platform
    import shutil
    import tempfile

    path = RESULTS / "cpu_speed.json"
    measured = json.loads(path.read_text()) if path.is_file() else {}
    for row in rows:
        scratch = Path(tempfile.mkdtemp(prefix=f"speed_{row.name}_"))
        command = [sys.executable, "-m", "querysep.cli"]
        command += [*train_arguments(row, row.seeds[0], scratch, steps), "train.log_every_steps=1"]
        subprocess.run(command, check=True, capture_output=True)
        seconds = []
        for log in scratch.glob("logs/version_*/metrics.csv"):
            with log.open(newline="") as handle:
                for line in csv.DictReader(handle):
                    if line.get("train/seconds_per_step") and int(line["step"]) >= 20:
                        seconds.append(float(line["train/seconds_per_step"]))
        shutil.rmtree(scratch)
        measured[row.name] = {
            "seconds_per_step": statistics.median(seconds),
            "steps_timed": len(seconds),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        }
        print(f"{row.name}: {measured[row.name]['seconds_per_step']:.2f} s/step", flush=True)
        RESULTS.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(measured, indent=2))


def table() -> None:
    results: dict[str, list[dict]] = {}
    for path in sorted(RESULTS.glob("*.json")):
        result = json.loads(path.read_text())
        if "row" in result:
            results.setdefault(result["row"], []).append(result)
    speed_path = RESULTS / "cpu_speed.json"
    cpu = json.loads(speed_path.read_text()) if speed_path.is_file() else {}
    print(
        "| row | claim | seeds | params | SDR | SDRi | SI-SDRi | SDRi across seeds "
        "| SDRi at SNR 5…15 | closer to mixture | filter acceptance "
        "| s/step as trained | s/step here (CPU) | CPU h per 2,000 steps |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in ROWS:
        runs = results.get(row.name)
        if not runs:
            print(f"| {row.name} | {row.claim} | – |" + " |" * 11)
            continue

        def cell(key: str, runs=runs) -> str:
            mean = statistics.fmean(r[key] for r in runs)
            std = statistics.fmean(r[f"{key}_std"] for r in runs)
            return f"{mean:.2f} ± {std:.2f}"

        def mean(values) -> float:
            return statistics.fmean(list(values))

        seeds = [r["sdri"] for r in runs]
        spread = f"{mean(seeds):.2f} ± {statistics.pstdev(seeds):.2f}"
        high_snr = mean(r["per_snr_band"]["snr_5_15"]["sdri"] for r in runs)
        cpu_step = cpu.get(row.name, {}).get("seconds_per_step")
        cpu_cells = f"{cpu_step:.2f} | {cpu_step * 2000 / 3600:.2f}" if cpu_step else "– | –"
        print(
            f"| {row.name} | {row.claim} | {len(runs)} | {runs[0]['parameters'] / 1e6:.2f} M "
            f"| {cell('sdr')} | {cell('sdri')} | {cell('si_sdri')} "
            f"| {spread if len(runs) > 1 else '–'} | {high_snr:.2f} "
            f"| {100 * mean(r['closer_to_mixture'] for r in runs):.1f} % "
            f"| {mean(r['filter_acceptance'] for r in runs):.2f} "
            f"| {mean(r['seconds_per_step'] for r in runs):.2f} | {cpu_cells} |"
        )


def main() -> None:
    global RUNS, RESULTS, DATA
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["train", "evaluate", "speed", "table"])
    parser.add_argument("--rows", nargs="*", help="row names (default: all)")
    parser.add_argument("--steps", type=int, default=2000, help="training steps per run")
    parser.add_argument("--runs", type=Path, default=RUNS, help="folder of the run folders")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder of result JSONs")
    parser.add_argument(
        "--train-corpus",
        type=Path,
        default=CORPUS,
        help="corpus whose train/validation clips"
        " the runs train on (e.g. the Opus copy that benchmarks/gpu/ uses)",
    )
    args = parser.parse_args()
    RUNS, RESULTS, DATA = args.runs, args.results, data_overrides(args.train_corpus)
    if args.action == "train":
        train(selected(args.rows), args.steps)
    elif args.action == "evaluate":
        evaluate(selected(args.rows), args.steps)
    elif args.action == "speed":
        speed(selected(args.rows), args.steps)
    else:
        table()


if __name__ == "__main__":
    main()
