"""The app behind waitress, as ``querysep serve`` runs it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from querysep.web.app import create_app
from querysep.web.server import running_server
from tests.web.conftest import FakeSeparator


def test_waitress_serves_the_app_and_stops(examples_dir):
    app = create_app(FakeSeparator(), examples_dir=examples_dir, max_upload_bytes=1000)
    with running_server(app) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/healthz", timeout=10) as response:
            assert json.load(response)["status"] == "ok"
        request = urllib.request.Request(
            f"{url}/api/separate",
            data=b"\0" * 1500,
            headers={"Content-Type": "multipart/form-data; boundary=x"},
        )
        try:
            urllib.request.urlopen(request, timeout=10)
        except urllib.error.HTTPError as error:
            assert error.code == 413 and "larger than the limit" in json.load(error)["error"]
        else:
            raise AssertionError("an upload over the limit was accepted")
    try:
        urllib.request.urlopen(f"{url}/healthz", timeout=2)
    except OSError:
        pass
    else:
        raise AssertionError("the server still answers after closing")
