"""The story page in headless Chromium (Playwright): reading order, side-by-side columns, keys, mobile.

One server for the module, serving a hand-built five-outlet story whose contested
sentences sit several paragraphs down each article (so the columns must scroll to
them). The Chromium launch and the ``page`` fixture (1400 x 900, failing on console
errors, CSP violations included) are ``test_browser.py``'s own, imported; these tests
skip the same way when Chromium or Playwright is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest import mock

import _stories
import pytest
import test_browser as _web
from _live import live_server

from storyscope.model import Story
from storyscope.web import MemorySource, WebSettings, create_app

browser = _web.browser  # fixtures, reused as they are
page = _web.page

pytestmark = _web.pytestmark

# The static report's sections, in its reading order (tests/report/test_browser.py), and warnings.
SECTIONS = [
    "summary",
    "contradictions",
    "coverage",
    "facts",
    "claims",
    "framing",
    "articles",
    "warnings",
]
_LEAD = (
    "Background: the Wrenmouth crossing carries ferries across the bay every hour, and the "
    "harbour office keeps a log of each crossing for the council.\n\n"
)


def five_outlet_story() -> Story:
    """``make_story(5)`` with 3 to 7 lead paragraphs before each article's cited sentences."""
    text = _stories._text

    def deeper(i: int, injured: int, extra: int) -> tuple[str, dict[str, str]]:
        body, phrases = text(i, injured, extra)
        return _LEAD * (3 + i) + body, phrases

    with mock.patch.object(_stories, "_text", deeper):
        return _stories.make_story(5, extra_paragraphs=4)


@pytest.fixture(scope="module")
def five() -> Story:
    story = five_outlet_story()
    assert len({a.article.outlet for a in story.articles}) == 5
    assert len(story.contradictions) == 2
    return story


@pytest.fixture(scope="module")
def site(five: Story) -> Iterator[str]:
    source = MemorySource({"five": five, "ferry": _stories.make_story(3)})
    app = create_app(source, settings=WebSettings(comparer=_stories.fake_compare))
    with live_server(app) as url:
        yield url


