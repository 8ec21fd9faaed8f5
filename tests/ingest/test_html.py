"""read_html: trafilatura extraction, metadata, fallback, broken input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.errors import IngestError
from storyscope.ingest import read_html

PARAGRAPH = (
    "Union members in Port Aster voted to end their strike on Wednesday, the union said in a "
    "statement posted on its website late in the evening."
)


def test_page_keeps_the_article_and_drops_nav_sidebar_comments_and_cookie_banner(fixtures: Path):
    article = read_html((fixtures / "quay-post.html").read_bytes(), source="quay-post.html")
    assert article.title == "Dockworkers vote to end Aster port strike"
    assert article.outlet == "The Quay Post"
    assert article.byline == "Ines Farrow"
    assert article.published is not None and article.published.date() == dt.date(2026, 3, 12)
    assert article.language == "en"
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("Dockworkers in Port Aster voted on Wednesday")
    assert paragraphs[-1].endswith("the Aster Chamber of Commerce said in a statement on Tuesday.")
    assert len(paragraphs) == 4
    for junk in ("cookies", "Home", "Most read", "Ferry timetable", "Finally!", "Privacy", "©"):
        assert junk not in article.text
    assert [(r.reason, r.text) for r in article.removed] == [
        (
            "newsletter_prompt",
            "Sign up for our newsletter to get the day's top stories in your inbox.",
        )
    ]


def test_explicit_outlet_and_url_host():
    html = f"<html><body><article><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></article></body></html>"
    assert read_html(html, source="p.html", outlet="Given").outlet == "Given"
    assert (
        read_html(html, source="p.html", url="https://www.dailyharbor.com/x").outlet
        == "dailyharbor.com"
    )


def test_fallback_keeps_paragraph_text_when_extraction_finds_nothing():
    html = f"<p>{PARAGRAPH}</p>"
    article = read_html(html, source="frag.html")
    assert article.text == PARAGRAPH


def test_broken_html_still_yields_its_paragraphs():
    html = f"<html><body><div><p>{PARAGRAPH}<p>Ships will unload on Thursday, officials said.</div"
    article = read_html(html.encode(), source="broken.html")
    assert PARAGRAPH in article.text


@pytest.mark.parametrize(
    "html", ["<html><head><title>Nothing</title></head><body></body></html>", "<<<>>>", "<p>Hi</p>"]
)
def test_page_without_article_text_is_an_ingest_error(html: str):
    with pytest.raises(IngestError, match=r"^e\.html: no article text found"):
        read_html(html, source="e.html")


def test_declared_legacy_charset_is_used():
    html = (
        '<html><head><meta charset="windows-1252"></head><body><article>'
        f"<p>Caf\xe9 owners near the quay said trade fell sharply. {PARAGRAPH}</p>"
        "</article></body></html>"
    ).encode("cp1252")
    assert "Café owners" in read_html(html, source="w.html").text


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400) | st.text(alphabet="<>/p divbody\"'=&;ax", max_size=300))
def test_read_html_on_arbitrary_input_returns_an_article_or_raises_ingest_error(raw: bytes | str):
    try:
        article = read_html(raw, source="fuzz.html")
    except IngestError:
        return
    assert article.text == article.text.strip() and article.text
