"""Fetch every source, decode the files that a rule labels, and keep de-duplicated clips.

Packages are decoded in parallel worker processes (one package per task); de-duplication then
runs in the fixed package order, so the corpus does not depend on which worker finished first.
"""

from __future__ import annotations

import subprocess
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from querysep.audio.io import AudioError, load_audio
from querysep.data.corpus.clips import (
    clips_from_recording,
    digest,
    is_silent,
    to_pcm16,
    trim_silence,
)
from querysep.data.corpus.debian import copyright_text, fetch_package, iter_audio
from querysep.data.corpus.render import render_instruments, render_speech
from querysep.data.corpus.rules.rendered import SOUNDFONTS
from querysep.data.corpus.sources import PACKAGES, Package, Rule, classify, event_group, speaker_of

RENDER_VERSION = "rendered-v2"  # bump when the melody or speech generators change
SPEECH_SOURCE = "espeak-ng"  # rendered with the installed espeak-ng, not downloaded
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
    speaker: str = ""  # "package:speaker" when the rule names the voice heard
    rendered: bool = False  # rendered by this build (soundfont, synthesiser), not recorded


@dataclass
class Collected:
    clips: list[Clip] = field(default_factory=list)
    events: list[Clip] = field(default_factory=list)
    num_duplicates: int = 0
    num_unusable: int = 0  # unreadable, silent or too short


def fetch_sources(
    cache_dir: Path, *, seed: int, progress: bool, packages: list[str] | None = None
) -> list[Source]:
    """Download and unpack the packages, render melodies and speech; all cached.

    ``packages`` limits the build to those rule-table keys (all when ``None``).
    """
    keys = list(PACKAGES) if packages is None else packages
    unknown = sorted(set(keys) - set(PACKAGES))
    if unknown:
        raise ValueError(f"unknown corpus source(s): {', '.join(unknown)}")
    sources, rendered = [], cache_dir / RENDER_VERSION
    for key in tqdm(keys, desc="packages", disable=not progress):
        info = PACKAGES[key]
        if key == SPEECH_SOURCE:
            root = rendered / key
            _consume(render_speech(root, seed=seed), "rendering speech", progress)
            sources.append(_espeak_source(root, info))
            continue
        extracted = fetch_package(info.names, cache_dir)
        root = extracted.root
        if key in SOUNDFONTS:
            root = rendered / key
            for soundfont in SOUNDFONTS[key]:
                paths = render_instruments(
                    extracted.root / soundfont.path,
                    root / Path(soundfont.path).stem.lower(),
                    labels=soundfont.labels,
                    drum_channel=soundfont.drum_channel,
                    seed=seed,
                )
                _consume(paths, f"rendering {Path(soundfont.path).name}", progress)
        sources.append(
            Source(key, extracted.name, extracted.version, root, info, copyright_text(extracted))
        )
    return sources


def collect(
    sources: list[Source],
    sample_rate: int,
    *,
    min_seconds: float,
    max_seconds: float,
    progress: bool,
    num_workers: int = 2,
) -> Collected:
    """Decode every labelled file once; identical audio (same 16-bit samples) is kept once."""
    collected, seen = Collected(), set()
    jobs = [(source, sample_rate, min_seconds, max_seconds) for source in sources]
    bar = tqdm(total=len(sources), desc="decoding packages", disable=not progress)
    if num_workers > 1 and len(sources) > 1:
        with ProcessPoolExecutor(num_workers) as pool:
            results = pool.map(_decode_source, *zip(*jobs, strict=True))
            decoded = [_advance(bar, result) for result in results]
    else:
        decoded = [_advance(bar, _decode_source(*job)) for job in jobs]
    bar.close()
    for clips, num_unusable in decoded:
        collected.num_unusable += num_unusable
        for clip in clips:
            if clip.digest in seen:
                collected.num_duplicates += 1
                continue
            seen.add(clip.digest)
            (collected.clips if clip.gap_seconds is None else collected.events).append(clip)
    return collected


def _advance(bar, result):
    bar.update(1)
    return result


def _decode_source(
    source: Source, sample_rate: int, min_seconds: float, max_seconds: float
) -> tuple[list[Clip], int]:
    """Every labelled piece of one source (duplicates inside it included) and the unusable count."""
    clips, num_unusable = [], 0
    for path, read in iter_audio(source.root):
        rule = classify(source.key, path)
        if rule is None:
            continue
        pieces = _pieces(read, rule, sample_rate, min_seconds, max_seconds)
        num_unusable += not pieces
        for piece in pieces:
            pcm = to_pcm16(piece)
            clip = Clip(
                rule.label,
                source.name,
                path,
                f"{source.key}:{path}",
                pcm,
                digest(piece),
                speaker=speaker_of(source.key, rule, path),
                rendered=source.info.rendered,
            )
            if rule.gap_seconds is not None:
                clip.gap_seconds, clip.group = rule.gap_seconds, event_group(rule, path)
            clips.append(clip)
    return clips, num_unusable


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


def _espeak_source(root: Path, info: Package) -> Source:
    query = ["dpkg-query", "-W", "-f=${Version}", "espeak-ng"]
    version = subprocess.run(query, capture_output=True, text=True).stdout.strip() or "unknown"
    notices = [
        Path("/usr/share/doc", name, "copyright") for name in ("espeak-ng-data", "espeak-ng")
    ]
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in notices if p.is_file())
    return Source(SPEECH_SOURCE, SPEECH_SOURCE, version, root, info, text)


def _consume(paths, description: str, progress: bool) -> None:
    for _ in tqdm(paths, desc=description, disable=not progress, leave=False):
        pass
