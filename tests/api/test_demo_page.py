"""The demo page in a real browser: Debian's chromium, headless, driven by Playwright.
It loads /, annotates the seed page, and checks what a person would look at. A screenshot
goes to test-output/demo-page.png."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("Debian chromium is not installed; `make install` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(url)
    return page, problems


def test_demo_page_annotates_the_seed_page(browser, server_url: str) -> None:
    page, problems = _open(browser, server_url + "/")
    page.click("#sample")
    page.wait_for_function("document.getElementById('input').value.length > 1000")
    page.click("#annotate")
    page.wait_for_selector("#result-section:not([hidden])", timeout=60_000)

    assert page.locator("#article .ent-PERSON").count() > 3
    assert page.locator("#article .ent-GPE").count() > 0
    assert page.locator("#article .quote").count() > 3
    assert page.locator(".speaker-tag", has_text="Olga Prokopieva").count() >= 1
    assert page.locator("#sources .bar-row").count() >= 2
    assert page.locator("#topics .chip").count() >= 1
    assert "conflict, war and peace" in page.locator("#topics").inner_text()

    # Choosing a source shows their quotes only, and marks them in the text.
    page.locator("#sources button", has_text="Olga Prokopieva").click()
    items = page.locator("#quotes li").all_inner_texts()
    assert items and all(item.startswith("Olga Prokopieva:") for item in items)
    assert page.locator("#article .quote.selected").count() >= len(items)

    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "demo-page.png"), full_page=True)
    assert problems == []
    page.close()


def test_demo_page_works_with_keys_on(browser, secured_server) -> None:
    page, problems = _open(browser, secured_server.url + "/")
    page.fill("#input", "Olga Prokopieva met officials in Paris on Monday. \"The talks went well,\" Prokopieva said.")
    page.click("#annotate")
    page.wait_for_function("document.getElementById('status').textContent.includes('401')")
    assert "unauthorized" in page.locator("#status").inner_text()
    page.fill("#key", secured_server.key)
    page.click("#annotate")
    page.wait_for_selector("#result-section:not([hidden])", timeout=60_000)
    assert page.locator(".speaker-tag", has_text="Prokopieva").count() == 1
    # The failed call's 401 shows in the console as a failed resource; nothing else may.
    assert [p for p in problems if "401" not in p] == []
    page.close()
