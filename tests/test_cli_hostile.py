"""The CLI on awkward input: one-line errors, the right exit code, and the report still written."""

from __future__ import annotations

import json
import os
from pathlib import Path

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
