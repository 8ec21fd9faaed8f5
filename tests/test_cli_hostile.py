"""The CLI on awkward input: one-line errors, the right exit code, and the report still written."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyscope.cli import cli
from test_cli import ARTICLE_A, ARTICLE_B

BODY_A = ARTICLE_A.split("---\n", 2)[2]
BODY_B = ARTICLE_B.split("---\n", 2)[2]


def _run(*args: str | os.PathLike[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [os.fspath(a) for a in args])
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_outlet_flag_on_records_that_name_their_outlet(tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([{"outlet": "Fenwick Gazette", "text": BODY_A}]), encoding="utf-8")
    other = tmp_path / "courier.txt"
    other.write_text(ARTICLE_B, encoding="utf-8")
    code, out, err = _run("compare", feed, other, "--outlet", "feed.json=Gazette Online", "-q")
    assert code == 0, err
    outlets = {a["outlet"] for a in json.loads(out)["articles"]}
    assert outlets == {"Gazette Online", "Valley Courier"}


def test_non_utf8_file_name_with_output_file(tmp_path: Path) -> None:
    odd = os.fsencode(tmp_path) + b"/gaz\xe9tte.txt"
    with open(odd, "wb") as handle:
        handle.write(ARTICLE_A.encode("utf-8"))
    other = tmp_path / "courier.txt"
    other.write_text(ARTICLE_B, encoding="utf-8")
    report = tmp_path / "report.json"
    code, _, err = _run("compare", os.fsdecode(odd), other, "-o", report)
    assert code == 0, err
    sources = [a["source"] for a in json.loads(report.read_text(encoding="utf-8"))["articles"]]
    assert any(s.endswith("gaz\\xe9tte.txt") for s in sources)


def test_one_outlet_only_exits_1_but_writes_the_report(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"text": BODY_A}) + "\n" + json.dumps({"text": BODY_B}) + "\n", encoding="utf-8"
    )
    report = tmp_path / "report.json"
    code, _, err = _run("compare", feed, "-o", report)
    assert code == 1
    assert "all 2 articles are from one outlet (feed)" in err
    assert report.exists()


def test_nothing_readable_exits_1_and_writes_no_report(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    code, _, err = _run("compare", tmp_path / "missing-a.txt", tmp_path / "missing-b.txt", "-o", report)
    assert code == 1
    assert err.strip().splitlines()[-1].startswith("Error: ")
    assert "file not found" in err
    assert not report.exists()


def test_fifo_in_batch_is_a_failure(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    a = tmp_path / "gazette.txt"
    a.write_text(ARTICLE_A, encoding="utf-8")
    b = tmp_path / "courier.txt"
    b.write_text(ARTICLE_B, encoding="utf-8")
    code, out, err = _run("compare", fifo, a, b, "-q")
    assert code == 1
    assert f"error: {fifo}: not a regular file" in err
    assert len(json.loads(out)["articles"]) == 2


# -- ingest under hostile input: a WARC header bomb, an SSRF target, an odd file name ---------------

SENTENCES = (
    "The Velmor harbour council voted on Tuesday to reopen the old swing bridge to traffic. "
    "Repairs to the bridge took eleven months and cost the town 4.2 million crowns, officials said. "
    "Councillor Maren Oddvik said the reopening would cut the morning commute by twenty minutes. "
    "Shop owners on the quay had complained that the closure kept customers away all winter. "
)


def _page(title: str) -> bytes:
    body = "".join(
        f"<p>In part {n} of the {title} report: {SENTENCES} Resident number {n} said it was about time.</p>"
        for n in range(1, 5)
    )
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>".encode()


@pytest.fixture()
def fake_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingest clusters with a hashing embedder instead of loading MiniLM."""
    import importlib

    from storyscope.testing import FakeEmbedder

    embeddings = importlib.import_module("storyscope.analyze.embeddings")  # storyscope.analyze is also a function
    monkeypatch.setattr(embeddings, "get_embedder", lambda *a, **k: FakeEmbedder())


