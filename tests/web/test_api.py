"""The JSON API and health check (Flask test client)."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import soundfile as sf

from querysep.web.app import create_app
from tests.web.conftest import MAX_SECONDS, FakeSeparator, wav_bytes


def post(client, audio: bytes | None = None, name: str = "mix.wav", **fields):
    data = {"query": "a dog barking", **fields}
    if audio is not None:
        data["audio"] = (io.BytesIO(audio), name)
    return client.post("/api/separate", data=data, content_type="multipart/form-data")


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "sample_rate": 16000}


def test_api_returns_wav_of_the_input_shape_and_rate(client, separator):
    response = post(client, wav_bytes(1.0, 22050, channels=2), remove="true")
    assert response.status_code == 200 and response.mimetype == "audio/wav"
    waveform, sample_rate = sf.read(io.BytesIO(response.data), always_2d=True)
    assert sample_rate == 22050 and waveform.shape == (22050, 2)
    assert separator.calls[-1]["remove"] is True


@pytest.mark.parametrize(
    ("audio", "fields", "message"),
    [
        (b"GIF89a not audio at all", {}, "not a readable audio file"),
        (b"", {}, "empty"),
        (wav_bytes(0.5), {"query": "   "}, "the query is empty"),
        (wav_bytes(0.5), {"query": "x" * 501}, "longer than 500 characters"),
        (wav_bytes(MAX_SECONDS + 0.5), {}, "too long"),
        (None, {}, "multipart file field 'audio'"),
    ],
)
def test_api_bad_requests_are_400_json(client, separator, audio, fields, message):
    response = post(client, audio, **fields)
    assert response.status_code == 400
    assert message in response.json["error"]
    assert separator.calls == []


def test_api_nan_audio_is_400(client):
    buffer = io.BytesIO()
    sf.write(buffer, np.full(1000, np.nan, dtype=np.float32), 16000, format="WAV", subtype="FLOAT")
    response = post(client, buffer.getvalue())
    assert response.status_code == 400 and "NaN" in response.json["error"]


def test_api_upload_over_the_limit_is_413_json(client, separator):
    response = post(client, b"\0" * 500_000)
    assert response.status_code == 413
    assert "larger than the limit" in response.json["error"]
    assert separator.calls == []


def test_api_unknown_route_and_wrong_method_are_json(client):
    assert client.get("/api/nothing").json["error"]
    response = client.get("/api/separate")
    assert response.status_code == 405 and response.json["error"]


def test_model_calls_never_overlap(examples_dir):
    separator = FakeSeparator(delay_seconds=0.02)
    app = create_app(separator, max_seconds=MAX_SECONDS)
    audio = wav_bytes(0.2)

    def request(_):
        return post(app.test_client(), audio).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(request, range(12)))
    assert statuses == [200] * 12
    assert len(separator.calls) == 12 and not separator.overlapped


def test_api_with_a_real_tiny_separator(tiny_separator):
    client = create_app(tiny_separator).test_client()
    response = post(client, wav_bytes(1.5, 22050), query="a pure tone")
    assert response.status_code == 200, response.data[:200]
    waveform, sample_rate = sf.read(io.BytesIO(response.data))
    assert sample_rate == 22050 and waveform.shape == (int(1.5 * 22050),)
    assert np.all(np.isfinite(waveform))
