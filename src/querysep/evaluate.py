"""Evaluation following the DCASE 2024 Task 9 protocol exactly.

The spec CSV has ``source,noise,snr,caption`` (extra columns such as ``class`` are kept);
audio is read at 16 kHz mono. Each row: the noise is scaled to ``snr`` and added to the
source (peak rule 0.9/max, see :func:`querysep.data.mixing.mix_at_snr`), the estimator
separates the mixture by the caption, and SDR, SDRi, SI-SDR, SI-SDRi are computed with
:mod:`querysep.metrics`. Oracles run on the same rows: identity (the mixture as the
estimate), and the ideal ratio and binary masks computed from the true source and noise with
the default STFT (n_fft 512, hop 256: the default model's) and applied with the mixture's
phase, the ceiling of that model's method. With a CLAP model
(:mod:`querysep.clap`), each row also gets CLAPScore (caption ↔ estimate) and CLAPScore-A
(estimate ↔ reference).

Conditions (``condition``): the query is the caption (``text``, the DCASE protocol), a span
of the mixture where the source is active (``span``: 1-2 s placed from the reference, as a
user would mark it), another recording of the source's class (``example``: from the audio
folder's ``metadata.csv``, a different recording of the same class, its most active 4 s), or
text and span together (``text+span``). Rows without another recording of their class are
left out of the ``example`` condition (and counted).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from querysep.audio.io import load_audio, save_audio
from querysep.audio.stft import istft, stft
from querysep.clap import CLAP_METRICS, ClapScorer
from querysep.data.mixing import active_span, mix_at_snr
from querysep.examples import CONDITIONS
from querysep.metrics import sdr, sdri, si_sdr, si_sdri

SAMPLE_RATE = 16000
REQUIRED_COLUMNS = ("source", "noise", "snr", "caption")
METRICS = ("sdr", "sdri", "si_sdr", "si_sdri")
# 1 where the estimate is closer (mean squared error) to the mixture than to the target: the
# "copies the mixture" failure the thesis describes; its mean is the share of such rows
COPIES_MIXTURE = "closer_to_mixture"
# 1 where the estimate's energy is at least NEAR_SILENT_DB below the target's: the model gave
# up (a silent output still scores SDRi = -SNR, which flatters it at low input SNR)
NEAR_SILENT = "near_silent"
NEAR_SILENT_DB = 10.0
SNR_BANDS = {"snr_-15_-5": (-15.0, -5.0), "snr_-4_4": (-4.0, 4.0), "snr_5_15": (5.0, 15.0)}
SPAN_SECONDS = (1.0, 2.0)  # span queries: drawn length, placed where the source is active
EXAMPLE_SECONDS = 4.0  # example queries: the most active 4 s of another recording


class SpecError(ValueError):
    """A spec CSV that does not follow the DCASE format; names the file and line."""


@dataclass
class Mixture:
    source: np.ndarray  # (time,) the reference after the peak rule
    noise: np.ndarray  # (time,) mixture − source
    mixture: np.ndarray  # (time,)
    caption: str
    span: tuple[float, float] | None = None  # seconds of the mixture (span conditions)
    example: np.ndarray | None = None  # (time,) another recording (example conditions)


# An estimator maps a mixture (with its oracle parts, which only oracles may look at) to audio.
Estimator = Callable[[Mixture], np.ndarray]


def read_spec(path: str | Path) -> list[dict[str, str]]:
    path = Path(path)
    if not path.is_file():
        raise SpecError(f"{path}: spec file not found")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SpecError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = list(reader)
    for line, row in enumerate(rows, start=2):
        try:
            float(row["snr"])
        except (TypeError, ValueError):
            raise SpecError(f"{path}:{line}: snr {row['snr']!r} is not a number") from None
        if not row["source"] or not row["noise"] or not row["caption"]:
            raise SpecError(f"{path}:{line}: source, noise and caption must not be empty")
    if not rows:
        raise SpecError(f"{path}: no rows")
    return rows


def make_mixture(row: dict[str, str], audio_dir: Path) -> Mixture:
    source = load_audio(audio_dir / row["source"], SAMPLE_RATE, mono=True)[0][0]
    noise = load_audio(audio_dir / row["noise"], SAMPLE_RATE, mono=True)[0][0]
    source, mixture = mix_at_snr(source, noise, float(row["snr"]))
    return Mixture(source=source, noise=mixture - source, mixture=mixture, caption=row["caption"])


def with_noise_floor(item: Mixture, level_dbfs: float, *, seed: int) -> Mixture:
    """``item`` with seeded white noise of RMS ``level_dbfs`` added to the mixture (and so to
    the part that is not the source)."""
    rng = np.random.default_rng([seed, 60])
    floor = (10 ** (level_dbfs / 20) * rng.standard_normal(item.mixture.size)).astype(np.float32)
    return Mixture(
        item.source, item.noise + floor, item.mixture + floor, item.caption, item.span, item.example
    )


def query_span(source: np.ndarray, *, seed: int) -> tuple[float, float]:
    """A 1-2 s span (seconds) where ``source`` is active, seeded by the row."""
    rng = np.random.default_rng([seed, 16])
    length = min(int(rng.uniform(*SPAN_SECONDS) * SAMPLE_RATE), source.size)
    start = active_span(source, length, rng)
    return start / SAMPLE_RATE, (start + length) / SAMPLE_RATE


class ExampleFinder:
    """Another recording of a class, from an audio folder's ``metadata.csv``
    (``file_name,class,...,recording``); seeded choice, most active 4 s."""

    def __init__(self, audio_dir: Path) -> None:
        self.audio_dir = audio_dir
        metadata = audio_dir / "metadata.csv"
        if not metadata.is_file():
            raise SpecError(f"{metadata}: example queries need the folder's metadata.csv")
        with metadata.open(newline="", encoding="utf-8") as handle:
            self.rows = list(csv.DictReader(handle))
        self.recording = {r["file_name"]: r.get("recording", r["file_name"]) for r in self.rows}

    def find(self, source_name: str, label: str, *, seed: int) -> tuple[str, np.ndarray] | None:
        """(file name, clip) of another recording of ``label``, or None if there is none."""
        recording = self.recording.get(source_name, source_name)
        others = sorted(
            r["file_name"]
            for r in self.rows
            if r["class"] == label and r.get("recording", r["file_name"]) != recording
        )
        if not others:
            return None
        rng = np.random.default_rng([seed, 17])
        name = others[int(rng.integers(len(others)))]
        clip = load_audio(self.audio_dir / name, SAMPLE_RATE, mono=True)[0][0]
        length = min(int(EXAMPLE_SECONDS * SAMPLE_RATE), clip.size)
        start = active_span(clip, length, rng)
        return name, clip[start : start + length]


# -- estimators ------------------------------------------------------------------------
def identity_oracle(item: Mixture) -> np.ndarray:
    return item.mixture.copy()


def _mask_oracle(mask_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> Estimator:
    def estimate(item: Mixture) -> np.ndarray:
        mixture_spec = stft(torch.from_numpy(item.mixture))
        source_mag = stft(torch.from_numpy(item.source)).abs()
        noise_mag = stft(torch.from_numpy(item.noise)).abs()
        mask = mask_fn(source_mag, noise_mag)  # applied to the mixture: mixture phase
        return istft(mixture_spec * mask, length=item.mixture.size).numpy()

    return estimate


ideal_ratio_mask = _mask_oracle(lambda s, n: s / (s + n).clamp_min(1e-8))
ideal_binary_mask = _mask_oracle(lambda s, n: (s > n).float())
ORACLES: dict[str, Estimator] = {
    "identity": identity_oracle,
    "irm": ideal_ratio_mask,
    "ibm": ideal_binary_mask,
}


def model_estimator(separator, condition: str = "text") -> Estimator:
    """The separator queried by the row's caption, span, example, or text and one of them."""
    if condition not in CONDITIONS:
        raise ValueError(f"condition must be one of {', '.join(CONDITIONS)}, got {condition!r}")
    sides = set(condition.split("+"))

    def estimate(item: Mixture) -> np.ndarray:
        return separator.separate(
            item.mixture,
            SAMPLE_RATE,
            item.caption if "text" in sides else None,
            example=(item.example, SAMPLE_RATE) if "example" in sides else None,
            example_spans=[item.span] if "span" in sides else None,
        )

    return estimate


