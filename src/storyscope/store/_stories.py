"""Stories and their membership: which articles a story holds, its dates and summary row.

Every change of membership (assigning, merging, marking a member a duplicate) calls
:func:`refresh` in the same transaction, so a story's dates, counts, outlets and
membership version (:meth:`Stories.version`, the key of its cached report) never
lag behind its members.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storyscope.model import Article

from ._cache import forget_story
from ._db import Database
from ._light import NO_MEMBERS, member_line
from ._rows import (
    ARTICLE_COLUMNS,
    article,
    chunks,
    from_db,
    is_key,
    sort_title,
    utcnow,
)
from ._schema import articles, stories
from .records import StoredStory

__all__ = ["Stories", "assign", "refresh"]


def refresh(conn: Connection, story_ids: set[int]) -> None:
    """Recompute the dates and the summary (counts, outlets, membership version) of
    ``story_ids`` from their members, in the transaction that changed them."""
    if not story_ids:
        return
    first = sa.select(sa.func.min(articles.c.published_at)).where(articles.c.story_id == stories.c.id)
    last = sa.select(sa.func.max(articles.c.published_at)).where(articles.c.story_id == stories.c.id)
    update = (
        sa.update(stories)
        .where(stories.c.id == sa.bindparam("sid"))
        .values(
            first_published=first.scalar_subquery(),
            last_published=last.scalar_subquery(),
            updated_at=sa.bindparam("now"),
            article_count=sa.bindparam("n"),
            duplicate_count=sa.bindparam("dups"),
            outlets=sa.bindparam("outlet_list"),
            members_version=sa.bindparam("version"),
        )
    )
    now = utcnow()
    for chunk in chunks(sorted(story_ids)):
        figures = {sid: (hashlib.sha256(), [0, 0], set[str]()) for sid in chunk}
        members = (
            sa.select(articles.c.story_id, articles.c.id, articles.c.duplicate_of, articles.c.outlet)
            .where(articles.c.story_id.in_(chunk))
            .order_by(articles.c.story_id, articles.c.id)  # Stories.version's order
        )
        for row in conn.execute(members):
            digest, counts, outlets = figures[row.story_id]
            digest.update(member_line(row.id, row.duplicate_of))
            counts[0] += 1
            counts[1] += row.duplicate_of is not None
            outlets.add(row.outlet)
        conn.execute(
            update,
            [
                {
                    "sid": sid,
                    "now": now,
                    "n": counts[0],
                    "dups": counts[1],
                    "outlet_list": json.dumps(sorted(outlets), ensure_ascii=False),
                    "version": digest.hexdigest()[:32],
                }
                for sid, (digest, counts, outlets) in figures.items()
            ],
        )


def assign(db: Database, conn: Connection, assignments: dict[str, int | None]) -> None:
    """Set the story of each article in ``conn``'s transaction and refresh the stories touched.

    Raises:
        StoreError: An article or story is not stored (raised before any change).
    """
    if not assignments:
        return
    ids = list(assignments)
    before: dict[str, int | None] = {}
    for chunk in chunks(ids):
        before.update(
            (r.id, r.story_id)
            for r in conn.execute(sa.select(articles.c.id, articles.c.story_id).where(articles.c.id.in_(chunk)))
        )
    missing = [i for i in ids if i not in before]
    if missing:
        raise db.error(f"no stored article {missing[0]}")
    wanted = {s for s in assignments.values() if s is not None}
    if wanted:
        known = set(conn.execute(sa.select(stories.c.id).where(stories.c.id.in_(wanted))).scalars())
        if wanted - known:
            raise db.error(f"no story {sorted(wanted - known)[0]}")
    by_story: dict[int | None, list[str]] = {}
    for article_id, story_id in assignments.items():
        if before[article_id] != story_id:
            by_story.setdefault(story_id, []).append(article_id)
    touched: set[int] = set()
    for story_id, members in by_story.items():
        for chunk in chunks(members):
            conn.execute(sa.update(articles).where(articles.c.id.in_(chunk)).values(story_id=story_id))
        touched.update(s for m in members if (s := before[m]) is not None)
        if story_id is not None:
            touched.add(story_id)
    refresh(conn, touched)


class Stories:
    """The ``stories`` table and the ``articles.story_id`` membership column."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, title: str | None = None, article_ids: Iterable[str] = ()) -> int:
        """Create a story, optionally with members, and return its id."""
        members = list(article_ids)
        now = utcnow()
        with self._db.write() as conn:
            story_id = int(
                conn.execute(
                    sa.insert(stories)
                    .values(title=title, created_at=now, updated_at=now, members_version=NO_MEMBERS)
                    .returning(stories.c.id)
                ).scalar_one()
            )
            conn.execute(
                sa.update(stories).where(stories.c.id == story_id).values(sort_title=sort_title(story_id, title))
            )
            if members:
                assign(self._db, conn, dict.fromkeys(members, story_id))
        return story_id

    def set_title(self, story_id: int, title: str | None) -> None:
        """Rename a story.

        Raises:
            StoreError: No such story.
        """
        with self._db.write() as conn:
            done = conn.execute(
                sa.update(stories)
                .where(stories.c.id == story_id)
                .values(title=title, sort_title=sort_title(story_id, title), updated_at=utcnow())
            ).rowcount
        if not done:
            raise self._db.error(f"no story {story_id}")

    def assign_many(self, assignments: Mapping[str, int | None]) -> None:
        """Set the story of many articles in one transaction (see :func:`assign`)."""
        with self._db.write() as conn:
            assign(self._db, conn, dict(assignments))

    def merge(self, keep: int, absorb: int) -> int:
        """Move every article of story ``absorb`` into ``keep``, delete ``absorb``; return ``keep``.

        Raises:
            StoreError: Either story does not exist, or they are the same story.
        """
        if keep == absorb:
            raise self._db.error(f"cannot merge story {keep} into itself")
        with self._db.write() as conn:
            known = set(conn.execute(sa.select(stories.c.id).where(stories.c.id.in_([keep, absorb]))).scalars())
            for story_id in (keep, absorb):
                if story_id not in known:
                    raise self._db.error(f"no story {story_id}")
            conn.execute(sa.update(articles).where(articles.c.story_id == absorb).values(story_id=keep))
            conn.execute(sa.delete(stories).where(stories.c.id == absorb))
            forget_story(conn, absorb)
            refresh(conn, {keep})
        return keep

    def delete(self, story_id: int) -> None:
        """Delete a story; its articles stay stored, in no story.

        Raises:
            StoreError: No such story.
        """
        with self._db.write() as conn:
            conn.execute(sa.update(articles).where(articles.c.story_id == story_id).values(story_id=None))
            done = conn.execute(sa.delete(stories).where(stories.c.id == story_id)).rowcount
            forget_story(conn, story_id)
        if not done:
            raise self._db.error(f"no story {story_id}")

    def delete_empty(self, keep: Iterable[int] = ()) -> list[int]:
        """Delete every story without member articles, except those in ``keep``; return their ids.

        A killed run can leave such rows: a story committed before its articles were
        assigned, or one whose articles a resumed run placed again in another story.
        """
        spared = set(keep)
        members = sa.select(articles.c.id).where(articles.c.story_id == stories.c.id).exists()
        with self._db.write() as conn:
            empty = [
                int(sid)
                for sid in conn.execute(
                    sa.select(stories.c.id).where(stories.c.article_count <= 0, ~members)
                ).scalars()
                if int(sid) not in spared
            ]
            for chunk in chunks(empty):
                conn.execute(sa.delete(stories).where(stories.c.id.in_(chunk)))
            for story_id in empty:
                forget_story(conn, story_id)
        return empty

    def get(self, story_id: int) -> StoredStory | None:
        """One story with its figures, or None (also for an id no row can have)."""
        if not is_key(story_id):
            return None
        found = self._stories(story_id)
        return found[0] if found else None

    def all(self) -> list[StoredStory]:
        """All stories, most recently published first, with counts, outlets and dates."""
        return self._stories(None)

    def _stories(self, story_id: int | None) -> list[StoredStory]:
        query = sa.select(stories)
        figures = sa.select(
            articles.c.story_id,
            articles.c.outlet,
            sa.func.count().label("n"),
            sa.func.count(articles.c.duplicate_of).label("dups"),
        ).where(articles.c.story_id.is_not(None))
        if story_id is not None:
            query = query.where(stories.c.id == story_id)
            figures = figures.where(articles.c.story_id == story_id)
        with self._db.read() as conn:
            rows = conn.execute(query).all()
            counts: dict[int, list[tuple[str, int, int]]] = {}
            for r in conn.execute(figures.group_by(articles.c.story_id, articles.c.outlet)):
                counts.setdefault(r.story_id, []).append((r.outlet, r.n, r.dups))
        result = []
        for row in rows:
            parts = counts.get(row.id, [])
            created, updated = from_db(row.created_at), from_db(row.updated_at)
            assert created is not None and updated is not None
            result.append(
                StoredStory(
                    id=row.id,
                    title=row.title,
                    created_at=created,
                    updated_at=updated,
                    first_published=from_db(row.first_published),
                    last_published=from_db(row.last_published),
                    article_count=sum(n for _, n, _ in parts),
                    duplicate_count=sum(d for _, _, d in parts),
                    outlets=tuple(sorted(o for o, _, _ in parts)),
                )
            )
        oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
        result.sort(key=lambda s: (s.last_published or oldest, s.id), reverse=True)
        return result

    def members(self, story_id: int) -> list[Article]:
        """The articles of a story, by publication date (undated last), then insertion order."""
        if not is_key(story_id):
            return []
        query = (
            sa.select(*ARTICLE_COLUMNS)
            .where(articles.c.story_id == story_id)
            .order_by(articles.c.published_at.is_(None), articles.c.published_at, articles.c.seq)
        )
        with self._db.read() as conn:
            return [article(row) for row in conn.execute(query)]

    def version(self, story_id: int) -> str:
        """A hash of the story's membership (ids and duplicate links) for cache keys."""
        return self.versions([story_id]).get(story_id, NO_MEMBERS)

    def versions(self, story_ids: Iterable[int]) -> dict[int, str]:
        """:meth:`version` of many stories, read in one connection (500 ids a query)."""
        wanted = sorted({i for i in story_ids if is_key(i)})
        digests = {i: hashlib.sha256() for i in wanted}
        with self._db.read() as conn:
            for chunk in chunks(wanted):
                query = (
                    sa.select(articles.c.story_id, articles.c.id, articles.c.duplicate_of)
                    .where(articles.c.story_id.in_(chunk))
                    .order_by(articles.c.story_id, articles.c.id)
                )
                for row in conn.execute(query):
                    digests[row.story_id].update(member_line(row.id, row.duplicate_of))
        return {i: d.hexdigest()[:32] for i, d in digests.items()}
