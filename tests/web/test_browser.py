"""A real browser (Playwright + Debian's chromium, headless) against the app under waitress."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from querysep.audio.io import save_audio
from querysep.web.app import create_app
from querysep.web.server import running_server
from tests.conftest import tone
from tests.web.conftest import SAMPLE_RATE, FakeSeparator

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
DURATION_SCRIPT = """selector => {
    const audio = document.querySelector(selector);
    return audio && audio.readyState >= 1 && audio.duration > 0 ? audio.duration : null;
}"""
SECONDS_SCRIPT = """seconds => {
    const picker = document.getElementById("span-picker");
    return !picker.hidden && Math.abs(Number(picker.dataset.seconds) - seconds) < 0.01;
}"""


@pytest.fixture
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium chromium-driver)")
    return path


@pytest.mark.slow
def test_browser_uploads_an_example_and_plays_the_result(
    chromium, tiny_separator, examples_dir, tmp_path
):
    from playwright.sync_api import sync_playwright

    app = create_app(tiny_separator, examples_dir=examples_dir)
    with running_server(app) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{url}/")
            page.screenshot(path=tmp_path / "index.png", full_page=True)
            page.set_input_files("input[name=audio]", examples_dir / "street.wav")
            page.fill("#query", "a siren blaring")
            page.click("button[type=submit]")
            page.wait_for_url("**/result/*", timeout=60_000)
            for track in ("mixture", "separated", "residual"):
                duration = page.wait_for_function(
                    DURATION_SCRIPT, arg=f"#audio-{track}", timeout=30_000
                ).json_value()
                assert duration == pytest.approx(2.0, abs=0.05)
            assert "street.wav" in page.inner_text(".meta")
            page.screenshot(path=tmp_path / "result.png", full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "result.png").stat().st_size > 10_000


def drag_across(page, selector: str, start: float, end: float) -> None:
    """Drag the mouse across ``selector`` from ``start`` to ``end`` (fractions of its width)."""
    box = page.locator(selector).bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + start * box["width"], y)
    page.mouse.down()
    page.mouse.move(box["x"] + end * box["width"], y, steps=8)
    page.mouse.up()


@pytest.mark.slow
def test_browser_marks_spans_on_the_spectrogram_and_separates_by_them(
    chromium, examples_dir, tmp_path
):
    from playwright.sync_api import sync_playwright

    separator = FakeSeparator()
    app = create_app(separator, examples_dir=examples_dir)
    mixture = tmp_path / "four seconds.wav"
    save_audio(mixture, tone(440, 4.0), SAMPLE_RATE)
    with running_server(app) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1100})
            page.goto(f"{url}/")
            page.set_input_files("input[name=audio]", mixture)
            page.wait_for_function(SECONDS_SCRIPT, arg=4.0, timeout=30_000)
            drag_across(page, "#span-picker canvas", 0.5, 0.9)
            assert page.input_value("#spans") != ""
            page.click("text=Clear spans")
            assert page.input_value("#spans") == ""
            drag_across(page, "#span-picker canvas", 0.25, 0.5)  # 1.0 to 2.0 s
            drag_across(page, "#span-picker canvas", 0.8, 0.7)  # right to left: 2.8 to 3.2 s
            assert "Marked: 1.00–2.00 s" in page.inner_text(".span-status")
            page.screenshot(path=tmp_path / "spans.png", full_page=True)
            page.click("button[type=submit]")
            page.wait_for_url("**/result/*", timeout=60_000)
            assert "queried by spans" in page.inner_text(".meta")
        finally:
            browser.close()
    spans = separator.calls[-1]["example_spans"]
    assert separator.calls[-1]["query"] is None and len(spans) == 2
    assert np.allclose(spans, [(1.0, 2.0), (2.8, 3.2)], atol=0.05)
