"""``create_app``: the Flask app of the web demo (thesis 5.6) and listening test (5.5.2).

The app holds no model logic: it decodes uploads from memory, calls ``separator.separate``
(one call at a time), encodes WAV and draws spectrograms.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from querysep.web.catalog import load_examples, load_listening_items
from querysep.web.listening_routes import add_listening_routes
from querysep.web.ratings import RatingStore
from querysep.web.results import ResultStore
from querysep.web.separation import SeparationService, SeparatorLike
from querysep.web.separation_routes import add_separation_routes

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def create_app(
    separator: SeparatorLike,
    *,
    examples_dir: str | Path | None = None,
    listening_items: str | Path | None = None,
    database: str | Path | None = None,
    max_upload_bytes: int = 25 * 2**20,
    max_seconds: float = 60.0,
    max_query_chars: int = 500,
    max_results: int = 16,
    max_result_bytes: int = 256 * 2**20,
) -> Flask:
    """The web app around ``separator`` (anything with ``separate(...)`` and ``sample_rate``).

    ``examples_dir``: audio files (+ optional ``examples.csv`` ``file,query``) offered on the
    page. ``listening_items``: a CSV or folder of listening-test items (see
    ``catalog.load_listening_items``), whose ratings go to the SQLite file ``database``.
    Uploads over ``max_upload_bytes`` get 413, audio over ``max_seconds`` gets 400.
    """
    items = load_listening_items(listening_items) if listening_items else []
    if items and database is None:
        raise ValueError("a listening test needs database=PATH to store its ratings")
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = max_upload_bytes
    service = SeparationService(separator, max_seconds=max_seconds, max_query_chars=max_query_chars)
    add_separation_routes(
        app,
        service=service,
        examples=load_examples(examples_dir) if examples_dir else {},
        results=ResultStore(max_results=max_results, max_bytes=max_result_bytes),
    )
    add_listening_routes(app, items=items, ratings=RatingStore(database) if items else None)

    @app.context_processor
    def limits() -> dict:
        return {
            "max_seconds": max_seconds,
            "max_upload_mb": max_upload_bytes / 2**20,
            "has_listening_test": bool(items),
        }

    app.register_error_handler(HTTPException, _http_error)
    app.after_request(_secure)
    return app


def _http_error(error: HTTPException):
    """JSON ``{"error": ...}`` under /api/, a plain page elsewhere."""
    message = error.description
    if error.code == 413:
        limit_mb = current_app.config["MAX_CONTENT_LENGTH"] / 2**20
        message = f"the upload is larger than the limit of {limit_mb:g} MB"
    if request.path.startswith("/api/"):
        return {"error": message}, error.code
    page = render_template("message.html", title=f"{error.code} {error.name}", message=message)
    return page, error.code


def _secure(response):
    response.headers.update(SECURITY_HEADERS)
    return response
