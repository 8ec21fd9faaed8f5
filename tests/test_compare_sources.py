"""compare reads every source ingest reads: URLs (with the same address guard and flag),
WARC archives, feeds and JSONL, through the one dispatch (storyscope.ingest.stream.read_sources)."""

from __future__ import annotations

import gzip
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyscope.cli import cli
from storyscope.ingest import ARTICLE_SUFFIXES, iter_sources, read
from storyscope.model import Article, Failure

SENTENCES = [
    "Ferry crews in Lindqvist Bay walked off the job on Friday after talks over rosters broke down.",
    "The Bay Transit Authority said three of its five routes would not run over the weekend.",
    "Union spokesperson Aldo Ferrante said crews had worked double shifts since January.",
    "Commuters from the outer islands were told to expect long queues at the single open pier.",
    "The authority said it would return to talks on Monday with a revised roster proposal.",
]


def _paragraphs(variant: str) -> list[str]:
    """About 300 words in four paragraphs, worded a little differently per outlet."""
    return [
        " ".join(SENTENCES).replace("Friday", day).replace("crews", f"{variant} crews", 1)
        for day in ("Friday", "Thursday", "Monday", "Sunday")
    ]


def _page(title: str, site: str, variant: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in _paragraphs(variant))
    return (
        f'<html><head><title>{title}</title><meta property="og:site_name" content="{site}">'
        f"</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def _warc_record(uri: str, html: bytes) -> bytes:
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        + f"Content-Length: {len(html)}\r\n\r\n".encode()
    )
    block = http + html
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:0b6c1b7e-8f1a-4c7e-9d7e-{abs(hash(uri)) % 10**12:012d}>\r\n"
        f"WARC-Date: 2026-03-13T10:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return gzip.compress(head.encode() + block + b"\r\n\r\n")


def _rss(site: str, variant: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in _paragraphs(variant))
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>{site}</title>
  <link>https://{variant.lower()}.test/</link>
  <item>
    <title>Ferry crews strike over rosters</title>
    <link>https://{variant.lower()}.test/2026/ferry-strike</link>
    <pubDate>Fri, 13 Mar 2026 09:30:00 +0000</pubDate>
    <content:encoded><![CDATA[{body}]]></content:encoded>
  </item>
</channel>
</rss>
"""


def _atom(site: str, variant: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in _paragraphs(variant))
    escaped = body.replace("<", "&lt;").replace(">", "&gt;")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>{site}</title>
  <entry>
    <title>Transit authority to resume talks</title>
    <link href="https://{variant.lower()}.test/talks"/>
    <updated>2026-03-13T12:00:00Z</updated>
    <content type="html">{escaped}</content>
  </entry>
</feed>
"""


def _compare(*args: str | os.PathLike[str]) -> tuple[int, dict[str, Any] | None, str]:
    """(exit code, the JSON report or None, stderr) of ``storyscope compare ARGS -o x.json``."""
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"compare-{os.getpid()}-{id(args)}.json"
    out.unlink(missing_ok=True)
    result = CliRunner().invoke(cli, ["compare", *map(os.fspath, args), "-o", str(out)])
    assert "Traceback" not in result.output, result.output
    report = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
    out.unlink(missing_ok=True)
    return result.exit_code, report, result.stderr


def _outlets(report: dict[str, Any] | None) -> list[str]:
    assert report is not None
    return sorted(a["outlet"] for a in report["articles"])


@pytest.fixture()
def site() -> Iterator[str]:
    """Two pages of two outlets on a local server (a loopback address)."""
    pages = {
        "/ferry": _page("Ferry crews strike", "Harbour Watch", "Harbour"),
        "/strike": _page("Crews walk off the ferries", "Bay Wire", "Wire"),
    }

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def do_GET(self) -> None:  # noqa: N802
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.slow
def test_compare_fetches_urls_when_private_addresses_are_allowed(site: str) -> None:
    urls = [f"{site}/ferry", f"{site}/strike"]
    code, report, err = _compare(*urls, "--allow-private-addresses")
    assert code == 0, err
    assert _outlets(report) == ["Bay Wire", "Harbour Watch"]
    assert report is not None and {a["source"] for a in report["articles"]} == set(urls)


