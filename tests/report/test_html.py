from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

from storyscope.model import Citation, Story
from storyscope.report import render_html

from .conftest import build_story


class _Page(HTMLParser):
    """Collects ids, fragment links, tag names and every URL-ish attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name == "href" and value:
                self.hrefs.append(value)
            if name in ("src", "href", "action", "srcset") and value:
                self.urls.append(value)
            if name.startswith("on"):
                self.handlers.append(name)


@pytest.fixture(scope="module")
def page(story: Story) -> str:
    return render_html(story)


@pytest.fixture(scope="module")
def parsed(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


def test_article_markup_is_escaped_never_live(page: str, parsed: _Page) -> None:
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '" onmouseover="x' not in page
    assert "&#34; onmouseover=&#34;x" in page
    assert "script" not in parsed.tags
    assert parsed.handlers == []


def test_page_is_self_contained(page: str, parsed: _Page) -> None:
    assert all(url.startswith("#") for url in parsed.urls), parsed.urls
    assert "link" not in parsed.tags and "script" not in parsed.tags and "img" not in parsed.tags
    assert "@import" not in page and "url(" not in page
    assert "<style>" in page


def test_every_citation_link_resolves_to_an_id(parsed: _Page) -> None:
    ids = set(parsed.ids)
    assert len(parsed.ids) == len(ids), "duplicate ids"
    missing = [href for href in parsed.hrefs if href[1:] not in ids]
    assert missing == []
    assert sum(href.startswith("#a-") for href in parsed.hrefs) >= 20


def test_every_cited_span_is_marked_in_its_article(story: Story, page: str) -> None:
    for fact in story.facts:
        for cite in fact.support:
            assert f'id="a-{cite.article}-{cite.start}-{cite.end}"' in page
    assert 'class="hl hl-hedge"' in page
    assert "hl-anonymous" in page and "hl-contradiction" in page and "hl-quote" in page


def test_every_section_is_present(page: str) -> None:
    for section in (
        "summary",
        "facts",
        "contradictions",
        "quotes",
        "framing",
        "omissions",
        "articles",
        "warnings",
    ):
        assert f'<section id="{section}">' in page
    for heading in (
        "Agreed facts",
        "Contested facts",
        "Single-source claims",
        "Quote variants",
        "Outlets compared",
        "Labels",
        "Hedges",
        "Anonymous sources",
    ):
        assert heading in page
    assert page.count('<article class="article"') == 3


def test_facts_carry_status_colours_and_support_counts(page: str) -> None:
    assert 'class="fact consensus" id="fact-f1"' in page
    assert 'class="fact contested" id="fact-f2"' in page
    assert 'class="fact single_source" id="fact-f3"' in page
    assert "3 outlets: Eastwick Sentinel, Harbor Courier, Valdmark Ledger" in page
    assert "1 outlet: Harbor Courier" in page


def test_quote_variants_show_word_diff(page: str) -> None:
    assert "<del>lucky</del>" in page and "<ins>fortunate</ins>" in page


def test_contradiction_shows_both_sentences(page: str) -> None:
    block = page.split('<div class="contradiction">', 1)[1].split('<div class="contradiction">')[0]
    assert "14 workers were taken to hospital" in block
    assert "sending 12 workers to hospital" in block
    assert "14 workers hospitalised vs 12 workers" in block


def test_html_is_deterministic(story: Story, page: str) -> None:
    assert render_html(build_story()) == page


def test_unresolvable_citation_is_shown_without_a_link(story: Story) -> None:
    bad = Citation(article=story.articles[0].id, start=0, end=3, text="Not")
    fact = dataclasses.replace(story.facts[2], support=(bad,))
    page = render_html(dataclasses.replace(story, facts=(*story.facts[:2], fact, *story.facts[3:])))
    assert 'href="#a-' + story.articles[0].id + '-0-3"' not in page
    assert "cite-unresolved" in page


def test_paragraphs_in_article_text(page: str) -> None:
    body = page.split('<div class="body">', 1)[1].split("</div>", 1)[0]
    assert body.count("<p>") == 3
    assert re.search(r"</p>\n\n<p>", body)


def test_article_highlights_are_coloured_by_fact_status(story: Story, page: str) -> None:
    statuses = {f.status for f in story.facts}
    for status in statuses:
        assert f"hl-fact-{status}" in page.split('id="articles"', 1)[1], status
    assert "hl-fact " not in page and 'hl-fact"' not in page  # no status-less fact marks
