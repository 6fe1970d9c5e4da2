"""Captioned audio clips from a Clotho v2 CSV or a simple manifest (CSV / JSONL).

Clotho v2: ``file_name,caption_1,...,caption_5`` plus an audio folder. Extra columns are
kept; a ``class`` column (or ``metadata.csv`` with ``file_name,class`` in the audio folder)
labels the clips so that mixtures can avoid two clips of the same class; a ``package``
column of ``metadata.csv`` names each clip's source, so that draws can balance sources.
Manifest: ``path,caption`` rows (CSV with a header, or JSON lines); several rows for one
path give that clip several captions; relative paths are resolved against the manifest.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path


class CaptionError(ValueError):
    """A caption file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class CaptionedClip:
    path: Path
    captions: tuple[str, ...]
    label: str | None = None  # sound class, when known
    source: str | None = None  # where the recording comes from (a Debian package), when known


def load_captions(path: str | Path, audio_dir: str | Path | None = None) -> list[CaptionedClip]:
    """Load a Clotho CSV (it has a ``caption_1`` column) or a path,caption manifest."""
    path = Path(path)
    if not path.is_file():
        raise CaptionError(f"{path}: caption file not found")
    if path.suffix.lower() in {".jsonl", ".json"}:
        return load_manifest(path)
    with path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle), [])
    if "caption_1" in header:
        return load_clotho(path, audio_dir if audio_dir is not None else path.parent)
    return load_manifest(path)


def load_clotho(csv_path: str | Path, audio_dir: str | Path) -> list[CaptionedClip]:
    csv_path, audio_dir = Path(csv_path), Path(audio_dir)
    labels, sources = _read_metadata(audio_dir / "metadata.csv")
    clips = []
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        caption_columns = sorted(
            (c for c in columns if c.startswith("caption_")), key=lambda c: int(c.split("_")[1])
        )
        if "file_name" not in columns or not caption_columns:
            raise CaptionError(f"{csv_path}: expected columns file_name,caption_1..caption_5")
        for line, row in enumerate(reader, start=2):
            name = (row.get("file_name") or "").strip()
            captions = tuple(
                c.strip() for c in (row.get(k) or "" for k in caption_columns) if c.strip()
            )
            if not name or not captions:
                raise CaptionError(f"{csv_path}:{line}: needs a file_name and at least one caption")
            clip_path = audio_dir / name
            if not clip_path.is_file():
                raise CaptionError(f"{csv_path}:{line}: audio file {clip_path} not found")
            label = (row.get("class") or "").strip() or labels.get(name)
            clips.append(CaptionedClip(clip_path, captions, label, sources.get(name)))
    if not clips:
        raise CaptionError(f"{csv_path}: no clips")
    return clips


def load_manifest(path: str | Path) -> list[CaptionedClip]:
    path = Path(path)
    rows = _read_jsonl(path) if path.suffix.lower() in {".jsonl", ".json"} else _read_csv(path)
    captions: dict[Path, list[str]] = {}
    labels: dict[Path, str | None] = {}
    for line, row in rows:
        clip, caption = str(row.get("path") or "").strip(), str(row.get("caption") or "").strip()
        if not clip or not caption:
            raise CaptionError(f"{path}:{line}: each row needs a non-empty path and caption")
        clip_path = Path(clip) if Path(clip).is_absolute() else path.parent / clip
        if not clip_path.is_file():
            raise CaptionError(f"{path}:{line}: audio file {clip_path} not found")
        captions.setdefault(clip_path, []).append(caption)
        labels.setdefault(clip_path, row.get("class") or None)
    if not captions:
        raise CaptionError(f"{path}: no clips")
    return [CaptionedClip(p, tuple(c), labels[p]) for p, c in captions.items()]


def _read_csv(path: Path):
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not {"path", "caption"} <= set(reader.fieldnames or []):
            raise CaptionError(f"{path}: a manifest CSV needs the columns path,caption")
        return [(line, row) for line, row in enumerate(reader, start=2)]


def _read_jsonl(path: Path):
    rows = []
    for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            row = json.loads(text)
        except json.JSONDecodeError as error:
            raise CaptionError(f"{path}:{line}: not valid JSON ({error.msg})") from error
        if not isinstance(row, dict):
            raise CaptionError(f"{path}:{line}: each line must be a JSON object")
        rows.append((line, row))
    return rows


def _read_metadata(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """``file_name`` -> class and ``file_name`` -> package, from a corpus' ``metadata.csv``."""
    if not path.is_file():
        return {}, {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if "file_name" not in (reader.fieldnames or []):
            return {}, {}
        rows = list(reader)
    labels = {row["file_name"]: row["class"] for row in rows if row.get("class")}
    sources = {row["file_name"]: row["package"] for row in rows if row.get("package")}
    return labels, sources
