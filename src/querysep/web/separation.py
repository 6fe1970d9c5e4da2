"""Uploads in, separations out: decoding from memory, limits, and one model call at a time.

The model logic lives in the separator; this module only checks the request, decodes the
uploads (never a user-chosen path) and serialises calls to the shared model with a lock.
A separation is asked for by a text query and/or audio queries: an uploaded example
recording of the wanted sound (a "reference clip") and time spans of the mixture.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
import soundfile as sf

from querysep.audio.io import AudioError, load_audio
from querysep.examples import ExampleError, Span, parse_span
from querysep.separator import level_gap_db, quiet_result_note

MAX_SPANS = 20  # spans of one request (each becomes a clip for the example encoder)
MAX_CAPTION_ENSEMBLE = 10  # captions per query: each is one more pass of the network


class SeparatorLike(Protocol):
    sample_rate: int

    def separate(
        self,
        waveform,
        sample_rate,
        query=None,
        *,
        example=None,
        example_spans=None,
        negative_query=None,
        remove=False,
        caption_ensemble=None,
    ): ...

    def ensemble_captions(self, queries, size=None): ...


class UploadError(ValueError):
    """A request the app refuses with 400: not audio, nothing to separate by, too long."""


@dataclass(frozen=True)
class ReferenceClip:
    """An uploaded example recording of the wanted sound (a query by example)."""

    data: bytes
    name: str


@dataclass(frozen=True)
class Conditions:
    """What a separation was asked for: a text query and/or audio queries, and the options."""

    query: str = ""  # "" when the sound is given by audio only
    negative_query: str = ""
    remove: bool = False
    spans: tuple[Span, ...] = ()  # (start, end) seconds of the mixture where the sound plays
    reference_name: str = ""  # the example recording's file name; "" when none
    captions: tuple[str, ...] = ()  # the training captions the query was averaged over

    @property
    def kinds(self) -> list[str]:
        """The kinds of query used, in words, e.g. ``["text", "spans"]``."""
        given = {"text": self.query, "example recording": self.reference_name, "spans": self.spans}
        return [kind for kind, value in given.items() if value]


@dataclass(frozen=True)
class Separation:
    mixture: np.ndarray  # (channels, time)
    separated: np.ndarray  # (channels, time)
    residual: np.ndarray  # (channels, time): mixture - separated
    sample_rate: int
    conditions: Conditions = Conditions()
    hint: str | None = None  # the text query is far from what the model was trained on
    quiet_note: str | None = None  # the extracted sound is far below the mixture (a give-up)


class SeparationService:
    def __init__(
        self, separator: SeparatorLike, *, max_seconds: float, max_query_chars: int
    ) -> None:
        self.separator = separator
        self.max_seconds = max_seconds
        self.max_query_chars = max_query_chars
        self._lock = threading.Lock()  # one model call at a time: safe and memory-flat

    @property
    def takes_audio_queries(self) -> bool:
        """Whether the model takes example recordings and spans (it has an example encoder);
        separators without a ``model`` are assumed to."""
        return getattr(getattr(self.separator, "model", None), "takes_examples", True)

    @property
    def takes_caption_ensembles(self) -> bool:
        """Whether the separator knows its training captions (a caption ensemble needs them)."""
        return getattr(self.separator, "vocabulary", None) is not None

    def run(
        self,
        data: bytes,
        name: str,
        query: str = "",
        *,
        negative_query: str = "",
        remove: bool = False,
        spans: Sequence[str] = (),
        reference: ReferenceClip | None = None,
        caption_ensemble: int = 0,
    ) -> Separation:
        """Separate the uploaded mixture by a text ``query``, an example recording
        (``reference``) and/or ``spans`` (form texts "START:END", several split by commas).
        ``caption_ensemble`` > 0 averages the text query over that many nearest training
        captions."""
        conditions = Conditions(
            query=self.check_text(query, "query", required=False),
            negative_query=self.check_text(negative_query, "negative query", required=False),
            remove=remove,
            spans=parse_spans(spans),
            reference_name=reference.name if reference else "",
        )
        ensemble = self.check_caption_ensemble(caption_ensemble, has_text=bool(conditions.query))
        if not conditions.kinds:
            raise UploadError(
                "the query is empty: describe the sound to separate, "
                "give an example recording of it, or mark where it plays"
            )
        mixture, sample_rate = self.decode(data, name)
        audio_queries = self.audio_queries(conditions.spans, reference)
        if ensemble:  # only then: text-only separators without a vocabulary need not know it
            audio_queries["caption_ensemble"] = ensemble
        with self._lock:
            if ensemble:
                captions = self.separator.ensemble_captions([conditions.query], ensemble)
                conditions = replace(conditions, captions=tuple(captions))
            try:
                separated = self.separator.separate(
                    mixture,
                    sample_rate,
                    conditions.query or None,
                    negative_query=conditions.negative_query or None,
                    remove=remove,
                    **audio_queries,
                )
            except ExampleError as error:  # spans outside the input, silent example, ...
                raise UploadError(str(error)) from error
        separated = np.asarray(separated, dtype=np.float32)
        hint = self.hint(conditions.query) if conditions.query else None
        extracted = mixture - separated if remove else separated
        quiet = quiet_result_note(level_gap_db(extracted, mixture), conditions.query or None)
        return Separation(
            mixture, separated, mixture - separated, sample_rate, conditions, hint, quiet
        )

    def audio_queries(
        self, spans: tuple[Span, ...], reference: ReferenceClip | None
    ) -> dict[str, object]:
        """The separator's keyword arguments for the audio queries given; none for a text
        query alone, so that text-only separators need not know them."""
        queries: dict[str, object] = {}
        if reference is not None:
            queries["example"] = self.decode(reference.data, f"example recording {reference.name}")
        if spans:
            queries["example_spans"] = list(spans)
        return queries

    def hint(self, query: str) -> str | None:
        """The separator's vocabulary warning for ``query`` (None when it has no vocabulary)."""
        query_hint = getattr(self.separator, "query_hint", None)
        return query_hint(query) if query_hint is not None else None

    def check_caption_ensemble(self, size: int, *, has_text: bool) -> int:
        """The ensemble size to use: ``size`` when there is a text query to match (else 0);
        a size out of range or one the model cannot do is refused."""
        if not 0 <= size <= MAX_CAPTION_ENSEMBLE:
            raise UploadError(
                f"caption_ensemble is 0 (off) to {MAX_CAPTION_ENSEMBLE} captions, got {size}"
            )
        if size and not self.takes_caption_ensembles:
            raise UploadError(
                "this model has no list of training captions: separate without a caption ensemble"
            )
        return size if has_text else 0

    def check_text(self, text: str, what: str, *, required: bool) -> str:
        text = text.strip()
        if required and not text:
            raise UploadError(f"the {what} is empty: describe the sound to separate")
        if len(text) > self.max_query_chars:
            raise UploadError(f"the {what} is longer than {self.max_query_chars} characters")
        return text

    def decode(self, data: bytes, name: str) -> tuple[np.ndarray, int]:
        """``(channels, time)`` float32 audio from uploaded bytes, within the duration limit."""
        if not data:
            raise UploadError(f"{name}: the file is empty")
        try:
            info = sf.info(io.BytesIO(data))  # reads the header only
        except Exception as error:
            raise UploadError(f"{name}: not a readable audio file (wav, flac, ogg, mp3)") from error
        self.check_duration(info.frames, info.samplerate, name)  # before decoding it all
        try:
            waveform, sample_rate = load_audio(data)
        except AudioError as error:
            raise UploadError(f"{name}: {str(error).split(': ', 1)[-1]}") from error
        self.check_duration(waveform.shape[-1], sample_rate, name)  # headers can be wrong
        return waveform, sample_rate

    def check_duration(self, num_samples: int, sample_rate: int, name: str) -> None:
        seconds = num_samples / max(sample_rate, 1)
        if seconds > self.max_seconds:
            raise UploadError(
                f"{name}: {seconds:.1f} s is too long (at most {self.max_seconds:g} s)"
            )


def parse_spans(texts: Sequence[str]) -> tuple[Span, ...]:
    """Spans in seconds from form fields, each "START:END" or several split by commas
    ("3.2:4.0, 7:8"); blank ones are skipped. Whether they lie inside the mixture is the
    separator's check."""
    parts = [part.strip() for text in texts for part in text.split(",")]
    try:
        spans = tuple(parse_span(part) for part in parts if part)
    except ExampleError as error:
        raise UploadError(str(error)) from error
    if len(spans) > MAX_SPANS:
        raise UploadError(f"{len(spans)} spans are too many (at most {MAX_SPANS})")
    return spans
