from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

from storyscope.model import Citation, Story
from storyscope.report import render_html
from storyscope.report._view import QUALITY

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


SECTIONS = ["summary", "contradictions", "coverage", "facts", "claims", "framing", "articles"]
HEADINGS = [
    "Summary",
    "Contradictions and quote variants",
    "Coverage",
    "Agreed facts",
    "Single-source claims",
    "Framing and sourcing",
    "Articles side by side",
    "Warnings and failures",
]


def _section(page: str, name: str) -> str:
    return page.split(f'<section id="{name}">', 1)[1].split("</section>", 1)[0]


def test_sections_follow_the_reading_order(page: str) -> None:
    positions = [page.index(f'<section id="{name}">') for name in [*SECTIONS, "warnings"]]
    assert positions == sorted(positions)
    assert page.index('id="limits"') < positions[0]
    headings = [
        re.sub(r"<[^>]+>|\s*\(\d+\)$", "", h).strip() for h in re.findall(r"<h2>(.*?)</h2>", page)
    ]
    assert headings[0] == "What this report can and cannot see"
    assert [re.sub(r"\s*\(\d+\)", "", h) for h in headings[1:]] == HEADINGS
    for heading in ("Quote variants", "Outlets compared", "Labels", "Hedges", "Anonymous sources"):
        assert heading in page
    assert 'id="quotes"' in _section(page, "framing")
    assert 'id="quote-variants"' in _section(page, "contradictions")
    assert page.count('<article class="col col-n') == 3


def test_counters_call_one_outlet_statements_claims_and_shared_ones_facts(page: str) -> None:
    counters = page.split('<p class="counters muted">', 1)[1].split("</p>", 1)[0]
    assert "3 articles from 3 outlets" in counters
    assert "2 facts stated by several outlets (1 agreed, 1 contested)" in counters
    assert "3 single-source claims" in counters
    assert "2 contradictions" in counters and "1 quote variant" in counters
    assert "5 facts" not in counters and "single-source)" not in counters
    assert "Agreed facts <span" in _section(page, "facts")
    assert "Single-source claims <span" in _section(page, "claims")


def test_what_the_report_cannot_see_note_gives_measured_figures(page: str) -> None:
    note = page.split('id="limits"', 1)[1].split("</aside>", 1)[0]
    assert "What this report can and cannot see" in note
    assert "“0 contradictions” does not mean the outlets agree" in note
    for what, figure in QUALITY:
        assert f"<dt>{what}</dt><dd>{figure}</dd>" in note


def test_no_contradictions_says_that_is_not_agreement(story: Story) -> None:
    page = render_html(dataclasses.replace(story, contradictions=()))
    block = _section(page, "contradictions")
    assert "None found. That does not mean the outlets agree" in block
    assert 'href="#limits"' in block


def test_coverage_grid_marks_who_states_contradicts_and_omits(page: str, story: Story) -> None:
    grid = _section(page, "coverage")
    table = grid.split('<table class="coverage">', 1)[1].split("</table>", 1)[0]
    header = table.split("</thead>", 1)[0]
    assert re.findall(r'<th scope="col">([^<]+)</th>', header) == [
        "Eastwick Sentinel",
        "Harbor Courier",
        "Valdmark Ledger",
    ]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table, flags=re.S)
    assert len(rows) == 2  # the two facts several outlets state; no single-source claims
    assert ">F1</a> A fire broke out" in rows[0] and ">F2</a> Workers were hurt" in rows[1]
    assert rows[0].count('class="cov cov-states"') == 3
    # f2: the Courier and the Ledger contradict each other (contradiction 1), the Sentinel states it
    cells = re.findall(r'<td class="cov cov-(\w+)"', rows[1])
    assert cells == ["states", "contradicts", "contradicts"]
    assert rows[1].count('href="#contradiction-1"') == 2
    hurt = story.facts[1].support[2]
    assert f'href="#a-{hurt.article}-{hurt.start}-{hurt.end}"' in rows[1]
    # f3 is a single-source claim: its omissions are listed under the grid, not as a row
    assert "Other omissions" in grid
    assert grid.count('leaves out: <a href="#fact-f3">Damage may exceed $40 million.</a>') == 2


def test_single_source_claims_are_folded_per_outlet(page: str) -> None:
    claims = _section(page, "claims")
    blocks = re.findall(r"<details class=\"claims\">(.*?)</details>", claims, flags=re.S)
    assert [re.search(r"<strong>(.*?)</strong>", b).group(1) for b in blocks] == [  # type: ignore[union-attr]
        "Eastwick Sentinel",
        "Harbor Courier",
        "Valdmark Ledger",
    ]
    assert "<details open" not in claims and "open>" not in claims
    assert 'class="claim single_source" id="fact-f3"' in claims
    assert "1 claim</span>" in claims
    assert 'id="fact-f1"' not in claims and 'id="fact-f2"' not in claims


