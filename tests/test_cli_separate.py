"""`querysep separate` and `querysep export-onnx` on real files, with a tiny checkpoint."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from querysep.audio.io import load_audio, save_audio
from querysep.cli import main
from tests.conftest import noise_burst, tone


@pytest.fixture
def checkpoint(tiny_separator, tmp_path):
    return str(tiny_separator.save(tmp_path / "tiny.pt"))


@pytest.fixture
def folder(tmp_path):
    """A folder with a mono 16 kHz file, a stereo 44.1 kHz file in a subfolder, and junk."""
    root = tmp_path / "in"
    mono = tone(440, 1.5) + noise_burst(0, 1.5, amplitude=0.1)
    save_audio(root / "street.wav", mono, 16000)
    stereo = np.stack([tone(300, 1.2, 44100), noise_burst(1, 1.2, 44100)])
    save_audio(root / "sub" / "park.flac", stereo, 44100)
    (root / "notes.txt").write_text("not audio")
    return root


def test_a_folder_is_separated_at_each_inputs_rate_and_channels(folder, checkpoint, capsys):
    assert main(["separate", str(folder), "--query", "a tone", "--checkpoint", checkpoint]) == 0
    out_mono, rate_mono = load_audio(folder / "street_separated.wav")
    out_stereo, rate_stereo = load_audio(folder / "sub" / "park_separated.wav")
    assert (out_mono.shape, rate_mono) == ((1, 24000), 16000)
    assert (out_stereo.shape, rate_stereo) == ((2, int(1.2 * 44100)), 44100)
    assert "street.wav -> " in capsys.readouterr().out
    # a second run does not treat the first run's outputs as inputs
    assert main(["separate", str(folder), "--query", "a tone", "--checkpoint", checkpoint]) == 0
    assert not list(folder.rglob("*_separated_separated.wav"))


def test_remove_and_separate_sum_to_the_input(folder, checkpoint, tmp_path):
    command = ["separate", str(folder / "street.wav"), "--query", "a tone"]
    assert main([*command, "--checkpoint", checkpoint, "-o", str(tmp_path / "out")]) == 0
    assert (
        main([*command, "--checkpoint", checkpoint, "-o", str(tmp_path / "out"), "--remove"]) == 0
    )
    kept, _ = load_audio(tmp_path / "out" / "street_separated.wav")
    removed, _ = load_audio(tmp_path / "out" / "street_removed.wav")
    original, _ = load_audio(folder / "street.wav")
    np.testing.assert_allclose(kept + removed, original, atol=1e-4)
    assert np.abs(kept).max() > 1e-3 and np.abs(removed).max() > 1e-3


def test_negative_query_changes_the_result(folder, checkpoint, tmp_path):
    source = str(folder / "street.wav")
    plain, negative = tmp_path / "plain.wav", tmp_path / "negative.wav"
    assert (
        main(
            ["separate", source, "--query", "a tone", "--checkpoint", checkpoint, "-o", str(plain)]
        )
        == 0
    )
    assert (
        main(
            ["separate", source, "--query", "a tone", "--negative-query", "hiss",
             "--checkpoint", checkpoint, "-o", str(negative)]
        )
        == 0
    )  # fmt: skip
    a, b = load_audio(plain)[0], load_audio(negative)[0]
    assert np.all(np.abs(b) <= np.abs(a).max() + 1e-6) and np.abs(a - b).max() > 1e-4


def test_unreadable_input_fails_clearly_while_the_others_finish(folder, checkpoint, capsys):
    bad = folder / "broken.wav"
    bad.write_bytes(b"RIFF not really a wave file")
    code = main(["separate", str(folder), "--query", "a tone", "--checkpoint", checkpoint])
    assert code == 1
    err = capsys.readouterr().err
    assert "broken.wav: cannot read audio" in err and "1 of 3 file(s) failed" in err
    assert (folder / "street_separated.wav").is_file()
    assert (folder / "sub" / "park_separated.wav").is_file()


def test_outputs_never_overwrite_inputs(folder, checkpoint, capsys):
    source = folder / "street.wav"
    before = source.read_bytes()
    code = main(
        ["separate", str(source), "--query", "x", "--checkpoint", checkpoint, "-o", str(source)]
    )
    assert code == 2
    assert "refusing to overwrite input" in capsys.readouterr().err
    assert source.read_bytes() == before


def test_one_output_file_for_several_inputs_is_refused(folder, checkpoint, tmp_path, capsys):
    inputs = [str(folder / "street.wav"), str(folder / "sub" / "park.flac")]
    out = str(tmp_path / "o.wav")
    assert main(["separate", *inputs, "--query", "x", "--checkpoint", checkpoint, "-o", out]) == 2
    assert "-o/--output names one file" in capsys.readouterr().err


def test_missing_input_and_missing_checkpoint_exit_with_a_message(folder, tmp_path, capsys):
    missing = str(tmp_path / "missing.wav")
    assert main(["separate", missing, "--query", "x", "--checkpoint", "nope.pt"]) == 2
    assert "missing.wav: no such file or folder" in capsys.readouterr().err
    source = str(folder / "street.wav")
    assert main(["separate", source, "--query", "x", "--checkpoint", str(tmp_path / "n.pt")]) == 2
    assert "checkpoint not found" in capsys.readouterr().err


def test_an_unusable_device_is_a_clear_error(folder, checkpoint, capsys):
    if torch.cuda.is_available():
        pytest.skip("CUDA is usable here")
    source = str(folder / "street.wav")
    assert (
        main(["separate", source, "--query", "x", "--checkpoint", checkpoint, "--device", "cuda"])
        == 2
    )
    assert "device 'cuda' is not usable here" in capsys.readouterr().err


def test_onnx_export_matches_pytorch_and_runs_separate(
    tiny_separator, checkpoint, folder, tmp_path
):
    pytest.importorskip("onnxruntime")
    from querysep.export import OnnxNetwork, export_onnx, max_abs_difference

    path = tmp_path / "tiny.onnx"
    assert main(["export-onnx", "--checkpoint", checkpoint, "--out", str(path)]) == 0
    assert max_abs_difference(tiny_separator, path) <= 1e-4
    # the frame axis is dynamic: a length unlike the export example's
    features = torch.rand(1, 1, 257, 53)
    text = tiny_separator.encode_text(["a dog"])
    with torch.inference_mode():
        reference = tiny_separator.network(features, text.tokens, text.mask, text.pooled)
    onnx_mask = OnnxNetwork(path)(features, text.tokens, text.mask, text.pooled)
    assert (onnx_mask - reference).abs().max() <= 1e-4
    # the Separator's ONNX path gives the PyTorch result end to end
    audio = load_audio(folder / "street.wav")[0][0]
    expected = tiny_separator.separate(audio, 16000, "a tone")
    export_onnx(tiny_separator, tmp_path / "again.onnx")
    got = tiny_separator.use_onnx(tmp_path / "again.onnx").separate(audio, 16000, "a tone")
    tiny_separator.use_onnx(None)
    np.testing.assert_allclose(got, expected, atol=1e-4)
    out = tmp_path / "onnx_out.wav"
    command = ["separate", str(folder / "street.wav"), "--query", "a tone", "-o", str(out)]
    assert main([*command, "--checkpoint", checkpoint, "--onnx", str(path)]) == 0
    np.testing.assert_allclose(load_audio(out)[0][0], expected, atol=1e-4)


def test_a_broken_onnx_file_is_a_clear_error(tmp_path):
    pytest.importorskip("onnxruntime")
    from querysep.export import OnnxError, OnnxNetwork

    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"nothing")
    with pytest.raises(OnnxError, match="not a loadable ONNX model"):
        OnnxNetwork(bad)
    with pytest.raises(OnnxError, match="not found"):
        OnnxNetwork(tmp_path / "missing.onnx")


class _RunsCode:
    """Unpickling this calls ``Path.touch`` on a marker: what a crafted checkpoint could do."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        from pathlib import Path

        return (Path.touch, (Path(self.marker),))