# -- evaluation ------------------------------------------------------------------------
def evaluate(
    spec: str | Path,
    audio_dir: str | Path,
    estimator: Estimator,
    out_dir: str | Path,
    *,
    method: str,
    save_estimates: bool = False,
    clap: ClapScorer | None = None,
    progress: bool = True,
    noise_floor_dbfs: float | None = None,
    condition: str = "text",
    class_queries: bool = False,
) -> dict:
    """Evaluate ``estimator`` on every spec row; writes rows.csv, summary.json, plots, report.

    With ``clap``, rows and summary also get ``clap_score`` and ``clap_score_a``.
    ``noise_floor_dbfs`` (off: the DCASE protocol exactly) adds seeded white noise of that
    RMS level to every mixture, as a recording's noise floor: a robustness check.
    ``condition`` names the query the estimator gets (see the module docstring): each row's
    span and example are placed here, so every estimator sees the same ones.
    ``class_queries`` queries each row by its class name ("gun reload") instead of its
    caption, as users often type (off: the DCASE protocol exactly).
    """
    rows = read_spec(spec)
    audio_dir, out_dir = Path(audio_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if class_queries and rows and "class" not in rows[0]:
        raise SpecError(f"{spec}: class-name queries need a class column")
    finder = None
    if "example" in condition:
        if rows and "class" not in rows[0]:
            raise SpecError(f"{spec}: example queries need a class column")
        finder = ExampleFinder(audio_dir)
    results, skipped = [], 0
    for index, row in enumerate(tqdm(rows, desc=f"evaluating {method}", disable=not progress)):
        item = make_mixture(row, audio_dir)
        extra = {}
        if class_queries:
            item.caption = extra["query"] = row["class"].replace("_", " ")
        if "span" in condition:
            item.span = query_span(item.source, seed=index)
            extra.update(span_start=f"{item.span[0]:.3f}", span_end=f"{item.span[1]:.3f}")
        if finder is not None:
            found = finder.find(row["source"], row["class"], seed=index)
            if found is None:
                skipped += 1
                continue
            extra["example"], item.example = found
        if noise_floor_dbfs is not None:
            item = with_noise_floor(item, noise_floor_dbfs, seed=index)
        estimate = np.asarray(estimator(item), dtype=np.float32).reshape(-1)
        if save_estimates:
            save_audio(out_dir / "estimates" / f"{index}.wav", estimate, SAMPLE_RATE)
        result = {"row": index, **row, **extra, **score(item.source, estimate, item.mixture)}
        if clap is not None:
            result.update(clap.score(item.caption, estimate, item.source, SAMPLE_RATE))
        results.append(result)
    if not results:
        raise SpecError(f"{spec}: no row has another recording of its class for examples")
    summary = summarize(results, method=method, spec=str(spec))
    summary["condition"] = condition
    if class_queries:
        summary["queries"] = "class names"
    if skipped:
        summary["rows_without_example"] = skipped
    if noise_floor_dbfs is not None:
        summary["noise_floor_dbfs"] = noise_floor_dbfs
    if clap is not None:
        summary["clap_model"] = clap.name
    write_rows(out_dir / "rows.csv", results)
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2))
    from querysep.report import write_plots, write_report

    write_plots(out_dir, results)
    write_report(out_dir, summary)
    return summary


