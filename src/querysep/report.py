"""Pictures and a Markdown report for an evaluation folder (matplotlib, no display)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def write_plots(out_dir: Path, results: list[dict]) -> list[Path]:
    """SDRi histogram, SDRi against input SNR, and per-class bars when classes exist."""
    sdri = np.array([r["sdri"] for r in results])
    paths = []

    figure, axis = plt.subplots(figsize=(6, 4))
    axis.hist(sdri, bins=min(40, max(5, len(sdri) // 5)), color="#3a7ca5")
    axis.axvline(sdri.mean(), color="black", linestyle="--", label=f"mean {sdri.mean():.2f} dB")
    axis.set(xlabel="SDRi (dB)", ylabel="mixtures", title="SDR improvement")
    axis.legend()
    paths.append(_save(figure, out_dir / "sdri_hist.png"))

    snr = np.array([float(r["snr"]) for r in results])
    figure, axis = plt.subplots(figsize=(6, 4))
    axis.scatter(snr, sdri, s=10, alpha=0.6, color="#3a7ca5")
    axis.axhline(0, color="grey", linewidth=0.8)
    axis.set(xlabel="input SNR (dB)", ylabel="SDRi (dB)", title="SDRi against input SNR")
    paths.append(_save(figure, out_dir / "sdri_vs_snr.png"))

    if results and "class" in results[0]:
        classes = sorted({r["class"] for r in results})
        means = [np.mean([r["sdri"] for r in results if r["class"] == c]) for c in classes]
        order = np.argsort(means)
        figure, axis = plt.subplots(figsize=(6, max(3, 0.25 * len(classes))))
        axis.barh([classes[i] for i in order], [means[i] for i in order], color="#3a7ca5")
        axis.axvline(0, color="grey", linewidth=0.8)
        axis.set(xlabel="mean SDRi (dB)", title="SDRi per target class")
        paths.append(_save(figure, out_dir / "per_class.png"))
    return paths


def write_report(out_dir: Path, summary: dict) -> Path:
    lines = [
        f"# Evaluation: {summary['method']}",
        "",
        f"Spec: `{summary['spec']}` — {summary['count']} mixtures (DCASE 2024 Task 9 protocol).",
        "",
        "| metric | mean | std |",
        "|---|---:|---:|",
    ]
    for name in ("sdr", "sdri", "si_sdr", "si_sdri"):
        lines.append(f"| {name} | {summary[name]:.2f} | {summary[name + '_std']:.2f} |")
    for name in ("clap_score", "clap_score_a"):  # cosines, present when run with --clap
        if name in summary:
            lines.append(f"| {name} | {summary[name]:.3f} | {summary[name + '_std']:.3f} |")
    if "closer_to_mixture" in summary:
        lines += [
            "",
            f"Estimate closer to the mixture than to the target in "
            f"{100 * summary['closer_to_mixture']:.1f} % of the mixtures.",
        ]
    if "near_silent" in summary:
        lines.append(
            f"Near-silent estimate (energy 10 dB or more below the target's) in "
            f"{100 * summary['near_silent']:.1f} % of the mixtures."
        )
    if summary.get("per_snr_band"):
        lines += [
            "",
            "| input SNR band | count | SDRi | SI-SDRi | near-silent | closer to mixture |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for band, stats in summary["per_snr_band"].items():
            low, high = band.removeprefix("snr_").split("_", 1)
            lines.append(
                f"| {low} to {high} dB | {stats['count']} | {stats['sdri']:.2f} "
                f"| {stats['si_sdri']:.2f} | {_share(stats, 'near_silent')} "
                f"| {_share(stats, 'closer_to_mixture')} |"
            )
    lines += ["", "![SDRi histogram](sdri_hist.png)", "", "![SDRi vs SNR](sdri_vs_snr.png)", ""]
    if "per_class" in summary:
        lines += [
            "## Per class",
            "",
            "| class | count | SDRi | SI-SDRi | near-silent | closer to mixture |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, stats in summary["per_class"].items():
            lines.append(
                f"| {name} | {stats['count']} | {stats['sdri']:.2f} | {stats['si_sdri']:.2f} "
                f"| {_share(stats, 'near_silent')} | {_share(stats, 'closer_to_mixture')} |"
            )
        lines += ["", "![per class](per_class.png)", ""]
    path = out_dir / "report.md"
    path.write_text("\n".join(lines))
    return path


def _share(stats: dict, name: str) -> str:
    """A 0..1 share as a whole percentage, or a dash when the evaluation did not measure it."""
    return f"{100 * stats[name]:.0f} %" if name in stats else "–"


def _save(figure, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path
