"""The training vocabulary: carried by checkpoints, hints for far queries in CLI and web."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf

from querysep.cli import main
from querysep.vocabulary import FAR_COSINE, Vocabulary
from querysep.web.app import create_app
from tests.conftest import tone

LABELLED = {
    "dog": {"a dog barks", "a dog barking loudly outside", "barking of a dog"},
    "rain": {"rain falls", "heavy rain pouring down"},
    "bell": {"a bell rings", "church bells chime"},
}


@pytest.fixture
def vocabulary(text_encoder):
    return Vocabulary.build(LABELLED, text_encoder)


def test_nearest_captions_and_the_far_query_hint(vocabulary, text_encoder):
    assert vocabulary.classes == ["bell", "dog", "rain"] and len(vocabulary.captions) == 7
    nearest = vocabulary.nearest("a hound barking", text_encoder)
    assert [m.label for m in nearest][0] == "dog" and len(nearest) == 3  # one per class
    assert nearest[0].cosine > FAR_COSINE > nearest[-1].cosine
    assert vocabulary.hint("a dog is barking", text_encoder) is None
    hint = vocabulary.hint("a quantum computer calculating", text_encoder)
    assert hint is not None and '"a dog barks' not in hint and "Nearest sounds it knows" in hint


def test_checkpoints_carry_the_vocabulary(tiny_separator, vocabulary, text_encoder, tmp_path):
    from querysep.separator import Separator

    tiny_separator.vocabulary = vocabulary
    try:
        path = tiny_separator.save(tmp_path / "with_vocabulary.pt")
    finally:
        tiny_separator.vocabulary = None
    loaded = Separator.load(path, text_encoder=text_encoder)
    assert loaded.vocabulary.captions == vocabulary.captions
    assert np.allclose(loaded.vocabulary.embeddings, vocabulary.embeddings, atol=1e-3)
    assert loaded.query_hint("a dog barking") is None
    assert loaded.query_hint("stock market prices") is not None
    assert Separator.load(tiny_separator.save(tmp_path / "none.pt")).vocabulary is None


def test_cli_vocabulary_lists_classes_and_separate_warns(
    tiny_separator, vocabulary, tmp_path, capsys
):
    tiny_separator.vocabulary = vocabulary
    try:
        checkpoint = str(tiny_separator.save(tmp_path / "v.pt"))
    finally:
        tiny_separator.vocabulary = None
    assert main(["vocabulary", "--checkpoint", checkpoint]) == 0
    out = capsys.readouterr().out
    assert "3 classes, 7 captions" in out and "dog: " in out and "rain: " in out
    assert main(["vocabulary", "--checkpoint", checkpoint, "--query", "a puppy barking"]) == 0
    assert capsys.readouterr().out.split()[1] == "dog"
    source = tmp_path / "in.wav"
    sf.write(source, tone(440, 1.0), 16000)
    args = ["separate", str(source), "--checkpoint", checkpoint, "-o", str(tmp_path / "o.wav")]
    assert main([*args, "--query", "tax law paragraphs"]) == 0
    assert "warning: this model was not trained on anything close" in capsys.readouterr().err
    assert main([*args[:-1], str(tmp_path / "o2.wav"), "--query", "a dog barks"]) == 0
    assert "warning" not in capsys.readouterr().err


class VocabularySeparator:
    sample_rate = 16000

    def __init__(self, vocabulary, text_encoder):
        self.vocabulary, self.text_encoder = vocabulary, text_encoder

    def separate(self, waveform, sample_rate, query, *, negative_query=None, remove=False):
        return 0.5 * np.asarray(waveform, dtype=np.float32)

    def query_hint(self, query):
        return self.vocabulary.hint(query, self.text_encoder)


def test_web_page_and_api_show_the_hint(vocabulary, text_encoder):
    client = create_app(VocabularySeparator(vocabulary, text_encoder)).test_client()
    buffer = io.BytesIO()
    sf.write(buffer, tone(330, 1.0), 16000, format="WAV")
    form = {"query": "a spreadsheet formula", "audio": (io.BytesIO(buffer.getvalue()), "m.wav")}
    page = client.post("/separate", data=form, follow_redirects=True)
    assert page.status_code == 200 and b"vocabulary-hint" in page.data
    form = {"query": "a dog barks", "audio": (io.BytesIO(buffer.getvalue()), "m.wav")}
    page = client.post("/separate", data=form, follow_redirects=True)
    assert b"vocabulary-hint" not in page.data
    api = client.post(
        "/api/separate",
        data={"query": "a spreadsheet formula", "audio": (io.BytesIO(buffer.getvalue()), "m.wav")},
    )
    assert api.status_code == 200 and "not trained" in api.headers["X-Querysep-Hint"]
    answer = client.get("/api/vocabulary", query_string={"query": "rain on the roof"}).get_json()
    assert answer["hint"] is None and answer["nearest"][0]["class"] == "rain"
    assert client.get("/api/vocabulary", query_string={"query": " "}).status_code == 400


def test_nearest_captions_are_ranked_over_every_class(vocabulary, text_encoder):
    captions = vocabulary.nearest_captions("a dog barking", text_encoder, 3)
    assert len(captions) == 3 and set(captions) <= LABELLED["dog"]  # the three dog captions
    assert vocabulary.nearest_captions("a dog barks", text_encoder, 1) == ["a dog barks"]
    assert len(vocabulary.nearest_captions("rain", text_encoder, 50)) == 7  # all there are


def test_caption_ensemble_averages_the_masks_of_the_nearest_captions(
    tiny_separator, vocabulary, text_encoder
):
    """With K captions the estimate is the mean of the K single-caption estimates (the ISTFT is
    linear in the mask), one output per query, also with --remove."""
    from querysep.separator import Separator

    mixture = tone(440, 2.0) + tone(1250, 2.0, amplitude=0.3)
    with pytest.raises(ValueError, match="no vocabulary"):
        tiny_separator.use_caption_ensemble(2)
    tiny_separator.vocabulary = vocabulary
    captions = vocabulary.nearest_captions("a hound barking", text_encoder, 2)
    singles = tiny_separator.separate(mixture, 16000, captions)  # (2, time)
    plain = tiny_separator.separate(mixture, 16000, "a hound barking")
    ensemble = tiny_separator.use_caption_ensemble(2)
    assert isinstance(ensemble, Separator)
    try:
        averaged = ensemble.separate(mixture, 16000, "a hound barking")
        both = ensemble.separate(mixture, 16000, ["a hound barking", "heavy rain"])
        removed = ensemble.separate(mixture, 16000, "a hound barking", remove=True)
    finally:
        tiny_separator.use_caption_ensemble(0)
    assert averaged.shape == plain.shape and both.shape == (2, *plain.shape)
    assert np.allclose(averaged, singles.mean(axis=0), atol=1e-5)
    assert not np.allclose(averaged, plain, atol=1e-4)  # the query as typed differs
    assert np.allclose(both[0], averaged, atol=1e-5) and not np.allclose(both[1], averaged)
    assert np.allclose(removed + averaged, mixture, atol=1e-4)  # 1 - mean mask
    with pytest.raises(ValueError, match="0 \\(off\\) or more"):
        tiny_separator.use_caption_ensemble(-1)


def test_cli_caption_ensemble_names_its_captions(tiny_separator, vocabulary, tmp_path, capsys):
    source = tmp_path / "in.wav"
    sf.write(source, tone(440, 1.0), 16000)
    args = ["separate", str(source), "--query", "a hound barking", "--caption-ensemble", "2"]
    bare = str(tiny_separator.save(tmp_path / "bare.pt"))
    assert main([*args, "--checkpoint", bare, "-o", str(tmp_path / "a.wav")]) == 2
    assert "no vocabulary" in capsys.readouterr().err
    tiny_separator.vocabulary = vocabulary
    try:
        checkpoint = str(tiny_separator.save(tmp_path / "v.pt"))
    finally:
        tiny_separator.vocabulary = None
    assert main([*args, "--checkpoint", checkpoint, "-o", str(tmp_path / "b.wav")]) == 0
    err = capsys.readouterr().err
    assert "caption ensemble: the masks for" in err and "barking" in err
    assert (tmp_path / "b.wav").is_file()
    wrong = [*args[:-1], "-3", "--checkpoint", checkpoint, "-o", str(tmp_path / "c.wav")]
    assert main(wrong) == 2 and "Traceback" not in capsys.readouterr().err


def test_a_call_can_ask_for_its_own_caption_ensemble(tiny_separator, vocabulary, text_encoder):
    """``separate(..., caption_ensemble=K)`` is the mean over K captions for that call only."""
    mixture = tone(440, 1.0) + tone(1250, 1.0, amplitude=0.3)
    with pytest.raises(ValueError, match="no vocabulary"):
        tiny_separator.separate(mixture, 16000, "a hound barking", caption_ensemble=2)
    tiny_separator.vocabulary = vocabulary
    singles = tiny_separator.separate(
        mixture, 16000, tiny_separator.ensemble_captions(["a hound barking"], 2)
    )
    averaged = tiny_separator.separate(mixture, 16000, "a hound barking", caption_ensemble=2)
    assert np.allclose(averaged, singles.mean(axis=0), atol=1e-5)
    assert tiny_separator.caption_ensemble == 0  # the separator's own setting is untouched
    plain = tiny_separator.separate(mixture, 16000, "a hound barking")
    tiny_separator.use_caption_ensemble(2)
    try:  # 0 turns the separator's ensemble off for one call
        assert np.allclose(
            tiny_separator.separate(mixture, 16000, "a hound barking", caption_ensemble=0), plain
        )
    finally:
        tiny_separator.use_caption_ensemble(0)


def test_web_caption_ensemble_in_the_api_and_the_page(tiny_separator, vocabulary, text_encoder):
    buffer = io.BytesIO()
    sf.write(buffer, tone(440, 1.0) + tone(1250, 1.0, amplitude=0.3), 16000, format="WAV")

    def post(client, url="/api/separate", **fields):
        data = {"query": "a hound barking", "audio": (io.BytesIO(buffer.getvalue()), "m.wav")}
        return client.post(url, data=data | fields, follow_redirects=True)

    bare = create_app(tiny_separator).test_client()
    assert b'name="caption_ensemble"' not in bare.get("/").data  # no captions to match
    refused = post(bare, caption_ensemble="3")
    assert refused.status_code == 400 and "no list of training captions" in refused.json["error"]
    tiny_separator.vocabulary = vocabulary
    client = create_app(tiny_separator).test_client()
    assert b'name="caption_ensemble"' in client.get("/").data
    mixture = sf.read(io.BytesIO(buffer.getvalue()), dtype="float32")[0]
    expected = tiny_separator.separate(mixture, 16000, "a hound barking", caption_ensemble=2)
    answer = post(client, caption_ensemble="2")
    assert answer.status_code == 200
    assert np.allclose(sf.read(io.BytesIO(answer.data))[0], expected, atol=1e-5)
    captions = vocabulary.nearest_captions("a hound barking", text_encoder, 2)
    assert answer.headers["X-Querysep-Captions"] == " | ".join(captions)
    plain = post(client)
    assert "X-Querysep-Captions" not in plain.headers
    assert not np.allclose(sf.read(io.BytesIO(plain.data))[0], expected, atol=1e-4)
    page = post(client, url="/separate", caption_ensemble="3")
    assert page.status_code == 200 and b"averaged over the training captions" in page.data
    assert all(caption.encode() in page.data for caption in captions)
    for bad, message in [("-1", "0 (off) to 10"), ("11", "0 (off) to 10"), ("two", "whole number")]:
        response = post(client, caption_ensemble=bad)
        assert response.status_code == 400 and message in response.json["error"]
        response = post(client, caption_ensemble=bad, query="")  # no text: still checked
        assert response.status_code == 400 and message in response.json["error"]


def test_a_caption_ensemble_without_words_changes_nothing(example_separator):
    """Audio queries alone have no words to match: the ensemble size is not applied (and
    needs no vocabulary)."""
    mixture = tone(440, 2.0) + tone(1250, 2.0, amplitude=0.3)
    spans = [(0.2, 1.2)]
    plain = example_separator.separate(mixture, 16000, None, example_spans=spans)
    asked = example_separator.separate(
        mixture, 16000, None, example_spans=spans, caption_ensemble=3
    )
    assert np.allclose(plain, asked)
