"""The ``querysep`` command line. Heavy imports happen inside each command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _train(args: argparse.Namespace) -> int:
    from querysep.config import Config
    from querysep.train import train

    config = Config.from_yaml(args.config, args.overrides)
    path = train(config, resume=args.resume)
    print(f"separator written to {path}")
    return 0


def _separate(args: argparse.Namespace) -> int:
    from querysep.audio.io import AudioError
    from querysep.models.separator import Separator

    separator = Separator.load(args.checkpoint)
    failures = 0
    for source in args.inputs:
        out = Path(args.output) if args.output else source.with_name(f"{source.stem}_separated.wav")
        try:
            separator.separate_file(source, args.query, out)
        except AudioError as error:
            print(f"error: {error}", file=sys.stderr)
            failures += 1
            continue
        print(f"{source} -> {out}")
    return 1 if failures else 0


def _evaluate(args: argparse.Namespace) -> int:
    from querysep import evaluate as evaluation

    if args.oracle:
        estimator, method = evaluation.ORACLES[args.oracle], f"oracle-{args.oracle}"
    else:
        from querysep.models.separator import Separator

        separator = Separator.load(args.checkpoint)
        estimator, method = evaluation.model_estimator(separator), str(args.checkpoint or "default")
    summary = evaluation.evaluate(
        args.spec,
        args.audio_dir,
        estimator,
        args.out,
        method=method,
        save_estimates=args.save_audio,
    )
    print(
        f"{method}: SDR {summary['sdr']:.2f}  SDRi {summary['sdri']:.2f}  "
        f"SI-SDR {summary['si_sdr']:.2f}  SI-SDRi {summary['si_sdri']:.2f} dB "
        f"over {summary['count']} mixtures -> {args.out}/summary.json"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="querysep", description="Language-queried audio source separation."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    separate = commands.add_parser("separate", help="extract the sound a text query describes")
    separate.add_argument("inputs", nargs="+", type=Path, metavar="IN")
    separate.add_argument("--query", required=True, help='e.g. "a dog barking"')
    separate.add_argument("-o", "--output", help="output file (one input)")
    separate.add_argument("--checkpoint", help="separator checkpoint (default: the shipped model)")
    separate.set_defaults(run=_separate)

    evaluate = commands.add_parser(
        "evaluate", help="score a model or an oracle on a DCASE-format spec"
    )
    evaluate.add_argument("--spec", required=True, type=Path, help="CSV: source,noise,snr,caption")
    evaluate.add_argument("--audio-dir", required=True, type=Path)
    method = evaluate.add_mutually_exclusive_group()
    method.add_argument("--checkpoint", help="separator checkpoint (default: the shipped model)")
    method.add_argument("--oracle", choices=["identity", "irm", "ibm"])
    evaluate.add_argument("--out", required=True, type=Path)
    evaluate.add_argument("--save-audio", action="store_true", help="keep OUT/estimates/<row>.wav")
    evaluate.set_defaults(run=_evaluate)

    train = commands.add_parser("train", help="train a separator from a YAML config")
    train.add_argument("--config", required=True, type=Path)
    train.add_argument("overrides", nargs="*", metavar="key=value", help="e.g. train.batch_size=8")
    train.add_argument("--resume", help="a checkpoint to resume, or 'last' for this run's latest")
    train.set_defaults(run=_train)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