def test_compare_refuses_a_private_address_in_one_line_as_ingest_does(site: str) -> None:
    url = f"{site}/ferry"
    code, report, err = _compare(url)
    assert code == 1 and report is None
    (line,) = err.strip().splitlines()
    assert line == f"Error: {url}: refused: 127.0.0.1 resolves to a non-public address 127.0.0.1"
    assert "file not found" not in err


@pytest.mark.slow
def test_compare_reads_warc_archives_feeds_and_jsonl(tmp_path: Path) -> None:
    (tmp_path / "crawl.warc.gz").write_bytes(
        _warc_record("https://www.harbourwatch.test/ferry", _page("Ferry strike", "", "Harbour"))
    )
    (tmp_path / "courier.rss").write_text(_rss("The Lindqvist Courier", "Courier"), "utf-8")
    (tmp_path / "baywire.atom").write_text(_atom("Bay Wire", "Wire"), "utf-8")
    record = {"outlet": "Island Post", "title": "Queues", "text": "\n\n".join(_paragraphs("Post"))}
    (tmp_path / "post.jsonl").write_text(json.dumps(record) + "\n", "utf-8")
    expected = ["Bay Wire", "Island Post", "The Lindqvist Courier", "harbourwatch.test"]
    files = sorted(tmp_path.iterdir())
    code, report, err = _compare(*files, "-q")
    assert code == 0, err
    assert _outlets(report) == expected
    code, report, err = _compare(tmp_path, "-q")  # a directory gives the same kinds
    assert code == 0, err
    assert _outlets(report) == expected


def test_read_and_iter_sources_dispatch_the_same_way(tmp_path: Path, site: str) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "crawl.warc.gz").write_bytes(
        _warc_record("https://www.harbourwatch.test/ferry", _page("Ferry strike", "", "Harbour"))
    )
    (tmp_path / "courier.rss").write_text(_rss("The Lindqvist Courier", "Courier"), "utf-8")
    (tmp_path / "a.jsonl").write_text('{"text": "too short"}\n{not json\n[1, 2]\n', "utf-8")
    (tmp_path / "notes.csv").write_text("not,an,article\n", "utf-8")
    sources = [str(tmp_path), f"{site}/ferry", str(tmp_path / "nowhere.txt")]
    streamed = list(iter_sources(sources, detect_languages=False))
    result = read(sources)
    assert [(type(x).__name__, x.source) for x in streamed if isinstance(x, Article)] == [
        ("Article", a.source) for a in result.articles
    ]
    assert [f.error for f in streamed if isinstance(f, Failure)] == [
        f.error for f in result.failures
    ]
    errors = [f.error for f in result.failures]
    assert errors[-2:] == [
        f"{site}/ferry: refused: 127.0.0.1 resolves to a non-public address 127.0.0.1",
        f"{tmp_path / 'nowhere.txt'}: file not found",
    ]
    assert f"{tmp_path / 'a.jsonl'}:3: record is a JSON list, not an object" in errors
    assert [a.source for a in result.articles] == [
        f"{tmp_path / 'a.jsonl'}#L1",
        "https://courier.test/2026/ferry-strike",  # a feed entry, by its link
        "https://www.harbourwatch.test/ferry",  # a WARC record, by its URI
    ]
    assert {".warc.gz", ".rss", ".atom", ".opml", ".jsonl", ".ndjson"} <= ARTICLE_SUFFIXES


def test_a_directory_is_read_in_sorted_path_order(tmp_path: Path) -> None:
    for name in ("b/x.txt", "b.txt", "a/z/y.txt", "c.txt", "bc.txt", ".hidden/q.txt"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Headline {name}\n\nThe article {name} has a body of its own.", "utf-8")
    found = [a.source for a in read([tmp_path]).articles]
    assert found == sorted(found)
    assert [Path(s).relative_to(tmp_path).as_posix() for s in found] == [
        "a/z/y.txt",
        "b.txt",
        "b/x.txt",
        "bc.txt",
        "c.txt",
    ]
    assert [a.source for a in iter_sources([tmp_path], detect_languages=False)] == found
