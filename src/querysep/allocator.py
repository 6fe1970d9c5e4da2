"""The memory allocator for long files: tcmalloc or jemalloc, when the system has one.

Separating a long file window by window, glibc's malloc keeps freed heap that it cannot
reuse (sizes do not fit the holes): a 60-minute 44.1 kHz stereo file peaks at 600–613 MiB
under glibc, above the 600 MB goal. tcmalloc (gperftools) keeps the freed pages for the next
window without that waste: 544 MiB in 25 s on a 2-core VM, against glibc's 30 s. jemalloc
keeps the least memory (489 MiB) but gives pages back and faults them in again: 37 s
(docs/BENCHMARKS.md, session 14). An allocator can only be chosen before a process starts, so
``querysep separate`` and ``querysep serve`` restart themselves once with it preloaded
(``LD_PRELOAD``, as PyTorch's own CPU launcher ``torch.backends.xeon.run_cpu`` does): the
first of :data:`PREFERENCE` that is installed (Debian and Ubuntu: ``apt install
libtcmalloc-minimal4``, or ``libjemalloc2``). ``QUERYSEP_ALLOCATOR`` names one
(``tcmalloc``, ``jemalloc``) or keeps the system's malloc (``system``).
"""

from __future__ import annotations

import ctypes.util
import os
import sys
from collections.abc import Mapping

SWITCH = "QUERYSEP_ALLOCATOR"  # "auto" (the default), an allocator's name, or "system"
# name -> the library's name for the dynamic loader, in order of preference
LIBRARIES = {"tcmalloc": "tcmalloc_minimal", "jemalloc": "jemalloc"}
PREFERENCE = tuple(LIBRARIES)
PACKAGES = {"tcmalloc": "libtcmalloc-minimal4", "jemalloc": "libjemalloc2"}  # Debian/Ubuntu


class AllocatorError(ValueError):
    """``QUERYSEP_ALLOCATOR`` names no allocator we know."""


def find_library(name: str) -> str | None:
    """The allocator ``name``'s shared library as the dynamic loader finds it (e.g.
    ``libtcmalloc_minimal.so.4``), or None (not installed, or not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.util.find_library(LIBRARIES[name])


def choose(environ: Mapping[str, str]) -> tuple[str, str] | None:
    """``(name, library)`` of the allocator to preload under ``environ``, or None (the
    system's malloc: asked for, or none of the wanted ones installed)."""
    wanted = environ.get(SWITCH, "").strip().lower() or "auto"
    if wanted == "system":
        return None
    if wanted != "auto" and wanted not in LIBRARIES:
        choices = ", ".join(["auto", *LIBRARIES, "system"])
        raise AllocatorError(f"{SWITCH}={wanted!r}: expected one of {choices}")
    for name in PREFERENCE if wanted == "auto" else (wanted,):
        library = find_library(name)
        if library is not None:
            return name, library
    return None


def wanted_but_missing(environ: Mapping[str, str]) -> str | None:
    """The allocator ``QUERYSEP_ALLOCATOR`` names when it is not installed, else None."""
    wanted = environ.get(SWITCH, "").strip().lower()
    return wanted if wanted in LIBRARIES and find_library(wanted) is None else None


def preload_environment(environ: Mapping[str, str] | None = None) -> dict[str, str] | None:
    """``environ`` (default: this process's) with the chosen allocator preloaded, or None when
    a process started with it would not differ: the system's malloc chosen, or an allocator
    already preloaded (any library named ``*malloc*``: the user's choice stands)."""
    env = dict(os.environ if environ is None else environ)
    preload = env.get("LD_PRELOAD", "")
    chosen = choose(env)  # first: an unknown name is an error even when nothing changes
    if chosen is None or "malloc" in preload:
        return None
    env["LD_PRELOAD"] = f"{chosen[1]} {preload}".strip()  # the loader splits on spaces or colons
    return env


def restart_with_allocator() -> None:
    """Replace this process by the same command line under the chosen allocator. Returns
    (and the process goes on as it is) when :func:`preload_environment` says there is nothing
    to change or the restart fails. An unknown ``QUERYSEP_ALLOCATOR`` raises AllocatorError."""
    env = preload_environment()
    if env is None:
        missing = wanted_but_missing(os.environ)
        if missing:
            print(
                f"warning: {SWITCH}={missing}, but it is not installed (Debian/Ubuntu: apt "
                f"install {PACKAGES[missing]}); using the system's malloc",
                file=sys.stderr,
            )
        return
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], env)
    except OSError:
        return
