"""read_text: decoding, front matter, headline/byline, errors."""

from __future__ import annotations

import codecs
import datetime as dt
import logging
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.errors import IngestError
from storyscope.ingest import read_text
from storyscope.model import Article, article_id

BODY = (
    "Dockworkers in Port Aster voted on Wednesday to end their strike, the union said.\n\n"
    "Work is expected to resume on Thursday, according to the harbor authority."
)


def test_front_matter_gives_metadata_and_is_not_in_the_text(fixtures: Path):
    article = read_text(
        (fixtures / "harbor-courier.txt").read_bytes(), source="x/harbor-courier.txt"
    )
    assert article.outlet == "The Harbor Courier"
    assert article.title == "Port strike ends after 9 days"
    assert article.byline == "By Mara Ilves"
    assert article.published == dt.datetime(2026, 3, 12)
    assert article.url == "https://www.harborcourier.example/news/port-strike"
    assert article.language == "en"
    assert "---" not in article.text and "outlet:" not in article.text
    assert article.id == article_id(article.text)
    assert article.source == "x/harbor-courier.txt"


def test_headline_and_byline_lines_become_metadata(fixtures: Path):
    article = read_text(
        (fixtures / "lantern-gazette.txt").read_bytes(), source="lantern-gazette.txt"
    )
    assert article.title == "Aster dockworkers back deal, ending strike"
    assert article.byline == "By Tomas Reed"
    assert article.text.startswith("PORT ASTER, March 12")
    assert article.outlet == "lantern-gazette"
    assert all(r.text != article.title for r in article.removed)


def test_first_line_with_a_period_is_not_a_headline():
    article = read_text(BODY, source="a.txt")
    assert article.title is None
    assert article.text == BODY


def test_outlet_precedence_explicit_then_front_matter_then_url_then_stem():
    front = "---\noutlet: Harbor Courier\nurl: https://www.dailyharbor.com/a\n---\n" + BODY
    assert read_text(front, source="s.txt", outlet="Given").outlet == "Given"
    assert read_text(front, source="s.txt").outlet == "Harbor Courier"
    url_only = "---\nurl: https://www.dailyharbor.com/a\n---\n" + BODY
    assert read_text(url_only, source="s.txt").outlet == "dailyharbor.com"
    assert read_text(BODY, source="dir/harbor-times.txt").outlet == "harbor-times"


def test_keyword_metadata_beats_front_matter():
    front = "---\ntitle: Old title\n---\n" + BODY
    article = read_text(front, source="s.txt", title="New title", published="2026-03-12T09:30:00")
    assert article.title == "New title"
    assert article.published == dt.datetime(2026, 3, 12, 9, 30)


def test_cp1252_file_is_decoded_with_a_warning(fixtures: Path, caplog: pytest.LogCaptureFixture):
    raw = (fixtures / "bayside-record-cp1252.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    with caplog.at_level(logging.WARNING, logger="storyscope.ingest"):
        article = read_text(raw, source="bayside.txt")
    assert "decoded as cp1252" in caplog.text
    assert "authority’s offer" in article.text
    assert "cafés" in article.text and "Renée Sjöberg" in article.text
    assert "\r" not in article.text
    assert article.title == "Strike over: Aster workers accept 6% raise"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_byte_order_marks_are_honoured(bom: bytes, codec: str):
    article = read_text(bom + ("Café owners said " + BODY).encode(codec), source="bom.txt")
    assert article.text.startswith("Café owners said Dockworkers")


def test_crlf_and_cr_newlines_are_normalised():
    article = read_text(BODY.replace("\n", "\r\n").encode(), source="crlf.txt")
    assert article.text == BODY
    article = read_text(BODY.replace("\n", "\r"), source="cr.txt")
    assert article.text == BODY


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n", "\ufeff  \n"])
def test_empty_input_is_an_empty_file_error(raw: bytes | str):
    with pytest.raises(IngestError, match=r"^e\.txt: empty file$"):
        read_text(raw, source="e.txt")


@pytest.mark.parametrize(
    "raw", [b"abc\x00\x01\x02def", bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n" + bytes(200)]
)
def test_binary_input_is_rejected(raw: bytes):
    with pytest.raises(IngestError, match=r"^b\.bin: binary file, not text$"):
        read_text(raw, source="b.bin")


def test_oversized_input_is_rejected_with_its_size():
    with pytest.raises(IngestError, match=r"file too large \(20\.0 MB > 20 MB\)"):
        read_text(b"a" * 20_000_001, source="big.txt")


def test_only_boilerplate_is_an_error():
    with pytest.raises(IngestError, match="no article text found"):
        read_text("Share this article\n\nSign up for our newsletter", source="b.txt")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_read_text_on_arbitrary_bytes_returns_an_article_or_raises_ingest_error(raw: bytes):
    try:
        article = read_text(raw, source="fuzz.txt")
    except IngestError as exc:
        assert exc.source == "fuzz.txt"
        assert "\n" not in str(exc)
        return
    assert isinstance(article, Article)
    assert article.text and article.text == article.text.strip()
    assert article.id == article_id(article.text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_read_text_on_arbitrary_text_returns_an_article_or_raises_ingest_error(raw: str):
    try:
        article = read_text(raw, source="fuzz.txt")
    except IngestError:
        return
    assert article.text == article.text.strip()


_CONTROLS = "".join(chr(c) for c in (*range(0x20), 0x7F) if chr(c) not in "\t\n\r\f\v")


def _has_control(text: str) -> bool:
    return any(ch in _CONTROLS or ch in "\f\v" for ch in text)


def test_control_characters_are_removed_before_cleaning():
    dirty = (
        "Dock\x00workers in Port\x07 Aster voted on Wednesday to end their strike\x1b, the union said.\x0c"
        "Work is expected to resume on Thursday\x7f, according to the harbor authority."
    )
    article = read_text(dirty, source="x.txt", title="Strike\x00 ends", byline="By\x01 Mara\x00")
    clean = read_text(
        "Dockworkers in Port Aster voted on Wednesday to end their strike, the union said.\n"
        "Work is expected to resume on Thursday, according to the harbor authority.",
        source="x.txt",
    )
    assert article.text == clean.text and article.id == clean.id  # offsets point into the same text
    assert not _has_control(article.text)
    assert (article.title, article.byline) == ("Strike ends", "By Mara")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(BODY)), st.sampled_from(_CONTROLS)), max_size=6))
def test_controls_anywhere_give_the_article_of_the_text_without_them(cuts: list[tuple[int, str]]):
    dirty = BODY
    for at, ch in sorted(cuts, reverse=True):
        dirty = dirty[:at] + ch + dirty[at:]
    article = read_text(dirty, source="x.txt")
    assert article == read_text(BODY, source="x.txt")
    assert not _has_control(article.text)


def test_html_character_references_to_controls_are_removed():
    from storyscope.ingest import read_html

    sentence = "Dockworkers in Port Aster voted on Wednesday to end their strike, the union said. "
    html = (
        "<html><head><title>Strike&#0; ends</title></head><body><article>"
        f"<p>{sentence * 3}&#0;&#1;&#x1b;</p><p>{sentence * 2}&#127;</p></article></body></html>"
    )
    article = read_html(html, source="x.html")
    assert not _has_control(article.text + (article.title or ""))
    assert "strike, the union said" in article.text
