"""iter_warc: HTML responses become articles; everything else is a recorded skip."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyscope.errors import IngestError
from storyscope.ingest.warc import iter_warc
from storyscope.model import Article, Failure

SENTENCES = [
    "The Velmor harbour council voted on Tuesday to reopen the old swing bridge to traffic.",
    "Repairs to the bridge took eleven months and cost the town 4.2 million crowns, officials said.",
    "Councillor Maren Oddvik said the reopening would cut the morning commute by twenty minutes.",
    "Shop owners on the quay had complained that the closure kept customers away all winter.",
    "The bridge will open to cyclists first, on Saturday, and to cars a week later.",
    "Engineers from the regional roads office will inspect the structure again in the spring.",
]


def page(title: str, n_paragraphs: int = 4) -> bytes:
    paragraphs = "".join(f"<p>{' '.join(SENTENCES)}</p>" for _ in range(n_paragraphs))
    return (
        f"<!doctype html><html lang='en'><head><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}</article>"
        "</body></html>"
    ).encode()


Record = tuple[str, str, bytes, str, str]  # uri, content type, payload, status, record type


def write_warc(path: Path, records: list[Record], *, gzip: bool) -> Path:
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for uri, content_type, payload, status, rec_type in records:
            if rec_type == "response":
                http = StatusAndHeaders(
                    status,
                    [("Content-Type", content_type), ("Content-Length", str(len(payload)))],
                    protocol="HTTP/1.1",
                )
                block = http.to_bytes() + payload  # warcio parses the HTTP headers back out
                record = writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(block), length=len(block)
                )
            else:
                record = writer.create_warc_record(
                    uri,
                    rec_type,
                    payload=io.BytesIO(payload),
                    length=len(payload),
                    warc_content_type=content_type,
                )
            writer.write_record(record)
    return path


def response(uri: str, payload: bytes, *, ctype: str = "text/html; charset=utf-8") -> Record:
    return (uri, ctype, payload, "200 OK", "response")


MIXED: list[Record] = [
    ("", "application/warc-fields", b"software: invented\r\n", "", "warcinfo"),
    response("https://www.velmor-post.test/news/bridge", page("Velmor bridge to reopen")),
    (
        "https://www.velmor-post.test/news/bridge",
        "application/http",
        b"GET / HTTP/1.1\r\n\r\n",
        "",
        "request",
    ),
    response("https://www.velmor-post.test/logo.png", b"\x89PNG\r\n\x1a\n....", ctype="image/png"),
    ("https://www.velmor-post.test/gone", "text/html", b"<p>gone</p>", "404 Not Found", "response"),
    response(
        "https://www.velmor-post.test/subscribe",
        b"<html><body><p>Subscribe today and read the Post on every device you own.</p></body></html>",
    ),
    response("https://quay-ledger.test/2026/bridge", page("Quay bridge reopening set")),
    ("https://archive.test/page", "text/html", page("Archived resource page"), "", "resource"),
]


def items(path: Path, **kwargs: object) -> list[Article | Failure]:
    return list(iter_warc(path, **kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize("gzip", [False, True])
def test_html_responses_become_articles_and_other_pages_are_skipped_with_a_reason(
    tmp_path: Path, gzip: bool
):
    path = write_warc(tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"), MIXED, gzip=gzip)
    found = items(path)
    articles = [a for a in found if isinstance(a, Article)]
    failures = {f.source: f.error for f in found if isinstance(f, Failure)}
    assert [a.source for a in articles] == [
        "https://www.velmor-post.test/news/bridge",
        "https://quay-ledger.test/2026/bridge",
        "https://archive.test/page",
    ]
    first = articles[0]
    assert first.url == first.source
    assert first.outlet == "velmor-post.test"
    assert articles[1].outlet == "quay-ledger.test"
    assert first.title == "Velmor bridge to reopen"
    assert first.text.startswith("The Velmor harbour council voted on Tuesday")
    assert "Home" not in first.text
    assert failures == {
        "https://www.velmor-post.test/logo.png": (
            "https://www.velmor-post.test/logo.png: not HTML (image/png)"
        ),
        "https://www.velmor-post.test/gone": (
            "https://www.velmor-post.test/gone: HTTP 404 response, not a page"
        ),
        "https://www.velmor-post.test/subscribe": (
            "https://www.velmor-post.test/subscribe: no article text found (only boilerplate)"
        ),
    }


def test_pages_with_too_little_text_are_not_news(tmp_path: Path):
    short = page("Opening hours", n_paragraphs=1).replace(" ".join(SENTENCES[2:]).encode(), b"")
    path = write_warc(
        tmp_path / "a.warc", [response("https://velmor.test/hours", short)], gzip=False
    )
    (failure,) = items(path)
    assert isinstance(failure, Failure)
    assert "too little text for a news article" in failure.error
    assert failure.error.endswith("words < 80)")


def test_payload_over_the_cap_is_skipped_and_the_next_record_is_read(tmp_path: Path):
    big = page("Huge page", n_paragraphs=60)
    records = [
        response("https://velmor.test/big", big),
        response("https://velmor.test/ok", page("Fine")),
    ]
    path = write_warc(tmp_path / "a.warc.gz", records, gzip=True)
    found = items(path, max_payload_bytes=20_000)
    assert isinstance(found[0], Failure)
    assert found[0].error.startswith("https://velmor.test/big: payload too large")
    assert isinstance(found[1], Article) and found[1].title == "Fine"


def test_charset_from_the_http_header_is_used(tmp_path: Path):
    body = page("Café Øresund reopens").replace(b"Velmor harbour", "Øresund café".encode())
    latin = body.decode("utf-8").encode("iso-8859-1")
    path = write_warc(
        tmp_path / "a.warc",
        [response("https://velmor.test/cafe", latin, ctype="text/html; charset=iso-8859-1")],
        gzip=False,
    )
    (article,) = items(path)
    assert isinstance(article, Article)
    assert article.title == "Café Øresund reopens"
    assert "Øresund café" in article.text


@pytest.mark.parametrize("gzip", [False, True])
def test_a_malformed_record_is_skipped_and_later_records_are_still_read(tmp_path: Path, gzip: bool):
    records = [
        response("https://velmor.test/one", page("First story")),
        response("https://velmor.test/two", page("Second story")),
        response("https://velmor.test/three", page("Third story")),
    ]
    path = write_warc(tmp_path / "a.warc", records, gzip=gzip)
    data = bytearray(path.read_bytes())
    marker = b"\x1f\x8b" if gzip else b"WARC/1."
    second = data.find(marker, data.find(marker) + 1)
    data[second : second + 30] = b"#" * 30  # destroy the second record's header
    path.write_bytes(bytes(data))
    found = items(path)
    articles = [a.title for a in found if isinstance(a, Article)]
    assert articles == ["First story", "Third story"]
    (failure,) = [f for f in found if isinstance(f, Failure)]
    assert failure.source == f"{path}@{second}"
    assert "malformed WARC record" in failure.error
    assert failure.error.isprintable()


def test_a_file_that_is_not_a_warc_is_one_failure(tmp_path: Path):
    path = tmp_path / "notes.warc"
    path.write_text("These are meeting notes, not an archive.\n" * 20)
    (failure,) = items(path)
    assert isinstance(failure, Failure)
    assert failure.source == str(path)
    assert "not a WARC file" in failure.error


def test_a_missing_file_raises_an_ingest_error(tmp_path: Path):
    with pytest.raises(IngestError, match="file not found"):
        items(tmp_path / "missing.warc")


def test_records_are_streamed_one_at_a_time(tmp_path: Path):
    records = [response(f"https://velmor.test/{n}", page(f"Story {n}")) for n in range(3)]
    path = write_warc(tmp_path / "a.warc.gz", records, gzip=True)
    stream = iter_warc(path)
    first = next(stream)
    assert isinstance(first, Article) and first.title == "Story 0"
    stream.close()  # closing early releases the file


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes_give_failures_never_exceptions(tmp_path: Path, data: bytes):
    path = tmp_path / "fuzz.warc"
    path.write_bytes(data)
    for item in iter_warc(path):
        assert isinstance(item, Failure | Article)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    gzip=st.booleans(),
    cuts=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=8)), max_size=3),
)
def test_corrupted_archives_never_raise(
    tmp_path: Path, gzip: bool, cuts: list[tuple[float, bytes]]
):
    records = [response(f"https://velmor.test/{n}", page(f"Story {n}", 1)) for n in range(2)]
    path = write_warc(tmp_path / f"c{int(gzip)}.warc", records, gzip=gzip)
    data = bytearray(path.read_bytes())
    for where, junk in cuts:
        at = int(where * (len(data) - 1))
        data[at : at + len(junk)] = junk
    path.write_bytes(bytes(data))
    for item in iter_warc(path):
        assert isinstance(item, Failure | Article)
        if isinstance(item, Article):
            assert item.text and item.id