def score(source: np.ndarray, estimate: np.ndarray, mixture: np.ndarray) -> dict[str, float]:
    to_mixture = float(np.mean(np.square(estimate - mixture, dtype=np.float64)))
    to_source = float(np.mean(np.square(estimate - source, dtype=np.float64)))
    estimate_energy = float(np.mean(np.square(estimate, dtype=np.float64)))
    source_energy = float(np.mean(np.square(source, dtype=np.float64)))
    return {
        "sdr": sdr(source, estimate),
        "sdri": sdri(source, estimate, mixture),
        "si_sdr": si_sdr(source, estimate),
        "si_sdri": si_sdri(source, estimate, mixture),
        COPIES_MIXTURE: float(to_mixture < to_source),
        NEAR_SILENT: float(estimate_energy <= source_energy * 10 ** (-NEAR_SILENT_DB / 10)),
    }


def _stats(results: list[dict]) -> dict[str, float]:
    out: dict[str, float] = {}
    shares = (COPIES_MIXTURE, NEAR_SILENT)
    for name in [m for m in (*METRICS, *shares, *CLAP_METRICS) if m in results[0]]:
        values = np.array([r[name] for r in results], dtype=np.float64)
        out[name] = float(values.mean())
        out[f"{name}_std"] = float(values.std())
    out["count"] = len(results)
    return out


def summarize(results: list[dict], *, method: str, spec: str) -> dict:
    summary = {"method": method, "spec": spec, **_stats(results)}
    bands = {}  # SDRi by input SNR: the model's behaviour when the target is quiet or loud
    for band, (low, high) in SNR_BANDS.items():
        rows = [r for r in results if low <= float(r["snr"]) <= high]
        if rows:
            bands[band] = _stats(rows)
    summary["per_snr_band"] = bands
    if results and "class" in results[0]:
        classes = sorted({r["class"] for r in results})
        summary["per_class"] = {
            name: _stats([r for r in results if r["class"] == name]) for name in classes
        }
    return summary


def write_rows(path: Path, results: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(results[0]))
        writer.writeheader()
        writer.writerows(results)
