"""The listening test: form, ratings in SQLite, results like thesis Table 5.2, CSV export."""

from __future__ import annotations

import csv
import io
import math
import re
import sqlite3

import pytest

from querysep.audio.io import save_audio
from querysep.web.app import create_app
from querysep.web.catalog import load_listening_items
from querysep.web.listening_routes import PARTICIPANT_COOKIE
from querysep.web.ratings import RatingStore, RatingSummary
from tests.conftest import tone
from tests.web.conftest import FakeSeparator


def rate(client, *ratings):
    data = {f"rating-{index}": str(value) for index, value in enumerate(ratings)}
    return client.post("/listen", data=data)


def results_csv(client) -> list[dict[str, str]]:
    response = client.get("/listen/results.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_form_has_instructions_items_and_gives_a_participant_id(client):
    response = client.get("/listen")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Welcome!" in page and "1</strong> (not at all)" in page
    assert "an owl hooting" in page and "Sample 3" in page
    assert page.count('type="radio"') == 3 * 5
    assert len(client.get_cookie(PARTICIPANT_COOKIE).value) == 32


def test_listening_clips_are_served_by_index(client):
    assert client.get("/listen/audio/0/mixture").status_code == 200
    assert client.get("/listen/audio/2/separated").status_code == 200
    for path in [
        "/listen/audio/3/mixture",
        "/listen/audio/0/query",
        "/listen/audio/-1/mixture",
        "/listen/audio/0/..%2F..%2Fitems.csv",
        "/listen/audio/../items.csv",
    ]:
        assert client.get(path).status_code == 404, path


def test_ratings_are_stored_and_summarised(client, app):
    assert rate(client, 4, 5, 3).status_code == 200
    for ratings in [(5, 4, 3), (3, 4, 2)]:
        other = app.test_client()
        assert rate(other, *ratings).status_code == 200
    rows = results_csv(client)
    assert [row["item"] for row in rows] == ["sample0", "sample1", "sample2"]
    first = rows[0]
    assert first["count"] == "3" and float(first["mean"]) == pytest.approx(4.0)
    assert float(first["std"]) == pytest.approx(1.0)
    shares = [float(first[f"share_{r}"]) for r in range(1, 6)]
    assert shares == pytest.approx([0, 0, 1 / 3, 1 / 3, 1 / 3], abs=1e-3)
    page = client.get("/listen/results").get_data(as_text=True)
    assert "by 3 participants" in page and "4.00" in page and "33.3%" in page


def test_a_participant_who_rates_again_replaces_their_ratings(client, tmp_path):
    rate(client, 1, 1, 1)
    rate(client, 5, 5, 5)
    rows = results_csv(client)
    assert [row["count"] for row in rows] == ["1", "1", "1"] and rows[0]["mean"] == "5.000"


def test_incomplete_or_invalid_ratings_are_refused(client):
    for ratings in [
        {"rating-0": "4"},
        {"rating-0": "4", "rating-1": "6", "rating-2": "2"},
        {"rating-0": "4", "rating-1": "x", "rating-2": "2"},
    ]:
        response = client.post("/listen", data=ratings)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and "rate every sample" in page
        assert re.search(r'name="rating-0" value="4" required\s+checked', page)
    assert all(row["count"] == "0" for row in results_csv(client))


def test_forged_participant_cookie_is_replaced(client):
    client.set_cookie(PARTICIPANT_COOKIE, "'; DROP TABLE ratings; --")
    rate(client, 2, 2, 2)
    assert len(client.get_cookie(PARTICIPANT_COOKIE).value) == 32
    assert results_csv(client)[0]["count"] == "1"


def test_ratings_survive_a_restart(separator, listening_csv, tmp_path):
    database = tmp_path / "ratings.sqlite3"
    first = create_app(separator, listening_items=listening_csv, database=database).test_client()
    rate(first, 2, 3, 4)
    restarted = create_app(FakeSeparator(), listening_items=listening_csv, database=database)
    rows = results_csv(restarted.test_client())
    assert [row["mean"] for row in rows] == ["2.000", "3.000", "4.000"]


def test_database_is_in_wal_mode(app, tmp_path):
    with sqlite3.connect(tmp_path / "ratings.sqlite3") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_without_a_listening_test_its_pages_are_404(separator):
    client = create_app(separator).test_client()
    for path in ["/listen", "/listen/results", "/listen/results.csv", "/listen/audio/0/mixture"]:
        assert client.get(path).status_code == 404, path
    assert client.post("/listen").status_code == 404
    assert "Listening test" not in client.get("/").get_data(as_text=True)


def test_listening_test_needs_a_database(separator, listening_csv):
    with pytest.raises(ValueError, match="database"):
        create_app(separator, listening_items=listening_csv)


def test_items_from_a_folder_of_item_folders(tmp_path):
    for name, query in [("b_whales", "multiple whales"), ("a_owl", "an owl hooting")]:
        save_audio(tmp_path / name / "mixture.wav", tone(200, 0.5), 16000)
        save_audio(tmp_path / name / "separated.flac", tone(200, 0.5), 16000)
        (tmp_path / name / "query.txt").write_text(query + "\n")
    items = load_listening_items(tmp_path)
    assert [(item.key, item.query) for item in items] == [
        ("a_owl", "an owl hooting"),
        ("b_whales", "multiple whales"),
    ]


def test_csv_items_may_not_point_outside_their_folder(tmp_path):
    folder = tmp_path / "items"
    save_audio(tmp_path / "outside.wav", tone(200, 0.5), 16000)
    save_audio(folder / "mix.wav", tone(200, 0.5), 16000)
    (folder / "items.csv").write_text("mixture,separated,query\nmix.wav,../outside.wav,q\n")
    with pytest.raises(ValueError, match="inside"):
        load_listening_items(folder / "items.csv")


def test_summary_matches_hand_computed_statistics():
    summary = RatingSummary.from_counts([0, 1, 2, 3, 4])  # ratings 2, 3,3, 4,4,4, 5,5,5,5
    values = [2, 3, 3, 4, 4, 4, 5, 5, 5, 5]
    mean = sum(values) / 10
    assert summary.count == 10 and summary.mean == pytest.approx(mean)
    assert summary.std == pytest.approx(math.sqrt(sum((v - mean) ** 2 for v in values) / 9))
    assert summary.shares == pytest.approx((0, 0.1, 0.2, 0.3, 0.4)) and summary.mode == 5
    empty = RatingSummary.from_counts([0] * 5)
    assert empty.count == 0 and math.isnan(empty.mean) and empty.mode is None


def test_store_counts_by_item(tmp_path):
    store = RatingStore(tmp_path / "db" / "ratings.sqlite3")
    store.add("p1", {"a": 5, "b": 1})
    store.add("p2", {"a": 5})
    assert store.counts() == {"a": [0, 0, 0, 0, 2], "b": [1, 0, 0, 0, 0]}
    assert store.num_participants() == 2