def _box(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, "element is not rendered"
    return dict(box)


# For each lit mark of one article: every line box of it inside the viewport and the
# topmost element at its centre (not hidden by a scroll container or the sticky bar).
_ON_SCREEN = """(selector) => {
  const marks = [...document.querySelectorAll(selector)];
  const off = [];
  for (const m of marks) {
    for (const r of m.getClientRects()) {
      if (r.width === 0) continue;
      const inside = r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
      const hit = inside && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!inside || !hit || !m.contains(hit)) off.push([m.textContent, r.left, r.top]);
    }
  }
  return {count: marks.length, text: marks.map(m => m.textContent).join(""), off};
}"""


def _assert_sides_on_screen(page: Any, contradiction: Any) -> None:
    for side in (contradiction.a, contradiction.b):
        seen = page.evaluate(_ON_SCREEN, f'.body[data-article="{side.article}"] mark.is-active')
        assert seen["count"] >= 1, side
        assert seen["text"] == side.text
        assert seen["off"] == [], (side.article, seen["off"])


def test_sections_in_the_report_order_and_five_columns_on_one_row(page: Any, site: str) -> None:
    page.goto(f"{site}/stories/five")
    tops = [_box(page.locator(f"section#{name}"))["y"] for name in SECTIONS]
    assert tops == sorted(tops), dict(zip(SECTIONS, tops, strict=True))
    assert _box(page.locator("#limits"))["y"] < tops[0]
    assert page.locator("#coverage table.coverage").count() == 1
    assert page.locator("#claims details.claims").count() == 5
    assert page.locator("#framing svg.chart-stacked").count() == 3
    assert page.locator("#framing table.outlets-compared").count() == 1
    columns = page.locator("#articles .columns > article.column")
    assert columns.count() == 5
    boxes = [_box(columns.nth(i)) for i in range(5)]
    assert max(b["y"] for b in boxes) - min(b["y"] for b in boxes) < 1, boxes
    lefts = [b["x"] for b in boxes]
    assert lefts == sorted(lefts) and len(set(lefts)) == 5
    # the row scrolls sideways inside the page; the page itself does not
    assert page.locator("#articles .columns").evaluate("e => e.scrollWidth > e.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_clicking_a_contradiction_shows_both_cited_spans(
    page: Any, site: str, five: Story, tmp_path: Any
) -> None:
    page.goto(f"{site}/stories/five")
    for number, contradiction in enumerate(five.contradictions, start=1):
        page.locator(f"#contradiction-{number} > p").first.click()
        assert page.locator(".contradiction.is-selected").count() == 1
        assert page.locator(f"#contradiction-{number}").get_attribute("aria-pressed") == "true"
        _assert_sides_on_screen(page, contradiction)
        # only the clicked contradiction's spans are lit
        lit = page.locator("mark.is-active").count()
        assert lit == sum(
            page.locator(f'.body[data-article="{s.article}"] mark.is-active').count()
            for s in (contradiction.a, contradiction.b)
        )
        assert f"Contradiction {number} of 2" in page.inner_text("#now-showing")
        page.screenshot(path=str(tmp_path / f"contradiction-{number}.png"))
    # the columns of the second pair (articles 3 and 5) were moved to the front of the row
    front = page.locator(".column.is-front")
    assert front.count() == 2
    assert _box(front.nth(0))["x"] < _box(page.locator(".column:not(.is-front)").first)["x"]
    page.locator("#now-showing button[data-clear]").click()
    assert page.locator("mark.is-active").count() == 0
    assert page.locator(".column.is-front").count() == 0


def test_keyboard_skip_link_and_next_previous_contradiction(
    page: Any, site: str, five: Story
) -> None:
    page.goto(f"{site}/stories/five")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")  # two presses reach the first contradiction
    assert page.evaluate("document.activeElement.id") == "contradiction-1"
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert outline[0] != "none" and outline[1] >= 2, outline
    first, second = five.contradictions
    for key, number, contradiction in (
        ("j", 1, first),
        ("j", 2, second),
        ("j", 2, second),  # the last one stays selected
        ("k", 1, first),
        ("n", 2, second),
        ("p", 1, first),
    ):
        page.keyboard.press(key)
        assert page.evaluate("document.querySelector('.contradiction.is-selected').id") == (
            f"contradiction-{number}"
        ), key
        assert page.evaluate("document.activeElement.id") == "now-showing"
        assert f"Contradiction {number} of 2" in page.inner_text("#now-showing")
        _assert_sides_on_screen(page, contradiction)
    bar = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert bar[0] != "none" and bar[1] >= 2, bar  # the focus is visible
    # "?" shows the shortcuts, Escape hides them; typing in a field is not a shortcut
    page.keyboard.press("?")
    assert page.locator("details#shortcuts[open]").count() == 1
    assert "next contradiction" in page.inner_text("#shortcuts")
    page.keyboard.press("Escape")
    assert page.locator("details#shortcuts[open]").count() == 0
    page.keyboard.press("Escape")  # clears the selection
    assert page.locator("mark.is-active").count() == 0


def test_no_horizontal_page_scroll_at_390_px(page: Any, site: str, tmp_path: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (
        "/stories",
        "/stories/five",
        "/outlets/Saltmere Daily",
        "/outlets/Harrowby Post <i>",
    ):
        page.goto(site + path)
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], (path, width)
        page.screenshot(path=str(tmp_path / "mobile.png"), full_page=True)
    # on the story page the article columns scroll sideways in their own box
    page.goto(f"{site}/stories/five")
    row = page.locator("#articles .columns")
    assert row.evaluate("e => e.scrollWidth > e.clientWidth")
    assert _box(page.locator(".column").first)["width"] <= 390
