"""Corpus mode end to end through the CLI: ingest, stories, report; idempotence, duplicates, failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _corpus_articles import ALL, write_jsonl
from click.testing import CliRunner

from storyscope.cli import cli
from storyscope.report import validate
from storyscope.store import Store

pytestmark = pytest.mark.slow


def _run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    feed = write_jsonl(folder / "feed.jsonl", extra_lines=("{not json",))
    path = folder / "store.db"
    code, _, err = _run("ingest", feed, "--db", path)
    assert code == 1, err  # the broken line is a recorded failure
    assert "feed.jsonl:6" in err
    assert "5 articles read, 5 new" in err
    assert "1 near-duplicates linked" in err
    return path


def _stories(db: Path) -> list[dict[str, object]]:
    code, out, err = _run("stories", "--db", db, "-f", "json")
    assert code == 0, err
    return json.loads(out)["stories"]  # type: ignore[no-any-return]


def test_stories_group_the_two_events_and_link_the_reprint(db: Path) -> None:
    stories = _stories(db)
    by_title = {
        frozenset(a["title"] for a in s["articles"]): s for s in stories  # type: ignore[index, union-attr]
    }
    bridge = {r["title"] for r in ALL[:3]}
    strike = {r["title"] for r in ALL[3:]}
    assert frozenset(bridge) in by_title and frozenset(strike) in by_title, by_title.keys()
    story = by_title[frozenset(bridge)]
    assert story["duplicate_count"] == 1
    copies = {a["title"]: a["duplicate_of"] for a in story["articles"]}  # type: ignore[union-attr]
    wire_id = next(a["id"] for a in story["articles"] if a["outlet"] == "Lakeside Wire")  # type: ignore[union-attr]
    assert copies["Bridge to Fenwick open again"] == wire_id
    assert story["outlets"] == ["Lakeside Wire", "Osterby Herald", "Valley Courier"]


def test_reingesting_is_idempotent(db: Path, tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "again.jsonl")
    code, _, err = _run("ingest", feed, "--db", db)
    assert code == 0, err
    assert "0 new, 5 already stored" in err
    assert len(_stories(db)) == 2


def test_failures_are_kept_in_the_store(db: Path) -> None:
    with Store.open(db) as store:
        failures = store.failures()
    assert any("feed.jsonl:6" in f.source and "invalid JSON" in f.error for f in failures)


def test_table_format_lists_each_story(db: Path) -> None:
    code, out, _ = _run("stories", "--db", db)
    assert code == 0
    assert "2 stories" in out and "Lakeside Wire" in out


def test_report_of_a_stored_story_leaves_out_the_reprint(db: Path, tmp_path: Path) -> None:
    story = next(s for s in _stories(db) if s["duplicate_count"] == 1)
    out_file = tmp_path / "bridge.json"
    code, _, err = _run("report", story["id"], "--db", db, "-o", out_file)
    assert code == 0, err
    report = json.loads(out_file.read_text(encoding="utf-8"))
    validate(report)
    assert {a["outlet"] for a in report["articles"]} == {"Lakeside Wire", "Valley Courier"}
    assert any("near-duplicate" in w for w in report["warnings"])
    # the two outlets disagree on the cost: $3.2 million vs $4.5 million
    assert any(c["kind"] == "number" for c in report["contradictions"])
    from storyscope.corpus import cached_report

    with Store.open(db) as store:
        cached = cached_report(store, story["id"])
    assert cached == report


def test_unknown_story_and_missing_store_are_one_line_errors(db: Path, tmp_path: Path) -> None:
    code, _, err = _run("report", "999", "--db", db)
    assert code == 1 and "no story 999" in err
    code, _, err = _run("stories", "--db", tmp_path / "nope.db")
    assert code == 1 and "no store there" in err
    assert not (tmp_path / "nope.db").exists()


def test_ingest_analyze_caches_every_story_for_reports_and_counts(tmp_path: Path) -> None:
    from storyscope.corpus import cached_report
    from storyscope.web._store_source import StoreSource

    feed = write_jsonl(tmp_path / "feed.jsonl")
    path = tmp_path / "analysed.db"
    code, _, err = _run("ingest", feed, "--db", path, "--analyze")
    assert code == 0, err
    assert "Analysed and reported 2 stories (0 failures)." in err
    with Store.open(path) as store:
        stories = [s for s in store.list_stories() if s.article_count]
        assert stories and all(cached_report(store, s.id) is not None for s in stories)
        listed = StoreSource(store).list_stories().stories
        assert all(info.fact_count is not None for info in listed)
    again, _, err = _run("ingest", feed, "--db", path, "--analyze")
    assert again == 0 and "Analysed and reported 0 stories" in err