def test_a_crafted_checkpoint_is_refused_and_its_code_never_runs(folder, tmp_path, capsys):
    marker = tmp_path / "code-ran"
    crafted = tmp_path / "crafted.pt"
    torch.save({"format": "querysep-separator", "payload": _RunsCode(marker)}, crafted)
    source = str(folder / "street.wav")
    for command in (
        ["separate", source, "--query", "a tone", "--checkpoint", str(crafted)],
        [
            "evaluate",
            "--spec",
            "x.csv",
            "--audio-dir",
            ".",
            "--checkpoint",
            str(crafted),
            "--out",
            str(tmp_path / "ev"),
        ],
        ["export-onnx", "--checkpoint", str(crafted), "--out", str(tmp_path / "m.onnx")],
    ):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert "refused" in err and "Traceback" not in err
    assert not marker.exists()


def test_empty_queries_are_clear_errors_and_long_queries_are_shortened(folder, checkpoint, capsys):
    source = str(folder / "street.wav")
    for query in ("", "   "):
        assert main(["separate", source, "--query", query, "--checkpoint", checkpoint]) == 2
        assert "--query is empty" in capsys.readouterr().err
    blank_negative = ["--negative-query", " ", "--checkpoint", checkpoint]
    assert main(["separate", source, "--query", "a tone", *blank_negative]) == 2
    long_query = "a very long description of a tone " * 20
    out = str(folder / "long.wav")
    assert (
        main(["separate", source, "--query", long_query, "-o", out, "--checkpoint", checkpoint])
        == 0
    )
    err = capsys.readouterr().err
    assert "…" in err and long_query not in err


