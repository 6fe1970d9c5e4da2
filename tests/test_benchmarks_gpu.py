"""The GPU ablation's plumbing (benchmarks/gpu): the caption-table text encoder and the
fp16 packing of finished runs. Both decide what the ablation's numbers are computed from."""

from __future__ import annotations

import sys
import tarfile

import pytest
import torch

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks" / "gpu"))
import cached_text  # noqa: E402
import run_ablation  # noqa: E402

from querysep.config import TextConfig  # noqa: E402
from querysep.text.encoders import ENCODERS, TextEncoderError, build_text_encoder  # noqa: E402


def test_caption_table_encoder_is_the_encoder_it_was_made_from(text_encoder, tmp_path, monkeypatch):
    captions = ["a dog barks", "rain on a window", "someone plays the accordion"]
    text_encoder.encode(captions)
    table = {text: text_encoder.memory[text].clone() for text in captions}
    torch.save(table, tmp_path / "captions.pt")
    monkeypatch.setitem(ENCODERS, "minilm", ENCODERS["minilm"])  # restored after the test
    cached_text.install(tmp_path / "captions.pt")

    encoder = build_text_encoder(TextConfig())
    assert isinstance(encoder, cached_text.TableTextEncoder) and encoder.dim == 384
    ours, reference = encoder.encode(captions[::-1]), text_encoder.encode(captions[::-1])
    assert torch.equal(ours.tokens, reference.tokens) and torch.equal(ours.mask, reference.mask)
    with pytest.raises(TextEncoderError, match="not in the caption table"):
        encoder.encode(["a siren wails"])


def test_packed_runs_come_back_as_fp16_that_load_and_separate_alike(tiny_separator, tmp_path):
    from querysep.separator import Separator

    runs = []
    for name in ("alpha_seed0", "beta_seed0"):
        run_dir = tmp_path / "runs" / name
        (run_dir / "checkpoints").mkdir(parents=True)
        (run_dir / "logs" / "version_0").mkdir(parents=True)
        (run_dir / "logs" / "version_0" / "metrics.csv").write_text("epoch,step\n0,19\n")
        lightning_like = {"global_step": 2000, "querysep": tiny_separator.model.payload()}
        torch.save(lightning_like, run_dir / "checkpoints" / "last.ckpt")
        runs.append((None, 0, run_dir))
    out = tmp_path / "out"
    out.mkdir()
    monkey_max = run_ablation.MAX_TAR_BYTES
    run_ablation.MAX_TAR_BYTES = 1  # one run per tar: exercises the splitting
    try:
        run_ablation.pack(runs, out, {"alpha_seed0": "finished"})
    finally:
        run_ablation.MAX_TAR_BYTES = monkey_max
    assert sorted(p.name for p in out.glob("*.tar")) == ["runs_1.tar", "runs_2.tar"]
    back = tmp_path / "back"
    for tar in out.glob("*.tar"):
        with tarfile.open(tar) as handle:
            handle.extractall(back, filter="data")
    raw = torch.load(back / "beta_seed0/checkpoints/last.ckpt", map_location="cpu")
    assert raw["global_step"] == 2000
    assert all(
        v.dtype == torch.float16
        for v in raw["querysep"]["state_dict"].values()
        if v.is_floating_point()
    )
    loaded = Separator.load(
        back / "beta_seed0/checkpoints/last.ckpt", text_encoder=tiny_separator.text_encoder
    ).eval()
    mixture = torch.randn(1, 1, 16000)
    with torch.no_grad():
        text = tiny_separator.encode_text(["a dog barks"])
        reference = tiny_separator.model(mixture, text).waveform
        estimate = loaded.model(mixture, text).waveform
    error = (estimate - reference).pow(2).sum() / reference.pow(2).sum()
    assert 10 * torch.log10(1 / error) > 30  # fp16 weights: the same separation within -30 dB
    assert (back / "alpha_seed0/logs/version_0/metrics.csv").read_text().startswith("epoch")
