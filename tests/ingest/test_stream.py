"""iter_sources: any mix of sources, streamed; languages identified; memory flat."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from storyscope.errors import IngestError
from storyscope.ingest.fetch import Fetcher
from storyscope.ingest.stream import iter_sources, with_language
from storyscope.model import Article, Failure

EN = (
    "The Osterby water board said on Monday that the reservoir would stay closed to swimmers "
    "until the end of the month. Tests found algae levels three times above the safe limit, "
    "and the board asked residents to keep dogs out of the water as well."
)
EN_MORE = (
    "Board chair Hedda Lunn said new tests would be taken every Thursday. The town's summer "
    "festival, usually held on the shore, will move to the market square this year."
)
FR = (
    "Le conseil de l'eau d'Osterby a annoncé lundi que le réservoir resterait fermé aux "
    "baigneurs jusqu'à la fin du mois. Les analyses ont révélé un taux d'algues trois fois "
    "supérieur à la limite autorisée, et le conseil demande aux habitants de tenir leurs chiens "
    "à l'écart de l'eau."
)


def page(title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in body.split(". ") if s.strip())
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>"


def warc_bytes(uri: str, html: str) -> bytes:
    payload = html.encode()
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        + f"Content-Length: {len(payload)}\r\n\r\n".encode()
    )
    block = http + payload
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        "WARC-Record-ID: <urn:uuid:0b6c1b7e-8f1a-4c7e-9d7e-3c1f2a4b5c6d>\r\n"
        f"WARC-Date: 2026-04-02T10:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return gzip.compress(head.encode() + block + b"\r\n\r\n")


def mock_fetcher(pages: dict[str, tuple[int, str, str]]) -> Fetcher:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        status, kind, body = pages.get(str(request.url), (404, "text/plain", "missing"))
        return httpx.Response(status, text=body, headers={"Content-Type": kind})

    return Fetcher(
        client=httpx.Client(transport=httpx.MockTransport(handler)),
        host_delay=0,
        sleep=lambda s: None,
    )


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    root = tmp_path / "inbox"
    (root / "web").mkdir(parents=True)
    (root / "a-gazette.txt").write_text(f"Reservoir stays closed\n\n{EN}\n\n{EN_MORE}\n")
    (root / "b-herald.html").write_text(page("Algae closes the reservoir", f"{EN} {EN_MORE}"))
    (root / "c-wire.jsonl").write_text(
        json.dumps({"text": f"{EN}\n\n{EN_MORE}", "outlet": "Osterby Wire", "title": "Closed"})
        + "\n\n{not json\n"
        + json.dumps({"text": FR, "outlet": "Le Courrier", "title": "Fermé"})
        + "\n"
    )
    (root / "web" / "crawl.warc.gz").write_bytes(
        warc_bytes(
            "https://www.osterby-post.test/reservoir",
            page("Reservoir shut", f"{EN} {EN_MORE} {EN_MORE.replace('Thursday', 'Friday')}"),
        )
    )
    (root / ".hidden.txt").write_text(EN)
    (root / "notes.csv").write_text("not,an,article\n")
    return root


def test_a_directory_of_mixed_sources_streams_articles_and_failures_in_order(mixed: Path):
    found = list(iter_sources([mixed], detect_languages=True))
    summary = [(type(x).__name__, x.source.removeprefix(str(mixed) + "/")) for x in found]
    assert summary == [
        ("Article", "a-gazette.txt"),
        ("Article", "b-herald.html"),
        ("Article", "c-wire.jsonl#L1"),
        ("Failure", "c-wire.jsonl:3"),
        ("Article", "c-wire.jsonl#L4"),
        ("Article", "https://www.osterby-post.test/reservoir"),
    ]
    articles = [x for x in found if isinstance(x, Article)]
    assert [a.outlet for a in articles] == [
        "a-gazette",
        "b-herald",
        "Osterby Wire",
        "Le Courrier",
        "osterby-post.test",
    ]
    assert [a.language for a in articles] == ["en", "en", "en", "fr", "en"]
    assert "invalid JSON" in found[3].error  # type: ignore[union-attr]


def test_other_languages_are_flagged_as_failures_when_languages_are_given(mixed: Path):
    found = list(iter_sources([mixed / "c-wire.jsonl"], languages={"en"}))
    flagged = [f for f in found if isinstance(f, Failure) and "language '" in f.error]
    assert [f.error for f in flagged] == [f"{mixed / 'c-wire.jsonl'}#L4: language 'fr', not en"]


def test_globs_missing_files_and_outlet_mapping(mixed: Path, tmp_path: Path):
    found = list(
        iter_sources(
            [str(mixed / "*.txt"), str(tmp_path / "nowhere.txt"), str(tmp_path / "*.none")],
            outlets={"a-gazette": "The Osterby Gazette"},
        )
    )
    assert isinstance(found[0], Article) and found[0].outlet == "The Osterby Gazette"
    assert [f.error for f in found[1:]] == [
        f"{tmp_path / 'nowhere.txt'}: file not found",
        f"{tmp_path / '*.none'}: no articles found",
    ]


def test_fail_fast_raises_the_first_problem(mixed: Path):
    with pytest.raises(IngestError, match=r"c-wire.jsonl:3: invalid JSON"):
        list(iter_sources([mixed / "c-wire.jsonl"], fail_fast=True))


def test_urls_are_fetched_as_pages_or_feeds():
    rss = (
        '<rss version="2.0"><channel><title>Osterby Radio</title><item><title>Closed</title>'
        f"<link>https://radio.test/closed</link><description>{EN} {EN_MORE} {EN} {EN_MORE} {EN}"
        "</description></item></channel></rss>"
    )
    fetcher = mock_fetcher(
        {
            "https://herald.test/reservoir": (200, "text/html", page("Shut", f"{EN} {EN_MORE}")),
            "https://radio.test/feed": (200, "application/rss+xml", rss),
        }
    )
    found = list(
        iter_sources(
            ["https://herald.test/reservoir", "https://radio.test/feed", "https://herald.test/x"],
            fetcher=fetcher,
        )
    )
    assert [type(x).__name__ for x in found] == ["Article", "Article", "Failure"]
    assert found[0].source == "https://herald.test/reservoir"
    assert isinstance(found[0], Article) and found[0].outlet == "herald.test"
    assert isinstance(found[1], Article) and found[1].outlet == "Osterby Radio"
    assert found[2].error == "https://herald.test/x: HTTP 404 Not Found"  # type: ignore[union-attr]


def test_language_detection_beats_wrong_declared_language_only_when_confident():
    french = Article.create(text=FR, source="x", outlet="y", language="en")
    assert with_language(french).language == "fr"
    tiny = Article.create(text="OK.", source="x", outlet="y", language="en-GB")
    assert with_language(tiny).language == "en"


def _consume(path: Path) -> tuple[int, int]:
    tracemalloc.start()
    count = 0
    for item in iter_sources([path], detect_languages=False):
        count += isinstance(item, Article)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return count, peak


def test_memory_stays_flat_as_jsonl_input_grows(tmp_path: Path):
    def write(n: int) -> Path:
        path = tmp_path / f"{n}.jsonl"
        with path.open("w") as handle:
            for i in range(n):
                text = f"{EN} Record number {i} was filed by desk {i % 7}."
                handle.write(json.dumps({"text": text, "outlet": f"Outlet {i % 5}"}) + "\n")
        return path

    small, large = write(100), write(1000)
    list(iter_sources([small], detect_languages=False))  # warm caches and lazy imports
    n_small, peak_small = _consume(small)
    n_large, peak_large = _consume(large)
    assert (n_small, n_large) == (100, 1000)
    assert peak_large < peak_small * 1.5 + 200_000, (peak_small, peak_large)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(
        st.one_of(
            st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60).map(
                lambda t: json.dumps({"text": t})
            ),
            st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30),
        ),
        max_size=6,
    )
)
@example(lines=["\x00"])  # found by Hypothesis on CI: a NUL line makes the file binary
def test_each_jsonl_line_gives_one_article_or_one_failure_named_by_its_line(
    tmp_path: Path, lines: list[str]
):
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    path = tmp_path / "fuzz.jsonl"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    found = list(iter_sources([path], detect_languages=False))
    if any("\x00" in line for line in lines):
        # JSON text never holds a raw NUL: the file is binary, one failure for all of it
        assert [f.error for f in found] == [f"{path}: binary file, not text"]  # type: ignore[union-attr]
        return
    expected = [n for n, line in enumerate(lines, start=1) if line.strip()]
    if not expected:
        assert [f.error for f in found] == [f"{path}: empty file"]  # type: ignore[union-attr]
        return
    sources = [
        int(x.source.rsplit("#L", 1)[1])
        if isinstance(x, Article)
        else int(x.source.rsplit(":", 1)[1])
        for x in found
    ]
    assert sources == expected
    for item in found:
        if isinstance(item, Article):
            assert item.text.strip() and item.id


def test_lines_of_unicode_whitespace_are_blank_lines(tmp_path: Path) -> None:
    # found by Hypothesis: b"\x1f".strip() keeps the byte, str.strip() does not
    path = tmp_path / "blank.jsonl"
    path.write_text('{"text": "The ferry docked."}\n\x1f\n\u3000 \n', encoding="utf-8")
    found = list(iter_sources([path], detect_languages=False))
    assert [type(x).__name__ for x in found] == ["Article"]
    only_blank = tmp_path / "only-blank.jsonl"
    only_blank.write_text("\x1f\n\x1c\n", encoding="utf-8")
    assert [f.error for f in iter_sources([only_blank], detect_languages=False)] == [  # type: ignore[union-attr]
        f"{only_blank}: empty file"
    ]


def test_fifos_are_refused_by_name_not_read(tmp_path: Path) -> None:
    # reading a FIFO waits for a writer forever: found in a folder or named, it is one failure
    import os

    (tmp_path / "ok.txt").write_text("The ferry docked at Harbour Vale on Tuesday.", encoding="utf-8")
    for name in ("pipe.txt", "pipe.jsonl", "pipe.html"):
        os.mkfifo(tmp_path / name)
    found = list(iter_sources([tmp_path], detect_languages=False))
    assert [type(x).__name__ for x in found].count("Article") == 1
    errors = sorted(x.error for x in found if not isinstance(x, Article))  # type: ignore[union-attr]
    assert errors == sorted(f"{tmp_path / n}: not a regular file" for n in ("pipe.html", "pipe.jsonl", "pipe.txt"))
    named = list(iter_sources([tmp_path / "pipe.txt"], detect_languages=False))
    assert [x.error for x in named] == [f"{tmp_path / 'pipe.txt'}: not a regular file"]  # type: ignore[union-attr]
