"""Audio queries: an example recording of the wanted sound, or time spans of the input.

Both end as a list of mono clips at the model's rate (one per span, or the example), which
the model's example encoder turns into conditioning tokens. Everything a user can get wrong
(spans outside the input, empty spans, silent or too short examples) raises
:class:`ExampleError` with a sentence that says what to change.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import soundfile as sf

from querysep.audio.io import AudioError, load_audio, resample

MIN_EXAMPLE_SECONDS = 0.25  # shorter spans/examples hold too few frames to describe a sound
MAX_EXAMPLE_SECONDS = 30.0  # a longer example file is cut to its first 30 s
SILENCE_DBFS = -70.0  # an example whose RMS is below this level is silent

# what a query can be made of: evaluate --condition (the caption, a span of the input where
# the sound plays, another recording of the sound, or text with one of them)
CONDITIONS = ("text", "span", "example", "text+span", "text+example")

Example = str | Path | tuple[np.ndarray, int]
Span = tuple[float, float]


class ExampleError(ValueError):
    """An example or span that cannot describe a sound (the user's to fix)."""


def parse_span(text: str) -> Span:
    """``"3.2:4.0"`` -> ``(3.2, 4.0)`` (seconds)."""
    start, sep, end = text.partition(":")
    try:
        if not sep:
            raise ValueError
        return float(start), float(end)
    except ValueError:
        raise ExampleError(f"span {text!r} is not START:END in seconds, e.g. 3.2:4.0") from None


def example_clip(example: Example, sample_rate: int) -> np.ndarray:
    """An example file path or ``(waveform, rate)`` pair -> mono ``(time,)`` at ``sample_rate``,
    cut to :data:`MAX_EXAMPLE_SECONDS` and checked."""
    if isinstance(example, (str, Path)):
        try:
            waveform = load_audio(example, sample_rate, mono=True)[0][0]
        except AudioError as error:
            raise ExampleError(f"example: {error}") from error
        name = f"example {Path(example).name}"
    else:
        try:
            audio, rate = example
            audio = np.asarray(audio, dtype=np.float32)
        except (TypeError, ValueError):
            raise ExampleError(
                "an example is a file path or a (waveform, sample_rate) pair"
            ) from None
        if audio.ndim not in (1, 2) or audio.shape[-1] == 0:
            raise ExampleError(f"example: expected (time,) or (channels, time), got {audio.shape}")
        mono = audio if audio.ndim == 1 else audio.mean(axis=0)
        waveform = resample(mono, int(rate), sample_rate)
        name = "example"
    waveform = waveform[: int(MAX_EXAMPLE_SECONDS * sample_rate)]
    check_clips([waveform], sample_rate, name)
    return waveform


def check_spans(spans: Sequence[Span], duration: float) -> list[Span]:
    """Spans in seconds, each inside ``[0, duration]`` and non-empty (else ExampleError)."""
    checked = []
    for span in spans:
        try:
            start, end = (float(x) for x in span)
        except (TypeError, ValueError):
            raise ExampleError(f"a span is (start, end) in seconds, got {span!r}") from None
        if not (np.isfinite(start) and np.isfinite(end)):
            raise ExampleError(f"span {start}:{end} is not a finite time")
        if end <= start:
            raise ExampleError(
                f"span {start:g}:{end:g} s is empty: its end must be after its start"
            )
        if start < 0 or end > duration + 1e-6:
            raise ExampleError(
                f"span {start:g}:{end:g} s is outside the input, which lasts {duration:.2f} s"
            )
        checked.append((start, end))
    return checked


def span_clips(mono: np.ndarray, spans: Sequence[Span], sample_rate: int) -> list[np.ndarray]:
    """The spans of a mono ``(time,)`` signal at ``sample_rate`` as clips, checked."""
    spans = check_spans(spans, mono.shape[-1] / sample_rate)
    clips = [mono[int(round(s * sample_rate)) : int(round(e * sample_rate))] for s, e in spans]
    check_clips(clips, sample_rate, "the marked span(s)")
    return clips


def read_span_clips(path: str | Path, spans: Sequence[Span], sample_rate: int) -> list[np.ndarray]:
    """The spans of an audio file, read (mono) without decoding the rest, at ``sample_rate``."""
    try:
        with sf.SoundFile(str(path)) as handle:
            file_rate, num_frames = handle.samplerate, handle.frames
            spans = check_spans(spans, num_frames / file_rate)
            clips = []
            for start, end in spans:
                handle.seek(int(round(start * file_rate)))
                frames = handle.read(
                    int(round((end - start) * file_rate)), dtype="float32", always_2d=True
                )
                clips.append(resample(frames.mean(axis=1), file_rate, sample_rate))
    except (RuntimeError, sf.LibsndfileError) as error:
        raise AudioError(f"{path}: cannot read audio ({error})") from error
    check_clips(clips, sample_rate, "the marked span(s)")
    return clips


def check_clips(clips: Sequence[np.ndarray], sample_rate: int, name: str) -> None:
    """Together long enough and not silent, or an ExampleError naming ``name``."""
    seconds = sum(clip.shape[-1] for clip in clips) / sample_rate
    if seconds < MIN_EXAMPLE_SECONDS:
        raise ExampleError(
            f"{name}: {seconds:.2f} s is too short to describe a sound; "
            f"give at least {MIN_EXAMPLE_SECONDS:g} s"
        )
    joined = np.concatenate([np.asarray(clip, dtype=np.float64) for clip in clips])
    if not np.all(np.isfinite(joined)):
        raise ExampleError(f"{name}: contains NaN or infinite samples")
    rms = float(np.sqrt(np.mean(np.square(joined))))
    if rms < 10.0 ** (SILENCE_DBFS / 20.0):
        raise ExampleError(
            f"{name}: silent (below {SILENCE_DBFS:g} dBFS); mark where the sound plays"
        )