def test_the_query_cache_is_a_bounded_lru(text_encoder):
    original = text_encoder.max_cached_texts
    text_encoder.max_cached_texts = 3
    try:
        first = text_encoder.encode(["q0"]).tokens
        for index in range(1, 6):
            text_encoder.encode([f"q{index}"])
        assert len(text_encoder.memory) == 3 and "q0" not in text_encoder.memory
        assert torch.equal(text_encoder.encode(["q0"]).tokens, first)  # re-encoded the same
        text_encoder.encode(["q4"])  # recently used: moves to the end
        assert list(text_encoder.memory)[-1] == "q4"
    finally:
        text_encoder.max_cached_texts = original


@pytest.fixture
def example_checkpoint(example_separator, tmp_path):
    return str(example_separator.save(tmp_path / "tiny_example.pt"))


def test_example_and_span_queries_from_the_command_line(
    folder, example_checkpoint, tmp_path, capsys
):
    source = folder / "street.wav"
    save_audio(tmp_path / "example.flac", tone(440, 1.0, 22050), 22050)
    runs = {
        "span": ["--example-span", "0.2:1.0"],
        "spans": ["--example-span", "0.2:0.6", "--example-span", "1.0:1.4"],
        "example": ["--example", str(tmp_path / "example.flac")],
        "text+span": ["--query", "a tone", "--example-span", "0.2:1.0"],
    }
    outputs = {}
    for name, arguments in runs.items():
        out = tmp_path / f"{name}.wav"
        command = ["separate", str(source), *arguments, "-o", str(out)]
        assert main([*command, "--checkpoint", example_checkpoint]) == 0, capsys.readouterr().err
        outputs[name] = load_audio(out)[0]
        assert outputs[name].shape == load_audio(source)[0].shape
    assert "span 0.2-1.0 s" in capsys.readouterr().err
    assert np.max(np.abs(outputs["span"] - outputs["example"])) > 1e-4
    assert np.max(np.abs(outputs["span"] - outputs["text+span"])) > 1e-4


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "say what to extract"),
        (["--example-span", "1.0:3.0"], "outside the input"),
        (["--example-span", "1.0:0.5"], "empty"),
        (["--example-span", "0.5"], "START:END"),
        (["--example-span", "0.1:0.2"], "too short"),
        (["--example", "missing.wav"], "example"),
    ],
)
def test_bad_audio_queries_exit_2_with_a_message(
    folder, example_checkpoint, arguments, message, capsys
):
    command = ["separate", str(folder / "street.wav"), *arguments, "-o", str(folder / "o.wav")]
    assert main([*command, "--checkpoint", example_checkpoint]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (folder / "o.wav").exists()


def test_a_silent_example_and_a_text_only_model_are_refused(
    folder, checkpoint, example_checkpoint, tmp_path, capsys
):
    save_audio(tmp_path / "quiet.wav", np.zeros(16000, np.float32), 16000)
    source = str(folder / "street.wav")
    assert main(["separate", source, "--example", str(tmp_path / "quiet.wav"),
                 "--checkpoint", example_checkpoint]) == 2  # fmt: skip
    assert "silent" in capsys.readouterr().err
    assert main(["separate", source, "--example-span", "0:1", "--checkpoint", checkpoint]) == 2
    assert "text queries only" in capsys.readouterr().err
    assert main(["separate", str(folder), "--example-span", "0:1",
                 "--checkpoint", example_checkpoint]) == 2  # fmt: skip
    assert "one input" in capsys.readouterr().err


def test_onnx_export_covers_the_example_encoder(
    example_separator, example_checkpoint, folder, tmp_path
):
    pytest.importorskip("onnxruntime")
    from querysep.export import OnnxError, example_path

    path = tmp_path / "tiny.onnx"
    assert main(["export-onnx", "--checkpoint", example_checkpoint, "--out", str(path)]) == 0
    assert example_path(path).is_file()
    audio = load_audio(folder / "street.wav")[0][0]
    queries = {"example_spans": [(0.2, 1.0), (1.1, 1.4)], "example": (tone(440, 2.3), 16000)}
    expected = example_separator.separate(audio, 16000, "a tone", **queries)
    got = example_separator.use_onnx(path).separate(audio, 16000, "a tone", **queries)
    example_separator.use_onnx(None)
    np.testing.assert_allclose(got, expected, atol=1e-4)
    example_path(path).unlink()
    with pytest.raises(OnnxError, match="export it again"):
        example_separator.use_onnx(path)


def test_the_text_encoder_is_freed_before_the_files_and_not_reloaded(
    folder, checkpoint, monkeypatch
):
    from querysep.separator import Separator

    seen = []
    separate_file = Separator.separate_file

    def spy(self, *args, **kwargs):
        seen.append(self.text_encoder.model)  # None: the weights were freed for the windows
        result = separate_file(self, *args, **kwargs)
        seen.append(self.text_encoder.model)  # still None: both queries came from the cache
        return result

    monkeypatch.setattr(Separator, "separate_file", spy)
    command = ["separate", str(folder), "--query", "a tone", "--negative-query", "hiss"]
    assert main([*command, "--checkpoint", checkpoint]) == 0
    assert len(seen) == 4 and all(model is None for model in seen)


def test_a_quiet_result_is_explained(folder, checkpoint, tmp_path, monkeypatch, capsys):
    """An extracted sound 60 dB below its input: the model found nothing that matches."""
    from querysep.separator import Separator

    monkeypatch.setattr(
        Separator, "separate_window", lambda self, chunk, *a, **k: 1e-3 * chunk[None]
    )
    source = str(folder / "street.wav")
    command = ["separate", source, "--query", "a tone", "--checkpoint", checkpoint]
    assert main([*command, "-o", str(tmp_path / "a.wav")]) == 0
    err = capsys.readouterr().err
    assert "note: the result is 60 dB quieter than the input" in err
    assert "try --caption-ensemble 3" in err and "querysep vocabulary" in err
    assert main([*command, "-o", str(tmp_path / "b.wav"), "--remove"]) == 0  # the rest: loud
    assert "quieter than the input" not in capsys.readouterr().err
