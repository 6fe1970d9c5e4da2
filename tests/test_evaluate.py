import csv
import json

import numpy as np
import pytest

from querysep import evaluate as evaluation
from querysep.audio.io import load_audio, save_audio
from querysep.cli import main
from querysep.metrics import sdr, sdri, si_sdri
from tests.conftest import noise_burst, tone


@pytest.fixture
def spec(tmp_path):
    audio_dir = tmp_path / "audio"
    sounds = {
        "low.wav": tone(200, 2.0),
        "high.wav": tone(3000, 2.0, amplitude=0.8),
        "hiss.wav": noise_burst(0, 1.5),
        "beep.wav": tone(1000, 2.5, amplitude=0.9),
    }
    for name, waveform in sounds.items():
        save_audio(audio_dir / name, waveform, 16000)
    rows = [
        ("low.wav", "hiss.wav", -5, "a low hum", "hum"),
        ("high.wav", "low.wav", 3, "a high whistle", "whistle"),
        ("beep.wav", "hiss.wav", 10, "a beep", "beep"),
        ("hiss.wav", "beep.wav", 0, "hissing", "hiss"),
        ("low.wav", "high.wav", 15, "humming", "hum"),
    ]
    path = tmp_path / "spec.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "noise", "snr", "caption", "class"])
        writer.writerows(rows)
    return path, audio_dir


def test_identity_oracle_scores_exactly_zero_improvement(spec, tmp_path):
    summary = evaluation.evaluate(*spec, evaluation.identity_oracle, tmp_path / "id", method="id")
    assert summary["sdri"] == 0.0 and summary["si_sdri"] == 0.0 and summary["count"] == 5
    assert set(summary["per_class"]) == {"hum", "whistle", "beep", "hiss"}
    assert summary["per_class"]["hum"]["count"] == 2
    assert summary["closer_to_mixture"] == 1.0  # the mixture itself: the copying failure
    bands = summary["per_snr_band"]
    assert sum(b["count"] for b in bands.values()) == 5 and bands["snr_-4_4"]["sdri"] == 0.0


def test_ideal_masks_are_far_above_identity(spec, tmp_path):
    irm = evaluation.evaluate(*spec, evaluation.ideal_ratio_mask, tmp_path / "irm", method="irm")
    ibm = evaluation.evaluate(*spec, evaluation.ideal_binary_mask, tmp_path / "ibm", method="ibm")
    assert irm["sdri"] > 10 and ibm["sdri"] > 10
    assert irm["closer_to_mixture"] == 0.0 and ibm["closer_to_mixture"] == 0.0
    assert irm["near_silent"] == 0.0


def test_near_silent_share_catches_a_model_that_gives_up():
    rng = np.random.default_rng(0)
    source = rng.standard_normal(16000)
    mixture = source + rng.standard_normal(16000)
    silent = evaluation.score(source, 0.3 * source, mixture)  # -10.5 dB: near-silent
    quiet = evaluation.score(source, 0.35 * source, mixture)  # -9.1 dB: not
    assert silent["near_silent"] == 1.0 and quiet["near_silent"] == 0.0
    assert silent["si_sdr"] > 100  # a scaled copy: SI-SDR cannot see it, the share can


def test_summary_matches_metrics_recomputed_on_saved_estimates(spec, tmp_path):
    out = tmp_path / "irm"
    assert (
        main(
            [
                "evaluate",
                "--spec",
                str(spec[0]),
                "--audio-dir",
                str(spec[1]),
                "--oracle",
                "irm",
                "--out",
                str(out),
                "--save-audio",
            ]
        )
        == 0
    )
    summary = json.loads((out / "summary.json").read_text())
    rows = evaluation.read_spec(spec[0])
    values = {"sdr": [], "sdri": [], "si_sdri": []}
    for index, row in enumerate(rows):
        item = evaluation.make_mixture(row, spec[1])
        estimate, rate = load_audio(out / "estimates" / f"{index}.wav")
        assert rate == 16000 and estimate.shape == (1, item.mixture.size)
        values["sdr"].append(sdr(item.source, estimate[0]))
        values["sdri"].append(sdri(item.source, estimate[0], item.mixture))
        values["si_sdri"].append(si_sdri(item.source, estimate[0], item.mixture))
    for name, recomputed in values.items():
        assert abs(summary[name] - np.mean(recomputed)) < 1e-9
    for name in ("rows.csv", "report.md", "sdri_hist.png", "sdri_vs_snr.png", "per_class.png"):
        assert (out / name).is_file()
    with (out / "rows.csv").open() as handle:
        assert [r["class"] for r in csv.DictReader(handle)] == [
            "hum",
            "whistle",
            "beep",
            "hiss",
            "hum",
        ]


