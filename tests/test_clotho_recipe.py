"""The thesis' Clotho test set, on a small synthetic folder in the official Clotho v2 layout."""

import csv
import json

import numpy as np
import pytest

from querysep import evaluate as evaluation
from querysep.audio.io import save_audio
from querysep.cli import main
from querysep.data.clotho_recipe import ClothoError, build_clotho_spec
from querysep.data.filtering import waveform_similarity
from tests.conftest import noise_burst, tone

FILE_RATE = 44100  # Clotho's rate; the recipe reads at 16 kHz
THRESHOLD = 0.75


def write_clotho(folder, split="evaluation"):
    """Six clips whose pairs fall on both sides of the 0.75 filter (noisy sources mostly fail)."""
    sounds = {
        "low hum.wav": tone(220, 2.0, FILE_RATE),
        "high, whistle.wav": tone(3000, 1.5, FILE_RATE),
        "hiss.wav": noise_burst(1, 2.0, FILE_RATE),
        "rumble.wav": np.convolve(noise_burst(2, 2.5, FILE_RATE), np.ones(110) / 110, "same"),
        "chirp.wav": tone(500, 2.0, FILE_RATE) * np.linspace(0, 1, 2 * FILE_RATE),
        "quiet.wav": tone(880, 1.0, FILE_RATE, amplitude=0.05),
    }
    (folder / split).mkdir(parents=True)
    with (folder / f"clotho_captions_{split}.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file_name", *(f"caption_{k}" for k in range(1, 6))])
        for name, waveform in sounds.items():
            save_audio(folder / split / name, waveform.astype(np.float32), FILE_RATE)
            writer.writerow([name, *(f"{name[:-4]} caption {k}" for k in range(1, 6))])
    return folder


def read_rows(path):
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def clotho(tmp_path):
    return write_clotho(tmp_path / "clotho")


def test_spec_is_deterministic_for_a_seed(clotho, tmp_path):
    def build(seed, name):
        spec, _ = build_clotho_spec(
            clotho, tmp_path / name, num_mixtures=8, seed=seed, snr_range=(-15, 15), progress=False
        )
        return spec.read_text()

    first = build(0, "a.csv")
    assert build(0, "b.csv") == first
    assert build(1, "c.csv") != first


def test_rows_are_distinct_pairs_that_pass_the_filter(clotho, tmp_path):
    spec, audio_dir = build_clotho_spec(
        clotho, tmp_path / "spec.csv", num_mixtures=100, snr_range=(-15, 15), progress=False
    )
    assert audio_dir == clotho / "evaluation"
    rows = evaluation.read_spec(spec)  # the DCASE format evaluate reads
    assert list(rows[0]) == ["source", "noise", "snr", "caption", "similarity"]
    pairs = [(row["source"], row["noise"]) for row in rows]
    assert len(set(pairs)) == len(pairs) and all(source != noise for source, noise in pairs)
    assert {row["source"] for row in rows} >= {"low hum.wav", "high, whistle.wav", "chirp.wav"}
    for row in rows:
        assert row["caption"] == f"{row['source'][:-4]} caption 1"
        assert -15 <= int(row["snr"]) <= 15
        item = evaluation.make_mixture(row, audio_dir)  # the mixture the DCASE rule makes
        similarity = waveform_similarity(item.mixture, item.source)
        assert similarity <= THRESHOLD
        assert similarity == pytest.approx(float(row["similarity"]), abs=1e-6)


def test_the_filter_rejects_similar_pairs(clotho, tmp_path):
    spec, audio_dir = build_clotho_spec(clotho, tmp_path / "spec.csv", num_mixtures=100)
    kept = {(row["source"], row["noise"]) for row in read_rows(spec)}
    names = [row["file_name"] for row in read_rows(clotho / "clotho_captions_evaluation.csv")]
    rejected = set()
    for source in names:
        for noise in names:
            row = {"source": source, "noise": noise, "snr": "0", "caption": "x"}
            item = evaluation.make_mixture(row, audio_dir)
            if source != noise and waveform_similarity(item.mixture, item.source) > THRESHOLD:
                rejected.add((source, noise))
    assert rejected and kept and not kept & rejected  # snr 0 by default: same mixtures


def test_missing_layout_is_a_clear_error(tmp_path):
    with pytest.raises(ClothoError, match="clotho_captions_evaluation.csv not found"):
        build_clotho_spec(tmp_path, tmp_path / "spec.csv")
    write_clotho(tmp_path, split="validation")
    with pytest.raises(ClothoError, match="official Clotho v2 layout"):
        build_clotho_spec(tmp_path, tmp_path / "spec.csv")
    spec, audio_dir = build_clotho_spec(
        tmp_path, tmp_path / "spec.csv", split="validation", num_mixtures=3, progress=False
    )
    assert audio_dir == tmp_path / "validation" and len(read_rows(spec)) == 3


def test_cli_builds_and_evaluates_the_clotho_test_set(clotho, tmp_path, capsys):
    out = tmp_path / "out"
    command = ["evaluate", "--clotho", str(clotho), "--oracle", "irm", "--out", str(out)]
    assert main([*command, "--num-mixtures", "6", "--snr-range", "-5", "5"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    rows = read_rows(out / "clotho_spec.csv")
    assert summary["count"] == len(rows) == 6 and summary["sdri"] > 5
    assert summary["spec"] == str(out / "clotho_spec.csv")
    assert [r["source"] for r in read_rows(out / "rows.csv")] == [r["source"] for r in rows]

    assert main([*command, "--audio-dir", str(clotho)]) == 2
    assert "--audio-dir goes with --spec only" in capsys.readouterr().err
    assert main([*command[:3], "--oracle", "irm", "--out", str(out), "--clotho-split", "x"]) == 1
    assert "clotho_captions_x.csv not found" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # argparse: --spec and --clotho are mutually exclusive
        main([*command, "--spec", str(out / "clotho_spec.csv")])
    assert "not allowed with argument" in capsys.readouterr().err
