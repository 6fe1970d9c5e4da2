"""Fetch every source, decode the files that a rule labels, and keep de-duplicated clips."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from querysep.audio import AudioError, load_audio
from querysep.data.corpus.clips import (
    clips_from_recording,
    digest,
    is_silent,
    to_pcm16,
    trim_silence,
)
from querysep.data.corpus.debian import copyright_text, fetch_package, iter_audio
from querysep.data.corpus.render import render_melodies, render_speech
from querysep.data.corpus.sources import (
    DOWNLOADED,
    RENDERED_SPEECH,
    Package,
    Rule,
    classify,
    event_group,
)

RENDER_VERSION = "rendered-v1"  # bump when the melody or speech generators change
SOUNDFONT = Path("usr/share/sounds/sf2/FluidR3_GM.sf2")
MIN_EVENT_SECONDS = 0.03


@dataclass(frozen=True)
class Source:
    key: str  # the rule table's name for it
    name: str  # the Debian package used
    version: str
    root: Path  # where its audio files are
    info: Package
    copyright: str


@dataclass
class Clip:
    label: str
    package: str
    original_path: str
    recording: str  # clips of one recording always share a split
    pcm: np.ndarray  # int16 (time,) at the corpus sample rate
    digest: str
    gap_seconds: tuple[float, float] | None = None  # set for one-shot events
    group: str = ""  # events of one group are strung together


@dataclass
class Collected:
    clips: list[Clip] = field(default_factory=list)
    events: list[Clip] = field(default_factory=list)
    num_duplicates: int = 0
    num_unusable: int = 0  # unreadable, silent or too short


def fetch_sources(cache_dir: Path, *, seed: int, progress: bool) -> list[Source]:
    """Download and unpack the packages, render melodies and speech; all cached."""
    sources, rendered = [], cache_dir / RENDER_VERSION
    for key, info in tqdm(DOWNLOADED.items(), desc="packages", disable=not progress):
        extracted = fetch_package(info.names, cache_dir)
        root = extracted.root
        if key == "fluid-soundfont-gm":
            root = rendered / key
            paths = render_melodies(extracted.root / SOUNDFONT, root, seed=seed)
            _consume(paths, "rendering melodies", progress)
        sources.append(
            Source(key, extracted.name, extracted.version, root, info, copyright_text(extracted))
        )
    _consume(render_speech(rendered / "espeak-ng", seed=seed), "rendering speech", progress)
    sources.append(_espeak_source(rendered / "espeak-ng"))
    return sources


def collect(
    sources: list[Source],
    sample_rate: int,
    *,
    min_seconds: float,
    max_seconds: float,
    progress: bool,
) -> Collected:
    """Decode every labelled file once; identical audio (same 16-bit samples) is kept once."""
    collected, seen = Collected(), set()
    for source in sources:
        files = tqdm(iter_audio(source.root), desc=source.key, disable=not progress, unit=" files")
        for path, read in files:
            rule = classify(source.key, path)
            if rule is None:
                continue
            pieces = _pieces(read, rule, sample_rate, min_seconds, max_seconds)
            if not pieces:
                collected.num_unusable += 1
            for piece in pieces:
                key = digest(piece)
                if key in seen:
                    collected.num_duplicates += 1
                    continue
                seen.add(key)
                recording = f"{source.key}:{path}"
                clip = Clip(rule.label, source.name, path, recording, to_pcm16(piece), key)
                if rule.gap_seconds is None:
                    collected.clips.append(clip)
                else:
                    clip.gap_seconds, clip.group = rule.gap_seconds, event_group(rule, path)
                    collected.events.append(clip)
    return collected


def _pieces(read, rule: Rule, sample_rate: int, min_seconds: float, max_seconds: float):
    """Clips of a recording, or the one trimmed event of a one-shot; [] when unusable."""
    try:
        waveform = load_audio(read(), sample_rate, mono=True)[0][0]
    except AudioError:
        return []
    if rule.gap_seconds is None:
        return clips_from_recording(
            waveform, sample_rate, min_seconds=min_seconds, max_seconds=max_seconds
        )
    event = trim_silence(waveform, sample_rate)
    usable = not is_silent(event) and len(event) >= MIN_EVENT_SECONDS * sample_rate
    return [event] if usable else []


def _espeak_source(root: Path) -> Source:
    query = ["dpkg-query", "-W", "-f=${Version}", "espeak-ng"]
    version = subprocess.run(query, capture_output=True, text=True).stdout.strip() or "unknown"
    notices = [
        Path("/usr/share/doc", name, "copyright") for name in ("espeak-ng-data", "espeak-ng")
    ]
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in notices if p.is_file())
    return Source("espeak-ng", "espeak-ng", version, root, RENDERED_SPEECH, text)


def _consume(paths, description: str, progress: bool) -> None:
    for _ in tqdm(paths, desc=description, disable=not progress, leave=False):
        pass
