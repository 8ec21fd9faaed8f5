"""`storyscope export` and Story.to_frames through the path a user takes, and -o suffix checks.

The example story is ingested (and analysed) into a SQLite store once per module
through the CLI; every export test reads that store.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyscope.cli import cli
from storyscope.export import TABLES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "port-aster"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "store.db"
    result = CliRunner().invoke(cli, ["ingest", str(EXAMPLE), "--db", str(path), "--analyze", "-q"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def story_id(store_path: Path) -> int:
    result = CliRunner().invoke(cli, ["stories", "--db", str(store_path), "-f", "json"])
    assert result.exit_code == 0, result.output
    stories = json.loads(result.stdout)["stories"]
    assert len(stories) == 1 and stories[0]["article_count"] == 5, stories
    return int(stories[0]["id"])


@pytest.fixture(scope="module")
def report(store_path: Path, story_id: int) -> dict[str, Any]:
    """The JSON report `storyscope report ID --db` prints."""
    result = CliRunner().invoke(cli, ["report", str(story_id), "--db", str(store_path)])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def expected_counts(report: dict[str, Any]) -> dict[str, int]:
    """Rows each table must have, read off the JSON report."""
    stats = report["stats"]
    return {
        "articles": stats["articles"],
        "reprints": len(report["reprints"]),
        "claims": sum(len(a["claims"]) for a in report["articles"]),
        "facts": stats["facts"],
        "fact_citations": sum(len(f["support"]) for f in report["facts"]),
        "contradictions": stats["contradictions"],
        "contradiction_citations": 2 * stats["contradictions"],
        "quotes": stats["quotes"],
        "quote_variants": stats["quote_variants"],
        "quote_variant_citations": sum(len(v["members"]) for v in report["quote_variants"]),
        "omissions": stats["omissions"],
        "labels": sum(len(lb["variants"]) for lb in report["framing"]["labels"]),
        "summary": stats["summary_sentences"],
        "summary_citations": sum(len(s["citations"]) for s in report["summary"]),
    }


def _export(store_path: Path, out: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["export", "--db", str(store_path), "-o", str(out), *args])


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def csv_tables(
    store_path: Path, story_id: int, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[list[str], list[dict[str, str]]]]:
    out = tmp_path_factory.mktemp("csv") / "tables"  # created by the export
    result = _export(store_path, out, "--format", "csv", "--story", str(story_id))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}: 1 story as csv" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}.csv" for name in TABLES)
    return {name: _read_csv(out / f"{name}.csv") for name in TABLES}


def test_csv_round_trips_the_report(
    csv_tables: dict[str, tuple[list[str], list[dict[str, str]]]], report: dict[str, Any]
) -> None:
    counts = {name: len(rows) for name, (_, rows) in csv_tables.items()}
    assert counts == expected_counts(report)
    assert counts["facts"] > 0 and counts["contradictions"] > 0 and counts["quotes"] > 0


def test_csv_columns_are_the_documented_ones_in_order(
    csv_tables: dict[str, tuple[list[str], list[dict[str, str]]]],
) -> None:
    for name, (header, _) in csv_tables.items():
        assert header == [column for column, _ in TABLES[name]], name


def test_csv_citations_can_be_checked_against_the_article_text(
    csv_tables: dict[str, tuple[list[str], list[dict[str, str]]]],
    report: dict[str, Any],
    story_id: int,
) -> None:
    texts = {row["article_id"]: row["text"] for row in csv_tables["articles"][1]}
    assert texts == {a["id"]: a["text"] for a in report["articles"]}
    checked = 0
    for name in (
        "fact_citations",
        "contradiction_citations",
        "summary_citations",
        "quotes",
        "claims",
    ):
        for row in csv_tables[name][1]:
            assert row["story_id"] == str(story_id)
            start, end = int(row["start"]), int(row["end"])
            assert texts[row["article_id"]][start:end] == row["text"], (name, row)
            checked += 1
    assert checked > 100
    facts = [row["fact_id"] for row in csv_tables["facts"][1]]
    assert facts == [f["id"] for f in report["facts"]]
    assert json.loads(csv_tables["facts"][1][0]["outlets"]) == report["facts"][0]["outlets"]


def test_parquet_round_trips_the_report(
    store_path: Path, story_id: int, report: dict[str, Any], tmp_path: Path
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    result = _export(store_path, tmp_path, "-f", "parquet")  # every story: the one there is
    assert result.exit_code == 0, result.output
    tables = {name: pq.read_table(tmp_path / f"{name}.parquet") for name in TABLES}
    assert {name: t.num_rows for name, t in tables.items()} == expected_counts(report)
    for name, table in tables.items():
        assert table.column_names == [column for column, _ in TABLES[name]], name
    quotes = tables["quotes"]
    assert str(quotes.schema.field("start").type) == "int64"
    assert str(quotes.schema.field("anonymous").type) == "bool"
    assert set(tables["facts"].column("story_id").to_pylist()) == {story_id}
    first = report["quotes"][0]
    assert quotes.slice(0, 1).to_pylist()[0]["text"] == first["text"]


def test_to_frames_on_the_stored_story_matches_the_export(
    store_path: Path,
    story_id: int,
    csv_tables: dict[str, tuple[list[str], list[dict[str, str]]]],
) -> None:
    """The library's frames and the CLI's files are the same rows (one builder behind both)."""
    pytest.importorskip("pandas")
    from storyscope.corpus import story_report
    from storyscope.store import Store

    with Store.open(str(store_path)) as store:
        story, _ = story_report(store, story_id)
    frames = story.to_frames(story_id=story_id)
    assert list(frames) == list(TABLES)
    for name, (header, rows) in csv_tables.items():
        frame = frames[name]
        assert list(frame.columns) == header, name
        assert len(frame) == len(rows), name
    assert frames["facts"]["fact_id"].tolist() == [r["fact_id"] for r in csv_tables["facts"][1]]
    assert frames["quotes"]["text"].tolist() == [r["text"] for r in csv_tables["quotes"][1]]
    assert "storyscope story" in story._repr_html_()


OUTLETS_TOML = """
[[outlet]]
name = "The Aster Ledger"
domains = ["asterledger.example"]
lean = "center"
owner = "Ledger Media Group"
kind = "newspaper"
country = "VL"

