"""Side-by-side tables of ``querysep evaluate`` reports (the model card's tables).

Each report folder holds the ``summary.json`` and ``rows.csv`` that ``querysep evaluate``
writes. Prints two markdown tables: one row per report (overall, per input-SNR band, the
closer-to-mixture and near-silent shares), then per class, worst first by the last report,
with every report's SDRi and SI-SDRi beside it. With two reports or more, a third table gives
each later report's paired difference from the first (the same mixtures), overall and per
band, with a 95 % interval: differences of a few tenths of a dB on 300 rows are often noise.
With ``--train-metadata`` (a corpus's ``train/metadata.csv``), a last table groups the rows by
how many training packages the target's class comes from: out of the package, that support
is what a class's quality follows (docs/MODEL_CARD.md).

    .venv/bin/python benchmarks/compare_reports.py NAME=DIR [NAME=DIR ...] \
        [--train-metadata data/corpus/train/metadata.csv]

e.g. ``v2@10k=docs/evaluation/model_v2_step10000/test_ood v2@14k=runs/eval14k/test_ood``.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from querysep.evaluate import SNR_BANDS  # band name -> (lowest, highest) input SNR in dB


def load(folder: Path) -> tuple[dict, list[dict]]:
    summary = json.loads((folder / "summary.json").read_text())
    with open(folder / "rows.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return summary, rows


def per_class(rows: list[dict]) -> dict[str, dict[str, float]]:
    """class -> mean SDRi, SI-SDRi, near-silent share and row count."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["class"], []).append(row)
    return {
        name: {"count": len(group)}
        | {key: mean(group, key) for key in ("sdri", "si_sdri", "near_silent")}
        for name, group in groups.items()
    }


def mean(rows: list[dict], key: str) -> float:
    return sum(float(row[key]) for row in rows) / len(rows)


