"""Outlet metadata (docs/outlets.md) through the CLI: the outlets file, domain, glob and
folder naming, reprints ("republished by"), coverage by lean and bad files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyscope.cli import cli
from storyscope.outlets import blindspot
from storyscope.report import validate

GAZETTE = """---
outlet: fenwick gazette
title: Bridge reopens after repairs
published: 2026-05-04
url: https://news.fenwickgazette.example/2026/bridge
---
The Halden river bridge reopened on Monday after six weeks of repairs, the regional roads agency said.

The repairs cost $3.2 million, according to agency director Lotte Brandvik.
"""

COURIER = """---
outlet: The Courier
title: Halden bridge open again
published: 2026-05-04
url: https://www.valleycourier.example/bridge
---
The bridge over the Halden river reopened on Monday following six weeks of repair work.

Agency director Lotte Brandvik said the repairs cost $4.5 million.
"""

# the gazette's text again, under another outlet's name: a word-for-word reprint
REPRINT = GAZETTE.replace("outlet: fenwick gazette", "outlet: Lantern Post").replace(
    "url: https://news.fenwickgazette.example/2026/bridge\n", ""
)

OUTLETS_TOML = """
[[outlet]]
name = "Fenwick Gazette"
domains = ["fenwickgazette.example"]
lean = "lean-right"
owner = "Fenwick Media"
kind = "newspaper"
country = "VL"

[[outlet]]
name = "Valley Courier"
domains = ["valleycourier.example"]
lean = "Right"