[[outlet]]
name = "Coastline Wire"
lean = "lean-left"
kind = "wire"
"""

LISTED = {
    "The Aster Ledger": ("center", "Ledger Media Group", "newspaper", "VL"),
    "Coastline Wire": ("lean-left", None, "wire", None),
}


def test_export_with_an_outlets_file_carries_each_articles_outlet_metadata(
    store_path: Path, story_id: int, report: dict[str, Any], tmp_path: Path
) -> None:
    outlets = tmp_path / "outlets.toml"
    outlets.write_text(OUTLETS_TOML, encoding="utf-8")
    result = _export(store_path, tmp_path / "csv", "--outlets", str(outlets), "-q")
    assert result.exit_code == 0, result.output
    header, rows = _read_csv(tmp_path / "csv" / "articles.csv")
    assert header[:7] == ["story_id", "article_id", "outlet", "lean", "owner", "kind", "country"]
    assert len(rows) == report["stats"]["articles"]  # the metadata adds columns, never rows
    got = {r["outlet"]: (r["lean"], r["owner"], r["kind"], r["country"]) for r in rows}
    for outlet, values in got.items():
        expected = LISTED.get(outlet, (None, None, None, None))
        assert values == tuple(v or "" for v in expected), outlet  # unlisted: empty cells
    assert set(LISTED) <= set(got)

    pq = pytest.importorskip("pyarrow.parquet")
    result = _export(store_path, tmp_path / "pq", "-f", "parquet", "--outlets", str(outlets), "-q")
    assert result.exit_code == 0, result.output
    table = pq.read_table(tmp_path / "pq" / "articles.parquet").to_pylist()
    leans = {r["outlet"]: r["lean"] for r in table}
    assert leans == {o: LISTED.get(o, (None,))[0] for o in got}  # nulls kept, not ""


def test_export_without_an_outlets_file_says_nothing_about_lean(
    csv_tables: dict[str, tuple[list[str], list[dict[str, str]]]],
) -> None:
    _, rows = csv_tables["articles"]
    assert {(r["lean"], r["owner"], r["kind"], r["country"]) for r in rows} == {("", "", "", "")}


def test_to_frames_of_a_story_compared_with_an_outlets_file_has_the_metadata(
    tmp_path: Path,
) -> None:
    pytest.importorskip("pandas")
    from storyscope import compare
    from storyscope.outlets import OutletNaming, load_outlets

    outlets = tmp_path / "outlets.toml"
    outlets.write_text(OUTLETS_TOML, encoding="utf-8")
    story = compare([str(EXAMPLE)], outlets=OutletNaming(directory=load_outlets(outlets)))
    articles = story.to_frames()["articles"]
    by_outlet = articles.set_index("outlet")
    assert by_outlet.loc["The Aster Ledger", "owner"] == "Ledger Media Group"
    assert by_outlet.loc["Coastline Wire", "lean"] == "lean-left"
    assert articles["lean"].isna().sum() == len(articles) - len(LISTED)
    assert articles.groupby("lean").size().to_dict() == {"center": 1, "lean-left": 1}


def test_export_of_an_unknown_story_is_one_line_and_writes_nothing(
    store_path: Path, story_id: int, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = _export(store_path, out, "--story", str(story_id), "--story", "999")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.strip() == f"Error: {store_path}: no story 999"
    assert not any(out.glob("*.csv"))


def test_export_from_a_missing_store_is_one_line(tmp_path: Path) -> None:
    result = _export(tmp_path / "nope.db", tmp_path / "out")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no store there" in result.stderr
    assert not (tmp_path / "out").exists()


def test_export_from_a_file_that_is_not_a_store_is_one_line(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("not a database\n" * 100, encoding="utf-8")
    result = _export(bogus, tmp_path / "out")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_export_into_an_unwritable_folder_is_one_line(store_path: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = _export(store_path, blocker / "tables")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.startswith(f"Error: {blocker / 'tables'}: cannot create the export folder")
    assert len(result.stderr.strip().splitlines()) == 1


def test_parquet_without_pyarrow_names_the_extra(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    result = _export(store_path, tmp_path / "out", "-f", "parquet")
    assert result.exit_code == 1
    assert "pip install 'storyscope[parquet]'" in result.stderr
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------------------
# -o with an unknown suffix is a usage error (compare and report)
# --------------------------------------------------------------------------------------


def test_compare_with_an_unknown_output_suffix_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(cli, ["compare", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "unknown report suffix '.pdf'" in result.stderr
    for suffix in (".json", ".md", ".markdown", ".html", ".htm"):
        assert suffix in result.stderr
    assert not out.exists()


def test_report_with_an_unknown_output_suffix_is_a_usage_error(
    store_path: Path, story_id: int, tmp_path: Path
) -> None:
    out = tmp_path / "report.PDF"
    result = CliRunner().invoke(
        cli, ["report", str(story_id), "--db", str(store_path), "-o", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert "unknown report suffix '.PDF'" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "start"),
    [("r.JSON", "{"), ("r.htm", "<!"), ("r.markdown", "#"), ("r.txt", "{"), ("noext", "{")],
)
def test_report_suffixes_that_still_work(
    store_path: Path, story_id: int, tmp_path: Path, name: str, start: str
) -> None:
    """Known suffixes pick the format; --format overrides an unknown one; no suffix is JSON."""
    extra = ["-f", "json"] if name == "r.txt" else []
    out = tmp_path / name
    result = CliRunner().invoke(
        cli, ["report", str(story_id), "--db", str(store_path), "-o", str(out), *extra]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").lstrip().startswith(start)


def test_report_to_dash_is_unchanged(
    store_path: Path, story_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-o -` keeps what it did before: a JSON file named '-' (no suffix, so JSON)."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["report", str(story_id), "--db", str(store_path), "-o", "-"])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "-").read_text(encoding="utf-8"))["stats"]["articles"] == 5


# --------------------------------------------------------------------------------------
# The README's notebook example runs as written
# --------------------------------------------------------------------------------------


def _readme_block(heading: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_notebook_example_runs_and_shows_the_story(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("pandas")
    code = _readme_block("Export and notebooks")
    assert len(code.strip().splitlines()) <= 12  # the ten-line notebook example
    monkeypatch.chdir(ROOT)  # its paths are the checkout's
    scope: dict[str, Any] = {}
    exec(compile(code, "README.md", "exec"), scope)
    story, frames = scope["story"], scope["frames"]
    assert list(frames) == list(TABLES)
    assert len(frames["contradiction_citations"]) == 2 * len(story.contradictions) > 0
    assert "storyscope story" in story._repr_html_()
