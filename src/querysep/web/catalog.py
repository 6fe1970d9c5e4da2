"""What the app may serve from disk, fixed at creation: shipped examples and listening items.

Users pick entries by name or index; paths are never taken from a request.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from querysep.audio.io import AUDIO_SUFFIXES


@dataclass(frozen=True)
class Example:
    name: str  # the file name, which the form sends
    path: Path
    query: str  # a suggested query ("" when none)


@dataclass(frozen=True)
class ListeningItem:
    key: str  # stable id stored with each rating
    mixture: Path
    separated: Path
    query: str


def load_examples(folder: str | Path) -> dict[str, Example]:
    """Audio files of ``folder``, with suggested queries from its optional ``examples.csv``
    (columns ``file,query``)."""
    folder = Path(folder)
    queries = {row["file"]: row["query"] for row in _read_csv(folder / "examples.csv")}
    files = sorted(p for p in folder.iterdir() if p.is_file() and _is_audio(p))
    return {path.name: Example(path.name, path, queries.get(path.name, "")) for path in files}


def load_listening_items(source: str | Path) -> list[ListeningItem]:
    """Items from a CSV (``mixture,separated,query`` paths relative to it, optional ``name``)
    or a folder of item folders, each with ``mixture.*``, ``separated.*`` and ``query.txt``."""
    source = Path(source)
    items = _items_from_folder(source) if source.is_dir() else _items_from_csv(source)
    if not items:
        raise ValueError(f"{source}: no listening items")
    if len({item.key for item in items}) != len(items):
        raise ValueError(f"{source}: listening items must have distinct names")
    return items


def _items_from_csv(path: Path) -> list[ListeningItem]:
    if not path.is_file():
        raise ValueError(f"{path}: no such listening-test CSV")
    return [
        ListeningItem(
            key=row.get("name") or row["separated"],
            mixture=_inside(path.parent, row["mixture"]),
            separated=_inside(path.parent, row["separated"]),
            query=row["query"].strip(),
        )
        for row in _read_csv(path)
    ]


def _items_from_folder(folder: Path) -> list[ListeningItem]:
    return [
        ListeningItem(
            key=item.name,
            mixture=_one_audio(item, "mixture"),
            separated=_one_audio(item, "separated"),
            query=(item / "query.txt").read_text(encoding="utf-8").strip(),
        )
        for item in sorted(p for p in folder.iterdir() if p.is_dir())
    ]


def _inside(base: Path, relative: str) -> Path:
    path = (base / relative).resolve()
    if not path.is_relative_to(base.resolve()) or not path.is_file():
        raise ValueError(f"{relative}: not an audio file inside {base}")
    return path


def _one_audio(folder: Path, stem: str) -> Path:
    matches = [p for p in sorted(folder.glob(f"{stem}.*")) if _is_audio(p)]
    if len(matches) != 1:
        raise ValueError(f"{folder}: expected one {stem}.wav/.flac/.ogg/.mp3")
    return matches[0]


def _is_audio(path: Path) -> bool:
    return path.suffix.lower() in AUDIO_SUFFIXES


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
