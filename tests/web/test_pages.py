"""Server-rendered pages, in process."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from fastapi.testclient import TestClient

from storyscope.model import Story


class _Marks(HTMLParser):
    """Collects (class, data-s, data-e, text) of every <mark> in the article columns."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[str, int, int, str]] = []
        self._open: tuple[str, int, int] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "mark" and a.get("data-s") is not None:
            self._open = (a.get("class") or "", int(a["data-s"] or 0), int(a["data-e"] or 0))
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._open is not None:
            self.marks.append((*self._open, "".join(self._text)))
            self._open = None


def test_story_list_shows_stories_with_counts(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert 'href="/stories/ferry"' in r.text
    assert 'href="/stories/ferry-big"' in r.text
    assert "Conflicts per story" in r.text
    assert "<svg" in r.text


def test_story_list_filters_by_query_outlet_and_date(client: TestClient) -> None:
    only_big = client.get("/stories", params={"outlet": "Pell Valley News"}).text
    assert 'href="/stories/ferry-big"' in only_big
    assert 'href="/stories/ferry"' not in only_big
    none = client.get("/stories", params={"q": "volcano"}).text
    assert "No story matches" in none
    later = client.get("/stories", params={"from": "2031-09-08"}).text
    assert "No story matches" in later
    assert 'href="/stories/ferry"' in client.get("/stories", params={"to": "2031-09-07"}).text


def test_story_list_sorts_by_size(client: TestClient) -> None:
    text = client.get("/stories", params={"sort": "size"}).text
    assert text.index('href="/stories/ferry-big"') < text.index('href="/stories/ferry"')


def test_story_list_htmx_request_gets_only_the_result_block(client: TestClient) -> None:
    r = client.get("/stories", params={"q": "ferries"}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert "<html" not in r.text
    assert 'href="/stories/ferry"' in r.text


def test_story_list_rejects_bad_date_with_a_page(client: TestClient) -> None:
    r = client.get("/stories", params={"from": "yesterday"})
    assert r.status_code == 422
    assert "text/html" in r.headers["content-type"]
    assert "from must be a date" in r.text


def test_story_page_highlights_spans_by_fact_status(client: TestClient, story: Story) -> None:
    r = client.get("/stories/ferry")
    assert r.status_code == 200
    parser = _Marks()
    parser.feed(r.text)
    texts = {a.id: a.text for a in story.articles}
    classes = " ".join(c for c, *_ in parser.marks)
    for kind in ("hl-agreed", "hl-single", "hl-conflict", "hl-quote"):
        assert kind in classes
    # every mark's text is exactly its slice of some article text
    for _, s, e, text in parser.marks:
        assert any(t[s:e] == text for t in texts.values())
    injured = next(f for f in story.facts if f.id == "f-injured")
    for citation in injured.support:
        inside = [
            m
            for m in parser.marks
            if citation.start <= m[1]
            and m[2] <= citation.end
            and texts[citation.article][m[1] : m[2]] == m[3]
        ]
        assert inside and all("hl-conflict" in m[0] for m in inside)


def test_story_page_lists_contradictions_with_both_sentences(
    client: TestClient, story: Story
) -> None:
    text = client.get("/stories/ferry").text
    c = story.contradictions[0]
    block = re.search(r'<div class="contradiction selectable"[^>]*data-cites="([^"]+)"', text)
    assert block is not None
    tokens = block.group(1).split()
    assert tokens == [
        f"{c.a.article}:{c.a.start}:{c.a.end}",
        f"{c.b.article}:{c.b.start}:{c.b.end}",
    ]
    assert c.explanation in text
    assert c.a.text in text and c.b.text in text


def test_story_page_shows_support_counts_quotes_diff_framing_summary(client: TestClient) -> None:
    text = client.get("/stories/ferry").text
    assert '<span class="support" title="outlets backing this fact">3</span>' in text
    assert "<ins>badly</ins>" in text
    assert "Ilse Varga" in text
    assert "<h3>Labels</h3>" in text and "collision" in text  # the static report's wording
    assert "What the outlets agree on" in text
    assert "Coverage share" in text and "Coverage per outlet over time" in text


def test_article_page_shows_article_and_its_facts(client: TestClient, story: Story) -> None:
    article = story.articles[0]
    r = client.get(f"/articles/{article.id}")
    assert r.status_code == 200
    assert "Facts it supports" in r.text
    assert 'href="/stories/ferry' in r.text
    assert client.get("/articles/0000").status_code == 404


def test_outlet_page_shows_sourcing_and_hedging(client: TestClient) -> None:
    r = client.get("/outlets/Saltmere Daily")
    assert r.status_code == 200
    assert "hedges" in r.text and "anonymous sources" in r.text
    assert "Articles per month by Saltmere Daily" in r.text
    assert client.get("/outlets/Nobody").status_code == 404


def test_unknown_page_is_an_html_404(client: TestClient) -> None:
    r = client.get("/nowhere")
    assert r.status_code == 404
    assert "text/html" in r.headers["content-type"]
