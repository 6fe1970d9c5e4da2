"""The listening test of thesis 5.5.2: rate 1-5 how well each separation worked; results
per item as in thesis Table 5.2, on a page and as CSV."""

from __future__ import annotations

import csv
import io
import math
import re
import uuid

from flask import Flask, Response, abort, g, make_response, render_template, request, send_file

from querysep.web.catalog import ListeningItem
from querysep.web.ratings import RATINGS, RatingStore, RatingSummary

PARTICIPANT_COOKIE = "querysep_participant"
PARTICIPANT_PATTERN = re.compile(r"[0-9a-f]{32}")


def add_listening_routes(
    app: Flask, *, items: list[ListeningItem], ratings: RatingStore | None
) -> None:
    def configured() -> RatingStore:
        if ratings is None:
            abort(404, "no listening test is configured on this server")
        return ratings

    def form_page(chosen: dict[int, int], error: str | None = None, status: int = 200):
        configured()
        page = render_template(
            "listen.html", items=items, chosen=chosen, error=error, ratings=RATINGS
        )
        response = make_response(page, status)
        _remember_participant(response)
        return response

    @app.get("/listen")
    def listen():
        return form_page({})

    @app.post("/listen")
    def listen_submit():
        store = configured()
        chosen = _chosen_ratings(len(items))
        if len(chosen) < len(items):
            return form_page(chosen, "Please rate every sample before sending.", 400)
        store.add(_participant(), {items[index].key: rating for index, rating in chosen.items()})
        response = make_response(render_template("listen_thanks.html"))
        _remember_participant(response)
        return response

    @app.get("/listen/audio/<int:index>/<any(mixture, separated):clip>")
    def listening_audio(index: int, clip: str):
        configured()
        if index >= len(items):
            abort(404, "no such listening item")
        return send_file(getattr(items[index], clip), conditional=True, max_age=3600)

    @app.get("/listen/results")
    def listening_results():
        store = configured()
        rows = _summaries(items, store)
        return render_template(
            "listen_results.html",
            rows=rows,
            ratings=RATINGS,
            num_participants=store.num_participants(),
        )

    @app.get("/listen/results.csv")
    def listening_results_csv():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            ["item", "query", "count", "mean", "std", "mode", *(f"share_{r}" for r in RATINGS)]
        )
        for _, item, summary in _summaries(items, configured()):
            writer.writerow(
                [
                    item.key,
                    item.query,
                    summary.count,
                    _number(summary.mean),
                    _number(summary.std),
                    summary.mode or "",
                    *(_number(share) for share in summary.shares),
                ]
            )
        headers = {"Content-Disposition": 'attachment; filename="listening_results.csv"'}
        return Response(buffer.getvalue(), mimetype="text/csv", headers=headers)


def _summaries(items: list[ListeningItem], store: RatingStore):
    counts = store.counts()
    empty = [0] * len(RATINGS)
    return [
        (number, item, RatingSummary.from_counts(counts.get(item.key, empty)))
        for number, item in enumerate(items, start=1)
    ]


def _chosen_ratings(num_items: int) -> dict[int, int]:
    """Item index -> rating, for the well-formed answers of the submitted form."""
    chosen = {}
    for index in range(num_items):
        value = request.form.get(f"rating-{index}", "")
        if value.isdigit() and int(value) in RATINGS:
            chosen[index] = int(value)
    return chosen


def _participant() -> str:
    """The anonymous id from the cookie, or a new one (the same for the whole request)."""
    if "participant" not in g:
        value = request.cookies.get(PARTICIPANT_COOKIE, "")
        g.participant = value if PARTICIPANT_PATTERN.fullmatch(value) else uuid.uuid4().hex
    return g.participant


def _remember_participant(response: Response) -> None:
    response.set_cookie(
        PARTICIPANT_COOKIE, _participant(), max_age=365 * 24 * 3600, httponly=True, samesite="Lax"
    )


def _number(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.3f}"
