"""Story summary rows (the story list): kept equal to the figures computed from the articles,
ordered and filtered in the database, report counts only for the members they were made for."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path

import sqlalchemy as sa

from storyscope.model import Article
from storyscope.store import Store, StoryCounts, StorySummary, _engine

_BASE = dt.datetime(2031, 5, 1, 12, 0, tzinfo=dt.UTC)


def _article(n: int, outlet: str, minutes: int | None) -> Article:
    return Article.create(
        text=f"Report {n}: the council of Arnsby voted on the footbridge, {n} members said.",
        source=f"t/{n}.txt",
        outlet=outlet,
        title=f"Report {n}",
        published=_BASE + dt.timedelta(minutes=minutes) if minutes is not None else None,
    )


def _summaries(store: Store, **options: object) -> list[StorySummary]:
    return list(store.story_summaries(limit=10_000, **options).stories)  # type: ignore[arg-type]


def _assert_current(store: Store) -> None:
    """Every story's summary equals what the store computes from its articles."""
    by_id = {s.id: s for s in _summaries(store)}
    listed = [s for s in store.list_stories() if s.article_count > 0]
    assert sorted(by_id) == sorted(s.id for s in listed)
    for stored in listed:
        summary = by_id[stored.id]
        assert (summary.title, summary.article_count, summary.duplicate_count) == (
            stored.title,
            stored.article_count,
            stored.duplicate_count,
        )
        assert summary.outlets == stored.outlets
        assert (summary.first_published, summary.last_published) == (
            stored.first_published,
            stored.last_published,
        )
        assert summary.version == store.story_version(stored.id)


def test_summaries_follow_every_change_of_membership(store_url: str) -> None:
    a = [_article(n, f"Outlet {n % 3}", n if n != 4 else None) for n in range(8)]
    with Store.open(store_url) as store:
        store.add_articles(a)
        one = store.create_story("Footbridge vote", [a[0].id, a[1].id, a[2].id])
        two = store.create_story(None, [a[3].id, a[4].id])
        empty = store.create_story("Nothing yet")
        _assert_current(store)
        assert empty not in {s.id for s in _summaries(store)}
        assert store.story_summaries().total == 2  # the empty story is not counted
        store.assign_many({a[5].id: two, a[6].id: empty})
        _assert_current(store)
        store.mark_duplicate(a[1].id, a[0].id)
        _assert_current(store)
        store.assign(a[2].id, None)
        _assert_current(store)
        store.set_story_title(two, "Renamed")
        _assert_current(store)
        store.merge_stories(one, empty)
        _assert_current(store)
        store.delete_story(two)
        _assert_current(store)
        (only,) = _summaries(store)
        assert only.id == one and only.article_count == 3 and only.duplicate_count == 1


def test_counts_are_kept_for_the_members_and_digest_they_were_made_for(store_url: str) -> None:
    a = [_article(n, "Outlet", n) for n in range(3)]
    with Store.open(store_url) as store:
        store.add_articles(a)
        sid = store.create_story("Vote", [a[0].id, a[1].id])
        version = store.story_version(sid)
        counts = StoryCounts(story_id=sid, members=version, digest="d1", facts=5, contradictions=2, consensus=1)
        assert store.set_story_counts([counts]) == 1
        (row,) = _summaries(store, digest="d1")
        assert (row.fact_count, row.contradiction_count, row.consensus_count) == (5, 2, 1)
        (other,) = _summaries(store, digest="d2")  # other settings: not these counts
        assert other.fact_count is other.contradiction_count is None
        store.assign(a[2].id, sid)  # new members: the counts are of another story now
        (changed,) = _summaries(store, digest="d1")
        assert changed.fact_count is changed.contradiction_count is changed.consensus_count is None
        # a report that finishes after the change is left out
        assert store.set_story_counts([counts]) == 0
        assert _summaries(store, digest="d1")[0].fact_count is None
        fresh = StoryCounts(
            story_id=sid, members=store.story_version(sid), digest="d1", facts=7, contradictions=0
        )
        assert store.set_story_counts([fresh]) == 1
        assert _summaries(store, digest="d1")[0].fact_count == 7


def _python_order(rows: list[StorySummary], order: str) -> list[int]:
    """The story list's order as web._source.page_of sorts it (ties: title folded, then id)."""
    rows = sorted(rows, key=lambda r: ((r.title or f"Story {r.id}").casefold(), r.id))
    if order == "size":
        rows.sort(key=lambda r: r.article_count, reverse=True)
    elif order == "conflicts":
        rows.sort(key=lambda r: r.contradiction_count or 0, reverse=True)
    else:
        floor = dt.datetime.min.replace(tzinfo=dt.UTC)
        rows.sort(key=lambda r: r.last_published or floor, reverse=True)
    return [r.id for r in rows]


