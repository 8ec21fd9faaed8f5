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


def test_a_report_puts_its_counts_in_the_summary_row(tmp_path: Path) -> None:
    """story_report keeps the list's counts in the story's summary row: after a restart the
    list answers them from that row alone, without reading any cached report."""
    from storyscope.model import Article
    from storyscope.settings import default_settings

    path = tmp_path / "s.db"
    (sid,) = fill_store(path)
    digest = default_settings().digest
    with Store.open(path) as store:
        assert store.story_summaries(digest=digest).stories[0].fact_count is None
        _, report = story_report(store, sid, pipeline=CountingPipeline())
        (row,) = store.story_summaries(digest=digest).stories
        stats = report["stats"]
        assert (row.fact_count, row.contradiction_count, row.consensus_count) == (
            stats["facts"],
            stats["contradictions"],
            stats["facts_by_status"].get("consensus", 0),
        )
    with Store.open(path) as store:
        source = StoreSource(store)
        reads: list[str] = []
        event.listen(
            store._engine,  # noqa: SLF001
            "before_cursor_execute",
            lambda _c, _cur, statement, params, *_: reads.append(f"{statement} {params}"),
        )
        (listed,) = source.list_stories().stories
        assert listed.fact_count == stats["facts"]
        # no report decoded: the one cache read is the page's recorded reprints
        cached = [s for s in reads if "FROM cache" in s]
        assert len(cached) == 1 and "'reprints'" in cached[0] and "'report'" not in cached[0], reads
        # a new member: the counts are unknown until the story is reported again
        extra = Article.create(text="A late report on the ferries.", source="late", outlet="Late")
        store.add_article(extra)
        store.assign(extra.id, sid)
        source.list_ttl_s = 0
        (changed,) = source.list_stories().stories
        assert changed.article_count == 5 and changed.fact_count is None


def test_list_filters_keep_their_date_semantics(tmp_path: Path) -> None:
    import datetime as dt

    path = tmp_path / "s.db"
    fill_store(path, stories=2)  # articles published 2031-09-07 08:00..08:03 UTC
    with Store.open(path) as store:
        source = StoreSource(store)
        day = dt.date(2031, 9, 7)
        for date_from, date_to, total in (
            (day, None, 2),
            (day + dt.timedelta(days=1), None, 0),
            (None, day, 2),
            (None, day - dt.timedelta(days=1), 0),
            (day, day, 2),
            (dt.date.min, dt.date.max, 2),
        ):
            page = source.list_stories(date_from=date_from, date_to=date_to)
            assert page.total == total, (date_from, date_to)
        assert source.list_stories(outlet="a/b").total == 2
        assert source.list_stories(outlet="nobody").total == 0
        assert source.list_stories(query="ferries").total == 2
        assert source.list_stories(query="zzzunknownword").total == 0
        assert source.outlets() == sorted(
            ["Saltmere Daily", "a/b", "..", "100% News?#"], key=lambda n: (n.casefold(), n)
        )


def test_a_list_page_is_kept_a_moment_and_dropped_when_a_story_is_analysed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.db"
    fill_store(path, stories=2)
    with Store.open(path) as store:
        source = StoreSource(store, pipeline=CountingPipeline())
        opened = _connections(store)
        first = source.list_stories()
        reads = len(opened)
        assert source.list_stories() is first and len(opened) == reads  # kept: no read
        assert all(r.fact_count is None for r in first.stories)
        story = source.get_story("1")
        assert story is not None
        row = next(r for r in source.list_stories().stories if r.id == "1")
        assert row.fact_count == len(story.facts)  # the analysis dropped the kept pages
        source.list_ttl_s = 0
        assert source.list_stories() is not source.list_stories()


def test_api_rows_have_every_field_of_a_list_row() -> None:
    import dataclasses
    import datetime as dt

    from storyscope.web._source import StoryInfo
    from storyscope.web.rest import info_dict

    info = StoryInfo(
        id="7",
        title="T",
        article_count=2,
        outlets=("A", "B"),
        first_published=dt.datetime(2031, 1, 1, tzinfo=dt.UTC),
        fact_count=3,
        republished_by=("C",),
    )
    row = info_dict(info)
    expected = dataclasses.asdict(info)
    expected.update(
        outlets=["A", "B"],
        first_published="2031-01-01T00:00:00+00:00",
        republished_by=["C"],
        url="/api/stories/7",
    )
    assert row == expected and list(row) == list(expected)
