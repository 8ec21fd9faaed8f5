"""The CLI through click's runner: reports, exit codes, and one-line errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyscope.cli import cli
from storyscope.report import validate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "port-aster"

ARTICLE_A = """---
outlet: Fenwick Gazette
title: Bridge reopens after repairs
published: 2026-05-04
---
The Halden river bridge reopened on Monday after six weeks of repairs, the regional roads agency said.

The repairs cost $3.2 million, according to agency director Lotte Brandvik.

"Traffic will flow normally from today," Brandvik said.
"""

ARTICLE_B = """---
outlet: Valley Courier
title: Halden bridge open again
published: 2026-05-04
---
The bridge over the Halden river reopened on Monday following six weeks of repair work.

Agency director Lotte Brandvik said the repairs cost $4.5 million.

"Traffic will flow normally from today," said Brandvik.
"""


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _no_traceback(output: str) -> None:
    assert "Traceback" not in output, output


@pytest.fixture()
def pair(tmp_path: Path) -> list[Path]:
    return [_write(tmp_path, "gazette.txt", ARTICLE_A), _write(tmp_path, "courier.txt", ARTICLE_B)]


def test_compare_writes_valid_json_to_stdout(pair: list[Path]) -> None:
    result = CliRunner().invoke(cli, ["compare", *map(str, pair), "-q"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    validate(report)
    assert sorted(a["outlet"] for a in report["articles"]) == ["Fenwick Gazette", "Valley Courier"]
    assert any(c["kind"] == "number" for c in report["contradictions"]), report["contradictions"]


def test_compare_writes_html_file_and_says_where(pair: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["compare", *map(str, pair), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote " + str(out.resolve()) in result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "Fenwick Gazette" in html


def test_markdown_format_from_suffix(pair: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    result = CliRunner().invoke(cli, ["compare", *map(str, pair), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("#")


def test_outlet_mapping_overrides_metadata(pair: list[Path]) -> None:
    result = CliRunner().invoke(
        cli, ["compare", *map(str, pair), "--outlet", "gazette.txt=The Gazette", "-q"]
    )
    assert result.exit_code == 0, result.output
    outlets = {a["outlet"] for a in json.loads(result.stdout)["articles"]}
    assert outlets == {"The Gazette", "Valley Courier"}


def test_missing_file_in_batch_is_a_failure_and_the_rest_go_on(
    pair: list[Path], tmp_path: Path
) -> None:
    missing = tmp_path / "nope.txt"
    result = CliRunner().invoke(cli, ["compare", *map(str, pair), str(missing), "-q"])
    assert result.exit_code == 1
    _no_traceback(result.output)
    report = json.loads(result.stdout)
    assert len(report["articles"]) == 2
    assert [f["source"] for f in report["failures"]] == [str(missing)]
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert any("nope.txt" in line and "not found" in line for line in error_lines), result.stderr


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", "", "empty"),
        ("blank.txt", "   \n\n  ", "empty"),
        ("binary.txt", b"\x00\x01\x02\xff\xfe" * 200, "binary"),
    ],
)
def test_bad_single_file_gives_one_line_error(
    tmp_path: Path, name: str, content: str | bytes, problem: str
) -> None:
    path = _write(tmp_path, name, content)
    result = CliRunner().invoke(cli, ["compare", str(path)])
    assert result.exit_code == 1
    _no_traceback(result.output)
    lines = [line for line in result.stderr.strip().splitlines() if line]
    assert len(lines) == 1, result.stderr
    assert name in lines[0] and problem in lines[0].lower(), lines[0]


def test_missing_file_alone(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["compare", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    _no_traceback(result.output)
    assert "missing.txt" in result.stderr and "not found" in result.stderr


def test_directory_without_articles(tmp_path: Path) -> None:
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    (empty_dir / "notes.bin").write_bytes(b"\x00" * 10)
    result = CliRunner().invoke(cli, ["compare", str(empty_dir)])
    assert result.exit_code == 1
    _no_traceback(result.output)
    assert "nothing" in result.stderr and "no articles" in result.stderr.lower()


def test_invalid_utf8_is_decoded_with_a_warning(tmp_path: Path, pair: list[Path]) -> None:
    legacy = _write(
        tmp_path, "legacy.txt", ARTICLE_B.replace("Courier", "Tribüne").encode("cp1252")
    )
    result = CliRunner().invoke(cli, ["compare", str(pair[0]), str(legacy)])
    assert result.exit_code == 0, result.output
    assert "legacy.txt" in result.stderr


def test_broken_html_does_not_crash(tmp_path: Path, pair: list[Path]) -> None:
    broken = _write(
        tmp_path, "broken.html", "<html><body><p>Unclosed <b>bold <div><p>The Halden bridge"
    )
    result = CliRunner().invoke(cli, ["compare", *map(str, pair), str(broken), "-q"])
    _no_traceback(result.output)
    assert result.exit_code in (0, 1)
    json.loads(result.stdout)


def test_single_article_is_reported_as_nothing_to_compare(pair: list[Path]) -> None:
    result = CliRunner().invoke(cli, ["compare", str(pair[0])])
    assert result.exit_code == 1
    _no_traceback(result.output)
    assert "gazette.txt" in result.stderr and "nothing to compare" in result.stderr
    validate(json.loads(result.stdout))


def test_identical_articles_are_flagged(tmp_path: Path, pair: list[Path]) -> None:
    twin = _write(tmp_path, "twin.txt", ARTICLE_A)
    result = CliRunner().invoke(cli, ["compare", str(pair[0]), str(twin)])
    assert result.exit_code == 1
    _no_traceback(result.output)
    assert "twin.txt" in result.stderr and "identical" in result.stderr


def test_huge_file_is_refused_with_one_line(tmp_path: Path, pair: list[Path]) -> None:
    big = tmp_path / "huge.txt"
    big.write_text("The bridge reopened on Monday. " * (50 * 1024 * 1024 // 31), encoding="utf-8")
    result = CliRunner().invoke(cli, ["compare", *map(str, pair), str(big), "-q"])
    assert result.exit_code == 1
    _no_traceback(result.output)
    assert any("huge.txt" in line and "too large" in line for line in result.stderr.splitlines())


@pytest.mark.parametrize(
    "args",
    [
        ["compare"],
        ["compare", "x.txt", "--format", "pdf"],
        ["compare", "x.txt", "--outlet", "no-equals-sign"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    _no_traceback(result.output)


def test_schema_command_prints_the_shipped_schema() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert "storyscope" in result.output


@pytest.mark.skipif(not EXAMPLE.exists(), reason="example story not present")
def test_example_story_runs_through_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "story.json"
    result = CliRunner().invoke(cli, ["compare", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    validate(report)
    assert len(report["articles"]) == 5


@pytest.mark.slow
@pytest.mark.parametrize(
    ("files", "kind", "values"),
    [
        (("aster-ledger.txt", "velmora-daily-post.html"), "number", ("40", "52")),
        (("aster-ledger.txt", "northern-tribune.txt"), "date", ("April 30", "May 15")),
    ],
)
def test_two_articles_of_the_example_find_their_planted_conflict(
    files: tuple[str, str], kind: str, values: tuple[str, str]
) -> None:
    """The conflicts of examples/port-aster need no third article to be found."""
    result = CliRunner().invoke(cli, ["compare", *(str(EXAMPLE / f) for f in files), "-q"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    found = [c for c in report["contradictions"] if c["kind"] == kind]
    assert found, report["contradictions"]
    assert all(v in found[0]["explanation"] for v in values), found[0]["explanation"]
