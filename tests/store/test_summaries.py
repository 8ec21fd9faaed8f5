"""Story summary rows (the story list) across migrations, and SQLite's warm connection.

How the rows follow membership, order, filter and keep report counts is part of
:class:`storyscope.testing.StoreContract` (``test_contract.py``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path

import sqlalchemy as sa

from storyscope.model import Article
from storyscope.store import Store, StorySummary, _engine
from storyscope.testing import assert_summaries_current

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
        assert_summaries_current(store)
        rows = {s.id: s for s in _summaries(store, digest="dg")}
        assert set(rows) == {1, 3}  # story 2 has no members
        assert (rows[1].fact_count, rows[1].contradiction_count, rows[1].consensus_count) == (6, 2, 3)
        assert rows[3].fact_count is None  # its report was made for other members
        assert [s.id for s in _summaries(store, order="conflicts", digest="dg")] == [1, 3]
        store.assign(a[2].id, 1)  # out of story 3, into story 1: summaries go on
        assert_summaries_current(store)


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
        assert_summaries_current(store)
        assert store.story_summaries().total == 1
