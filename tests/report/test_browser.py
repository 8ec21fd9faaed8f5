"""The rendered Port Aster example report in headless Chromium (Playwright), 1400 px wide.

The Chromium launch and the ``page`` fixture (1400 x 900, failing on console
errors) are the web browser tests' own, loaded from ``tests/web/test_browser.py``;
these tests skip the same way when Chromium or Playwright is missing.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "port-aster"


def _web_browser_tests() -> Any:
    spec = importlib.util.spec_from_file_location(
        "_storyscope_web_browser_helpers", ROOT / "tests" / "web" / "test_browser.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_web = _web_browser_tests()
CHROMIUM = _web.CHROMIUM
browser = _web.browser  # fixtures, reused as they are
page = _web.page

pytestmark = [_web.pytestmark, pytest.mark.slow]

SECTIONS = ["summary", "contradictions", "coverage", "facts", "claims", "framing", "articles"]
SELECTED = "rgb(255, 216, 77)"  # --sel-bg


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    import storyscope
    from storyscope.report import render_html, to_dict

    story = storyscope.compare([str(EXAMPLE)])
    out = tmp_path_factory.mktemp("report") / "report.html"
    out.write_text(render_html(story), encoding="utf-8")
    yield out, to_dict(story)


def _box(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, "element is not rendered"
    return dict(box)


def _in_viewport(box: dict[str, float], width: int = 1400, height: int = 900) -> bool:
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= width
        and box["y"] + box["height"] <= height
    )


def test_sections_in_order_and_articles_on_one_row(
    page: Any, example: tuple[Path, dict[str, Any]]
) -> None:
    path, report = example
    page.goto(path.as_uri())
    tops = [_box(page.locator(f"section#{name}"))["y"] for name in SECTIONS]
    assert tops == sorted(tops), dict(zip(SECTIONS, tops, strict=True))
    assert _box(page.locator("#limits"))["y"] < tops[0]
    # the contradictions come before the single-source claims, within the first screens
    assert tops[1] < 2500
    columns = page.locator(".cols > article.col")
    assert columns.count() == len(report["articles"]) == 5
    boxes = [_box(columns.nth(i)) for i in range(columns.count())]
    assert max(b["y"] for b in boxes) - min(b["y"] for b in boxes) < 1, boxes
    lefts = [b["x"] for b in boxes]
    assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts)
    scroller = page.locator(".cols")
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")  # five columns scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400  # the page itself does not
    # single-source claims are folded per outlet
    assert page.locator("#claims details.claims").count() == 5
    assert page.locator("#claims details.claims[open]").count() == 0
    assert page.locator("#framing svg.bars").count() == 3


def test_clicking_a_contradiction_brings_both_spans_into_view(
    page: Any, example: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path, report = example
    page.goto(path.as_uri())
    assert report["contradictions"]
    for number, contradiction in enumerate(report["contradictions"], start=1):
        page.locator(f"#contradiction-{number} a.pick").click()
        assert page.evaluate("location.hash") == f"#sel-c{number}"
        for side in (contradiction["a"], contradiction["b"]):
            marks = page.locator(f'[id="article-{side["article"]}"] mark.hl-x-c{number}')
            assert marks.count() >= 1
            assert "".join(marks.all_text_contents()) == side["text"]
            for i in range(marks.count()):
                box = _box(marks.nth(i))
                assert _in_viewport(box), (number, side["outlet"], box)
            colour = marks.first.evaluate("e => getComputedStyle(e).backgroundColor")
            assert colour == SELECTED
        if number == 1:
            page.screenshot(path=str(tmp_path / "contradiction.png"))
    # another item's spans are not lit; "show the whole articles" clears the selection
    assert (
        page.locator("mark.hl-x-c1").first.evaluate("e => getComputedStyle(e).backgroundColor")
        != SELECTED
    )
    page.locator("#articles .legend a[href='#articles']").click()
    assert page.locator(".col .body > p").first.evaluate("e => e.offsetHeight") > 0
    png = (tmp_path / "contradiction.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_two_columns_can_be_pinned(page: Any, example: tuple[Path, dict[str, Any]]) -> None:
    path, report = example
    page.goto(path.as_uri())
    last = len(report["articles"])
    page.locator(f"label[for=pin-a-{last}]").click()
    page.locator("label[for=pin-b-3]").click()
    page.locator(".cols").evaluate("e => { e.scrollLeft = 0; }")
    first = _box(page.locator(f".col-n{last}"))
    second = _box(page.locator(".col-n3"))
    others = [_box(page.locator(f".col-n{n}")) for n in (1, 2)]
    assert first["x"] < second["x"] < min(b["x"] for b in others)
    page.locator(".cols").evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    assert abs(_box(page.locator(f".col-n{last}"))["x"] - first["x"]) < 1  # they stay put
    assert abs(_box(page.locator(".col-n3"))["x"] - second["x"]) < 1
    assert _box(page.locator(".col-n1"))["x"] < others[0]["x"] - 500  # while the others scroll
    page.locator("label[for=pin-a-0]").click()
    page.locator("label[for=pin-b-0]").click()
    page.locator(".cols").evaluate("e => { e.scrollLeft = 0; }")
    assert _box(page.locator(".col-n1"))["x"] < _box(page.locator(f".col-n{last}"))["x"]
