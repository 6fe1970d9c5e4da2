"""Listening-test ratings in SQLite (WAL mode): one row per participant and item.

A participant who submits again replaces their earlier rating of the same item.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

RATINGS = (1, 2, 3, 4, 5)

SCHEMA = """
CREATE TABLE IF NOT EXISTS ratings (
    participant TEXT NOT NULL,
    item TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    rated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (participant, item)
)
"""


@dataclass(frozen=True)
class RatingSummary:
    count: int
    mean: float  # nan without ratings
    std: float  # sample standard deviation; nan below two ratings
    shares: tuple[float, ...]  # fraction of each rating 1..5
    mode: int | None  # the most frequent rating (the highest on ties)

    @classmethod
    def from_counts(cls, counts: list[int]) -> RatingSummary:
        """Summarise ``counts[k]`` = number of ratings ``k + 1``."""
        count = sum(counts)
        if count == 0:
            return cls(0, math.nan, math.nan, (0.0,) * len(RATINGS), None)
        mean = sum(r * n for r, n in zip(RATINGS, counts)) / count
        squares = sum(n * (r - mean) ** 2 for r, n in zip(RATINGS, counts))
        std = math.sqrt(squares / (count - 1)) if count > 1 else math.nan
        mode = max(RATINGS, key=lambda r: (counts[r - 1], r))
        return cls(count, mean, std, tuple(n / count for n in counts), mode)


class RatingStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(SCHEMA)

    def add(self, participant: str, ratings: dict[str, int]) -> None:
        """Store one participant's ratings (item key -> 1..5) in one transaction."""
        rows = [(participant, item, int(rating)) for item, rating in ratings.items()]
        with self._connect() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO ratings (participant, item, rating) VALUES (?, ?, ?)", rows
            )

    def counts(self) -> dict[str, list[int]]:
        """Item key -> number of ratings 1..5."""
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT item, rating, COUNT(*) FROM ratings GROUP BY item, rating"
            ).fetchall()
        counts: dict[str, list[int]] = {}
        for item, rating, number in rows:
            counts.setdefault(item, [0] * len(RATINGS))[rating - 1] = number
        return counts

    def num_participants(self) -> int:
        with self._connect() as connection:
            return connection.execute("SELECT COUNT(DISTINCT participant) FROM ratings").fetchone()[
                0
            ]

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A short-lived connection per operation (safe across server threads): commits on
        success, rolls back on error, always closes."""
        connection = sqlite3.connect(self.path, timeout=10.0)
        try:
            with connection:
                yield connection
        finally:
            connection.close()