def _warc_gz(path: Path, titles: list[str]) -> bytes:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for title in titles:
        payload = _page(title)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        block = http.to_bytes() + payload
        uri = f"https://velmor-post.test/{title.lower().replace(' ', '-')}"
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(block), length=len(block)))
    return buffer.getvalue()


def _endless_header_member(size: int) -> bytes:
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.test/"), packer.flush(zlib.Z_FULL_FLUSH)]
    chunk = b"a" * (1 << 20)
    packer.compress(chunk)
    parts.append(packer.flush(zlib.Z_FULL_FLUSH))
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    while sum(map(len, parts)) < size:
        parts.append(block)
    return b"".join(parts)


def test_ingest_of_a_warc_header_bomb_keeps_the_good_records_and_goes_on(
    tmp_path: Path, fake_embedder: None
) -> None:
    from storyscope.store import Store

    good = _warc_gz(tmp_path, ["Bridge vote", "Quay shops"])
    bomb = tmp_path / "crawl.warc.gz"
    bomb.write_bytes(good + _endless_header_member(4_000_000) + _warc_gz(tmp_path, ["Ferry timetable"]))
    later = tmp_path / "later.txt"
    later.write_text(ARTICLE_B, encoding="utf-8")
    db = tmp_path / "store.db"
    code, _, err = _run("ingest", bomb, later, "--db", db)
    assert code == 1
    assert f"error: {bomb}@{len(good)}: malformed WARC record (header line over 65536 bytes)" in err.splitlines()
    assert "4 articles read, 4 new" in err
    with Store.open(db) as store:
        titles = {a.title for a in store.iter_articles(include_duplicates=True)}
        (failure,) = store.failures()
    assert {"Bridge vote", "Quay shops", "Ferry timetable"} <= titles and len(titles) == 4
    assert failure.source == f"{bomb}@{len(good)}"


@pytest.fixture()
def local_page() -> Iterator[str]:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    page = _page("Intranet notice")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def do_GET(self) -> None:  # noqa: N802
            body, status = (page, 200) if self.path == "/notice" else (b"", 404)
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/notice"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_ingest_refuses_a_private_address_unless_allowed(
    tmp_path: Path, local_page: str, fake_embedder: None
) -> None:
    db = tmp_path / "store.db"
    code, _, err = _run("ingest", local_page, "--db", db)
    assert code == 1
    assert f"error: {local_page}: refused: 127.0.0.1 resolves to a non-public address 127.0.0.1" in err.splitlines()
    assert "0 articles read" in err
    code, _, err = _run("ingest", local_page, "--db", db, "--allow-private-addresses")
    assert code == 0, err
    assert "1 articles read, 1 new" in err


def test_a_newline_in_a_file_name_stays_on_its_error_line(tmp_path: Path) -> None:
    odd = tmp_path / "evil\nname.txt"
    odd.write_bytes(b"")
    a = tmp_path / "gazette.txt"
    a.write_text(ARTICLE_A, encoding="utf-8")
    b = tmp_path / "courier.txt"
    b.write_text(ARTICLE_B, encoding="utf-8")
    code, _, err = _run("compare", odd, a, b, "-q")
    assert code == 1
    assert f"error: {tmp_path}/evil\\nname.txt: empty file" in err.splitlines()


def _pair(tmp_path: Path) -> list[Path]:
    paths = [tmp_path / "gazette.txt", tmp_path / "courier.txt"]
    for path, text in zip(paths, (ARTICLE_A, ARTICLE_B), strict=True):
        path.write_text(text, encoding="utf-8")
    return paths


def test_compare_past_the_warning_count_points_to_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storyscope.api.COMPARE_WARN_ARTICLES", 1)
    code, out, err = _run("compare", *_pair(tmp_path))
    assert code == 0
    json.loads(out)
    (line,) = [x for x in err.splitlines() if x.startswith("warning: 2 articles")]
    assert "storyscope ingest" in line
    code, _, err = _run("compare", "-q", *_pair(tmp_path))
    assert code == 0 and "warning" not in err


