"""CLAPScore / CLAPScore-A with a tiny randomly initialised CLAP saved to tmp_path (offline)."""

import json

import numpy as np
import pytest

from querysep.clap import ClapError, cosine, load_clap, split_windows
from tests.conftest import noise_burst, tone

WORDS = ["a", "the", "low", "high", "hum", "whistle", "beep", "hissing", "dog", "barks"]


def save_tiny_clap(folder, enable_fusion: bool = False):
    """A tiny random CLAP (text + HTSAT towers), its feature extractor and a word tokenizer."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import ClapConfig, ClapFeatureExtractor, ClapModel, PreTrainedTokenizerFast

    config = ClapConfig(
        text_config=dict(
            vocab_size=4 + len(WORDS),
            hidden_size=16,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=32,
            max_position_embeddings=40,
            projection_dim=8,
        ),
        audio_config=dict(
            num_mel_bins=16,
            spec_size=32,
            window_size=4,
            patch_size=4,
            patch_stride=(4, 4),
            depths=[1, 1],
            num_attention_heads=[2, 2],
            patch_embeds_hidden_size=16,
            hidden_size=32,
            projection_dim=8,
            enable_fusion=enable_fusion,
            fusion_type="aff_2d" if enable_fusion else None,
        ),
        projection_dim=8,
    )
    torch.manual_seed(0)
    ClapModel(config).save_pretrained(folder)
    ClapFeatureExtractor(
        feature_size=16,
        sampling_rate=48000,
        hop_length=960,  # 1 s windows -> 51 frames, within the tiny HTSAT's input size
        max_length_s=1,
        truncation="fusion" if enable_fusion else "rand_trunc",
    ).save_pretrained(folder)
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    vocab.update({word: 4 + index for index, word in enumerate(WORDS)})
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token="<s>",
        eos_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
    ).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def clap(tmp_path_factory):
    return load_clap(save_tiny_clap(tmp_path_factory.mktemp("clap")), device="cpu")


def test_scores_are_cosines(clap):
    assert clap.sample_rate == 48000 and clap.window_length == 48000
    estimate, reference = tone(440, 2.5) + noise_burst(0, 2.5, amplitude=0.05), tone(440, 2.5)
    scores = clap.score("a high whistle", estimate, reference, 16000)
    assert set(scores) == {"clap_score", "clap_score_a"}
    for value in scores.values():
        assert isinstance(value, float) and -1.0 <= value <= 1.0
    embedding = clap.embed_audio(estimate, 16000)
    assert embedding.shape == (8,) and np.linalg.norm(embedding) == pytest.approx(1.0)


def test_reference_with_itself_scores_one(clap):
    reference = noise_burst(3, 2.3)  # three windows at 48 kHz, the last one short
    assert clap.score("hissing", reference, reference, 16000)["clap_score_a"] == pytest.approx(
        1.0, abs=1e-5
    )


def test_embeddings_are_deterministic(clap):
    audio = tone(300, 1.7)
    assert np.array_equal(clap.embed_audio(audio, 16000), clap.embed_audio(audio, 16000))
    assert np.array_equal(clap.embed_text("a dog barks"), clap.embed_text("a dog barks"))


def test_fusion_model_embeds_deterministically(tmp_path):
    fusion = load_clap(save_tiny_clap(tmp_path, enable_fusion=True), device="cpu")
    audio = tone(300, 2.5)
    first = fusion.embed_audio(audio, 16000)
    assert np.array_equal(first, fusion.embed_audio(audio, 16000))
    assert fusion.score("a beep", audio, audio, 16000)["clap_score_a"] == pytest.approx(
        1.0, abs=1e-5
    )


def test_windows_and_cosine_helpers():
    windows = split_windows(np.arange(10.0), 4)
    assert [w.size for w in windows] == [4, 4, 2]
    assert cosine([1, 0], [0, 1]) == 0.0 and cosine([1, 1], [2, 2]) == pytest.approx(1.0)
    assert cosine([1, 0], [-3, 0]) == -1.0 and cosine([0, 0], [1, 0]) == 0.0


def test_a_folder_without_clap_weights_is_a_clear_error(tmp_path):
    with pytest.raises(ClapError, match="not a folder.*--clap needs"):
        load_clap(tmp_path / "missing")
    with pytest.raises(ClapError, match="no config.json"):
        load_clap(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert"}))
    with pytest.raises(ClapError, match="'bert' model, not CLAP"):
        load_clap(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "clap"}))
    with pytest.raises(ClapError, match="cannot load CLAP.*laion/clap-htsat-unfused"):
        load_clap(tmp_path)  # a config but no weights
