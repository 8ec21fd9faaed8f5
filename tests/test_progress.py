"""Progress of the long commands (ingest, ingest --analyze, export, compare of many files).

Off a terminal (these tests: CliRunner's stderr is no TTY) a run prints plain lines with
done/total, rate and ETA only when long (100+ items, or an unknown total); -q prints none.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyscope import cli as cli_module
from storyscope.cli import _count_articles, _Progress, cli
from storyscope.corpus import IngestSummary

LINE = re.compile(r"^(\w[\w ]*): ([\d,]+)/([\d,]+) (\w+) \((\d+)%\)(, .*)?, [\d.]+/s, ETA (\S+)$")


def _lines(text: str, prefix: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(prefix)]


def test_plain_lines_each_tenth_with_total_rate_and_eta(capsys: pytest.CaptureFixture[str]) -> None:
    with _Progress("exporting", "stories", total=1000) as bar:
        for done in range(1, 1001):
            bar.update(done)
    err = capsys.readouterr().err
    lines = _lines(err, "exporting:")
    assert len(lines) == 10
    for k, line in enumerate(lines, 1):
        found = LINE.match(line)
        assert found, line
        assert found.group(2) == f"{100 * k:,}" and found.group(3) == "1,000"
        assert found.group(5) == str(10 * k)
        assert re.fullmatch(r"\d+:\d\d:\d\d|\?", found.group(7))
    assert lines[-1].endswith("ETA 0:00:00")


def test_short_runs_print_nothing_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with _Progress("exporting", "stories", total=99) as bar:
        for done in range(1, 100):
            bar.update(done)
    assert capsys.readouterr().err == ""


def test_a_total_given_later_is_used(capsys: pytest.CaptureFixture[str]) -> None:
    with _Progress("analysing stories", "stories") as bar:
        for done in range(1, 201):
            bar.update(done, 200)
    lines = _lines(capsys.readouterr().err, "analysing stories:")
    assert len(lines) == 10 and "200/200 stories (100%)" in lines[-1]


def test_unknown_total_prints_a_line_per_thousand(capsys: pytest.CaptureFixture[str]) -> None:
    with _Progress("ingesting", "articles") as bar:
        for done in range(0, 2600, 64):
            bar.update(done, note=f"{done} new, 0 failed")
    lines = _lines(capsys.readouterr().err, "ingesting:")
    assert len(lines) == 2
    assert re.fullmatch(
        r"ingesting: 1,024 articles, 1024 new, 0 failed, [\d.]+/s \(total unknown\)", lines[0]
    )


def test_count_articles_before_reading(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A.", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>B.</p>", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.jsonl").write_text('{"text": "1"}\n\n{"text": "2"}\n  \n{"x": 3}\n')
    (tmp_path / "notes.csv").write_text("ignored by the directory walk")
    (tmp_path / ".hidden.txt").write_text("skipped")
    assert _count_articles((str(tmp_path),)) == 5
    assert _count_articles((str(tmp_path / "a.txt"), str(tmp_path / "*.html"))) == 2
    assert _count_articles((str(tmp_path / "missing.txt"),)) == 0
    (tmp_path / "d.warc.gz").write_bytes(b"")
    assert _count_articles((str(tmp_path),)) is None  # records unknown until read
    assert _count_articles(("https://example.org/a",)) is None


def _fake_ingest(n: int) -> Any:
    def ingest_corpus(sources: Any, store: Any, *, progress: Any = None, **_: Any) -> IngestSummary:
        summary = IngestSummary(run_id="r1")
        for done in range(1, n + 1):
            summary.read, summary.added, summary.seconds = done, done, done / 100
            if progress is not None and done % 10 == 0:
                progress(summary)
        return summary

    return ingest_corpus


@pytest.mark.parametrize("quiet", [False, True])
def test_ingest_reports_total_rate_and_eta(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quiet: bool
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(150):
        (folder / f"a{i:03}.txt").write_text("Text.", encoding="utf-8")
    monkeypatch.setattr("storyscope.corpus.ingest_corpus", _fake_ingest(150))
    args = ["ingest", str(folder), "--db", str(tmp_path / "s.db")] + (["-q"] if quiet else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    lines = _lines(result.stderr, "ingesting:")
    if quiet:
        assert result.stderr == ""
        return
    assert len(lines) == 10, result.stderr
    assert all(LINE.match(line) and "/150 articles" in line for line in lines)
    assert "150/150 articles (100%), 150 new, 0 failed" in lines[-1]
    assert result.stderr.splitlines()[-1].startswith("Run r1 into ")


def test_export_progress_is_off_with_q(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storyscope.export import empty_rows

    def export_rows(
        store: Any, ids: Any, *, settings: Any, outlets: Any = None, progress: Any = None
    ) -> Any:
        for k in range(1, 121):
            if progress is not None:
                progress(k, 120)
        return empty_rows(), list(range(1, 121))

    monkeypatch.setattr("storyscope.export.export_rows", export_rows)
    monkeypatch.setattr(cli_module, "_open_existing", lambda db: _NullStore())
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = _lines(result.stderr, "exporting:")
    assert len(lines) == 10 and "120/120 stories (100%)" in lines[-1]
    result = CliRunner().invoke(cli, ["export", "-q", "-o", str(out)])
    assert result.exit_code == 0 and result.stderr == ""


class _NullStore:
    def __enter__(self) -> _NullStore:
        return self

    def __exit__(self, *exc: object) -> None:
        return None
