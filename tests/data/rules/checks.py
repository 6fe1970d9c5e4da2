"""The invariants every rule table's tests check (the tables are data, these are their rules)."""

from __future__ import annotations

import re
from types import ModuleType

from querysep.data.corpus.captions import CAPTIONS
from querysep.data.corpus.sources import classify


def label_of(package: str, path: str) -> str | None:
    """The class the corpus builder gives ``path`` of ``package`` (None: left out)."""
    rule = classify(package, path)
    return rule.label if rule is not None else None


def check_tables(module: ModuleType, cases: list[tuple[str, str, str | None]]) -> None:
    """Every package has rules and at least three test cases, one of them left out."""
    assert set(module.PACKAGES) == set(module.RULES)
    for package in module.PACKAGES:
        assert module.RULES[package], package
        expected = [label for name, _, label in cases if name == package]
        assert len(expected) >= 3 and None in expected, package


def check_captions(module: ModuleType) -> None:
    """Every class the table uses has at least six distinct captions; hints compile."""
    labels = {rule.label for rules in module.RULES.values() for rule in rules if rule.label}
    for label in labels:
        assert len(set(CAPTIONS[label])) >= 6, label
    for label, phrases in module.CAPTIONS.items():
        assert phrases and all(p.strip() for p in phrases), label
    for hints in getattr(module, "HINTS", {}).values():
        for pattern in hints:
            re.compile(pattern)


def check_voices(module: ModuleType, voice_labels: set[str]) -> None:
    """Rules of voice classes name the speaker (for the corpus' voice count)."""
    for rules in module.RULES.values():
        for rule in rules:
            re.compile(rule.pattern)
            if rule.label in voice_labels:
                assert rule.speaker, rule.pattern
