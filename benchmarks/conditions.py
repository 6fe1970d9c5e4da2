"""Query conditions side by side (issue 16): text, span, example, text + span, per spec.

Runs ``querysep evaluate``'s evaluation for every condition on the corpus' out-of-package
spec, its unseen-class spec and the in-domain spec, with one loaded model, and prints one
markdown table (SDRi and SI-SDRi overall and per input-SNR band, near-silent share, rows).
Each run's full report stays in ``OUT/<spec>/<condition>/``.

    .venv/bin/python benchmarks/conditions.py --checkpoint CKPT --out DIR
        [--corpus data/corpus] [--conditions text span example text+span]
        [--specs test_ood test_ood_unseen test] [--threads 2]
        [--caption-ensemble K] [--class-queries]

``--class-queries`` asks for each row by its class name (as users often type) instead of its
caption, ``--caption-ensemble K`` averages the masks for the K training captions nearest to the
query; their reports go to ``OUT/<spec>/<condition>_class_ensembleK/``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch

from querysep import evaluate as evaluation
from querysep.separator import Separator

SPECS = {  # name -> (spec file, audio folder) inside the corpus
    "test_ood": ("test_ood_spec.csv", "test_ood"),
    "test_ood_unseen": ("test_ood_unseen_spec.csv", "test_ood"),
    "test": ("test_spec.csv", "test"),
}
BANDS = ("snr_-15_-5", "snr_-4_4", "snr_5_15")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    parser.add_argument("--conditions", nargs="+", default=["text", "span", "example", "text+span"])
    parser.add_argument("--specs", nargs="+", default=list(SPECS), choices=list(SPECS))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--caption-ensemble", type=int, default=0, metavar="K", help="as querysep evaluate"
    )
    parser.add_argument(
        "--class-queries", action="store_true", help="query by class name, as querysep evaluate"
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    separator = Separator.load(args.checkpoint).use_caption_ensemble(args.caption_ensemble)
    suffix = "_class" if args.class_queries else ""
    suffix += f"_ensemble{args.caption_ensemble}" if args.caption_ensemble else ""
    print(f"checkpoint: {args.checkpoint} ({separator.metadata.get('global_step', '?')} steps)")
    print(
        "\n| spec | condition | rows | SDRi | SI-SDRi | SDRi / SI-SDRi at −15…−5 | at −4…4 "
        "| at 5…15 | near-silent |\n|---|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    for spec in args.specs:
        spec_file, audio_dir = SPECS[spec]
        for condition in args.conditions:
            out = args.out / spec / (condition.replace("+", "_") + suffix)
            summary_path = out / "summary.json"
            if not summary_path.is_file():  # finished runs are kept: rerun to add rows
                evaluation.evaluate(
                    args.corpus / spec_file,
                    args.corpus / audio_dir,
                    evaluation.model_estimator(separator, condition),
                    out,
                    method=f"{args.checkpoint} ({condition})",
                    condition=condition,
                    class_queries=args.class_queries,
                    progress=False,
                )
            label = condition + suffix.replace("_", " ")
            print(table_row(spec, label, json.loads(summary_path.read_text())), flush=True)


def table_row(spec: str, condition: str, summary: dict) -> str:
    bands = summary["per_snr_band"]
    cells = [
        f"{bands[b]['sdri']:.2f} / {bands[b]['si_sdri']:.2f}" if b in bands else "–" for b in BANDS
    ]
    return (
        f"| {spec} | {condition} | {summary['count']} | {summary['sdri']:.2f} | "
        f"{summary['si_sdri']:.2f} | {' | '.join(cells)} | {100 * summary['near_silent']:.0f} % |"
    )


if __name__ == "__main__":
    main()
