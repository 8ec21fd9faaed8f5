"""Articles: stored once under their content hash, streamed in insertion order, linked to
the original they duplicate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storyscope.model import Article

from ._db import Database
from ._rows import ARTICLE_COLUMNS, article, article_row, chunks, from_db, to_db, utcnow
from ._runs import upsert_progress
from ._schema import articles
from ._stories import refresh
from .records import ArticleInfo, RunProgress

__all__ = ["Articles"]


class Articles:
    """The ``articles`` table (its ``story_id`` column belongs to :mod:`._stories`)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, batch: Iterable[Article], *, progress: RunProgress | None = None) -> tuple[bool, ...]:
        """Store a batch in one transaction, with the run's progress when given.

        Returns:
            For each article of ``batch``, True when it was newly stored.
        """
        items = list(batch)
        now = utcnow()
        with self._db.write() as conn:
            inserted = self._insert(conn, items, now)
            if progress is not None:
                upsert_progress(conn, self._db.dialect, progress, now)
        seen: set[str] = set()
        flags = []
        for item in items:
            flags.append(item.id in inserted and item.id not in seen)
            seen.add(item.id)
        return tuple(flags)

    def _insert(self, conn: Connection, items: list[Article], now: dt.datetime) -> set[str]:
        ids = list(dict.fromkeys(a.id for a in items))
        existing: set[str] = set()
        for chunk in chunks(ids):
            existing.update(conn.execute(sa.select(articles.c.id).where(articles.c.id.in_(chunk))).scalars())
        rows: list[dict[str, Any]] = []
        taken = set(existing)
        for item in items:
            if item.id not in taken:
                taken.add(item.id)
                rows.append(article_row(item, now))
        if not rows:
            return set()
        self._db.dialect.number_articles(conn, rows)
        stmt = self._db.dialect.insert(articles).on_conflict_do_nothing()
        return set(conn.execute(stmt.returning(articles.c.id), rows).scalars())

    def get(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        with self._db.read() as conn:
            row = conn.execute(sa.select(*ARTICLE_COLUMNS).where(articles.c.id == article_id)).first()
        return article(row) if row is not None else None

    def get_many(self, article_ids: Iterable[str]) -> list[Article]:
        """Stored articles for these ids, in the given order; unknown ids are skipped."""
        ids = list(article_ids)
        found: dict[str, Article] = {}
        with self._db.read() as conn:
            for chunk in chunks(ids):
                for row in conn.execute(sa.select(*ARTICLE_COLUMNS).where(articles.c.id.in_(chunk))):
                    found[row.id] = article(row)
        return [found[i] for i in ids if i in found]

    def stored_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of ``article_ids`` are stored (one query per 500 ids)."""
        wanted = list(dict.fromkeys(article_ids))
        found: set[str] = set()
        with self._db.read() as conn:
            for chunk in chunks(wanted):
                found.update(conn.execute(sa.select(articles.c.id).where(articles.c.id.in_(chunk))).scalars())
        return found

    def info(self, article_id: str) -> ArticleInfo | None:
        """Store bookkeeping (sequence number, story, duplicate link) for one article."""
        with self._db.read() as conn:
            row = conn.execute(
                sa.select(
                    articles.c.id,
                    articles.c.seq,
                    articles.c.ingested_at,
                    articles.c.story_id,
                    articles.c.duplicate_of,
                ).where(articles.c.id == article_id)
            ).first()
        if row is None:
            return None
        ingested = from_db(row.ingested_at)
        assert ingested is not None
        return ArticleInfo(
            id=row.id,
            seq=row.seq,
            ingested_at=ingested,
            story_id=row.story_id,
            duplicate_of=row.duplicate_of,
        )

    def stories_of(self, article_ids: Iterable[str]) -> dict[str, int | None]:
        """The story of each stored article among ``article_ids`` (None: in no story)."""
        wanted = list(dict.fromkeys(article_ids))
        found: dict[str, int | None] = {}
        with self._db.read() as conn:
            for chunk in chunks(wanted):
                query = sa.select(articles.c.id, articles.c.story_id).where(articles.c.id.in_(chunk))
                found.update({row.id: row.story_id for row in conn.execute(query)})
        return found

    def iterate(
        self,
        *,
        since: dt.datetime | None = None,
        after: int | None = None,
        story_id: int | None = None,
        unassigned: bool = False,
        include_duplicates: bool = True,
        batch_size: int = 500,
    ) -> Iterator[Article]:
        """Stream stored articles in insertion order, a page (one read) at a time."""
        last = after if after is not None else 0
        while True:
            query = sa.select(articles.c.seq, *ARTICLE_COLUMNS).where(articles.c.seq > last)
            if since is not None:
                query = query.where(articles.c.ingested_at >= to_db(since))
            if story_id is not None:
                query = query.where(articles.c.story_id == story_id)
            if unassigned:
                query = query.where(articles.c.story_id.is_(None))
            if not include_duplicates:
                query = query.where(articles.c.duplicate_of.is_(None))
            with self._db.read() as conn:
                rows = conn.execute(query.order_by(articles.c.seq).limit(batch_size)).all()
            if not rows:
                return
            for row in rows:
                yield article(row)
            last = rows[-1].seq

    def count(self, *, story_id: int | None = None) -> int:
        """Number of stored articles (in one story, when ``story_id`` is given)."""
        query = sa.select(sa.func.count()).select_from(articles)
        if story_id is not None:
            query = query.where(articles.c.story_id == story_id)
        with self._db.read() as conn:
            return int(conn.execute(query).scalar_one())

    def mark_duplicate(self, article_id: str, original_id: str | None) -> None:
        """Link an article to the original it copies (None clears the link).

        Raises:
            StoreError: Either article is not stored, or it would link to itself.
        """
        if original_id == article_id:
            raise self._db.error(f"article {article_id} cannot duplicate itself")
        with self._db.write() as conn:
            wanted = {article_id} | ({original_id} if original_id else set())
            found = set(conn.execute(sa.select(articles.c.id).where(articles.c.id.in_(wanted))).scalars())
            if found != wanted:
                raise self._db.error(f"no stored article {sorted(wanted - found)[0]}")
            story = conn.execute(
                sa.update(articles)
                .where(articles.c.id == article_id)
                .values(duplicate_of=original_id)
                .returning(articles.c.story_id)
            ).scalar_one()
            if story is not None:
                refresh(conn, {story})
