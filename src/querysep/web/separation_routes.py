"""The separation page, its result pages, and the JSON API.

Both the page and the API take a text ``query`` and/or audio queries: the multipart file
``example`` (an example recording of the wanted sound) and ``span`` fields ("START:END"
seconds of the mixture, repeatable, or several split by commas). ``caption_ensemble`` (a
number, 0 = off) averages the text query over that many nearest training captions. The page's
mixture is an uploaded file ``audio`` or the name of a shipped demo recording, ``demo``.
"""

from __future__ import annotations

import io
from pathlib import PurePath

from flask import (
    Flask,
    Request,
    Response,
    abort,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from querysep.web.catalog import Example
from querysep.web.pictures import spectrogram_png
from querysep.web.results import ResultStore, encode_wav, make_result
from querysep.web.separation import ReferenceClip, SeparationService, UploadError

TRUE_WORDS = {"1", "true", "yes", "on"}


def add_separation_routes(
    app: Flask,
    *,
    service: SeparationService,
    examples: dict[str, Example],
    results: ResultStore,
) -> None:
    def form_page(error: str | None = None, status: int = 200):
        page = render_template(
            "index.html",
            examples=list(examples.values()),
            form=request.form,
            error=error,
            audio_queries=service.takes_audio_queries,
            caption_ensembles=service.takes_caption_ensembles,
        )
        return page, status

    @app.get("/")
    def index():
        return form_page()

    @app.post("/separate")
    def separate_form():
        try:
            data, name = _chosen_audio(request, examples)
            separation = service.run(data, name, **_options(request))
        except UploadError as error:
            return form_page(str(error), 400)
        result = make_result(separation, source_name=name)
        return redirect(url_for("result_page", result_id=results.add(result)), code=303)

    @app.get("/result/<result_id>")
    def result_page(result_id: str):
        return render_template(
            "result.html",
            result=_found(results, result_id),
            id=result_id,
            caption_ensembles=service.takes_caption_ensembles,
        )

    @app.get("/result/<result_id>/<any(mixture, separated, residual):track>.<any(wav, png):kind>")
    def result_file(result_id: str, track: str, kind: str):
        stored = _found(results, result_id).tracks[track]
        data, mimetype = (
            (stored.wav, "audio/wav") if kind == "wav" else (stored.picture, "image/png")
        )
        return send_file(
            io.BytesIO(data), mimetype=mimetype, conditional=True, etag=False, max_age=3600
        )

    @app.get("/examples/<name>")
    def example_audio(name: str):
        example = examples.get(name)
        if example is None:
            abort(404, "no such example")
        return send_file(example.path, conditional=True, max_age=3600)

    @app.post("/api/separate")
    def api_separate():
        upload = request.files.get("audio")
        if upload is None:
            abort(400, "send the mixture as the multipart file field 'audio'")
        try:
            separation = service.run(
                upload.read(), _display_name(upload.filename), **_options(request)
            )
        except UploadError as error:
            abort(400, str(error))
        wav = encode_wav(separation.separated, separation.sample_rate, subtype="FLOAT")
        headers = {"Content-Disposition": 'attachment; filename="separated.wav"'}
        if separation.hint:  # the query is far from the training vocabulary
            headers["X-Querysep-Hint"] = _header_text(separation.hint)
        if separation.quiet_note:  # the model found little that matches
            headers["X-Querysep-Note"] = _header_text(separation.quiet_note)
        if separation.conditions.captions:  # the caption ensemble's captions, in order
            headers["X-Querysep-Captions"] = _header_text(
                " | ".join(separation.conditions.captions)
            )
        return Response(wav, mimetype="audio/wav", headers=headers)

    @app.post("/api/spectrogram")
    def api_spectrogram():
        """The mixture the form would send (file ``audio``, else the ``demo`` name) as a
        spectrogram without axes, for the page's span picker; its duration in seconds is in
        the header ``X-Querysep-Seconds``."""
        try:
            mixture, sample_rate = service.decode(*_chosen_audio(request, examples))
        except UploadError as error:
            abort(400, str(error))
        picture = spectrogram_png(mixture, sample_rate, bare=True)
        seconds = mixture.shape[-1] / sample_rate
        return Response(
            picture, mimetype="image/png", headers={"X-Querysep-Seconds": f"{seconds:.6f}"}
        )

    @app.get("/api/vocabulary")
    def api_vocabulary():
        """``?query=...``: the vocabulary hint for a query, and the nearest training captions."""
        try:
            query = service.check_text(request.args.get("query", ""), "query", required=True)
        except UploadError as error:
            abort(400, str(error))
        vocabulary = getattr(service.separator, "vocabulary", None)
        if vocabulary is None:
            return {"query": query, "hint": None, "nearest": []}
        nearest = vocabulary.nearest(query, service.separator.text_encoder)
        return {
            "query": query,
            "hint": service.hint(query),
            "nearest": [
                {"caption": m.caption, "class": m.label, "cosine": round(m.cosine, 3)}
                for m in nearest
            ],
        }

    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "sample_rate": service.separator.sample_rate}


def _options(req: Request) -> dict:
    """``SeparationService.run``'s keyword arguments from the form fields."""
    return {
        "query": req.form.get("query", "").strip(),
        "negative_query": req.form.get("negative_query", "").strip(),
        "remove": req.form.get("remove", "").strip().lower() in TRUE_WORDS,
        "spans": req.form.getlist("span"),
        "reference": _reference_clip(req),
        "caption_ensemble": _caption_ensemble(req),
    }


def _caption_ensemble(req: Request) -> int:
    """The field ``caption_ensemble``: how many nearest training captions to average the text
    query over (absent, empty or 0: the query as typed)."""
    text = req.form.get("caption_ensemble", "").strip()
    try:
        return int(text) if text else 0
    except ValueError:
        raise UploadError(f"caption_ensemble must be a whole number, got {text[:20]!r}") from None


def _header_text(text: str) -> str:
    """``text`` as an HTTP header value (ASCII; other characters become '?')."""
    return text.encode("ascii", "replace").decode()


def _reference_clip(req: Request) -> ReferenceClip | None:
    """The uploaded example recording of the wanted sound (file field ``example``), if any."""
    if "example" in req.form:
        raise UploadError("send the example recording as the multipart file field 'example'")
    upload = req.files.get("example")
    if upload is None or not upload.filename:
        return None
    return ReferenceClip(upload.read(), _display_name(upload.filename))


def _chosen_audio(req: Request, examples: dict[str, Example]) -> tuple[bytes, str]:
    """The uploaded mixture when there is one, else the chosen shipped demo recording."""
    upload = req.files.get("audio")
    if upload is not None and upload.filename:
        return upload.read(), _display_name(upload.filename)
    name = req.form.get("demo", "")
    if not name:
        raise UploadError("choose an example or upload a mixture")
    if name not in examples:
        raise UploadError("unknown example: choose one from the list")
    return examples[name].path.read_bytes(), name


def _found(results: ResultStore, result_id: str):
    result = results.get(result_id)
    if result is None:
        abort(404, "no such result (results are kept for a limited time): separate again")
    return result


def _display_name(filename: str | None) -> str:
    """The upload's name for messages only; it never becomes a path."""
    return PurePath((filename or "upload").replace("\\", "/")).name[:80] or "upload"
