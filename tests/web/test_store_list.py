"""The story list of a store: counts from cached reports, in a few queries whatever its size.

Before: two or three connections per story on every list request (5 s at 2,000 stories).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).parent))

from _store_app import CountingPipeline, fill_store  # noqa: E402

from storyscope.corpus import cached_report, story_report  # noqa: E402
from storyscope.store import Store  # noqa: E402
from storyscope.web._store_source import StoreSource  # noqa: E402


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("list") / "s.db"
    ids = fill_store(path, stories=24)
    with Store.open(path) as store:
        for sid in ids[::4]:  # an earlier run reported every fourth story
            story_report(store, sid, pipeline=CountingPipeline())
    return path


def _connections(store: Store) -> list[int]:
    opened: list[int] = []
    event.listen(store._engine, "connect", lambda *_: opened.append(1))  # noqa: SLF001
    return opened


@pytest.mark.parametrize("sort", ["recent", "size", "conflicts"])
def test_list_counts_come_from_cached_reports_in_a_few_queries(store_path: Path, sort: str) -> None:
    with Store.open(store_path) as store:
        source = StoreSource(store)
        opened = _connections(store)
        page = source.list_stories(sort=sort, limit=100)
        assert page.total == 24 and len(opened) <= 6, len(opened)
        for row in page.stories:
            report = cached_report(store, int(row.id))
            if report is None:
                assert row.fact_count is row.contradiction_count is row.consensus_count is None
            else:
                stats = report["stats"]
                assert row.fact_count == stats["facts"]
                assert row.contradiction_count == stats["contradictions"]
                assert row.consensus_count == stats["facts_by_status"].get("consensus", 0)
        assert sum(r.fact_count is not None for r in page.stories) == 6
        opened.clear()
        again = source.list_stories(sort=sort, limit=5, offset=5)
        assert len(again.stories) == 5 and len(opened) <= 6


def test_a_story_analysed_in_memory_gives_its_own_counts(store_path: Path) -> None:
    with Store.open(store_path) as store:
        source = StoreSource(store, pipeline=CountingPipeline())
        story = source.get_story("2")
        assert story is not None
        row = next(r for r in source.list_stories(limit=100).stories if r.id == "2")
        assert (row.fact_count, row.contradiction_count) == (
            len(story.facts),
            len(story.contradictions),
        )
