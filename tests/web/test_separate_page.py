"""The separation page, result pages and example files (Flask test client)."""

from __future__ import annotations

import io
import re

import soundfile as sf

from querysep.web.results import Result, ResultStore
from querysep.web.separation import Conditions
from tests.web.conftest import MAX_SECONDS, FakeSeparator, wav_bytes

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def submit(client, **fields):
    data = {"query": "a siren blaring", **fields}
    return client.post("/separate", data=data, content_type="multipart/form-data")


def result_url(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def test_index_offers_the_examples_and_their_queries(client):
    page = client.get("/").get_data(as_text=True)
    assert 'value="street.wav"' in page and 'value="birds.flac"' in page
    assert "notes.txt" not in page
    assert "a siren blaring" in page
    assert 'name="audio"' in page and 'name="negative_query"' in page and 'name="remove"' in page


def test_example_gives_a_result_page_with_three_tracks(client, separator):
    url = result_url(submit(client, demo="street.wav"))
    page = client.get(url).get_data(as_text=True)
    assert "a siren blaring" in page and "street.wav" in page
    assert page.count("<audio") == 3 and page.count("<img") == 3 and page.count("download=") == 3
    lengths = set()
    for track in ("mixture", "separated", "residual"):
        audio = client.get(f"{url}/{track}.wav")
        assert audio.status_code == 200 and audio.mimetype == "audio/wav"
        waveform, sample_rate = sf.read(io.BytesIO(audio.data))
        lengths.add(len(waveform))
        assert sample_rate == 16000
        assert client.get(f"{url}/{track}.png").data.startswith(PNG_MAGIC)
    assert lengths == {32000}
    assert separator.calls[-1]["query"] == "a siren blaring"


def test_upload_wins_over_the_example_and_options_reach_the_separator(client, separator):
    response = submit(
        client,
        demo="street.wav",
        audio=(io.BytesIO(wav_bytes(1.0, 22050, channels=2)), "my mix.wav"),
        negative_query=" people talking ",
        remove="1",
    )
    page = client.get(result_url(response)).get_data(as_text=True)
    assert "my mix.wav" in page and "remove mode" in page and "people talking" in page
    call = separator.calls[-1]
    assert call["shape"] == (2, 22050) and call["sample_rate"] == 22050
    assert call["negative_query"] == "people talking" and call["remove"] is True


def test_form_errors_are_shown_with_400(client):
    cases = {
        "the query is empty": {"demo": "street.wav", "query": "  "},
        "not a readable audio file": {"audio": (io.BytesIO(b"hello, not audio"), "x.wav")},
        "too long": {"audio": (io.BytesIO(wav_bytes(MAX_SECONDS + 1)), "long.wav")},
        "choose an example or upload": {},
        "unknown example": {"demo": "../../../etc/passwd"},
    }
    for message, fields in cases.items():
        response = submit(client, **fields)
        assert response.status_code == 400, message
        assert message in response.get_data(as_text=True)


def test_form_upload_over_the_limit_is_413(client):
    response = submit(client, audio=(io.BytesIO(b"\0" * 500_000), "big.wav"))
    assert response.status_code == 413
    assert "larger than the limit" in response.get_data(as_text=True)


def test_unknown_results_and_tracks_are_404(client):
    assert client.get("/result/no-such-id").status_code == 404
    assert client.get("/result/no-such-id/separated.wav").status_code == 404
    url = result_url(submit(client, demo="birds.flac"))
    assert client.get(f"{url}/secret.wav").status_code == 404
    assert client.get(f"{url}/separated.txt").status_code == 404


def test_audio_supports_range_requests_for_seeking(client):
    url = result_url(submit(client, demo="birds.flac"))
    response = client.get(f"{url}/separated.wav", headers={"Range": "bytes=0-99"})
    assert response.status_code == 206 and len(response.data) == 100


def test_examples_are_served_by_name_only(client, tmp_path):
    (tmp_path / "secret.txt").write_text("secret")
    assert client.get("/examples/street.wav").status_code == 200
    for path in [
        "/examples/notes.txt",
        "/examples/..%2Fsecret.txt",
        "/examples/../secret.txt",
        "/examples/%2E%2E/secret.txt",
        "/examples//etc/passwd",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"secret" not in response.data


def test_pages_send_security_headers(client):
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_result_store_is_a_bounded_lru():
    store = ResultStore(max_results=2)
    results = [Result(f"clip{k}", Conditions("q"), 16000, 1.0) for k in range(3)]
    first, second = store.add(results[0]), store.add(results[1])
    assert store.get(first) is results[0]  # now the most recent
    third = store.add(results[2])
    assert len(store) == 2 and store.get(second) is None
    assert store.get(first) is results[0] and store.get(third) is results[2]
    assert re.fullmatch(r"[A-Za-z0-9_-]{20,}", third)


class QuietSeparator(FakeSeparator):
    """Returns the mixture 40 dB down: the model found (almost) nothing."""

    def separate(self, waveform, sample_rate, query=None, **kwargs):
        return 0.01 * super().separate(waveform, sample_rate, query, **kwargs) / 0.5


def test_a_quiet_result_is_explained_on_the_page_and_in_the_api(examples_dir, tmp_path, client):
    from querysep.web.app import create_app

    form = {"demo": "street.wav", "query": "a dog barking"}
    page = client.post("/separate", data=form, follow_redirects=True)  # the mixture halved
    assert b"quieter than the input" not in page.data
    quiet = create_app(QuietSeparator(), examples_dir=examples_dir).test_client()
    page = quiet.post("/separate", data=form, follow_redirects=True)
    assert page.status_code == 200 and b"the result is 40 dB quieter than the input" in page.data
    audio = (examples_dir / "street.wav").read_bytes()
    api = quiet.post(
        "/api/separate", data={"query": "a dog barking", "audio": (io.BytesIO(audio), "s.wav")}
    )
    assert "40 dB quieter" in api.headers["X-Querysep-Note"]
    removed = quiet.post(  # remove mode: the extracted part is mixture - result, loud
        "/api/separate",
        data={"query": "a dog", "remove": "1", "audio": (io.BytesIO(audio), "s.wav")},
    )
    assert "X-Querysep-Note" not in removed.headers
