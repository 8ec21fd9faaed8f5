"""Hostile sources: special files, deep JSON, lone surrogates, odd file names, huge texts.

Each must end as one recorded failure (or a clean article) while the rest of the batch goes on.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from storyscope.errors import IngestError, displayable
from storyscope.ingest import read, read_path
from storyscope.ingest._decode import MAX_CHARS

GOOD = (
    "Dockworkers in Port Aster voted on Wednesday to end their strike, the union said.\n\n"
    "Work resumes on Thursday, according to the harbor authority."
)


@pytest.fixture()
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_not_read(tmp_path: Path, good: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = read([fifo, good])  # would block forever if the FIFO were opened
    assert [a.source for a in result.articles] == [str(good)]
    assert [f.error for f in result.failures] == [f"{fifo}: not a regular file"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_character_device_is_refused(good: Path) -> None:
    result = read(["/dev/zero", good])
    assert len(result.articles) == 1
    assert result.failures[0].error == "/dev/zero: not a regular file"
    with pytest.raises(IngestError, match="not a regular file"):
        read_path("/dev/zero")


def test_deeply_nested_json_is_one_failure(tmp_path: Path, good: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    result = read([deep, good])
    assert len(result.articles) == 1
    assert len(result.failures) == 1
    assert result.failures[0].source == str(deep)


def test_deeply_nested_jsonl_line_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    record = {"outlet": "Aster Wire", "text": GOOD}
    path.write_text(
        json.dumps(record) + "\n" + "[" * 200_000 + "]" * 200_000 + "\n", encoding="utf-8"
    )
    result = read([path])
    assert len(result.articles) == 1
    assert [f.source for f in result.failures] == [f"{path}:2"]


def test_huge_integer_in_json_is_one_failure(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text('{"text": "x", "n": ' + "9" * 5000 + "}", encoding="utf-8")
    result = read([path, good])
    assert len(result.articles) == 1
    assert "invalid JSON" in result.failures[0].error


def test_lone_surrogates_in_json_are_replaced(tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_text(
        json.dumps({"outlet": "Aster Wire", "title": "Strike \ud800ends", "text": GOOD + " \udfff"}),
        encoding="utf-8",
    )
    (article,) = read_path(path)
    assert "\ufffd" in article.text
    assert article.title == "Strike \ufffdends"
    article.text.encode("utf-8")  # must not raise


def test_outlet_flag_with_records_that_name_their_outlet(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text(
        json.dumps([{"source": "Aster Wire", "text": GOOD}, {"publisher": "Bay Post", "text": GOOD + " More."}]),
        encoding="utf-8",
    )
    result = read([path], outlets={"feed.json": "Mapped Outlet"})
    assert not result.failures
    assert {a.outlet for a in result.articles} == {"Mapped Outlet"}
    # without the mapping each record keeps its own outlet
    assert {a.outlet for a in read([path]).articles} == {"Aster Wire", "Bay Post"}


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses non-UTF-8 file names")
def test_non_utf8_file_name_is_shown_escaped(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(raw, "wb") as handle:
        handle.write(GOOD.encode("utf-8"))
    (article,) = read([os.fsdecode(raw)]).articles
    assert article.source.endswith("caf\\xe9.txt")
    article.source.encode("utf-8")
    assert displayable(os.fsdecode(raw)) == article.source


def test_text_longer_than_the_model_limit_is_refused(tmp_path: Path, good: Path) -> None:
    long = tmp_path / "long.txt"
    sentence = "The harbor authority said work would resume on Thursday. "
    long.write_text(sentence * (MAX_CHARS // len(sentence) + 10), encoding="utf-8")
    result = read([long, good])
    assert len(result.articles) == 1
    (failure,) = result.failures
    assert "article too long" in failure.error and "1,000,000" in failure.error
    assert "\n" not in failure.error


def test_a_reader_bug_is_contained(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, good: Path) -> None:
    import storyscope.ingest.stream as ingest_pkg  # the one dispatch read() and ingest share

    bad = tmp_path / "bad.txt"
    bad.write_text(GOOD + " Different.", encoding="utf-8")
    real = ingest_pkg.build_text_article

    def flaky(raw: bytes, **kwargs: object):  # type: ignore[no-untyped-def]
        if str(kwargs.get("source", "")).endswith("bad.txt"):
            raise KeyError("boom")
        return real(raw, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest_pkg, "build_text_article", flaky)
    result = read([bad, good])
    assert len(result.articles) == 1
    assert "could not be read (KeyError" in result.failures[0].error


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_named_like_a_warc_is_refused_not_read(tmp_path: Path) -> None:
    from storyscope.ingest.warc import iter_warc

    fifo = tmp_path / "crawl.warc.gz"
    os.mkfifo(fifo)
    with pytest.raises(IngestError, match="not a regular file"):  # opening it would block forever
        list(iter_warc(fifo))


# -- binary data named .jsonl, files of bad lines, odd names: each a bounded number of one-line failures

def _stream(*paths: Path) -> list[object]:
    from storyscope.ingest import iter_sources

    return list(iter_sources(list(paths), detect_languages=False))


def _failures(found: list[object]) -> list[str]:
    from storyscope.model import Failure

    return [f.error for f in found if isinstance(f, Failure)]


@pytest.mark.parametrize("kind", ["nul", "undecodable"])
def test_binary_data_named_jsonl_is_one_failure(tmp_path: Path, good: Path, kind: str) -> None:
    import random

    rng = random.Random(19)
    data = bytes(rng.randrange(256) for _ in range(200_000))
    if kind == "undecodable":  # no NUL, still not text
        data = bytes(b | 0x80 if b not in (10, 13) else b for b in data)
    assert data.count(b"\n") > 500
    path = tmp_path / "dump.jsonl"
    path.write_bytes(data)
    found = _stream(path, good)
    assert _failures(found) == [f"{path}: binary file, not text"]
    assert len(found) == 2  # and the next file is still read
    assert [f.error for f in read([path, good]).failures] == [f"{path}: binary file, not text"]


def test_a_jsonl_file_of_bad_lines_is_abandoned_after_100(tmp_path: Path, good: Path) -> None:
    from storyscope.ingest.stream import MAX_BAD_LINES

    path = tmp_path / "broken.jsonl"
    path.write_text("{not json\n" * 5000, encoding="utf-8")
    errors = _failures(_stream(path, good))
    assert len(errors) == MAX_BAD_LINES + 1
    assert errors[0].startswith(f"{path}:1: invalid JSON (Expecting property name")
    assert errors[-1] == (
        f"{path}: file abandoned: too many bad lines (101 bad lines and 0 articles in the first 101 lines)"
    )
    assert len(read([path]).failures) == MAX_BAD_LINES + 1  # the same cap when read whole
    assert read([path]).failures[-1].error.startswith(f"{path}: file abandoned: too many bad lines")


def test_a_mostly_good_jsonl_file_keeps_its_articles_past_100_bad_lines(tmp_path: Path) -> None:
    from storyscope.model import Article

    record = json.dumps({"outlet": "Aster Wire", "text": GOOD})
    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(f"{record}\n{{bad\n" for _ in range(130)), encoding="utf-8")
    found = _stream(path)
    assert sum(isinstance(x, Article) for x in found) == 130
    errors = _failures(found)
    assert len(errors) == 101
    assert errors[-1] == f"{path}: 30 more bad lines, not listed one by one"


@pytest.mark.skipif(sys.platform == "win32", reason="needs newlines in file names")
def test_a_newline_in_a_file_name_does_not_split_the_error(tmp_path: Path, good: Path) -> None:
    odd = tmp_path / "evil\nname\r.txt"
    odd.write_bytes(b"")
    broken = tmp_path / "two\nlines.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    shown = str(tmp_path) + "/evil\\nname\\r.txt"
    for errors in (_failures(_stream(odd, broken, good)), [f.error for f in read([odd, broken, good]).failures]):
        assert errors[0] == f"{shown}: empty file"
        assert errors[1].startswith(str(tmp_path) + "/two\\nlines.jsonl:1: invalid JSON")
        assert all("\n" not in e and "\r" not in e for e in errors)
    named = tmp_path / "bridge\nvote.txt"
    named.write_text(GOOD, encoding="utf-8")
    (article,) = read([named]).articles
    assert article.source == str(tmp_path) + "/bridge\\nvote.txt"


# -- the per-article time budget ---------------------------------------------------------------------


def test_the_time_budget_stops_a_runaway_regex_and_the_next_records_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re
    import time

    import storyscope.ingest.text as text_module

    real = text_module.clean_text
    backtracking = re.compile(r"(a+)+$")

    def clean_text(body: str) -> tuple[str, object]:
        if "Zyxwarden" in body:
            backtracking.match("a" * 40 + "b")  # exponential, inside the C regex engine
        return real(body)

    monkeypatch.setattr(text_module, "clean_text", clean_text)
    monkeypatch.setattr("storyscope.ingest._budget.MAX_ARTICLE_SECONDS", 0.3)
    body = "The ferry resumed service on Tuesday after a week of repairs, the operator said on the quay."
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "\n".join(json.dumps({"outlet": o, "text": t}) for o, t in
                  [("A", body), ("B", "Zyxwarden said so. " + body), ("C", body + " More.")]) + "\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    result = read([str(feed)])
    assert time.monotonic() - started < 5
    assert [a.outlet for a in result.articles] == ["A", "C"]
    (failure,) = result.failures
    assert failure.error == f"{feed}:2: took over 0.3 s to read and clean (the per-article time budget)"


def test_the_time_budget_is_off_outside_the_main_thread_and_leaves_sigalrm_as_it_was() -> None:
    import signal
    import threading
    import time

    from storyscope.ingest._budget import article_budget

    before = signal.getsignal(signal.SIGALRM)
    with article_budget("x"):
        pass
    assert signal.getsignal(signal.SIGALRM) is before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    errors: list[BaseException] = []

    def off_main() -> None:
        try:
            with article_budget("x"):
                time.sleep(0.01)
        except BaseException as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    thread = threading.Thread(target=off_main)
    thread.start()
    thread.join()
    assert errors == []
