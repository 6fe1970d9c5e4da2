"""Text encoders: MiniLM offline, the T5 code path with a tiny random model, caching, errors."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from querysep.config import TextConfig
from querysep.text import TextEmbedding, TextEncoder, TextEncoderError, build_text_encoder
from querysep.text.embedding import masked_mean, pad_tokens
from querysep.text.minilm import MiniLMTextEncoder

# -- padding and pooling ------------------------------------------------------------------


def test_pad_tokens_pads_and_pools_over_real_tokens_only():
    first, second = torch.randn(3, 4), torch.randn(1, 4)
    text = pad_tokens([first, second])
    assert text.tokens.shape == (2, 3, 4) and text.tokens.dtype == torch.float32
    assert text.mask.tolist() == [[True, True, True], [True, False, False]]
    torch.testing.assert_close(text.pooled, torch.stack([first.mean(0), second[0]]))
    assert text.tokens[1, 1:].abs().sum() == 0


def test_masked_mean_of_an_empty_row_is_zero():
    pooled = masked_mean(torch.randn(1, 3, 2), torch.zeros(1, 3, dtype=torch.bool))
    assert torch.equal(pooled, torch.zeros(1, 2))


# -- caching, with a counting stand-in encoder ----------------------------------------------


class CountingEncoder(TextEncoder):
    """Deterministic fake: one token per word, each a function of the word's length."""

    name = "counting"
    dim = 3

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.calls: list[list[str]] = []

    def encode_uncached(self, texts: list[str]) -> list[torch.Tensor]:
        self.calls.append(texts)
        return [torch.tensor([[len(w), 1.0, -1.0] for w in text.split()]) for text in texts]


def test_each_distinct_text_is_encoded_once():
    encoder = CountingEncoder()
    first = encoder.encode(["a dog", "a cat barks", "a dog"])
    second = encoder.encode(["a dog"])
    assert encoder.calls == [["a dog"], ["a cat barks"]]  # each alone: no padding effects
    assert torch.equal(first.tokens[0, :2], second.tokens[0])
    assert first.mask.tolist() == [[True, True, False], [True, True, True], [True, True, False]]


def test_disk_cache_is_used_by_a_second_encoder(tmp_path):
    CountingEncoder(cache_dir=tmp_path).encode(["a dog", "rain on a roof"])
    assert len(list(tmp_path.glob("*.pt"))) == 2
    fresh = CountingEncoder(cache_dir=tmp_path)
    text = fresh.encode(["rain on a roof"])
    assert fresh.calls == []
    assert text.tokens.shape == (1, 4, 3)
    other = CountingEncoder(cache_dir=tmp_path, cache_namespace="other weights")
    other.encode(["a dog"])
    assert other.calls == [["a dog"]]  # keys include the encoder's identity


def test_texts_first_encoded_in_inference_mode_can_feed_training(tmp_path):
    encoder = CountingEncoder(cache_dir=tmp_path)
    with torch.inference_mode():
        encoder.encode(["a dog"])  # e.g. during validation or separation
    weight = torch.ones(3, requires_grad=True)
    for fresh in (encoder, CountingEncoder(cache_dir=tmp_path)):  # memory, then disk
        (fresh.encode(["a dog"]).tokens @ weight).sum().backward()  # saves tokens for backward


def test_damaged_disk_entry_is_a_miss(tmp_path):
    encoder = CountingEncoder(cache_dir=tmp_path)
    encoder.encode(["a dog"])
    (path,) = tmp_path.glob("*.pt")
    path.write_bytes(b"not a tensor")
    fresh = CountingEncoder(cache_dir=tmp_path)
    fresh.encode(["a dog"])
    assert fresh.calls == [["a dog"]]


# -- MiniLM (the real weights, from the package, offline) ---------------------------------


@pytest.fixture(scope="module")
def minilm(text_encoder):
    return text_encoder  # session fixture from tests/conftest.py


def cosine(text: TextEmbedding, i: int, j: int) -> float:
    return float(F.cosine_similarity(text.pooled[i], text.pooled[j], dim=0))


def test_minilm_shapes_and_frozen(minilm):
    text = minilm.encode(["a dog barking", "rain"])
    assert minilm.name == "minilm" and minilm.dim == 384
    assert text.tokens.shape[0] == 2 and text.tokens.shape[2] == 384
    assert text.mask.dtype == torch.bool and text.mask[0].sum() > text.mask[1].sum()
    assert not text.tokens.requires_grad and not text.tokens.is_inference()
    assert not minilm.model.training
    assert not any(p.requires_grad for p in minilm.model.parameters())


def test_minilm_meaning_is_nearer_for_paraphrases(minilm):
    text = minilm.encode(["a dog barking", "dog barks loudly", "a violin playing"])
    assert cosine(text, 0, 1) > cosine(text, 0, 2) + 0.2


def test_minilm_padding_does_not_change_a_query(minilm):
    alone = minilm.encode_uncached(["birds singing"])[0]
    batch = minilm.encode_uncached(["birds singing", "a long query about a car passing by slowly"])
    torch.testing.assert_close(batch[0], alone, atol=1e-5, rtol=1e-4)


def test_an_embedding_does_not_depend_on_the_texts_encoded_with_it(minilm):
    """Padded beside a longer text, a query's tokens differ in the last bits; encoded alone they
    do not, so a resumed training run (fresh cache) sees exactly the embeddings it saw."""
    from querysep.config import TextConfig
    from querysep.text import build_text_encoder

    together = minilm.encode(["rain on a roof", "a long query about a car passing by slowly"])
    fresh = build_text_encoder(TextConfig()).encode(["rain on a roof"])
    length = int(fresh.mask.sum())
    assert torch.equal(together.tokens[0, :length], fresh.tokens[0, :length])