def test_mixture_follows_the_dcase_rule(spec):
    row = evaluation.read_spec(spec[0])[1]  # high.wav (0.8) + low.wav at 3 dB: clips -> 0.9 peak
    item = evaluation.make_mixture(row, spec[1])
    assert np.max(np.abs(item.mixture)) == pytest.approx(0.9, abs=1e-6)
    snr = 10 * np.log10(
        np.mean(item.source.astype(float) ** 2) / np.mean(item.noise.astype(float) ** 2)
    )
    assert abs(snr - 3) < 1e-3


def test_bad_spec_gives_clear_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("source,noise,caption\na.wav,b.wav,x\n")
    with pytest.raises(evaluation.SpecError, match="missing column"):
        evaluation.read_spec(bad)
    bad.write_text("source,noise,snr,caption\na.wav,b.wav,loud,x\n")
    with pytest.raises(evaluation.SpecError, match=r"bad.csv:2: snr"):
        evaluation.read_spec(bad)


def _run_evaluate(spec, out, *extra):
    return main(
        ["evaluate", "--spec", str(spec[0]), "--audio-dir", str(spec[1]), "--out", str(out), *extra]
    )


def test_clap_scores_go_to_rows_summary_and_report(spec, tmp_path):
    from tests.test_clap import save_tiny_clap

    clap_dir = save_tiny_clap(tmp_path / "clap")
    out = tmp_path / "irm"
    assert _run_evaluate(spec, out, "--oracle", "irm", "--clap", str(clap_dir)) == 0
    summary = json.loads((out / "summary.json").read_text())
    with (out / "rows.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    report = (out / "report.md").read_text()
    for name in ("clap_score", "clap_score_a"):
        values = np.array([float(row[name]) for row in rows])
        assert np.all((values >= -1) & (values <= 1))
        assert summary[name] == pytest.approx(values.mean(), abs=1e-12)
        assert summary[f"{name}_std"] == pytest.approx(values.std(), abs=1e-12)
        assert f"| {name} | {summary[name]:.3f} |" in report
    assert "clap_score_a" in summary["per_class"]["hum"]
    assert summary["clap_model"] == str(clap_dir)


def test_without_clap_nothing_clap_related_is_written(spec, tmp_path):
    summary = evaluation.evaluate(*spec, evaluation.identity_oracle, tmp_path / "id", method="id")
    assert not any("clap" in key for key in summary)
    assert "clap" not in (tmp_path / "id" / "rows.csv").read_text().splitlines()[0]


def test_cli_errors_are_clear(spec, tmp_path, capsys):
    out = tmp_path / "out"
    assert _run_evaluate(spec, out, "--oracle", "identity", "--clap", str(tmp_path)) == 1
    assert "--clap needs a local folder" in capsys.readouterr().err
    assert not (out / "summary.json").exists()
    assert main(["evaluate", "--spec", str(spec[0]), "--oracle", "irm", "--out", str(out)]) == 2
    assert "--spec needs --audio-dir" in capsys.readouterr().err
    missing = tmp_path / "missing.csv"
    assert _run_evaluate((missing, spec[1]), out, "--oracle", "irm") == 1
    assert "spec file not found" in capsys.readouterr().err


def test_a_quiet_noise_floor_changes_the_oracles_little(spec, tmp_path):
    clean = evaluation.evaluate(*spec, evaluation.ideal_ratio_mask, tmp_path / "a", method="irm")
    noisy = evaluation.evaluate(
        *spec, evaluation.ideal_ratio_mask, tmp_path / "b", method="irm", noise_floor_dbfs=-60.0
    )
    assert noisy["noise_floor_dbfs"] == -60.0
    assert abs(noisy["sdri"] - clean["sdri"]) < 0.3
    identity = evaluation.evaluate(
        *spec, evaluation.identity_oracle, tmp_path / "c", method="id", noise_floor_dbfs=-20.0
    )
    assert identity["sdri"] == 0.0  # the noisy mixture is still the mixture


def write_metadata(audio_dir, rows):
    with (audio_dir / "metadata.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file_name", "class", "recording"])
        writer.writerows(rows)


class RecordingEstimator:
    """Returns the mixture, recording each row's span and example."""

    def __init__(self):
        self.items = []

    def __call__(self, item):
        self.items.append(item)
        return item.mixture


