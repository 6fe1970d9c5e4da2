"""Audio queries on the web: an example recording and time spans, in the API and the page."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf

from querysep.web.app import create_app
from tests.web.conftest import MAX_SECONDS, SAMPLE_RATE, wav_bytes

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def silent_wav(seconds: float) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, np.zeros(int(seconds * SAMPLE_RATE)), SAMPLE_RATE, format="WAV")
    return buffer.getvalue()


def post(client, mixture_seconds: float = 1.0, **fields):
    """``POST /api/separate`` with a mixture and ``fields``; bytes are sent as files."""
    data = {"audio": (io.BytesIO(wav_bytes(mixture_seconds)), "mix.wav")}
    for name, value in fields.items():
        data[name] = (io.BytesIO(value), "dog.wav") if isinstance(value, bytes) else value
    return client.post("/api/separate", data=data, content_type="multipart/form-data")


@pytest.fixture
def example_client(example_separator):
    """The app around an untrained tiny separator that takes examples and spans."""
    return create_app(example_separator, max_seconds=MAX_SECONDS).test_client()


# -- conditions reach the separator -------------------------------------------------------


def test_api_text_only_passes_no_audio_queries(client, separator):
    assert post(client, query="a dog barking").status_code == 200
    call = separator.calls[-1]
    assert call["query"] == "a dog barking"
    assert call["example"] is None and call["example_spans"] is None


def test_api_span_only(client, separator):
    assert post(client, span="0.2:0.6").status_code == 200
    call = separator.calls[-1]
    assert call["query"] is None and call["example"] is None
    assert call["example_spans"] == [(0.2, 0.6)]


def test_api_example_only(client, separator):
    assert post(client, example=wav_bytes(0.5, 22050)).status_code == 200
    call = separator.calls[-1]
    waveform, sample_rate = call["example"]
    assert call["query"] is None and call["example_spans"] is None
    assert sample_rate == 22050 and waveform.shape == (1, 11025)


def test_api_text_and_spans_repeated_and_comma_separated(client, separator):
    response = post(client, query="a dog barking", span=["0.1:0.3", "0.5:0.7, 0.8:0.9", " "])
    assert response.status_code == 200
    call = separator.calls[-1]
    assert call["query"] == "a dog barking"
    assert call["example_spans"] == [(0.1, 0.3), (0.5, 0.7), (0.8, 0.9)]


@pytest.mark.parametrize(
    "fields",
    [
        {"span": "0.2:0.7"},
        {"example": wav_bytes(0.5, 22050)},
        {"query": "a pure tone", "span": "0.1:0.6", "example": wav_bytes(0.5)},
    ],
    ids=["span", "example", "text+span+example"],
)
def test_api_audio_queries_with_a_real_tiny_separator(example_client, fields):
    response = post(example_client, 1.0, **fields)
    assert response.status_code == 200, response.data[:300]
    waveform, sample_rate = sf.read(io.BytesIO(response.data))
    assert sample_rate == SAMPLE_RATE and waveform.shape == (SAMPLE_RATE,)
    assert np.all(np.isfinite(waveform)) and "X-Querysep-Hint" not in response.headers


# -- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "the query is empty"),
        ({"query": "  ", "span": " "}, "the query is empty"),
        ({"span": "3.2-4.0"}, "is not START:END in seconds"),
        ({"span": ", ".join(["0.1:0.5"] * 21)}, "at most 20"),
        ({"example": b"GIF89a not audio"}, "example recording dog.wav: not a readable audio file"),
        ({"example": b""}, "example recording dog.wav: the file is empty"),
        ({"example": wav_bytes(MAX_SECONDS + 1)}, "example recording dog.wav: 4.0 s is too long"),
        ({"example": "dog.wav"}, "multipart file field 'example'"),
    ],
)
def test_api_bad_audio_queries_are_400_before_the_model(client, separator, fields, message):
    response = post(client, **fields)
    assert response.status_code == 400 and message in response.json["error"]
    assert separator.calls == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"span": "0.5:1.5"}, "outside the input, which lasts 1.00 s"),
        ({"span": "0.6:0.6"}, "is empty: its end must be after its start"),
        ({"span": "0.1:0.2"}, "too short to describe a sound"),
        ({"example": wav_bytes(0.1)}, "too short to describe a sound"),
        ({"example": silent_wav(1.0)}, "silent"),
    ],
)
def test_api_spans_and_examples_the_separator_refuses_are_400(example_client, fields, message):
    response = post(example_client, 1.0, **fields)
    assert response.status_code == 400 and message in response.json["error"]


@pytest.mark.parametrize("fields", [{"span": "0.1:0.6"}, {"example": wav_bytes(0.5)}])
def test_api_text_only_model_refuses_audio_queries(tiny_separator, fields):
    client = create_app(tiny_separator).test_client()
    response = post(client, **fields)
    assert response.status_code == 400
    assert "takes text queries only" in response.json["error"]


# -- the page -----------------------------------------------------------------------------


def submit(client, **fields):
    data = {"demo": "street.wav", **fields}
    return client.post("/separate", data=data, content_type="multipart/form-data")


def test_index_offers_an_example_recording_and_the_span_picker(client):
    page = client.get("/").get_data(as_text=True)
    assert 'type="file" name="example"' in page and 'name="span"' in page
    assert 'id="span-picker"' in page and "span_picker.js" in page
    assert 'id="query" name="query" type="text" required' not in page  # text is optional


def test_index_of_a_text_only_model_has_no_audio_queries(tiny_separator):
    page = create_app(tiny_separator).test_client().get("/").get_data(as_text=True)
    assert 'name="span"' not in page and "span_picker.js" not in page
    assert "takes text queries only" in page
    assert 'id="query" name="query" type="text" required' in page


def test_form_with_spans_and_an_example_recording_names_them_on_the_result(client, separator):
    response = submit(
        client,
        span="0.50:1.25, 1.5:1.9",
        example=(io.BytesIO(wav_bytes(0.5)), "my dog.wav"),
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "queried by example recording + spans" in page
    assert "example recording my dog.wav" in page and "0.50–1.25 s, 1.50–1.90 s" in page
    assert "by audio query" in page and "Example recording and spans</h1>" in page
    call = separator.calls[-1]
    assert call["query"] is None and call["shape"] == (1, 32000)  # the demo is the mixture
    assert call["example_spans"] == [(0.5, 1.25), (1.5, 1.9)]
    assert call["example"][0].shape == (1, 8000)


def test_form_with_text_names_only_text_and_keeps_the_hint_logic(client, separator):
    response = submit(client, query="a siren blaring", span="")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "“a siren blaring”" in page and "queried by text" in page
    assert separator.calls[-1]["example_spans"] is None


def test_form_with_a_bad_span_shows_the_error_and_keeps_the_spans(client, separator):
    response = submit(client, span="1.0:2.0, soon")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "is not START:END in seconds" in page
    assert 'value="1.0:2.0, soon"' in page
    assert separator.calls == []


# -- the span picker's spectrogram --------------------------------------------------------


def test_spectrogram_of_a_demo_or_an_upload_carries_its_duration(client):
    demo = client.post("/api/spectrogram", data={"demo": "birds.flac"})
    assert demo.status_code == 200 and demo.mimetype == "image/png"
    assert demo.data.startswith(PNG_MAGIC)
    assert float(demo.headers["X-Querysep-Seconds"]) == pytest.approx(1.5)
    upload = client.post(
        "/api/spectrogram",
        data={"demo": "birds.flac", "audio": (io.BytesIO(wav_bytes(2.5, 22050)), "m.wav")},
    )
    assert float(upload.headers["X-Querysep-Seconds"]) == pytest.approx(2.5)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "choose an example or upload"),
        ({"demo": "../secret.wav"}, "unknown example"),
        ({"audio": (io.BytesIO(b"not audio"), "x.wav")}, "not a readable audio file"),
        ({"audio": (io.BytesIO(wav_bytes(MAX_SECONDS + 1)), "x.wav")}, "too long"),
    ],
)
def test_spectrogram_errors_are_400_json(client, data, message):
    response = client.post("/api/spectrogram", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and message in response.json["error"]
