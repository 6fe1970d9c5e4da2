"""The ``querysep`` command line. Heavy imports happen inside each command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from querysep.audio.io import AUDIO_SUFFIXES
from querysep.examples import CONDITIONS


def _train(args: argparse.Namespace) -> int:
    from querysep.config import Config, ConfigError
    from querysep.models.checkpoint import CheckpointError
    from querysep.train import train

    try:
        if not args.config.is_file():
            raise ConfigError(f"{args.config}: config file not found")
        config = Config.from_yaml(args.config, args.overrides)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        path = train(config, resume=args.resume)
    except (CheckpointError, ConfigError) as error:  # e.g. an init_from that does not fit
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"separator written to {path}")
    return 0


SHIPPED_EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
OUTPUT_TAGS = ("separated", "removed")  # file-name tags of our outputs: skipped in folders


def find_inputs(paths: list[Path]) -> list[tuple[Path, Path]]:
    """Expand files and folders into ``(file, name relative to what was given)`` pairs.

    Folders are searched recursively for audio files; files that are outputs of an earlier
    run (``*_separated.*``, ``*_removed.*``) are skipped there. Missing paths raise.
    """
    found = []
    for path in paths:
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                is_output = any(file.stem.endswith(f"_{tag}") for tag in OUTPUT_TAGS)
                if file.suffix.lower() in AUDIO_SUFFIXES and not is_output:
                    found.append((file, file.relative_to(path)))
        elif path.exists():
            found.append((path, Path(path.name)))
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return found


def output_paths(inputs: list[tuple[Path, Path]], output: Path | None, tag: str) -> list[Path]:
    """Where each result goes: beside its input, into folder ``output``, or (one input and an
    audio suffix) file ``output``. Raises when a result would overwrite an input."""
    names_a_file = output is not None and output.suffix.lower() in AUDIO_SUFFIXES
    if names_a_file and len(inputs) > 1:
        raise ValueError(f"-o/--output names one file ({output}); give a folder for several inputs")
    if names_a_file:
        paths = [output]
    elif output is not None:
        paths = [output / name.with_name(f"{name.stem}_{tag}.wav") for _, name in inputs]
    else:
        paths = [file.with_name(f"{file.stem}_{tag}.wav") for file, _ in inputs]
    sources = {file.resolve() for file, _ in inputs}
    clashes = [str(path) for path in paths if path.resolve() in sources]
    if clashes:
        raise ValueError(f"refusing to overwrite input(s): {', '.join(clashes)}")
    return paths


def _separate(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from querysep.audio.io import AudioError, audio_info
    from querysep.examples import ExampleError, check_spans, example_clip, parse_span
    from querysep.models.checkpoint import CheckpointError
    from querysep.separator import Separator

    try:
        for name, text in (("--query", args.query), ("--negative-query", args.negative_query)):
            if text is not None and not text.strip():
                raise ValueError(f'{name} is empty: describe the sound, e.g. "a dog barking"')
        spans = [parse_span(text) for text in args.example_span or []]
        if args.query is None and args.example is None and not spans:
            raise ValueError(
                'say what to extract: --query "a dog barking", --example FILE, '
                "or --example-span START:END (seconds of the input)"
            )
        inputs = find_inputs(args.inputs)
        if not inputs:
            raise FileNotFoundError("no audio files found in the given folder(s)")
        if spans and len(inputs) > 1:
            raise ValueError("--example-span marks times of one input file; give one input")
        if spans:  # checked before any work: spans outside the file are the user's to fix
            rate, num_frames, _ = audio_info(inputs[0][0])
            check_spans(spans, num_frames / rate)
        outputs = output_paths(inputs, args.output, "removed" if args.remove else "separated")
        separator = Separator.load(args.checkpoint)
        try:
            separator.to(args.device)
        except (AssertionError, RuntimeError) as error:  # e.g. CUDA not compiled in
            raise ValueError(f"device {args.device!r} is not usable here ({error})") from error
        if (args.example is not None or spans) and not separator.model.takes_examples:
            raise ExampleError(
                "this model takes text queries only (it has no example encoder): "
                "use --checkpoint with a model trained with examples"
            )
        example = None
        if args.example is not None:  # read and checked once for all inputs
            example = (example_clip(args.example, separator.sample_rate), separator.sample_rate)
        if args.onnx:
            separator.use_onnx(args.onnx)
        captions = use_caption_ensemble(separator, args.caption_ensemble, args.query)
    except (FileNotFoundError, ValueError, CheckpointError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    hint = separator.query_hint(args.query) if args.query else None
    if hint:
        print(f"warning: {hint}", file=sys.stderr)
    if args.caption_ensemble and captions:
        listed = "; ".join(repr(c) for c in captions)
        print(f"caption ensemble: the masks for {listed} are averaged", file=sys.stderr)
    release_text_encoder(separator, [args.query, args.negative_query, *captions])
    print(describe_request(args, inputs), file=sys.stderr)
    failures = 0
    for (source, _), out in zip(tqdm(inputs, desc="files", disable=len(inputs) < 2), outputs):
        try:
            separator.separate_file(
                source,
                args.query,
                out,
                example=example,
                example_spans=spans,
                negative_query=args.negative_query,
                remove=args.remove,
                progress=True,
            )
        except ExampleError as error:  # a span outside this file: the user's to fix
            print(f"error: {error}", file=sys.stderr)
            return 2
        except AudioError as error:
            tqdm.write(f"error: {error}", file=sys.stderr)
            failures += 1
            continue
        tqdm.write(f"{source} -> {out}")
        if not args.remove:
            warn_if_quiet(separator, args)
    if failures:
        print(f"{failures} of {len(inputs)} file(s) failed", file=sys.stderr)
    return 1 if failures else 0


def warn_if_quiet(separator, args: argparse.Namespace) -> None:
    """Say so when the extracted sound came out far below its input (the model gave up)."""
    from tqdm import tqdm

    from querysep.separator import quiet_result_note

    query = shorten(args.query) if args.query else None
    note = quiet_result_note(separator.last_level_gap_db, query)
    if note:
        advice = "" if args.caption_ensemble else "try --caption-ensemble 3 or another wording; "
        tqdm.write(
            f"note: {note} ({advice}`querysep vocabulary` lists the sounds it knows)",
            file=sys.stderr,
        )


CAPTION_ENSEMBLE_HELP = (
    "average the masks for the K training captions nearest to the query: steadier on wordings "
    "the model was not trained on, K times the work (default 0: the query as typed)"
)


def use_caption_ensemble(separator, size: int, query: str | None) -> list[str]:
    """Set the separator's caption ensemble; the captions ``query`` will use (none: off)."""
    separator.use_caption_ensemble(size)
    return separator.ensemble_captions([query]) if size and query else []