def test_span_condition_places_a_1_to_2_s_span_where_the_source_plays(tmp_path):
    audio_dir = tmp_path / "audio"
    source = np.zeros(5 * 16000, np.float32)
    source[3 * 16000 : 4 * 16000] = tone(700, 1.0)  # active from 3 s to 4 s only
    save_audio(audio_dir / "late.wav", source, 16000)
    save_audio(audio_dir / "hiss.wav", noise_burst(0, 5.0), 16000)
    path = tmp_path / "spec.csv"
    path.write_text("source,noise,snr,caption\nlate.wav,hiss.wav,0,a beep\n")
    estimator = RecordingEstimator()
    evaluation.evaluate(path, audio_dir, estimator, tmp_path / "out", method="x", condition="span")
    start, end = estimator.items[0].span
    assert 1.0 <= end - start <= 2.0
    assert start < 4.0 and end > 3.0 and max(end, 4.0) - min(start, 3.0) <= 2.0  # covers it
    row = next(csv.DictReader((tmp_path / "out" / "rows.csv").open()))
    assert float(row["span_start"]) == pytest.approx(start, abs=1e-3)


def test_example_condition_takes_another_recording_of_the_class(spec, tmp_path):
    path, audio_dir = spec
    save_audio(audio_dir / "low2.wav", tone(210, 6.0), 16000)
    write_metadata(
        audio_dir,
        [("low.wav", "hum", "r1"), ("low2.wav", "hum", "r2"), ("high.wav", "whistle", "r3"),
         ("beep.wav", "beep", "r4"), ("hiss.wav", "hiss", "r5")],
    )  # fmt: skip
    estimator = RecordingEstimator()
    summary = evaluation.evaluate(
        path, audio_dir, estimator, tmp_path / "out", method="x", condition="example"
    )
    # only the two "hum" rows have another recording of their class; the rest are counted
    assert summary["count"] == 2 and summary["rows_without_example"] == 3
    assert summary["condition"] == "example"
    for item in estimator.items:
        assert item.example.size == 4 * 16000  # 4 s of low2.wav (210 Hz), not low.wav (200 Hz)
        spectrum = np.abs(np.fft.rfft(item.example))
        assert np.argmax(spectrum) * 16000 / item.example.size == pytest.approx(210, abs=1)
        assert item.span is None


def test_model_estimator_passes_each_condition_to_the_separator(spec, tmp_path):
    calls = []

    class Separator:
        def separate(self, mixture, sample_rate, query=None, *, example=None, example_spans=None):
            calls.append((query, example is not None, example_spans))
            return mixture

    path, audio_dir = spec
    for condition in ("text", "span", "text+span"):
        calls.clear()
        estimator = evaluation.model_estimator(Separator(), condition)
        evaluation.evaluate(
            path, audio_dir, estimator, tmp_path / condition, method="m", condition=condition
        )
        query, has_example, spans = calls[0]
        assert (query == "a low hum") == ("text" in condition)
        assert (spans is not None) == ("span" in condition) and not has_example
    with pytest.raises(ValueError, match="condition"):
        evaluation.model_estimator(Separator(), "humming")


def test_evaluate_conditions_need_a_model_that_takes_examples(spec, tmp_path, capsys):
    path, audio_dir = spec
    out = str(tmp_path / "o")
    code = main(["evaluate", "--spec", str(path), "--audio-dir", str(audio_dir),
                 "--oracle", "irm", "--condition", "span", "--out", out])  # fmt: skip
    assert code == 1 and "oracles take no query" in capsys.readouterr().err


def test_class_queries_ask_for_each_row_by_its_class_name(spec, tmp_path):
    path, audio_dir = spec
    estimator = RecordingEstimator()
    summary = evaluation.evaluate(
        path, audio_dir, estimator, tmp_path / "out", method="x", class_queries=True
    )
    assert [item.caption for item in estimator.items] == ["hum", "whistle", "beep", "hiss", "hum"]
    assert summary["queries"] == "class names"
    rows = list(csv.DictReader((tmp_path / "out" / "rows.csv").open()))
    assert rows[1]["query"] == "whistle" and rows[1]["caption"] == "a high whistle"
    evaluation.evaluate(path, audio_dir, estimator, tmp_path / "span", method="x",
                        class_queries=True, condition="span")  # fmt: skip
    row = next(csv.DictReader((tmp_path / "span" / "rows.csv").open()))
    assert row["query"] == "hum" and row["span_start"]  # both kept
    plain = tmp_path / "plain.csv"
    plain.write_text("source,noise,snr,caption\nlow.wav,hiss.wav,0,a low hum\n")
    with pytest.raises(evaluation.SpecError, match="class column"):
        evaluation.evaluate(plain, audio_dir, estimator, tmp_path / "o2", method="x",
                            class_queries=True)  # fmt: skip