def test_order_filters_and_pages_match_the_python_sort(store_url: str) -> None:
    titles = ["apple", "Banana", "Émile", "zebra", None, "ÉMILE", "Ärger", "apple", "eagle", None]
    with Store.open(store_url) as store:
        n = 0
        ids = []
        for k, title in enumerate(titles):
            size = 1 + k % 3
            members = []
            for j in range(size):
                minutes = None if k == 4 else (k // 2) * 10 + (j if k % 2 else 0)  # ties in pairs
                members.append(_article(n, f"Outlet {(k + j) % 4}", minutes))
                n += 1
            store.add_articles(members)
            sid = store.create_story(title, [m.id for m in members])
            ids.append(sid)
            store.set_story_counts(
                [StoryCounts(story_id=sid, members=store.story_version(sid), digest="d", contradictions=k % 3)]
            )
        everything = _summaries(store, digest="d")
        for order in ("recent", "size", "conflicts"):
            expected = _python_order(everything, order)
            got = [s.id for s in _summaries(store, order=order, digest="d")]
            assert got == expected, order
            page = store.story_summaries(order=order, digest="d", limit=3, offset=4)
            assert [s.id for s in page.stories] == expected[4:7] and page.total == len(titles)
        by_outlet = _summaries(store, outlet="Outlet 1")
        assert {s.id for s in by_outlet} == {s.id for s in everything if "Outlet 1" in s.outlets}
        since = _BASE + dt.timedelta(minutes=20)
        assert {s.id for s in _summaries(store, published_since=since)} == {
            s.id for s in everything if s.last_published is not None and s.last_published >= since
        }
        assert {s.id for s in _summaries(store, published_before=since)} == {
            s.id for s in everything if s.first_published is not None and s.first_published < since
        }
        assert [s.id for s in _summaries(store, story_ids=[ids[3], ids[1], 2**70])] == sorted(
            [ids[1], ids[3]], key=[s.id for s in everything].index
        )
        assert store.story_summaries(story_ids=[]).total == 0
        assert store.outlets() == [f"Outlet {k}" for k in range(4)]


def test_upgrade_fills_the_summaries_of_an_older_store(store_url: str) -> None:
    resolved = _engine.resolve_url(store_url)
    engine = _engine.create_engine(resolved)
    try:
        _engine.migrate(engine, "test", target="0003_accents")
    finally:
        engine.dispose()
    a = [_article(n, f"Outlet {n}", n) for n in range(3)]
    engine = _engine.create_engine(resolved)
    now = dt.datetime(2031, 6, 1)
    with engine.begin() as conn:
        for sid, title in ((1, "Reported"), (2, None), (3, "Stale report")):
            conn.execute(
                sa.text("INSERT INTO stories (id, title, created_at, updated_at) VALUES (:i, :t, :n, :n)"),
                {"i": sid, "t": title, "n": now},
            )
        for seq, (article, sid) in enumerate(zip(a, (1, 1, 3), strict=True), start=1):
            conn.execute(
                sa.text(
                    "INSERT INTO articles (id, seq, source, outlet, text, removed, ingested_at, story_id, "
                    "published_at) VALUES (:id, :seq, :source, :outlet, :text, '[]', :n, :sid, :p)"
                ),
                {
                    "id": article.id,
                    "seq": seq,
                    "source": article.source,
                    "outlet": article.outlet,
                    "text": article.text,
                    "n": now,
                    "sid": sid,
                    "p": article.published.replace(tzinfo=None) if article.published else None,
                },
            )
        members = hashlib.sha256(
            "".join(f"{i}:\n" for i in sorted([a[0].id, a[1].id])).encode()
        ).hexdigest()[:32]
        report = {"stats": {"facts": 6, "contradictions": 2, "facts_by_status": {"consensus": 3}}}
        for key, version in (("story:1", f"{members}:dg"), ("story:3", "0" * 32 + ":dg")):
            conn.execute(
                sa.text(
                    "INSERT INTO cache (kind, key, version, value, updated_at) VALUES ('report', :k, :v, :val, :n)"
                ),
                {"k": key, "v": version, "val": json.dumps(report), "n": now},
            )
    engine.dispose()
    with Store.open(store_url) as store:
        assert store.revision() == _engine.head_revision()
        _assert_current(store)
        rows = {s.id: s for s in _summaries(store, digest="dg")}
        assert set(rows) == {1, 3}  # story 2 has no members
        assert (rows[1].fact_count, rows[1].contradiction_count, rows[1].consensus_count) == (6, 2, 3)
        assert rows[3].fact_count is None  # its report was made for other members
        assert [s.id for s in _summaries(store, order="conflicts", digest="dg")] == [1, 3]
        store.assign(a[2].id, 1)  # out of story 3, into story 1: summaries go on
        _assert_current(store)


def test_a_warm_connection_blocks_no_writer_and_closes_with_the_store(tmp_path: Path) -> None:
    path = tmp_path / "warm.db"
    with Store.open(path) as store:
        store.keep_warm()
        warm = store._warm  # noqa: SLF001
        assert warm is not None
        store.keep_warm()  # once
        assert store._warm is warm  # noqa: SLF001
        with Store.open(path) as writer:  # another process's writer: commits and checkpoints
            writer.add_articles([_article(n, "Outlet", n) for n in range(50)])
        raw = sqlite3.connect(path)
        try:  # a full checkpoint needs every reader out of the log: the warm one holds nothing
            busy, _, _ = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            raw.close()
        assert busy == 0
        assert store.count() == 50
    assert store._warm is None  # noqa: SLF001


def test_keep_warm_is_a_no_op_on_postgresql(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.keep_warm()
        assert (store._warm is None) == (store.dialect == "postgresql")  # noqa: SLF001


def test_the_summary_columns_downgrade_and_upgrade_again(store_url: str) -> None:
    from alembic import command

    a = [_article(n, "Outlet", n) for n in range(2)]
    with Store.open(store_url) as store:
        store.add_articles(a)
        store.create_story("Vote", [x.id for x in a])
    engine = _engine.create_engine(_engine.resolve_url(store_url))
    try:
        with engine.begin() as conn:
            command.downgrade(_engine._alembic_config(conn), "0003_accents")  # noqa: SLF001
            columns = {c["name"] for c in sa.inspect(conn).get_columns("stories")}
            assert "members_version" not in columns and "title" in columns
    finally:
        engine.dispose()
    with Store.open(store_url) as store:
        assert store.revision() == _engine.head_revision()
        _assert_current(store)
        assert store.story_summaries().total == 1
