"""The corpus' rule tables, one module per group of sources, merged here.

Each module defines ``PACKAGES`` (key -> ``Package``), ``RULES`` (key -> rules), and may define
``CAPTIONS`` (phrases of the classes it introduces) and ``HINTS`` (path keyword -> captions).
"""

from __future__ import annotations

from types import ModuleType

from querysep.data.corpus.rules import desktop, games_a, games_b, rendered, v1
from querysep.data.corpus.rules.base import Package, Rule

MODULES: tuple[ModuleType, ...] = (v1, games_a, games_b, desktop, rendered)


def _merge(attribute: str) -> dict:
    merged: dict = {}
    for module in MODULES:
        for key, value in getattr(module, attribute, {}).items():
            if key in merged:
                raise ValueError(f"{key!r} is defined twice in the rule tables ({attribute})")
            merged[key] = value
    return merged


PACKAGES: dict[str, Package] = _merge("PACKAGES")
RULES: dict[str, tuple[Rule, ...]] = _merge("RULES")


def extra_captions() -> dict[str, tuple[str, ...]]:
    """Caption phrases that rule modules add, per class (the union over modules)."""
    merged: dict[str, tuple[str, ...]] = {}
    for module in MODULES:
        for label, phrases in getattr(module, "CAPTIONS", {}).items():
            merged[label] = merged.get(label, ()) + tuple(
                p for p in phrases if p not in merged.get(label, ())
            )
    return merged


def extra_hints() -> dict[str, dict[str, tuple[str, ...]]]:
    """Path-keyword captions that rule modules add, per class."""
    merged: dict[str, dict[str, tuple[str, ...]]] = {}
    for module in MODULES:
        for label, hints in getattr(module, "HINTS", {}).items():
            merged.setdefault(label, {}).update(hints)
    return merged