def test_minilm_cache_returns_identical_tensors(minilm):
    first = minilm.encode(["thunder in the distance"])
    second = minilm.encode(["thunder in the distance"])
    assert torch.equal(first.tokens, second.tokens) and torch.equal(first.pooled, second.pooled)


def test_minilm_loads_without_network_and_hits_the_disk_cache(tmp_path, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the text encoder tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    config = TextConfig(name="minilm", cache_dir=str(tmp_path))
    first = build_text_encoder(config).encode(["a siren blaring"])
    second_encoder = build_text_encoder(config)
    monkeypatch.setattr(second_encoder, "encode_uncached", no_network)  # must come from disk
    second = second_encoder.encode(["a siren blaring"])
    assert torch.equal(first.tokens, second.tokens)


def test_max_tokens_truncates(minilm):
    short = MiniLMTextEncoder(name="minilm", model_dir=minilm.model_dir, max_tokens=4)
    text = short.encode(["one two three four five six seven"])
    assert text.tokens.shape == (1, 4, 384)


# -- FLAN-T5 code path with a tiny random T5 ----------------------------------------------

WORDS = ["<pad>", "</s>", "<unk>", "a", "dog", "barking", "violin", "playing", "rain"]


@pytest.fixture(scope="module")
def tiny_t5_dir(tmp_path_factory) -> Path:
    """A randomly initialised 2-layer T5 encoder (d_model 32) and a word-level tokenizer."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast, T5Config, T5EncoderModel

    directory = tmp_path_factory.mktemp("tiny-flan-t5")
    tokenizer = Tokenizer(models.WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="$A </s>", special_tokens=[("</s>", 1)]
    )
    PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, unk_token="<unk>", pad_token="<pad>", eos_token="</s>"
    ).save_pretrained(directory)
    config = T5Config(vocab_size=len(WORDS), d_model=32, d_ff=64, d_kv=8, num_layers=2, num_heads=4)
    torch.manual_seed(0)
    T5EncoderModel(config).save_pretrained(directory)
    return directory


def test_t5_from_a_local_directory(tiny_t5_dir):
    encoder = build_text_encoder(TextConfig(name="flan-t5-base", path=str(tiny_t5_dir)))
    assert encoder.dim == 32
    text = encoder.encode(["a dog barking", "rain", "zebra crossing"])
    assert text.tokens.shape == (3, 4, 32)  # "a dog barking </s>"
    assert text.mask.sum(dim=1).tolist() == [4, 2, 3]  # unknown words map to <unk>
    assert torch.isfinite(text.tokens).all()
    assert not any(p.requires_grad for p in encoder.model.parameters())


def test_t5_disk_cache_keys_depend_on_the_weights_directory(tiny_t5_dir, tmp_path):
    config = TextConfig(name="flan-t5-base", path=str(tiny_t5_dir), cache_dir=str(tmp_path))
    build_text_encoder(config).encode(["a dog"])
    minilm_config = TextConfig(name="minilm", cache_dir=str(tmp_path))
    assert build_text_encoder(config)._recall("a dog") is not None
    assert build_text_encoder(minilm_config)._recall("a dog") is None


@pytest.mark.parametrize("make_path", [lambda tmp: tmp / "missing", lambda tmp: tmp])
def test_t5_without_weights_raises_one_helpful_error(tmp_path, make_path):
    path = make_path(tmp_path)
    with pytest.raises(TextEncoderError) as error:
        build_text_encoder(TextConfig(name="flan-t5-base", path=str(path)))
    message = str(error.value)
    assert "google/flan-t5-base" in message and str(path) in message
    assert "text.path=" in message and "Hugging Face cache" in message


def test_unknown_encoder_name_is_an_error():
    with pytest.raises(TextEncoderError, match="flan-t5-base"):
        build_text_encoder(TextConfig(name="bert-huge"))


def test_release_frees_the_weights_and_a_new_text_reloads_them(minilm):
    encoder = build_text_encoder(TextConfig(name="minilm"))  # its own: the fixture is shared
    before = encoder.encode(["a dog barking"])
    encoder.release()
    assert encoder.model is None
    cached = encoder.encode(["a dog barking"])  # from the memory cache: no weights needed
    assert encoder.model is None
    assert torch.equal(cached.tokens, before.tokens)
    new = encoder.encode(["rain on a tin roof"])  # not cached: the weights come back
    assert encoder.model is not None
    assert torch.allclose(new.tokens, minilm.encode(["rain on a tin roof"]).tokens, atol=1e-5)


def test_a_released_t5_encoder_reloads_its_weights_for_a_new_text(tiny_t5_dir):
    encoder = build_text_encoder(TextConfig(name="flan-t5-base", path=str(tiny_t5_dir)))
    before = encoder.encode(["a dog barking"])
    encoder.release()
    assert encoder.model is None
    assert torch.equal(encoder.encode(["a dog barking"]).tokens, before.tokens)  # cached
    assert encoder.model is None
    again = encoder.encode(["rain", "a dog barking"])  # "rain" is new: the weights reload
    assert encoder.model is not None
    assert torch.allclose(again.tokens[1, :4], before.tokens[0], atol=1e-6)