def test_compare_of_too_many_articles_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storyscope.api.COMPARE_MAX_ARTICLES", 1)
    code, out, err = _run("compare", *_pair(tmp_path))
    assert code == 1 and out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith("Error: 2 articles: compare takes at most 1 ")
    assert "storyscope ingest" in line


def test_compare_past_the_character_budget_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyscope.api import compare_chars
    from storyscope.ingest import read

    paths = _pair(tmp_path)
    total = compare_chars(read([os.fspath(p) for p in paths]).articles)
    monkeypatch.setattr("storyscope.api.COMPARE_MAX_CHARS", total - 1)
    code, out, err = _run("compare", *paths)
    assert code == 1 and out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith(
        f"Error: {total:,} characters to analyse in 2 articles: compare takes at most "
        f"{total - 1:,} in all "
    )
    assert "storyscope ingest" in line


def test_library_compare_takes_a_character_budget(tmp_path: Path) -> None:
    import storyscope
    from storyscope.errors import StoryscopeError

    with pytest.raises(StoryscopeError, match=r"compare takes at most 10 in all"):
        storyscope.compare(_pair(tmp_path), max_chars=10)


def test_ingest_of_an_article_past_the_time_budget_is_its_failure_and_the_run_goes_on(
    tmp_path: Path, fake_embedder: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyscope.ingest.text as text_module
    from storyscope.store import Store

    real = text_module.clean_text

    def clean_text(body: str) -> tuple[str, object]:
        ends = time.monotonic() + 8.0
        while "Ferry timetable" in body and time.monotonic() < ends:  # a pathological article
            pass
        return real(body)

    monkeypatch.setattr(text_module, "clean_text", clean_text)
    monkeypatch.setattr("storyscope.ingest._budget.MAX_ARTICLE_SECONDS", 0.5)
    crawl = tmp_path / "crawl.warc.gz"
    crawl.write_bytes(_warc_gz(tmp_path, ["Bridge vote", "Ferry timetable", "Quay shops"]))
    later = tmp_path / "later.txt"
    later.write_text(ARTICLE_B, encoding="utf-8")
    db = tmp_path / "store.db"
    code, _, err = _run("ingest", crawl, later, "--db", db)
    assert code == 1
    slow = "https://velmor-post.test/ferry-timetable"  # a WARC record is named by its URI
    expected = f"error: {slow}: took over 0.5 s to read and clean (the per-article time budget)"
    assert expected in err.splitlines(), err
    assert "3 articles read, 3 new" in err
    with Store.open(db) as store:
        titles = {a.title for a in store.iter_articles(include_duplicates=True)}
        (failure,) = store.failures()
    assert {"Bridge vote", "Quay shops"} <= titles and "Ferry timetable" not in titles and len(titles) == 3
    assert failure.source == slow


def test_compare_of_an_article_of_many_quotations_keeps_its_first_ones_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storyscope.analyze.quotes.MAX_QUOTES", 12)
    a = tmp_path / "gazette.txt"
    a.write_text(ARTICLE_A, encoding="utf-8")
    lines = [f'"Lane {n} is open again," Brandvik said on Monday.' for n in range(1, 31)]
    b = tmp_path / "courier.txt"
    b.write_text(ARTICLE_B + "\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = _run("compare", a, b)
    assert code == 0, err
    report = json.loads(out)
    courier = next(x["id"] for x in report["articles"] if x["outlet"] == "Valley Courier")
    quotes = [q for q in report["quotes"] if q["article"] == courier]
    assert len(quotes) == 12
    text = b.read_text(encoding="utf-8").split("---\n", 2)[2]
    # its first ones in text order: the two of the article's start, then lanes 1 to 10
    assert [q["text"] for q in quotes][2:] == [f"Lane {n} is open again" for n in range(1, 11)]
    assert max(q["start"] for q in quotes) < text.index("Lane 11")
    assert any("only its first 12 quotations are counted" in w for w in report["warnings"])
    assert any("only its first 12 quotations are counted" in line for line in err.splitlines())