[[outlet]]
name = "Lantern Post"
lean = "centre"
"""


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("outlets")
    (root / "gazette.txt").write_text(GAZETTE, encoding="utf-8")
    (root / "courier.txt").write_text(COURIER, encoding="utf-8")
    (root / "lantern.txt").write_text(REPRINT, encoding="utf-8")
    (root / "outlets.toml").write_text(OUTLETS_TOML, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def compared(folder: Path) -> dict[str, Any]:
    result = _run(
        "compare",
        str(folder / "gazette.txt"),
        str(folder / "courier.txt"),
        str(folder / "lantern.txt"),
        "--outlets",
        str(folder / "outlets.toml"),
    )
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    report["_stderr"] = result.stderr
    return report


def test_domains_name_the_outlets_and_the_file_gives_their_metadata(
    compared: dict[str, Any],
) -> None:
    validate({k: v for k, v in compared.items() if k != "_stderr"})
    assert compared["schema_version"] == "1.4.0"
    # a subdomain matches its listed domain; the file's name beats the front matter's
    assert compared["outlets"] == ["Fenwick Gazette", "Valley Courier"]
    gazette = compared["outlet_metadata"]["Fenwick Gazette"]
    assert gazette == {
        "domains": ["fenwickgazette.example"],
        "lean": "lean-right",
        "owner": "Fenwick Media",
        "kind": "newspaper",
        "country": "VL",
    }
    assert compared["outlet_metadata"]["Valley Courier"]["lean"] == "right"


def test_a_dropped_identical_copy_is_recorded_as_republished_by(compared: dict[str, Any]) -> None:
    (reprint,) = compared["reprints"]
    assert reprint["outlet"] == "Lantern Post"
    assert reprint["kind"] == "identical"
    assert reprint["original_outlet"] == "Fenwick Gazette"
    by_outlet = {a["outlet"]: a["republished_by"] for a in compared["articles"]}
    assert by_outlet == {"Fenwick Gazette": ["Lantern Post"], "Valley Courier": []}
    assert "republished by Lantern Post" in compared["_stderr"]


def test_coverage_by_lean_counts_reprints_for_their_outlet(compared: dict[str, Any]) -> None:
    coverage = compared["lean_coverage"]
    assert coverage["outlets"]["right"] == ["Valley Courier"]
    assert coverage["outlets"]["lean-right"] == ["Fenwick Gazette"]
    assert coverage["outlets"]["center"] == ["Lantern Post"]
    assert coverage["articles"] == {
        "left": 0,
        "lean-left": 0,
        "center": 1,
        "lean-right": 1,
        "right": 1,
        "unrated": 0,
    }
    assert coverage["blindspot"] == "left"  # two right-leaning outlets, none leaning left


def test_without_a_file_the_report_has_no_ratings(folder: Path) -> None:
    result = _run("compare", str(folder / "gazette.txt"), str(folder / "courier.txt"))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert "outlet_metadata" not in report and "lean_coverage" not in report
    assert report["outlets"] == ["fenwick gazette", "The Courier"]
    assert report["reprints"] == []


def test_html_report_draws_the_coverage_bar(folder: Path) -> None:
    result = _run(
        "compare",
        str(folder / "gazette.txt"),
        str(folder / "courier.txt"),
        "--outlets",
        str(folder / "outlets.toml"),
        "-f",
        "html",
    )
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert 'class="lean-bar"' in page and "<svg" in page
    assert "Coverage by lean" in page and "blindspot" in page.lower()
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")


def test_glob_and_folder_mapping(tmp_path: Path) -> None:
    (tmp_path / "Harbor Times").mkdir()
    (tmp_path / "Harbor Times" / "one.txt").write_text(GAZETTE, encoding="utf-8")
    (tmp_path / "Courier").mkdir()
    (tmp_path / "Courier" / "two.txt").write_text(COURIER, encoding="utf-8")
    folders = _run("compare", str(tmp_path), "--outlet-folders", "-q")
    assert folders.exit_code == 0, folders.output
    assert json.loads(folders.stdout)["outlets"] == ["Courier", "Harbor Times"]
    globbed = _run(
        "compare", str(tmp_path), "--outlet", "*/Harbor Times/*=HT", "--outlet", "two*=VC", "-q"
    )
    assert globbed.exit_code == 0, globbed.output
    assert json.loads(globbed.stdout)["outlets"] == ["HT", "VC"]


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("o.toml", "[[outlet]]\nname = 'A'\ncolour = 'red'\n", "outlet 1: unknown field colour"),
        ("o.toml", "[[outlet]\n", "line 1: invalid TOML"),
        ("o.csv", "name,lean\nA,middle\n", "line 2: lean 'middle' is not one of"),
        ("o.csv", "name,domains\nA,a.example\nB,a.example\n", "domain a.example is listed for 'A'"),
        ("o.csv", "outlet,lean\nA,left\n", "'name' among them"),
        ("o.json", "{}", "must end in .toml or .csv"),
        ("o.csv", "name,domains\nA,localhost\n", "'localhost' is not a domain name"),
    ],
)
def test_a_bad_outlets_file_is_one_line_naming_it(
    tmp_path: Path, folder: Path, name: str, text: str, problem: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = _run("compare", str(folder / "gazette.txt"), "--outlets", str(path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {path}: ") and problem in line, line


def test_the_settings_file_names_the_outlets_file_relative_to_itself(
    tmp_path: Path, folder: Path
) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "outlets.csv").write_text(
        "name,domains,lean\nFenwick Gazette,fenwickgazette.example,left\n", encoding="utf-8"
    )
    config = tmp_path / "conf" / "storyscope.toml"
    config.write_text('[outlets]\nfile = "outlets.csv"\n', encoding="utf-8")
    shown = _run("--config", str(config), "config", "show", "--json")
    assert json.loads(shown.stdout)["outlets.file"] == {
        "value": str(tmp_path / "conf" / "outlets.csv"),
        "source": str(config),
    }
    result = _run(
        "--config", str(config), "compare", str(folder / "gazette.txt"), str(folder / "courier.txt")
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["outlet_metadata"]["Fenwick Gazette"]["lean"] == "left"
    assert report["lean_coverage"]["outlets"]["unrated"] == ["The Courier"]


@pytest.mark.parametrize(
    ("leans", "side"),
    [
        (["right", "lean-right"], "left"),
        (["right", "lean-right", "center", None], "left"),
        (["left", "right", "right", "right", "right"], "left"),  # 1 of 5 leaning either way
        (["left", "right", "right", "right"], None),  # 1 of 4
        (["right"], None),  # one outlet is no pattern
        (["left", "lean-left", "lean-left"], "right"),
        (["center", "center", None], None),
    ],
)
def test_blindspot_rule(leans: list[str | None], side: str | None) -> None:
    assert blindspot(leans) == side


def test_a_stored_near_duplicate_is_republished_by_its_outlet(tmp_path: Path, folder: Path) -> None:
    # a syndicated copy: the gazette's text with a line added, under another outlet
    (tmp_path / "copy.txt").write_text(
        REPRINT + "\nThis story first appeared in the Fenwick Gazette.\n", encoding="utf-8"
    )
    db = str(tmp_path / "s.db")
    outlets = str(folder / "outlets.toml")
    sources = [str(folder / "gazette.txt"), str(folder / "courier.txt"), str(tmp_path / "copy.txt")]
    ingested = _run("ingest", *sources, "--db", db, "--outlets", outlets, "-q")
    assert ingested.exit_code == 0, ingested.output
    result = _run("report", "1", "--db", db, "--outlets", outlets)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    validate(report)
    assert [(r["outlet"], r["kind"], r["original_outlet"]) for r in report["reprints"]] == [
        ("Lantern Post", "near_duplicate", "Fenwick Gazette")
    ]
    assert "Lantern Post" in report["lean_coverage"]["outlets"]["center"]
    assert any("republished by Lantern Post" in w for w in report["warnings"])



def test_an_identical_copy_dropped_at_ingest_is_republished_by_its_outlet(
    tmp_path: Path, folder: Path
) -> None:
    """`ingest` keeps one article per text: the other outlet's word-for-word copy is recorded
    as a reprint, and `report --db`, the export and the story's web page list it."""
    db = str(tmp_path / "s.db")
    outlets = str(folder / "outlets.toml")
    sources = [str(folder / n) for n in ("gazette.txt", "courier.txt", "lantern.txt")]
    ingested = _run("ingest", *sources, "--db", db, "--outlets", outlets)
    assert ingested.exit_code == 0, ingested.output
    assert "1 already stored" in ingested.stderr and "1 reprints recorded" in ingested.stderr
    # a second run of the same sources records nothing twice
    again = _run("ingest", *sources, "--db", db, "--outlets", outlets)
    assert again.exit_code == 0 and "0 reprints recorded" in again.stderr, again.output

    result = _run("report", "1", "--db", db)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    validate(report)
    assert report["stats"]["articles"] == 2  # the copy is left out of the comparison
    (reprint,) = report["reprints"]
    gazette = next(a for a in report["articles"] if a["outlet"] == "Fenwick Gazette")
    assert (reprint["outlet"], reprint["kind"], reprint["source"]) == (
        "Lantern Post", "identical", str(folder / "lantern.txt")
    )
    assert (reprint["original"], reprint["original_outlet"]) == (gazette["id"], "Fenwick Gazette")
    assert gazette["republished_by"] == ["Lantern Post"]
    assert any("republished by Lantern Post" in w for w in report["warnings"])
    # the outlets file counts the reprint for the outlet that republished it
    leaned = json.loads(_run("report", "1", "--db", db, "--outlets", outlets).stdout)
    assert leaned["lean_coverage"]["outlets"]["center"] == ["Lantern Post"]
    html = _run("report", "1", "--db", db, "-f", "html")
    assert html.exit_code == 0, html.output
    assert '<p class="republished">Republished by Lantern Post (left out' in html.stdout
    markdown = _run("report", "1", "--db", db, "-f", "markdown")
    assert markdown.exit_code == 0 and "- Republished by Lantern Post: " in markdown.stdout

    exported = _run("export", "--db", db, "-o", str(tmp_path / "tables"), "--outlets", outlets, "-q")
    assert exported.exit_code == 0, exported.output
    rows = (tmp_path / "tables" / "reprints.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 2 and "Lantern Post" in rows[1] and "identical" in rows[1]

    from fastapi.testclient import TestClient

    from storyscope.store import Store
    from storyscope.web import create_app
    from storyscope.web._store_source import StoreSource

    with Store.open(db) as store, TestClient(create_app(StoreSource(store))) as client:
        page = client.get("/stories/1")
        assert page.status_code == 200, page.text[:300]
        assert 'class="republished">Republished by' in page.text
        assert "Lantern Post</a> (left out of the comparison)" in page.text
        api = client.get("/api/stories/1").json()["report"]
        assert [r["outlet"] for r in api["reprints"]] == ["Lantern Post"]


def test_a_copy_ingested_after_its_story_was_reported_joins_the_report(
    tmp_path: Path, folder: Path
) -> None:
    """The cached report of a story that gains a reprint is made again."""
    db = str(tmp_path / "s.db")
    first = [str(folder / "gazette.txt"), str(folder / "courier.txt")]
    assert _run("ingest", *first, "--db", db, "--analyze", "-q").exit_code == 0
    before = json.loads(_run("report", "1", "--db", db).stdout)
    assert before["reprints"] == []
    assert _run("ingest", str(folder / "lantern.txt"), "--db", db, "-q").exit_code == 0
    after = json.loads(_run("report", "1", "--db", db).stdout)
    assert [(r["outlet"], r["kind"]) for r in after["reprints"]] == [("Lantern Post", "identical")]


def test_a_second_copy_from_the_same_outlet_is_no_reprint(tmp_path: Path, folder: Path) -> None:
    db = str(tmp_path / "s.db")
    (tmp_path / "gazette-again.txt").write_text(GAZETTE, encoding="utf-8")
    sources = [str(folder / "gazette.txt"), str(folder / "courier.txt"), str(tmp_path / "gazette-again.txt")]
    ingested = _run("ingest", *sources, "--db", db)
    assert ingested.exit_code == 0 and "0 reprints recorded" in ingested.stderr, ingested.output
    report = json.loads(_run("report", "1", "--db", db).stdout)
    assert report["reprints"] == [] and report["stats"]["articles"] == 2


def test_a_store_ingested_before_the_file_matches_names_in_another_case(
    tmp_path: Path, folder: Path
) -> None:
    db = str(tmp_path / "s.db")
    sources = [str(folder / "gazette.txt"), str(folder / "courier.txt")]
    assert _run("ingest", *sources, "--db", db, "-q").exit_code == 0
    names = tmp_path / "names.csv"
    names.write_text("name,lean\nFENWICK GAZETTE,left\n", encoding="utf-8")
    result = _run("report", "1", "--db", db, "--outlets", str(names))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["outlets"] == ["fenwick gazette", "The Courier"]  # stored names are kept
    assert report["lean_coverage"]["outlets"]["left"] == ["fenwick gazette"]
    assert report["outlet_metadata"]["fenwick gazette"]["lean"] == "left"


def test_stories_lists_leans_and_filters_blindspots(tmp_path: Path, folder: Path) -> None:
    db = str(tmp_path / "s.db")
    outlets = str(folder / "outlets.toml")
    sources = [str(folder / "gazette.txt"), str(folder / "courier.txt")]
    assert _run("ingest", *sources, "--db", db, "--outlets", outlets, "-q").exit_code == 0
    listed = _run("stories", "--db", db, "-f", "json", "--outlets", outlets)
    assert listed.exit_code == 0, listed.output
    (story,) = json.loads(listed.stdout)["stories"]
    # two outlets leaning right, none left: the left barely covers it
    assert story["leans"] == {"Fenwick Gazette": "lean-right", "Valley Courier": "right"}
    assert story["blindspot"] == "left"
    for side, count in (("left", 1), ("any", 1), ("right", 0)):
        got = _run("stories", "--db", db, "-f", "json", "--outlets", outlets, "--blindspot", side)
        assert got.exit_code == 0, got.output
        assert len(json.loads(got.stdout)["stories"]) == count, side
    table = _run("stories", "--db", db, "--outlets", outlets)
    assert table.exit_code == 0
    assert "blindspot" in table.stdout and "left" in table.stdout.split("blindspot", 1)[1]
    # without a file there are no leans, and the filter is a usage error
    plain = json.loads(_run("stories", "--db", db, "-f", "json").stdout)["stories"][0]
    assert "leans" not in plain and "blindspot" not in plain
    refused = _run("stories", "--db", db, "--blindspot", "left")
    assert refused.exit_code == 2 and "--blindspot needs an outlets file" in refused.output
