"""End to end in headless Chromium (Playwright) against uvicorn on 127.0.0.1 and a free port."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyscope.model import Story

CHROMIUM = os.environ.get("STORYSCOPE_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="browser tests need the playwright package"
    )
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == [], f"browser console errors (CSP violations show here): {errors}"


def _not_blank(png: bytes) -> None:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 10_000, "screenshot looks blank"
    assert len(set(png[200:20_000])) > 64


def test_click_contradiction_highlights_both_sentences(
    page: Any, live_url: str, story: Story, tmp_path: Path
) -> None:
    page.goto(f"{live_url}/stories/ferry")
    c = story.contradictions[0]
    page.locator(".contradiction").first.locator("p").first.click()
    for citation in (c.a, c.b):
        marks = page.locator(f'.body[data-article="{citation.article}"] mark.is-active')
        assert marks.count() >= 1
        text = "".join(marks.all_text_contents())
        assert text == citation.text
        assert marks.first.is_visible()
    # nothing else is active
    assert page.locator("mark.is-active").count() == sum(
        page.locator(f'.body[data-article="{x.article}"] mark.is-active').count()
        for x in (c.a, c.b)
    )
    assert page.locator(".contradiction.is-selected").count() == 1
    # clicking a fact moves the highlight
    page.locator("#fact-f-collide").click()
    assert page.locator(".contradiction.is-selected").count() == 0
    assert page.locator("mark.is-active").count() >= 3
    png = page.screenshot(path=str(tmp_path / "story.png"), full_page=False)
    _not_blank(png)


def test_story_list_filters_in_place(page: Any, live_url: str) -> None:
    page.goto(f"{live_url}/stories")
    assert page.locator("table.stories tbody tr").count() == 2
    page.select_option("select[name=outlet]", "Pell Valley News")
    from playwright.sync_api import expect

    expect(page.locator("table.stories tbody tr")).to_have_count(1)
    assert "outlet=Pell%20Valley%20News" in page.url  # hx-push-url keeps the filter linkable


def test_paste_to_compare_shows_a_report(page: Any, live_url: str, tmp_path: Path) -> None:
    page.goto(f"{live_url}/compare")
    texts = page.locator("textarea[name=text]")
    outlets = page.locator("input[name=outlet]")
    outlets.nth(0).fill("Marlow Echo")
    texts.nth(0).fill("Rain flooded the Marlow underpass on Friday. Nine cars were stuck.")
    outlets.nth(1).fill("Fenwick <Times>")
    texts.nth(1).fill(
        'The underpass flooded on Friday. Seven cars were stuck. <img src=x onerror="alert(1)">'
    )
    page.click("form.compare button[type=submit]")
    page.wait_for_selector("#compare-result .contradiction", timeout=15_000)
    assert "Fenwick <Times>" in page.inner_text("#compare-result")
    assert page.locator("#compare-result img").count() == 0
    page.locator("#compare-result .contradiction").first.click()
    assert page.locator("#compare-result mark.is-active").count() >= 2
    _not_blank(page.screenshot(path=str(tmp_path / "compare.png")))