def release_text_encoder(separator, queries: list[str | None]) -> None:
    """Encode the run's queries once (they stay cached) and free the text encoder's weights:
    every file of the run is separated with memory for the windows (docs/BENCHMARKS.md)."""
    queries = [query for query in queries if query]
    if queries:
        separator.encode_text(queries)
    separator.text_encoder.release()


def describe_request(args: argparse.Namespace, inputs: list) -> str:
    """e.g. ``extracting 'a dog barking' + example dog.wav + span 3.2-4.0 s in 1 file(s)``."""
    parts = [repr(shorten(args.query))] if args.query else []
    if args.example is not None:
        parts.append(f"example {Path(args.example).name}")
    parts += [f"span {text.replace(':', '-')} s" for text in args.example_span or []]
    mode = "removing" if args.remove else "extracting"
    negative = f", suppressing {shorten(args.negative_query)!r}" if args.negative_query else ""
    return f"{mode} {' + '.join(parts)}{negative} in {len(inputs)} file(s)"


def shorten(text: str, limit: int = 60) -> str:
    """``text`` for messages: at most ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _export_onnx(args: argparse.Namespace) -> int:
    from querysep.export import OnnxError, export_onnx, max_abs_difference
    from querysep.models.checkpoint import CheckpointError
    from querysep.separator import Separator

    try:
        separator = Separator.load(args.checkpoint)
        path = export_onnx(separator, args.out)
        error = max_abs_difference(separator, path)
    except CheckpointError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    except OnnxError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    print(
        f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB); max |mask difference| "
        f"against PyTorch on 10 s, 2 queries: {error:.2e}"
    )
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from querysep import evaluate as evaluation
    from querysep.audio.io import AudioError
    from querysep.clap import ClapError, load_clap
    from querysep.data.captions import CaptionError
    from querysep.data.clotho_recipe import ClothoError, build_clotho_spec
    from querysep.models.checkpoint import CheckpointError

    if bool(args.spec) != bool(args.audio_dir):
        usage = "--spec needs --audio-dir" if args.spec else "--audio-dir goes with --spec only"
        print(f"error: {usage}", file=sys.stderr)
        return 2
    try:
        clap = load_clap(args.clap) if args.clap else None
        if args.oracle:
            estimator, method = evaluation.ORACLES[args.oracle], f"oracle-{args.oracle}"
            if args.condition != "text":
                raise evaluation.SpecError("oracles take no query: --condition is for models")
        else:
            from querysep.separator import Separator

            try:
                separator = Separator.load(args.checkpoint)
            except CheckpointError as error:
                print(f"error: {error}", file=sys.stderr)
                return 2
            if args.condition != "text" and not separator.model.takes_examples:
                print(
                    f"error: --condition {args.condition} needs a model with an example "
                    "encoder; this one takes text queries only",
                    file=sys.stderr,
                )
                return 2
            try:
                use_caption_ensemble(separator, args.caption_ensemble, None)
            except ValueError as error:
                print(f"error: {error}", file=sys.stderr)
                return 2
            estimator = evaluation.model_estimator(separator, args.condition)
            method = str(args.checkpoint or "default")
            if args.caption_ensemble:
                method += f" (caption ensemble of {args.caption_ensemble})"
        spec, audio_dir = args.spec, args.audio_dir
        if args.clotho:
            spec, audio_dir = build_clotho_spec(
                args.clotho,
                args.out / "clotho_spec.csv",
                split=args.clotho_split,
                num_mixtures=args.num_mixtures,
                threshold=args.filter_threshold,
                snr_range=tuple(args.snr_range),
                seed=args.seed,
            )
            print(f"Clotho test set: {spec}")
        summary = evaluation.evaluate(
            spec,
            audio_dir,
            estimator,
            args.out,
            method=method,
            save_estimates=args.save_audio,
            clap=clap,
            noise_floor_dbfs=args.noise_floor_dbfs,
            condition=args.condition,
            class_queries=args.class_queries,
        )
    except (ClapError, ClothoError, CaptionError, evaluation.SpecError, AudioError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"{method}: SDR {summary['sdr']:.2f}  SDRi {summary['sdri']:.2f}  "
        f"SI-SDR {summary['si_sdr']:.2f}  SI-SDRi {summary['si_sdri']:.2f} dB "
        f"over {summary['count']} mixtures -> {args.out}/summary.json"
    )
    if clap is not None:
        print(f"CLAPScore {summary['clap_score']:.3f}  CLAPScore-A {summary['clap_score_a']:.3f}")
    return 0


def _corpus_build(args: argparse.Namespace) -> int:
    from querysep.data.corpus import PackageError, RenderError, build_corpus
    from querysep.data.corpus.build import OOD_PACKAGES as OOD

    try:
        stats = build_corpus(
            args.out,
            cache_dir=args.cache_dir,
            sample_rate=args.sample_rate,
            seed=args.seed,
            num_test_mixtures=args.num_test_mixtures,
            progress=not args.quiet,
            packages=args.packages,
            ood_packages=tuple(args.ood_packages) if args.ood_packages is not None else OOD,
        )
    except (PackageError, RenderError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(stats.summary())
    return 0


def _vocabulary(args: argparse.Namespace) -> int:
    from querysep.models.checkpoint import CheckpointError

    try:
        separator = _load_separator(args.checkpoint)
    except CheckpointError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    vocabulary = separator.vocabulary
    if vocabulary is None:
        print("this checkpoint does not say what it was trained on (no vocabulary)")
        return 0
    if args.query:
        for match in vocabulary.nearest(args.query, separator.text_encoder, k=args.nearest):
            print(f"{match.cosine:.2f}  {match.label:20s} {match.caption}")
        hint = separator.query_hint(args.query)
        print(f"\nwarning: {hint}" if hint else "\nthe query is close to the training captions")
        return 0
    by_class: dict[str, list[str]] = {}
    for caption, label in zip(vocabulary.captions, vocabulary.caption_classes, strict=True):
        by_class.setdefault(label, []).append(caption)
    print(f"{len(vocabulary.classes)} classes, {len(vocabulary.captions)} captions")
    for label in vocabulary.classes:
        captions = by_class.get(label, [])
        shown = captions if args.captions else captions[:3]
        more = "" if args.captions or len(captions) <= 3 else f"; … {len(captions) - 3} more"
        print(f"{label}: {'; '.join(shown)}{more}")
    return 0


def _load_separator(checkpoint):
    from querysep.separator import Separator

    return Separator.load(checkpoint)


def _serve(args: argparse.Namespace) -> int:
    from querysep.models.checkpoint import CheckpointError
    from querysep.separator import Separator
    from querysep.web.server import serve

    examples_dir = args.examples_dir
    if examples_dir is None and SHIPPED_EXAMPLES.is_dir():
        examples_dir = SHIPPED_EXAMPLES  # a clone's examples/ (not part of a wheel)
    options = {"examples_dir": examples_dir}
    if args.listening_items:
        options.update(listening_items=args.listening_items, database=args.database)
    try:
        separator = Separator.load(args.checkpoint)
    except CheckpointError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    serve(separator, host=args.host, port=args.port, **options)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="querysep", description="Language-queried audio source separation."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    separate = commands.add_parser(
        "separate",
        help="extract the sound a text query, an example recording or a time span describes",
    )
    separate.add_argument("inputs", nargs="+", type=Path, metavar="IN")
    separate.add_argument(
        "--query", help='e.g. "a dog barking" (give a query, an example, a span, or several)'
    )
    separate.add_argument(
        "--example", type=Path, metavar="FILE", help="a recording of the sound to extract"
    )
    separate.add_argument(
        "--example-span",
        action="append",
        metavar="START:END",
        help="seconds of the input where the sound plays, e.g. 3.2:4.0 (repeatable)",
    )
    separate.add_argument(
        "-o",
        "--output",
        type=Path,
        help="output file (one input, audio suffix) or folder (default: beside each input, "
        "as NAME_separated.wav or NAME_removed.wav)",
    )
    separate.add_argument(
        "--remove", action="store_true", help="return everything except the queried sound"
    )
    separate.add_argument(
        "--negative-query", metavar="TEXT", help="a sound to keep out of the result"
    )
    separate.add_argument(
        "--caption-ensemble", type=int, default=0, metavar="K", help=CAPTION_ENSEMBLE_HELP
    )
    separate.add_argument("--checkpoint", help="separator checkpoint (default: the shipped model)")
    separate.add_argument("--device", default="cpu", help="torch device (default: cpu)")
    separate.add_argument(
        "--onnx", type=Path, metavar="FILE", help="run the network from this ONNX export"
    )
    separate.set_defaults(run=_separate)

    export = commands.add_parser(
        "export-onnx", help="export the separation network to ONNX (text embeddings as input)"
    )
    export.add_argument("--out", required=True, type=Path, help="the .onnx file to write")
    export.add_argument("--checkpoint", help="separator checkpoint (default: the shipped model)")
    export.set_defaults(run=_export_onnx)

    evaluate = commands.add_parser(
        "evaluate", help="score a model or an oracle on a DCASE-format spec or Clotho"
    )
    test_set = evaluate.add_mutually_exclusive_group(required=True)
    test_set.add_argument("--spec", type=Path, help="CSV: source,noise,snr,caption")
    test_set.add_argument(
        "--clotho",
        type=Path,
        metavar="DIR",
        help="Clotho v2 folder: build the thesis' test set (OUT/clotho_spec.csv) and score it",
    )
    evaluate.add_argument("--audio-dir", type=Path, help="the folder --spec paths are relative to")
    method = evaluate.add_mutually_exclusive_group()
    method.add_argument("--checkpoint", help="separator checkpoint (default: the shipped model)")
    method.add_argument("--oracle", choices=["identity", "irm", "ibm"])
    evaluate.add_argument("--out", required=True, type=Path)
    evaluate.add_argument(
        "--noise-floor-dbfs",
        type=float,
        metavar="DBFS",
        help="add white noise of this RMS level to every mixture (a robustness check; "
        "off: the DCASE protocol exactly)",
    )
    evaluate.add_argument(
        "--condition",
        choices=CONDITIONS,
        default="text",
        help="the query: the caption (text, default: the DCASE protocol), a 1-2 s span where the "
        "source is active (span), another recording of its class (example), or text with one",
    )
    evaluate.add_argument(
        "--caption-ensemble", type=int, default=0, metavar="K", help=CAPTION_ENSEMBLE_HELP
    )
    evaluate.add_argument(
        "--class-queries",
        action="store_true",
        help="query each row by its class name (spec column class) instead of its caption, as "
        "users often type",
    )
    evaluate.add_argument("--save-audio", action="store_true", help="keep OUT/estimates/<row>.wav")
    evaluate.add_argument(
        "--clap", type=Path, metavar="PATH", help="local CLAP folder: adds CLAPScore, CLAPScore-A"
    )
    clotho = evaluate.add_argument_group("Clotho test set (with --clotho)")
    clotho.add_argument("--clotho-split", default="evaluation", help="default: evaluation")
    clotho.add_argument("--num-mixtures", type=int, default=2500, help="default: 2500")
    clotho.add_argument(
        "--filter-threshold", type=float, default=0.75, help="max mixture/source cosine (0.75)"
    )
    clotho.add_argument(
        "--snr-range",
        nargs=2,
        type=int,
        default=[0, 0],
        metavar=("LOW", "HIGH"),
        help="integer SNRs drawn from [LOW, HIGH] dB (default: 0 0, equal power)",
    )
    clotho.add_argument("--seed", type=int, default=0)
    evaluate.set_defaults(run=_evaluate)

    corpus = commands.add_parser("corpus", help="the offline captioned corpus")
    corpus_commands = corpus.add_subparsers(dest="corpus_command", required=True)
    build = corpus_commands.add_parser(
        "build", help="build it from Debian packages (apt-get download, dpkg-deb -x)"
    )
    build.add_argument("--out", required=True, type=Path)
    build.add_argument(
        "--cache-dir", type=Path, help="downloads and extractions (default: ~/.cache)"
    )
    build.add_argument("--sample-rate", type=int, default=16000)
    build.add_argument("--seed", type=int, default=0)
    build.add_argument("--num-test-mixtures", type=int, default=300)
    build.add_argument(
        "--packages", nargs="+", metavar="NAME", help="build from these sources only (default: all)"
    )
    build.add_argument(
        "--ood-packages",
        nargs="*",
        metavar="NAME",
        help="packages held out whole as test_ood (default: the documented choice; none: off)",
    )
    build.add_argument("--quiet", action="store_true", help="no progress bars")
    build.set_defaults(run=_corpus_build)

    vocabulary = commands.add_parser(
        "vocabulary", help="the classes and captions the model was trained on"
    )
    vocabulary.add_argument("--checkpoint", help="separator checkpoint (default: shipped)")
    vocabulary.add_argument("--captions", action="store_true", help="every caption per class")
    vocabulary.add_argument("--query", help="show the training captions nearest to a query")
    vocabulary.add_argument("--nearest", type=int, default=5, help="how many (with --query)")
    vocabulary.set_defaults(run=_vocabulary)

    serve = commands.add_parser("serve", help="the web demo, JSON API and listening test")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--checkpoint", help="separator checkpoint (default: the shipped model)")
    serve.add_argument(
        "--examples-dir",
        type=Path,
        help="example mixtures offered on the page (default: the repository's examples/)",
    )
    serve.add_argument("--listening-items", type=Path, help="listening-test items: folder or CSV")
    serve.add_argument(
        "--database", type=Path, default=Path("ratings.sqlite"), help="SQLite file for ratings"
    )
    serve.set_defaults(run=_serve)

    train = commands.add_parser("train", help="train a separator from a YAML config")
    train.add_argument("--config", required=True, type=Path)
    train.add_argument("overrides", nargs="*", metavar="key=value", help="e.g. train.batch_size=8")
    train.add_argument("--resume", help="a checkpoint to resume, or 'last' for this run's latest")
    train.set_defaults(run=_train)
    return parser


RESTART_WITH_ALLOCATOR = ("separate", "serve")  # long files and a long-lived server


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if argv is None and args.command in RESTART_WITH_ALLOCATOR:  # the command line, not a test
        from querysep.allocator import AllocatorError, restart_with_allocator

        try:
            restart_with_allocator()  # returns when none is installed or one is in use
        except AllocatorError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
