"""Download Debian packages with ``apt-get download`` and unpack them with ``dpkg-deb -x``.

Nothing is installed. Downloads live in ``<cache>/debs``, unpacked trees in
``<cache>/extracted/<package>`` (written under a temporary name, then renamed), so a rebuild
reuses both. Audio inside zip archives (0 A.D. ``.zip``, UFO:AI ``.pk3``, Warzone ``.wz``) is
read member by member, named ``archive:member``; so are the Qt resource files (``.rcc``) of
GCompris. Files without a suffix (Blob Wars) are recognised by their first bytes.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from querysep.data.corpus.rcc import RccError, read_rcc

AUDIO_SUFFIXES = (".wav", ".ogg", ".oga", ".flac", ".mp3")
ARCHIVE_SUFFIXES = (".zip", ".pk3", ".wz")
RESOURCE_SUFFIX = ".rcc"
AUDIO_MAGIC = (b"RIFF", b"OggS", b"fLaC", b"ID3")


class PackageError(RuntimeError):
    """apt-get or dpkg-deb failed; the message says which command and why."""


@dataclass(frozen=True)
class Extracted:
    name: str  # the Debian package actually used
    version: str
    root: Path


def fetch_package(names: tuple[str, ...], cache_dir: Path) -> Extracted:
    """Download (unless cached) and unpack the first available of ``names``."""
    debs = cache_dir / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    deb = _cached_deb(names, debs) or _download(names, debs)
    name = _run(["dpkg-deb", "-f", str(deb), "Package"]).strip()
    version = _run(["dpkg-deb", "-f", str(deb), "Version"]).strip()
    root = cache_dir / "extracted" / name
    if not (root / ".complete").exists():
        tmp = root.with_name(f".{name}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        _run(["dpkg-deb", "-x", str(deb), str(tmp)])
        (tmp / ".complete").write_text(deb.name)
        shutil.rmtree(root, ignore_errors=True)
        os.replace(tmp, root)
    return Extracted(name, version, root)


def copyright_text(extracted: Extracted) -> str:
    path = extracted.root / "usr" / "share" / "doc" / extracted.name / "copyright"
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


def iter_audio(root: Path) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """``(relative path, read bytes)`` for every audio file under ``root``, in sorted order."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        suffix = path.suffix.lower()
        if suffix in AUDIO_SUFFIXES or (not suffix and _looks_like_audio(path)):
            yield relative, path.read_bytes
        elif suffix in ARCHIVE_SUFFIXES and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in sorted(archive.namelist()):
                    if member.lower().endswith(AUDIO_SUFFIXES):
                        yield f"{relative}:{member}", lambda m=member: archive.read(m)
        elif suffix == RESOURCE_SUFFIX:
            yield from _resource_audio(path, relative)


def _resource_audio(path: Path, relative: str) -> Iterator[tuple[str, Callable[[], bytes]]]:
    try:
        members = sorted(read_rcc(path.read_bytes()))
    except (RccError, struct.error):
        return
    for member, data in members:
        if data is not None and member.lower().endswith(AUDIO_SUFFIXES):
            yield f"{relative}:{member}", lambda d=data: d


def _looks_like_audio(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4).startswith(AUDIO_MAGIC)


def _cached_deb(names: tuple[str, ...], debs: Path) -> Path | None:
    for name in names:
        found = sorted(debs.glob(f"{name}_*.deb"))
        if found:
            return found[-1]
    return None


def _download(names: tuple[str, ...], debs: Path) -> Path:
    errors = []
    for updated in (False, True):
        if updated and hasattr(os, "geteuid") and os.geteuid() == 0:
            _run(["apt-get", "update", "-qq"])
        for name in names:
            try:
                _run(["apt-get", "download", "-qq", name], cwd=debs)
            except PackageError as error:
                errors.append(str(error))
                continue
            found = _cached_deb((name,), debs)
            if found is not None:
                return found
    raise PackageError(
        f"cannot download {' or '.join(names)}: {errors[-1]} "
        "(run `sudo apt-get update` and check the network)"
    )


def _run(command: list[str], cwd: Path | None = None) -> str:
    if shutil.which(command[0]) is None:
        raise PackageError(f"{command[0]} not found: the corpus build needs Debian or Ubuntu")
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        message = result.stderr.strip()[-500:] or f"exit status {result.returncode}"
        raise PackageError(f"`{' '.join(command)}` failed: {message}")
    return result.stdout
