"""Query by example: the encoder, joining conditions, and the Separator's audio queries."""

import numpy as np
import pytest
import torch

from querysep.examples import ExampleError, parse_span
from querysep.models.checkpoint import CheckpointError
from querysep.models.example import ExampleEncoder, join_conditions
from querysep.separator import Separator
from querysep.text.embedding import TextEmbedding
from tests.conftest import noise_burst, tone


def mixture(seconds=3.0):
    return tone(440, seconds) + noise_burst(0, seconds, amplitude=0.1)


def test_encoder_ignores_padding_and_gives_tokens_of_the_text_width():
    torch.manual_seed(0)
    encoder = ExampleEncoder(num_freqs=257, out_dim=48, num_tokens=3, hidden_dim=32).eval()
    features = torch.rand(1, 1, 257, 96)
    alone = encoder(features, torch.ones(1, 96, dtype=torch.bool))
    padded = torch.cat([features, torch.ones(1, 1, 257, 64)], dim=-1)  # junk after frame 96
    mask = torch.arange(160)[None] < 96
    with_padding = encoder(padded, mask)
    assert alone.tokens.shape == (1, 3, 48) and alone.mask.all()
    # the junk is excluded from pooling; only the convs' edge at frame 96 sees it
    masked_change = (with_padding.tokens - alone.tokens).abs().max()
    unmasked_change = encoder(padded, torch.ones(1, 160, dtype=torch.bool)).tokens - alone.tokens
    assert masked_change < unmasked_change.abs().max() / 10


def test_joined_rows_attend_only_to_their_sides():
    text = TextEmbedding.from_tokens(torch.rand(3, 5, 8), torch.ones(3, 5, dtype=torch.bool))
    example = TextEmbedding.from_tokens(torch.rand(3, 2, 8), torch.ones(3, 2, dtype=torch.bool))
    use_text = torch.tensor([True, False, True])
    use_example = torch.tensor([False, True, True])
    joined = join_conditions(text, example, use_text=use_text, use_example=use_example)
    assert joined.tokens.shape == (3, 7, 8)
    assert joined.mask.tolist() == [[True] * 5 + [False] * 2, [False] * 5 + [True] * 2, [True] * 7]
    assert torch.allclose(joined.pooled[0], text.pooled[0])
    assert torch.allclose(joined.pooled[1], example.pooled[1])
    assert torch.allclose(joined.pooled[2], (text.pooled[2] + example.pooled[2]) / 2)


def test_a_text_row_with_masked_example_tokens_gives_the_text_only_mask(example_separator):
    model = example_separator.model
    magnitude = model.spectrogram(torch.from_numpy(mixture()))[None, None].abs()
    text = model.encode_text(["a tone"])
    example = model.encode_example([torch.from_numpy(tone(440, 1.0))])
    joined = join_conditions(text, example, use_example=torch.tensor([False]))
    with torch.inference_mode():
        alone = model.predict_mask(magnitude, text)[0]
        masked = model.predict_mask(magnitude, joined)[0]
        both = model.predict_mask(magnitude, join_conditions(text, example))[0]
    assert torch.allclose(alone, masked, atol=1e-5)
    assert (alone - both).abs().max() > 1e-4


def test_example_span_and_text_queries_change_the_output(example_separator):
    audio = mixture()
    text = example_separator.separate(audio, 16000, "a tone")
    span = example_separator.separate(audio, 16000, example_spans=[(0.5, 1.5)])
    both = example_separator.separate(audio, 16000, "a tone", example_spans=[(0.5, 1.5)])
    example = example_separator.separate(audio, 16000, example=(tone(440, 1.0), 16000))
    assert span.shape == text.shape == audio.shape
    for a, b in ((text, span), (text, both), (span, both), (span, example)):
        assert np.max(np.abs(a - b)) > 1e-4
    # a span is audio of the input: the same clip given as an example file gives the same
    same = example_separator.separate(audio, 16000, example=(audio[8000:24000], 16000))
    np.testing.assert_allclose(span, same, atol=1e-5)


def test_the_example_is_read_from_a_file_at_any_rate(example_separator, tmp_path):
    from querysep.audio.io import save_audio

    audio = mixture()
    clip = tone(440, 1.0, 44100)
    save_audio(tmp_path / "example.wav", np.stack([clip, clip]), 44100)
    from_file = example_separator.separate(audio, 16000, example=tmp_path / "example.wav")
    from_pair = example_separator.separate(audio, 16000, example=(clip, 44100))
    np.testing.assert_allclose(from_file, from_pair, atol=1e-5)


def test_spans_of_a_file_stream_as_spans_of_the_array(example_separator, tmp_path):
    from querysep.audio.io import load_audio, save_audio

    audio = mixture(4.0)
    save_audio(tmp_path / "in.wav", audio, 16000)
    example_separator.separate_file(
        tmp_path / "in.wav", "a tone", tmp_path / "out.wav", example_spans=[(1.0, 2.0), (3, 3.5)]
    )
    streamed = load_audio(tmp_path / "out.wav")[0][0]
    in_memory = example_separator.separate(
        audio, 16000, "a tone", example_spans=[(1.0, 2.0), (3, 3.5)]
    )
    np.testing.assert_allclose(streamed, in_memory, atol=1e-4)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"example_spans": [(2.0, 1.0)]}, "empty"),
        ({"example_spans": [(1.0, 1.0)]}, "empty"),
        ({"example_spans": [(2.5, 3.5)]}, "outside the input"),
        ({"example_spans": [(-0.5, 1.0)]}, "outside the input"),
        ({"example_spans": [(1.0, 1.1)]}, "too short"),
        ({"example": (np.zeros(16000, np.float32), 16000)}, "silent"),
        ({"example": (tone(440, 0.1), 16000)}, "too short"),
        ({"example": "missing.wav"}, "example"),
    ],
)
def test_bad_spans_and_examples_are_clear_errors(example_separator, kwargs, message):
    with pytest.raises(ExampleError, match=message):
        example_separator.separate(mixture(), 16000, **kwargs)


def test_a_text_only_model_refuses_audio_queries(tiny_separator):
    with pytest.raises(ExampleError, match="text queries only"):
        tiny_separator.separate(mixture(), 16000, example_spans=[(0.5, 1.5)])
    with pytest.raises(ValueError, match="give a text query"):
        tiny_separator.separate(mixture(), 16000)


def test_spans_parse_from_the_command_line_form():
    assert parse_span("3.2:4.0") == (3.2, 4.0)
    for bad in ("3.2", "a:b", "1:2:3"):
        with pytest.raises(ExampleError, match="START:END"):
            parse_span(bad)


def test_the_example_encoder_is_saved_and_loaded(example_separator, tmp_path):
    audio = mixture()
    expected = example_separator.separate(audio, 16000, example_spans=[(0.5, 1.5)])
    path = example_separator.save(tmp_path / "example.pt")
    loaded = Separator.load(path, text_encoder=example_separator.text_encoder)
    np.testing.assert_allclose(
        loaded.separate(audio, 16000, example_spans=[(0.5, 1.5)]), expected, atol=1e-6
    )
    payload = torch.load(path, weights_only=True)
    del payload["example_encoder"]
    torch.save(payload, tmp_path / "broken.pt")
    with pytest.raises(CheckpointError, match="example encoder"):
        Separator.load(tmp_path / "broken.pt", text_encoder=example_separator.text_encoder)
