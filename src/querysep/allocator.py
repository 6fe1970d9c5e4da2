"""The memory allocator for long files: jemalloc, when the system has it.

Separating a long file window by window, glibc's malloc keeps 100–200 MiB of freed heap that
it cannot reuse (sizes do not fit the holes). The window's live tensors peak about 150 MiB
above the loaded model, but the process peaks at 620–710 MiB under glibc and about 510 MiB
under jemalloc, for 0–40 % more time (docs/BENCHMARKS.md). An allocator can only be
chosen before a process starts, so ``querysep separate`` and ``querysep serve`` restart
themselves once with jemalloc preloaded (``LD_PRELOAD``, as PyTorch's own CPU launcher
``torch.backends.xeon.run_cpu`` does) when ``libjemalloc.so.2`` is installed (Debian and
Ubuntu: ``apt install libjemalloc2``). Without it, or with ``QUERYSEP_ALLOCATOR=system``,
they run on the system's malloc as before.
"""

from __future__ import annotations

import ctypes.util
import os
import sys
from collections.abc import Mapping

SWITCH = "QUERYSEP_ALLOCATOR"  # "system" keeps the system's malloc


def find_jemalloc() -> str | None:
    """jemalloc's shared library as the dynamic loader finds it (e.g. ``libjemalloc.so.2``),
    or None (not installed, or not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.util.find_library("jemalloc")


def jemalloc_environment(environ: Mapping[str, str] | None = None) -> dict[str, str] | None:
    """``environ`` (default: this process's) with jemalloc preloaded, or None when a process
    started with it would not differ: jemalloc missing or already preloaded, or
    ``QUERYSEP_ALLOCATOR=system``."""
    env = dict(os.environ if environ is None else environ)
    preload = env.get("LD_PRELOAD", "")
    if env.get(SWITCH, "").strip().lower() == "system" or "jemalloc" in preload:
        return None
    library = find_jemalloc()
    if library is None:
        return None
    env["LD_PRELOAD"] = f"{library} {preload}".strip()  # the loader splits on spaces or colons
    return env


def restart_under_jemalloc() -> None:
    """Replace this process by the same command line under jemalloc. Returns (and the process
    goes on as it is) when :func:`jemalloc_environment` says there is nothing to change or the
    restart fails."""
    env = jemalloc_environment()
    if env is None:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], env)
    except OSError:
        return