def test_charts_are_inline_svg_without_external_resources(page: str) -> None:
    framing = _section(page, "framing")
    charts = re.findall(r"<svg class=\"bars\".*?</svg>", framing, flags=re.S)
    assert len(charts) == 3
    assert {"chart-coverage", "chart-voice", "chart-sources"} <= set(
        re.findall(r'<figure class="chart" id="([^"]+)"', framing)
    )
    for svg in charts:
        for outlet in ("Eastwick Sentinel", "Harbor Courier", "Valdmark Ledger"):
            assert f">{outlet}</text>" in svg
        assert "<rect" in svg and 'role="img"' in svg
        for external in ("href", "http", "url(", "<image", "<use", "<foreignObject", "<script"):
            assert external not in svg
    voice = charts[1]
    assert "% own voice · " in voice and "% quoted" in voice
    assert "named · " in charts[2] and "2 of 2 facts" in charts[0]


def test_only_contested_and_selected_spans_carry_colour(page: str) -> None:
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert re.search(r"mark\.hl \{ background: none;", style)
    coloured = set(re.findall(r"mark\.hl-([\w-]+)[^{]*\{[^}]*background", style))
    assert coloured == {"contradiction"}
    for kind in ("fact-single_source", "fact-consensus", "summary", "quote", "hedge", "source"):
        assert f"mark.hl-{kind}" not in style
    assert "mark:target" in style and ".hl-x-c1" in style


def test_clicking_an_item_selects_its_spans_with_css_only(page: str, story: Story) -> None:
    block = page.split('<div class="contradiction" id="contradiction-1">', 1)[1].split("</div>")[0]
    assert 'class="pick" href="#sel-c1"' in block
    columns = _section(page, "articles").split('<div class="cols">', 1)[1]
    assert columns.index('id="sel-c1"') < columns.index("<article")
    for citation in (story.contradictions[0].a, story.contradictions[0].b):
        article = columns.split(f'id="article-{citation.article}"', 1)[1].split("</article>")[0]
        marked = re.findall(r'<mark[^>]*class="[^"]*\bhl-x-c1\b[^"]*"[^>]*>([^<]*)</mark>', article)
        assert "".join(marked) == citation.text
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "#sel-c1:target ~ .col .hl-x-c1" in style
    assert "#sel-c1:target ~ .col-n1" in style and "#sel-c1:target ~ .col-n2" in style
    # contradiction 2 sits in the second paragraph of both articles: the first one folds
    assert "#sel-c2:target ~ .col-n1 > .body > p:nth-of-type(-n+1)" in style
    # every summary sentence, fact several outlets state and quote variant is selectable
    for key in ("s1", "s2", "f1", "f2", "c1", "c2", "v1"):
        assert f'href="#sel-{key}"' in page and f'id="sel-{key}"' in page


def test_two_columns_can_be_pinned_with_radios(page: str) -> None:
    section = _section(page, "articles")
    for slot in ("a", "b"):
        assert f'name="pin-{slot}" id="pin-{slot}-0" checked' in section
        for n in (1, 2, 3):
            assert f'id="pin-{slot}-{n}"' in section and f'<label for="pin-{slot}-{n}"' in section
    assert section.index('id="pin-b-3"') < section.index('<div class="cols">')
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "#pin-a-2:checked ~ .cols > .col-n2" in style
    assert "#pin-b-3:checked ~ .cols > .col-n3" in style


def test_style_holds_no_report_text(page: str) -> None:
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<" not in style and "alert" not in style and "Linden" not in style


def test_facts_carry_status_colours_and_support_counts(page: str) -> None:
    assert 'class="fact consensus" id="fact-f1"' in page
    assert 'class="fact contested" id="fact-f2"' in page
    assert 'class="claim single_source" id="fact-f3"' in page
    assert "3 outlets: Eastwick Sentinel, Harbor Courier, Valdmark Ledger" in page
    assert (
        page.index('id="fact-f1"') < page.index('id="facts-contested"') < page.index('id="fact-f2"')
    )


def test_quote_variants_show_word_diff(page: str) -> None:
    assert "<del>lucky</del>" in page and "<ins>fortunate</ins>" in page


def test_contradiction_shows_both_sentences(page: str) -> None:
    block = page.split('<div class="contradiction" id="contradiction-1">', 1)[1]
    block = block.split('<div class="contradiction"')[0]
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


def test_empty_story_renders() -> None:
    page = render_html(Story(articles=()))
    assert "0 facts stated by several outlets (0 agreed, 0 contested)" in page
    assert "No articles." in page and "No fact is stated by more than one outlet." in page
    assert "<svg" not in page and 'class="pin"' not in page