def summary_table(reports: dict[str, tuple[dict, list[dict]]]) -> str:
    lines = [
        "| model | rows | SDR | SDRi | SI-SDR | SI-SDRi | SDRi / SI-SDRi at −15…−5 dB "
        "| at −4…4 dB | at 5…15 dB | closer to mixture | near-silent |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, (summary, _) in reports.items():
        bands = [summary["per_snr_band"].get(band) for band in SNR_BANDS]
        cells = [f"{b['sdri']:.2f} / {b['si_sdri']:.2f}" if b else "–" for b in bands]
        lines.append(
            f"| {name} | {summary['count']} | {summary['sdr']:.2f} | {summary['sdri']:.2f} "
            f"| {summary['si_sdr']:.2f} | {summary['si_sdri']:.2f} | {' | '.join(cells)} "
            f"| {summary['closer_to_mixture']:.0%} | {summary['near_silent']:.0%} |"
        )
    return "\n".join(lines).replace("%", " %")


def class_table(reports: dict[str, tuple[dict, list[dict]]]) -> str:
    classes = {name: per_class(rows) for name, (_, rows) in reports.items()}
    last = list(classes)[-1]
    order = sorted(classes[last], key=lambda c: classes[last][c]["sdri"])
    header = " | ".join(f"{n} SDRi | {n} SI-SDRi" for n in classes)
    lines = [
        f"| class | rows | {header} | {last} near-silent |",
        "|---|---:|" + "---:|" * (2 * len(classes) + 1),
    ]
    for name in order:
        cells = []
        for figures in classes.values():
            row = figures.get(name)
            cells += [f"{row['sdri']:.2f}", f"{row['si_sdri']:.2f}"] if row else ["–", "–"]
        near_silent = f"{classes[last][name]['near_silent']:.0%}".replace("%", " %")
        count = classes[last][name]["count"]
        lines.append(f"| {name} | {count} | {' | '.join(cells)} | {near_silent} |")
    return "\n".join(lines)


def paired_difference(values: list[float]) -> str:
    """Mean of per-row differences with a normal 95 % interval (1.96 standard errors)."""
    n = len(values)
    if n < 2:
        return "–"
    average = sum(values) / n
    variance = sum((v - average) ** 2 for v in values) / (n - 1)
    half_width = 1.96 * (variance / n) ** 0.5
    return f"{average:+.2f} ± {half_width:.2f}"


def difference_table(reports: dict[str, tuple[dict, list[dict]]]) -> str:
    """Each later report minus the first, row by row (rows matched by mixture)."""
    names = list(reports)
    first = {mixture_key(row): row for row in reports[names[0]][1]}
    lines = [
        f"| minus {names[0]} | rows | SDRi | SI-SDRi | SI-SDRi at −15…−5 dB | at −4…4 dB "
        "| at 5…15 dB | near-silent share |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in names[1:]:
        pairs = [(first[mixture_key(row)], row) for row in reports[name][1]
                 if mixture_key(row) in first]  # fmt: skip
        cells = [paired_difference([float(b[k]) - float(a[k]) for a, b in pairs])
                 for k in ("sdri", "si_sdri")]  # fmt: skip
        for low, high in SNR_BANDS.values():
            in_band = [(a, b) for a, b in pairs if low <= float(a["snr"]) <= high]
            cells.append(
                paired_difference([float(b["si_sdri"]) - float(a["si_sdri"]) for a, b in in_band])
            )
        cells.append(paired_difference([float(b["near_silent"]) - float(a["near_silent"])
                                         for a, b in pairs]))  # fmt: skip
        lines.append(f"| {name} | {len(pairs)} | {' | '.join(cells)} |")
    return "\n".join(lines)


# training packages per target class: (lowest, highest), label; 0 = not in training
SUPPORT_BINS = (((0, 0), "none"), ((1, 2), "1–2"), ((3, 4), "3–4"), ((5, 7), "5–7"),
                ((8, 10**9), "8 or more"))  # fmt: skip


def packages_per_class(metadata: Path) -> dict[str, int]:
    """class -> number of distinct packages its training clips come from."""
    with open(metadata, newline="") as handle:
        packages: dict[str, set[str]] = {}
        for clip in csv.DictReader(handle):
            packages.setdefault(clip["class"], set()).add(clip["package"])
    return {name: len(found) for name, found in packages.items()}


def support_table(reports: dict[str, tuple[dict, list[dict]]], packages: dict[str, int]) -> str:
    """Rows grouped by how many training packages the target's class comes from."""
    header = " | ".join(f"{n} SDRi / SI-SDRi | near-silent" for n in reports)
    lines = [
        f"| training packages of the target class | rows | {header} |",
        "|---|---:|" + "---:|---:|" * len(reports),
    ]
    for (low, high), label in SUPPORT_BINS:
        cells, count = [], 0
        for _, rows in reports.values():
            group = [row for row in rows if low <= packages.get(row["class"], 0) <= high]
            count = len(group)
            if group:
                near_silent = f"{mean(group, 'near_silent'):.0%}".replace("%", " %")
                cells += [f"{mean(group, 'sdri'):.2f} / {mean(group, 'si_sdri'):.2f}", near_silent]
        if count:
            lines.append(f"| {label} | {count} | {' | '.join(cells)} |")
    return "\n".join(lines)


def mixture_key(row: dict) -> tuple[str, str, str]:
    return row["source"], row["noise"], row["snr"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="+", help="NAME=DIR: a querysep evaluate report folder")
    parser.add_argument(
        "--train-metadata",
        type=Path,
        metavar="CSV",
        help="the training split's metadata.csv: adds rows grouped by the target class's packages",
    )
    args = parser.parse_args()
    reports = {}
    for item in args.reports:
        name, _, folder = item.partition("=")
        if not folder:
            parser.error(f"expected NAME=DIR, got {item!r}")
        reports[name] = load(Path(folder))
    print(summary_table(reports))
    print()
    print(class_table(reports))
    if len(reports) > 1:
        print()
        print(difference_table(reports))
    if args.train_metadata is not None:
        print()
        print(support_table(reports, packages_per_class(args.train_metadata)))


if __name__ == "__main__":
    main()
