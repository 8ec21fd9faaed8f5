"""The story list: pages of story summary rows, filtered and ordered in the database, with
the counts of each story's cached report kept beside them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, Literal

import sqlalchemy as sa

from ._db import Database
from ._rows import from_db, is_key, to_db
from ._schema import articles, stories
from .records import StoryCounts, StorySummary, SummaryPage

__all__ = ["SummaryOrder", "Summaries"]

SummaryOrder = Literal["recent", "size", "conflicts"]


class Summaries:
    """The summary and report-count columns of ``stories`` (kept by :func:`._stories.refresh`)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def page(
        self,
        *,
        story_ids: Iterable[int] | None = None,
        outlet: str | None = None,
        outlet_story_ids: Iterable[int] = (),
        published_since: dt.datetime | None = None,
        published_before: dt.datetime | None = None,
        order: SummaryOrder = "recent",
        digest: str = "",
        limit: int = 50,
        offset: int = 0,
    ) -> SummaryPage:
        """One page of the stories with members (see :meth:`Store.story_summaries`)."""
        conditions: list[Any] = [stories.c.article_count > 0]
        if story_ids is not None:
            wanted = sorted({i for i in story_ids if is_key(i)})
            if not wanted:
                return SummaryPage(stories=(), total=0)
            conditions.append(stories.c.id.in_(wanted))
        if outlet is not None:
            with_outlet = stories.c.id.in_(
                sa.select(articles.c.story_id).where(articles.c.outlet == outlet, articles.c.story_id.is_not(None))
            )
            also = sorted({i for i in outlet_story_ids if is_key(i)})
            conditions.append(sa.or_(with_outlet, stories.c.id.in_(also)) if also else with_outlet)
        if published_since is not None:
            conditions.append(stories.c.last_published >= to_db(published_since))
        if published_before is not None:
            conditions.append(stories.c.first_published < to_db(published_before))
        current = sa.and_(stories.c.report_members == stories.c.members_version, stories.c.report_digest == digest)
        counted = [
            sa.case((current, column), else_=None).label(column.name)
            for column in (stories.c.fact_count, stories.c.contradiction_count, stories.c.consensus_count)
        ]
        if order == "size":
            keys: list[Any] = [stories.c.article_count.desc()]
        elif order == "conflicts":
            keys = [sa.func.coalesce(sa.case((current, stories.c.contradiction_count), else_=0), 0).desc()]
        else:
            keys = [self._db.dialect.latest_first(stories.c.last_published)]
        query = (
            sa.select(
                stories.c.id,
                stories.c.title,
                stories.c.article_count,
                stories.c.duplicate_count,
                stories.c.outlets,
                stories.c.first_published,
                stories.c.last_published,
                stories.c.members_version,
                *counted,
            )
            .where(*conditions)
            .order_by(*keys, stories.c.sort_title, stories.c.id)
            .limit(max(0, limit))
            .offset(max(0, offset))
        )
        if len(conditions) == 1:  # every story with members: all rows less the few empty ones
            # (SQLite counts a whole table without reading it; the empty ones are an index range)
            empty = sa.select(sa.func.count()).select_from(stories).where(stories.c.article_count <= 0)
            counting = sa.select(sa.func.count() - empty.scalar_subquery()).select_from(stories)
        else:
            counting = sa.select(sa.func.count()).select_from(stories).where(*conditions)
        with self._db.read() as conn:
            rows = conn.execute(query).all()
            total = int(conn.execute(counting).scalar_one())
        return SummaryPage(
            stories=tuple(
                StorySummary(
                    id=row.id,
                    title=row.title,
                    article_count=row.article_count,
                    duplicate_count=row.duplicate_count,
                    outlets=tuple(json.loads(row.outlets)),
                    first_published=from_db(row.first_published),
                    last_published=from_db(row.last_published),
                    version=row.members_version,
                    fact_count=row.fact_count,
                    contradiction_count=row.contradiction_count,
                    consensus_count=row.consensus_count,
                )
                for row in rows
            ),
            total=total,
        )

    def set_counts(self, counts: Iterable[StoryCounts]) -> int:
        """Keep report counts for the members they were computed for; returns how many took."""
        rows = [
            {
                "sid": c.story_id,
                "members": c.members,
                "digest": c.digest[:64],
                "facts": c.facts,
                "contradictions": c.contradictions,
                "consensus": c.consensus,
            }
            for c in counts
            if is_key(c.story_id)
        ]
        if not rows:
            return 0
        stmt = (
            sa.update(stories)
            .where(stories.c.id == sa.bindparam("sid"), stories.c.members_version == sa.bindparam("members"))
            .values(
                report_members=sa.bindparam("members"),
                report_digest=sa.bindparam("digest"),
                fact_count=sa.bindparam("facts"),
                contradiction_count=sa.bindparam("contradictions"),
                consensus_count=sa.bindparam("consensus"),
            )
        )
        with self._db.write() as conn:
            return int(conn.execute(stmt, rows).rowcount)

    def stamps(self) -> dict[int, str]:
        """Story id -> membership version of every story with members (one read of the
        ``stories`` rows, no article read): what changed since an earlier call."""
        query = sa.select(stories.c.id, stories.c.members_version).where(stories.c.article_count > 0)
        with self._db.read() as conn:
            return {int(r.id): str(r.members_version) for r in conn.execute(query)}

    def outlets(self) -> list[str]:
        """The distinct outlets of articles in a story, sorted (an index scan, no story read)."""
        query = sa.select(articles.c.outlet).where(articles.c.story_id.is_not(None)).distinct()
        with self._db.read() as conn:
            return sorted(conn.execute(query).scalars())
