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
from storyscope.ingest.warc import MAX_HEADER_BYTES, MAX_LINE_BYTES, iter_warc
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


# -- header bombs: a header line that never ends must cost one failure and bounded memory ------------

_BOMB_PREFIXES = {
    # the WARC record header's URI line never ends
    "warc-header": b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://velmor.test/",
    # the WARC header is fine; the HTTP status line inside the record never ends
    "http-status": (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://velmor.test/bomb\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: 99999999999\r\n\r\n"
        b"HTTP/1.1 200 "
    ),
}


def endless_line_member(prefix: bytes, size: int) -> bytes:
    """A gzip member of about ``size`` bytes: ``prefix`` then ~1000x as many ``a`` with no newline."""
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(prefix), packer.flush(zlib.Z_FULL_FLUSH)]
    chunk = b"a" * (1 << 20)
    packer.compress(chunk)
    parts.append(packer.flush(zlib.Z_FULL_FLUSH))
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)  # after a full flush: reusable
    total = sum(map(len, parts))
    while total < size:
        parts.append(block)
        total += len(block)
    return b"".join(parts) + packer.flush()


def _peak_memory(run):  # type: ignore[no-untyped-def]
    import tracemalloc

    tracemalloc.start()
    try:
        result = run()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("kind", sorted(_BOMB_PREFIXES))
def test_a_header_line_without_newline_in_a_4mb_warc_gz_is_one_failure(tmp_path: Path, kind: str):
    import time

    before = write_warc(
        tmp_path / "before.warc.gz",
        [response(f"https://velmor.test/{n}", page(f"Story {n}")) for n in range(2)],
        gzip=True,
    )
    after = write_warc(
        tmp_path / "after.warc.gz", [response("https://velmor.test/after", page("After"))], gzip=True
    )
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(
        before.read_bytes()
        + endless_line_member(_BOMB_PREFIXES[kind], 4_000_000)  # ~4 GB once decompressed
        + after.read_bytes()
    )
    started = time.perf_counter()
    found, peak = _peak_memory(lambda: items(path))
    elapsed = time.perf_counter() - started
    assert [a.title for a in found if isinstance(a, Article)] == ["Story 0", "Story 1", "After"]
    (failure,) = [f for f in found if isinstance(f, Failure)]
    offset = len(before.read_bytes())
    assert failure.error == (
        f"{path}@{offset}: malformed WARC record (header line over {MAX_LINE_BYTES} bytes)"
    )
    assert peak < 64_000_000, f"peak {peak / 1e6:.0f} MB"  # unbounded: gigabytes
    assert elapsed < 10, f"{elapsed:.1f} s"


def test_a_header_line_without_newline_in_a_plain_warc_is_one_failure(tmp_path: Path):
    good = write_warc(tmp_path / "a.warc", [response("https://velmor.test/a", page("First"))], gzip=False)
    after = write_warc(tmp_path / "b.warc", [response("https://velmor.test/b", page("Last"))], gzip=False)
    path = tmp_path / "bomb.warc"
    path.write_bytes(
        good.read_bytes() + _BOMB_PREFIXES["warc-header"] + b"a" * 3_000_000 + b"\n" + after.read_bytes()
    )
    found, peak = _peak_memory(lambda: items(path))
    assert [a.title for a in found if isinstance(a, Article)] == ["First", "Last"]
    (failure,) = [f for f in found if isinstance(f, Failure)]
    assert failure.error.endswith(f"malformed WARC record (header line over {MAX_LINE_BYTES} bytes)")
    assert peak < 32_000_000, f"peak {peak / 1e6:.0f} MB"


def test_a_header_block_of_endless_short_lines_is_one_failure(tmp_path: Path):
    headers = b"".join(b"X-Pad-%d: v\r\n" % n for n in range(40_000))  # ~600 KB of HTTP headers
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + headers + b"\r\n" + page("Padded")
    record = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://velmor.test/pad\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        b"Content-Length: %d\r\n\r\n" % len(http)
    ) + http + b"\r\n\r\n"
    after = write_warc(tmp_path / "b.warc", [response("https://velmor.test/b", page("Last"))], gzip=False)
    path = tmp_path / "padded.warc"
    path.write_bytes(record + after.read_bytes())
    found = items(path)
    assert [a.title for a in found if isinstance(a, Article)] == ["Last"]
    (failure,) = [f for f in found if isinstance(f, Failure)]
    assert failure.error.endswith(f"malformed WARC record (header block over {MAX_HEADER_BYTES} bytes)")


@pytest.mark.parametrize("gzip", [False, True])
def test_long_but_bounded_header_lines_are_read_whole(tmp_path: Path, gzip: bool):
    # a 60 KB URI spans several of warcio's 16 KB buffers: it must come back whole, not cut
    uri = "https://velmor.test/a?" + "q" * (60_000 - 22)
    path = write_warc(tmp_path / "long.warc", [response(uri, page("Long link"))], gzip=gzip)
    (article,) = items(path)
    assert isinstance(article, Article)
    assert article.url == uri


@pytest.mark.parametrize(
    "head",
    [
        b"WARC/1.0\r\nWARC-Type: response\r\n",
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 10\r\n\r\n",
    ],
)
def test_a_warc_cut_off_in_its_first_header_says_so_in_plain_words(tmp_path: Path, head: bytes):
    path = tmp_path / "cut.warc"
    path.write_bytes(head)
    (failure,) = items(path)
    assert isinstance(failure, Failure)
    assert failure.source == str(path)
    assert failure.error == f"{path}: malformed WARC file (truncated or incomplete record header)"


def test_a_page_that_fails_to_parse_keeps_its_own_error_text(tmp_path: Path, monkeypatch):
    import storyscope.ingest.warc as warc_module

    path = write_warc(
        tmp_path / "two.warc",
        [response("http://a.example/1", page("One")), response("http://a.example/2", page("Two"))],
        gzip=False,
    )

    def boom(*_args: object, **_kwargs: object) -> None:
        raise KeyError("lang")

    monkeypatch.setattr(warc_module, "build_html_article", boom)
    failures = [f for f in items(path) if isinstance(f, Failure)]
    assert failures and all("truncated" not in f.error for f in failures)
    assert all("lang" in f.error for f in failures)
