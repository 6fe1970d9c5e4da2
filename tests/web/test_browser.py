"""A real browser (Playwright + Debian's chromium, headless) against the app under waitress."""

from __future__ import annotations

import shutil

import pytest

from querysep.web.app import create_app
from querysep.web.server import running_server

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
DURATION_SCRIPT = """selector => {
    const audio = document.querySelector(selector);
    return audio && audio.readyState >= 1 && audio.duration > 0 ? audio.duration : null;
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
