"""The corpus sources: which Debian packages, and curated rules from file paths to sound classes.

The tables live in ``rules/`` (one module per group of packages, see ``rules/base.py`` for
what a rule means); this module looks rules up.
"""

from __future__ import annotations

import re

from querysep.data.corpus.rules import PACKAGES, RULES
from querysep.data.corpus.rules.base import Package, Rule

__all__ = ["PACKAGES", "RULES", "Package", "Rule", "classify", "event_group", "speaker_of"]


def classify(package: str, path: str) -> Rule | None:
    """The rule that labels ``path`` of ``package``, or ``None`` when the file is left out."""
    lowered = path.lower()
    for rule in RULES.get(package, ()):
        if re.search(rule.pattern, lowered):
            return rule if rule.label is not None else None
    return None


def event_group(rule: Rule, path: str) -> str:
    """The value of the rule's ``group`` in ``path`` ('' when the rule has none)."""
    match = re.search(rule.pattern, path.lower())
    return (match.groupdict().get("group") or "") if match else ""


def speaker_of(package: str, rule: Rule, path: str) -> str:
    """``package:speaker`` for files whose rule names a voice, else ''."""
    if rule.speaker is None:
        return ""
    match = re.search(rule.speaker, path.lower())
    if match is None:
        return ""
    return f"{package}:{match.groupdict().get('speaker') or match.group(0)}"
