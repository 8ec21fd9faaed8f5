"""A killed run's empty stories are removed by the next ingest's consolidation (through the CLI).

Two ways a killed ``ingest`` leaves a story with no articles: it committed a new story row
and died before assigning its articles (``create_story`` and ``assign_many`` are separate
transactions), or it assigned a batch and died before saving the clustering state, so the
resumed run places those articles again, in new stories, and the old ones are left empty.
"""

from __future__ import annotations

import json
from pathlib import Path

from _corpus_articles import ALL, write_jsonl
from click.testing import CliRunner

from storyscope.cli import cli
from storyscope.corpus import STATE_KEY, STATE_KIND, STATE_VERSION
from storyscope.store import Store


def _run(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    output = result.stdout + result.stderr
    assert result.exit_code == 0, output
    assert "Traceback" not in output, output
    return result.stdout


def _story_rows(db: Path) -> list[tuple[int, int]]:
    with Store.open(db) as store:
        return sorted((s.id, s.article_count) for s in store.list_stories())


def test_the_next_ingest_removes_the_empty_stories_a_killed_run_left(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    bridge = write_jsonl(tmp_path / "bridge.jsonl", ALL[:3])
    strike = write_jsonl(tmp_path / "strike.jsonl", ALL[3:])
    _run("ingest", bridge, "--db", db)
    with Store.open(db) as store:
        before = store.cache_get(STATE_KIND, STATE_KEY, version=STATE_VERSION)
    _run("ingest", strike, "--db", db)
    assert [n for _, n in _story_rows(db)] == [3, 2]  # one story per event
    with Store.open(db) as store:
        # killed after assigning the strike batch, before the state was saved ...
        store.cache_put(STATE_KIND, STATE_KEY, before, version=STATE_VERSION)
        # ... and after committing a story row, before assigning its articles
        orphan = store.create_story("Halden river bridge reopens after six weeks of repairs")

    _run("ingest", strike, "--db", db)  # the next run: already stored, re-placed, consolidated

    rows = _story_rows(db)
    assert all(n > 0 for _, n in rows), rows
    assert orphan not in {sid for sid, _ in rows}
    listed = json.loads(_run("stories", "--db", db, "-f", "json"))["stories"]
    assert sorted(len(s["articles"]) for s in listed) == sorted(n for _, n in rows)
    assert len(rows) == 2  # one story per event, as before the kill
    with Store.open(db) as store:
        assert all(store.article_info(a.id).story_id is not None for a in store.iter_articles())  # type: ignore[union-attr]
