"""The story page says what the static report says; the story's report downloads; one title.

Issue 18 item 2: the web story page has the static HTML report's sections in its
order and wording, downloads the report as HTML, JSON and Markdown (rendered by
storyscope.report, byte for byte), and shows the title the story list shows.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

sys.path.insert(0, str(Path(__file__).parent))

from _store_app import CountingPipeline, fill_store  # noqa: E402

from storyscope.model import Story  # noqa: E402
from storyscope.report import render_html, render_json, render_markdown, validate  # noqa: E402
from storyscope.report._view import LIMITS, counters  # noqa: E402
from storyscope.report.json import to_dict  # noqa: E402
from storyscope.store import Store  # noqa: E402
from storyscope.web import CONTENT_SECURITY_POLICY, create_app  # noqa: E402
from storyscope.web._store_source import StoreSource  # noqa: E402

_SECTION = re.compile(r'<section id="([a-z-]+)"')
_MEASURE = re.compile(r'<tr><th scope="row">([^<]+)</th>')
_H1 = re.compile(r"<h1>(.*?)</h1>", re.S)


def _outlets_compared(html: str) -> list[str]:
    table = html[html.index('<table class="outlets-compared">') :]
    return _MEASURE.findall(table[: table.index("</table>")])


def test_story_page_has_the_static_reports_sections_in_its_order(
    client: TestClient, story: Story
) -> None:
    page = client.get("/stories/ferry").text
    static = render_html(story)
    assert _SECTION.findall(page) == _SECTION.findall(static)
    assert _SECTION.findall(page) == [
        "summary",
        "contradictions",
        "coverage",
        "facts",
        "claims",
        "framing",
        "articles",
        "warnings",
    ]
    assert page.index('id="limits"') < page.index('<section id="summary"')
    assert "What this report can and cannot see" in page
    for line in LIMITS:
        assert str(escape(line)) in page
    # the full framing and sourcing detail: every measure of the outlet comparison
    assert _outlets_compared(page) == _outlets_compared(static)
    assert "<h3>Hedges</h3>" in page and "<h3>Anonymous sources</h3>" in page


def test_counters_say_facts_for_several_outlets_and_claims_for_one(
    client: TestClient, story: Story
) -> None:
    page = client.get("/stories/ferry").text
    wording = counters(to_dict(story))
    assert " · ".join(wording) in page
    assert any("single-source claim" in w for w in wording)
    assert "Agreed facts" in page and "Single-source claims" in page
    assert "5 facts:" not in page  # the old counter called single sentences facts


def test_omissions_reach_the_page(story: Story) -> None:
    import dataclasses

    from storyscope.model import Omission
    from storyscope.web import MemorySource

    article = story.articles[1].article
    fact = next(f for f in story.facts if f.status == "single_source")
    with_gap = dataclasses.replace(story, omissions=(Omission(fact=fact.id, article=article.id),))
    with TestClient(create_app(MemorySource({"gap": with_gap}))) as c:
        text = c.get("/stories/gap").text
    assert '<h3 id="omissions">Other omissions</h3>' in text
    outlet = article.outlet.replace("<", "&lt;").replace(">", "&gt;")
    assert f'<li>{outlet} leaves out: <a href="#fact-{fact.id}">{fact.statement}</a></li>' in text


@pytest.mark.parametrize(
    ("suffix", "media", "render"),
    [
        ("html", "text/html; charset=utf-8", render_html),
        ("json", "application/json", render_json),
        ("md", "text/markdown; charset=utf-8", render_markdown),
    ],
)
def test_story_downloads_are_the_static_reports(
    client: TestClient, story: Story, suffix: str, media: str, render: object
) -> None:
    r = client.get(f"/stories/ferry/report.{suffix}")
    assert r.status_code == 200
    assert r.headers["content-type"] == media
    assert r.headers["content-disposition"] == (
        f'attachment; filename="storyscope-story-ferry.{suffix}"'
    )
    assert callable(render)
    assert r.text == render(story)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    if suffix == "json":
        validate(json.loads(r.text))  # the public report, valid against its schema
    page = client.get("/stories/ferry").text
    assert f'href="/stories/ferry/report.{suffix}" download' in page


def test_html_download_runs_no_script_and_keeps_its_own_styles(client: TestClient) -> None:
    r = client.get("/stories/ferry/report.html")
    policy = r.headers["Content-Security-Policy"]
    assert policy != CONTENT_SECURITY_POLICY
    assert "script-src 'none'" in policy and "sandbox" in policy
    assert "style-src 'unsafe-inline'" in policy  # the report's one inline <style>
    assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy
    assert "<script" not in r.text
    # the app's own pages keep the strict policy
    assert client.get("/stories/ferry").headers["Content-Security-Policy"] == (
        CONTENT_SECURITY_POLICY
    )


@pytest.mark.parametrize(
    "path",
    [
        "/stories/ferry/report.pdf",
        "/stories/ferry/report.",
        "/stories/nope/report.json",
        "/stories/..%2F/report.html",
    ],
)
def test_unknown_download_is_a_404_page(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert "text/html" in r.headers["content-type"]


def _list_titles(text: str) -> dict[str, str]:
    rows = re.findall(r'<td class="card-title"><a href="/stories/([^"]+)">(.*?)</a></td>', text)
    return dict(rows)


def test_story_titles_match_between_list_and_page(client: TestClient) -> None:
    listed = _list_titles(client.get("/stories").text)
    assert set(listed) == {"ferry", "ferry-big"}
    for sid, title in listed.items():
        page = client.get(f"/stories/{sid}").text
        h1 = _H1.search(page)
        assert h1 is not None and h1.group(1) == title
        assert f"<title>{title} · storyscope</title>" in page


def test_store_story_titles_match_between_list_and_page(tmp_path: Path) -> None:
    path = tmp_path / "titles.db"
    ids = fill_store(path, stories=2)
    with Store.open(path) as store:
        store.set_story_title(ids[1], None)
        app = create_app(StoreSource(store, pipeline=CountingPipeline()))
        with TestClient(app) as c:
            listed = _list_titles(c.get("/stories").text)
            assert listed == {str(ids[0]): "Story 0", str(ids[1]): f"Story {ids[1]}"}
            for sid, title in listed.items():
                page = c.get(f"/stories/{sid}").text
                h1 = _H1.search(page)
                assert h1 is not None and h1.group(1) == title  # not the first article's title
            article = store.story_articles(ids[0])[0]
            outlet = c.get(f"/outlets/{article.outlet}").text
            assert ">Story 0</a>" in outlet
