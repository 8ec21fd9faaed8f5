"""Keyed JSON values: stored analyses, cached story reports, clustering state.

One table, ``cache``, keyed by ``(kind, key)`` with a ``version``: a value read at
another version is a miss, and a later put replaces it. The kinds belong to their
users (:mod:`storyscope.corpus` keeps analysed articles, story reports and the
clusterer's state here); the store only keeps the rule that a story's report goes
with the story (:func:`forget_story`), and can tell when the values kept under a
story's member articles change (:meth:`Cache.member_version`) and read them story by
story (:meth:`Cache.member_values`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ._db import Database
from ._rows import chunks, is_key, utcnow
from ._schema import articles, cache

__all__ = ["Cache", "forget_story"]

#: Past this many stories, member_values reads the kind's values rather than the members.
_MEMBER_LOOKUPS = 1000


def forget_story(conn: Connection, story_id: int) -> None:
    """Drop every cached value kept under the story's key (``story:<id>``), in ``conn``'s transaction."""
    conn.execute(sa.delete(cache).where(cache.c.key == f"story:{story_id}"))


class Cache:
    """The ``cache`` table (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def put(self, kind: str, key: str, value: Any, *, version: str = "") -> None:
        """Keep a JSON-serialisable value under ``(kind, key)`` at ``version``.

        Raises:
            StoreError: ``value`` is not JSON, the store is read-only, or the write failed.
        """
        try:
            blob = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError) as exc:
            raise self._db.error(f"cache value for {kind}/{key} is not JSON ({exc})") from exc
        values = {"kind": kind, "key": key, "version": version, "value": blob, "updated_at": utcnow()}
        stmt = self._db.dialect.insert(cache).values(values)
        with self._db.write() as conn:
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["kind", "key"],
                    set_={k: stmt.excluded[k] for k in ("version", "value", "updated_at")},
                )
            )

    def get(self, kind: str, key: str, *, version: str = "") -> Any | None:
        """The value, or None when absent or kept at another version."""
        with self._db.read() as conn:
            row = conn.execute(
                sa.select(cache.c.version, cache.c.value).where(cache.c.kind == kind, cache.c.key == key)
            ).first()
        if row is None or row.version != version:
            return None
        return json.loads(row.value)

    def get_many(self, kind: str, versions: Mapping[str, str]) -> dict[str, Any]:
        """The values of many keys, each at its version, read in one connection."""
        keys = list(versions)
        found: dict[str, Any] = {}
        with self._db.read() as conn:
            for chunk in chunks(keys):
                query = sa.select(cache.c.key, cache.c.version, cache.c.value).where(
                    cache.c.kind == kind, cache.c.key.in_(chunk)
                )
                for row in conn.execute(query):
                    if row.version == versions.get(row.key):
                        found[row.key] = json.loads(row.value)
        return found

    def member_version(self, kind: str, story_id: int) -> str:
        """A hash of the values of ``kind`` kept under the ids of the story's member
        articles (one indexed join): it changes whenever such a value is put, replaced
        or dropped, or the story gains or loses a member that has one."""
        digest = hashlib.sha256()
        if is_key(story_id):
            query = (
                sa.select(cache.c.key, cache.c.version, cache.c.value)
                .join(articles, articles.c.id == cache.c.key)
                .where(cache.c.kind == kind, articles.c.story_id == story_id)
                .order_by(cache.c.key)
            )
            with self._db.read() as conn:
                for row in conn.execute(query):
                    for part in (row.key, row.version, row.value):
                        digest.update(part.encode("utf-8"))
                        digest.update(b"\0")
        return digest.hexdigest()[:32]

    def member_values(self, kind: str, story_ids: Iterable[int] | None = None) -> dict[int, list[Any]]:
        """Story id -> the values of ``kind`` kept under its member articles' ids (key
        order), for the given stories (None: every story that has one); stories without
        such a value are left out. For a page of stories: their members by the story
        index, then their values by the cache key, per chunk (so it costs the same however
        many values the kind holds); for all, or more than 1,000 stories: one join over
        the kind's values, kept for the stories asked for."""
        found: dict[int, list[Any]] = {}
        wanted = None if story_ids is None else sorted({i for i in story_ids if is_key(i)})
        with self._db.read() as conn:
            if wanted is None or len(wanted) > _MEMBER_LOOKUPS:
                keep = None if wanted is None else set(wanted)
                query = (
                    sa.select(articles.c.story_id, cache.c.value)
                    .join(articles, articles.c.id == cache.c.key)
                    .where(cache.c.kind == kind, articles.c.story_id.is_not(None))
                    .order_by(articles.c.story_id, cache.c.key)
                )
                for row in conn.execute(query):
                    if keep is None or row.story_id in keep:
                        found.setdefault(int(row.story_id), []).append(json.loads(row.value))
                return found
            story_of: dict[str, int] = {}
            for chunk in chunks(wanted):
                members = sa.select(articles.c.id, articles.c.story_id).where(articles.c.story_id.in_(chunk))
                story_of.update((row.id, int(row.story_id)) for row in conn.execute(members))
            for chunk in chunks(sorted(story_of)):
                values = sa.select(cache.c.key, cache.c.value).where(cache.c.kind == kind, cache.c.key.in_(chunk))
                for row in conn.execute(values.order_by(cache.c.key)):
                    found.setdefault(story_of[row.key], []).append(json.loads(row.value))
        return dict(sorted(found.items()))

    def delete(self, kind: str | None = None, key: str | None = None) -> int:
        """Drop the entries matching ``kind`` and/or ``key``; returns how many."""
        stmt = sa.delete(cache)
        if kind is not None:
            stmt = stmt.where(cache.c.kind == kind)
        if key is not None:
            stmt = stmt.where(cache.c.key == key)
        with self._db.write() as conn:
            return int(conn.execute(stmt).rowcount)
