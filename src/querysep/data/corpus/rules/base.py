"""What a rule table is made of: packages, path rules, caption phrases and shared gap ranges.

A rule is a regular expression searched in the lower-cased, package-relative path (members of
archives read ``archive:member``); the first matching rule of a package wins and files matched
by no rule are left out. ``label=None`` drops a file explicitly. A rule with a ``gap_seconds``
range marks short one-shot events (a key press, a single step): they are not clips on their
own but are strung into sequences (typing, walking) with gaps from that range; a named group
``(?P<group>...)`` in the pattern keeps events apart (steps on grass and on snow make separate
sequences). ``speaker`` is a pattern whose ``(?P<speaker>...)`` group (or whole match) names
the person or synthetic voice heard in the file, for the corpus' voice count.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Package:
    names: tuple[str, ...]  # Debian package names, the first one available is used
    upstream: str
    licence: str  # licence of the audio files, from the package's debian/copyright
    rendered: bool = False  # audio rendered by this build (soundfont, synthesiser), not recorded


@dataclass(frozen=True)
class Rule:
    pattern: str
    label: str | None
    gap_seconds: tuple[float, float] | None = None  # set: one-shot events strung into sequences
    speaker: str | None = None  # pattern naming the voice heard (speech, screams, laughter)


def phrases(text: str) -> tuple[str, ...]:
    """Caption phrases written as one ``;``-separated string."""
    return tuple(p.strip() for p in text.split(";"))


STEP_GAP_SECONDS = (0.3, 0.6)
HIT_GAP_SECONDS = (0.4, 1.2)
SWING_GAP_SECONDS = (0.3, 1.0)
BEEP_GAP_SECONDS = (0.1, 0.6)
CLICK_GAP_SECONDS = (0.4, 1.5)
