"""Serving the web app with waitress, a production WSGI server (not Flask's dev server)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import waitress
from flask import Flask

from querysep.web.app import create_app
from querysep.web.separation import SeparatorLike


def serve(
    separator: SeparatorLike,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    threads: int = 4,
    **app_options,
) -> None:
    """Serve ``create_app(separator, **app_options)`` on http://host:port/ until interrupted."""
    app = create_app(separator, **app_options)
    print(f"querysep web app on http://{host}:{port}/  (Ctrl+C stops it)", flush=True)
    waitress.serve(app, host=host, port=port, **_server_options(app, threads))


@contextmanager
def running_server(app: Flask, host: str = "127.0.0.1", *, threads: int = 4) -> Iterator[str]:
    """Run ``app`` with waitress on a free port of ``host`` in a thread; yields its base URL."""
    server = waitress.create_server(app, host=host, port=0, **_server_options(app, threads))
    thread = threading.Thread(target=server.run, name="querysep-web", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.effective_port}"
    finally:
        # workers first: a task that finishes after the trigger is closed would pull it
        # (OSError: bad file descriptor in a worker thread)
        server.task_dispatcher.shutdown()
        server.trigger.pull_trigger(lambda: _close_channels(server))  # runs in the loop thread
        thread.join(timeout=10.0)


def _close_channels(server) -> None:
    """Close the listening socket, the trigger and open connections: the loop then ends."""
    for channel in list(server._map.values()):
        channel.close()


def _server_options(app: Flask, threads: int) -> dict:
    # Bodies up to twice the upload limit reach Flask, which answers 413 as JSON; waitress
    # refuses larger ones itself, before buffering them.
    return {"threads": threads, "max_request_body_size": 2 * app.config["MAX_CONTENT_LENGTH"]}
