"""What differs between SQLite and PostgreSQL, in one place.

Every part of the store writes portable SQLAlchemy Core; where the two backends
need different SQL, the part asks the store's :class:`Dialect` (one per store,
chosen from the engine by :func:`dialect_for`):

=====================  ==========================================  =======================================
                       SQLite                                      PostgreSQL
=====================  ==========================================  =======================================
``insert``             ``sqlite.insert`` (``ON CONFLICT``)          ``postgresql.insert`` (``ON CONFLICT``)
``number_articles``    ``seq`` assigned here (FTS5 rowid)           ``seq`` is an identity column
``latest_first``       ``DESC`` (NULL sorts last already)           ``DESC NULLS LAST``
``keeps_warm``         an idle connection saves the WAL set-up      no (a pool already)
``advisory_lock``      nothing (the ingest lock is a file)          ``pg_advisory_lock`` on its own session
``integrity_problems`` ``PRAGMA integrity_check`` and FTS5 checks   articles pointing at missing stories
``find_articles``      FTS5 ``bm25`` and ``highlight``              ``tsvector``, ``ts_rank_cd``, ``ts_headline``
``find_sentences``     FTS5 over ``sentences_fts``                  ``tsvector`` over ``sentences.tsv``
=====================  ==========================================  =======================================

Nothing else in the store branches on the backend (schema changes and their lock
live in :mod:`._engine` and the migrations).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from . import _engine, _search
from ._schema import articles, stories

__all__ = ["Dialect", "PostgresDialect", "SqliteDialect", "dialect_for"]

logger = logging.getLogger(__name__)


class Dialect:
    """The backend-specific SQL of the store (see the module docstring).

    Attributes:
        name: ``"sqlite"`` or ``"postgresql"`` (what :attr:`Store.dialect` says).
        keeps_warm: Whether holding an idle connection speeds up later reads.
    """

    name: str = ""
    keeps_warm: bool = False

    def insert(self, table: sa.Table) -> Any:
        """An ``INSERT`` on ``table`` that offers ``on_conflict_do_nothing``/``_do_update``."""
        raise NotImplementedError

    def number_articles(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        """Give new article rows their insertion sequence number where the database does not."""

    def latest_first(self, column: sa.Column[Any]) -> ColumnElement[Any]:
        """``column`` descending with NULL values last."""
        raise NotImplementedError

    @contextmanager
    def advisory_lock(self, engine: Engine, key: int, where: str) -> Iterator[None]:
        """Hold a lock shared by every process on this database for the block (or nothing)."""
        yield

    def integrity_problems(self, conn: Connection) -> list[str]:
        """Problems the database's own checks find (empty: healthy)."""
        raise NotImplementedError

    def find_articles(self, conn: Connection, query: str, limit: int) -> tuple[Sequence[Any], dict[str, str]]:
        """Ranked article rows (``id, outlet, title, published, text, seq, score``) for a
        cleaned web-search ``query``, and each one's text with match markers."""
        raise NotImplementedError

    def find_sentences(self, conn: Connection, query: str, limit: int) -> Sequence[Any]:
        """Ranked sentence rows (``article_id, idx, start, end, text, score``)."""
        raise NotImplementedError


class SqliteDialect(Dialect):
    """SQLite 3 with FTS5 (the default store: one file, WAL)."""

    name = "sqlite"
    keeps_warm = True

    def insert(self, table: sa.Table) -> Any:
        from sqlalchemy.dialects import sqlite as sqlite_dialect

        return sqlite_dialect.insert(table)

    def number_articles(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        # Writers hold the database lock (BEGIN IMMEDIATE), so max(seq) is stable here.
        top = conn.execute(sa.select(sa.func.coalesce(sa.func.max(articles.c.seq), 0))).scalar_one()
        for offset, row in enumerate(rows, start=1):
            row["seq"] = top + offset

    def latest_first(self, column: sa.Column[Any]) -> ColumnElement[Any]:
        return column.desc()  # SQLite sorts NULL as the smallest value: last when descending

    def integrity_problems(self, conn: Connection) -> list[str]:
        problems = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [str(tuple(r)) for r in conn.exec_driver_sql("PRAGMA foreign_key_check")]
        for table in ("articles_fts", "sentences_fts"):
            try:
                conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
            except sa.exc.DatabaseError as exc:
                problems.append(f"{table}: {exc.orig}")
        conn.rollback()
        return problems

    def find_articles(self, conn: Connection, query: str, limit: int) -> tuple[Sequence[Any], dict[str, str]]:
        expression = _search.fts5_query(query)
        found = conn.execute(
            sa.text(
                "SELECT a.id, a.outlet, a.title, a.published, a.text, a.seq, -f.score AS score "
                "FROM (SELECT rowid, bm25(articles_fts, 4.0, 1.0) AS score FROM articles_fts "
                "WHERE articles_fts MATCH :q ORDER BY score LIMIT :n) AS f "
                "JOIN articles a ON a.seq = f.rowid ORDER BY f.score, a.seq"
            ),
            {"q": expression, "n": limit},
        ).all()
        if not found:
            return [], {}
        seqs = ",".join(str(int(r.seq)) for r in found)
        marked = conn.execute(
            sa.text(
                "SELECT rowid, highlight(articles_fts, 1, :a, :b) FROM articles_fts "
                f"WHERE articles_fts MATCH :q AND rowid IN ({seqs})"
            ),
            {"q": expression, "a": _search.START_MARK, "b": _search.STOP_MARK},
        ).all()
        by_seq = {int(r[0]): r[1] for r in marked}
        return found, {r.id: by_seq.get(int(r.seq), "") for r in found}

    def find_sentences(self, conn: Connection, query: str, limit: int) -> Sequence[Any]:
        return conn.execute(
            sa.text(
                "SELECT s.article_id, s.idx, s.start, s.\"end\", s.text, -f.score AS score "
                "FROM (SELECT rowid, bm25(sentences_fts) AS score FROM sentences_fts "
                "WHERE sentences_fts MATCH :q ORDER BY score LIMIT :n) AS f "
                "JOIN sentences s ON s.id = f.rowid ORDER BY f.score, s.id"
            ),
            {"q": _search.fts5_query(query), "n": limit},
        ).all()


class PostgresDialect(Dialect):
    """PostgreSQL (shared deployments): identity columns, ``tsvector`` search, advisory locks."""

    name = "postgresql"

    def insert(self, table: sa.Table) -> Any:
        # imported here: a SQLite store never loads the PostgreSQL dialect (~30 ms)
        from sqlalchemy.dialects import postgresql as pg_dialect

        return pg_dialect.insert(table)

    def latest_first(self, column: sa.Column[Any]) -> ColumnElement[Any]:
        return column.desc().nulls_last()

    @contextmanager
    def advisory_lock(self, engine: Engine, key: int, where: str) -> Iterator[None]:
        # The lock lives on a connection of its own, kept for the block. Losing the server
        # inside the block surfaces as the block's own error: the server drops a session's
        # locks with the session, so a release that cannot reach it is only logged.
        try:
            conn = engine.connect()
        except sa.exc.SQLAlchemyError as exc:
            raise _engine.wrap(exc, where) from exc
        try:
            try:
                logger.debug("%s: waiting for advisory lock %d", where, key)
                conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": key})
                conn.commit()
            except sa.exc.SQLAlchemyError as exc:
                raise _engine.wrap(exc, where) from exc
            try:
                yield
            finally:
                try:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                    conn.commit()
                except sa.exc.SQLAlchemyError as exc:  # the session is gone: so is its lock
                    logger.warning(
                        "%s: advisory lock %d not released (%s); the server drops it with the session",
                        where,
                        key,
                        _engine.wrap(exc, where),
                    )
        finally:
            try:
                conn.close()
            except sa.exc.SQLAlchemyError:  # pragma: no cover - closing a dead connection
                logger.debug("%s: closing the lock connection failed", where, exc_info=True)

    def integrity_problems(self, conn: Connection) -> list[str]:
        orphans = conn.execute(
            sa.select(sa.func.count())
            .select_from(articles)
            .where(articles.c.story_id.is_not(None))
            .where(~sa.exists().where(stories.c.id == articles.c.story_id))
        ).scalar_one()
        return [f"{orphans} articles point at missing stories"] if orphans else []

    def find_articles(self, conn: Connection, query: str, limit: int) -> tuple[Sequence[Any], dict[str, str]]:
        found = conn.execute(
            sa.text(
                "SELECT a.id, a.outlet, a.title, a.published, a.text, a.seq, "
                "ts_rank_cd(a.tsv, q) AS score FROM articles a, websearch_to_tsquery('storyscope', :q) q "
                "WHERE a.tsv @@ q ORDER BY score DESC, a.seq LIMIT :n"
            ),
            {"q": query, "n": limit},
        ).all()
        if not found:
            return [], {}
        options = f"HighlightAll=true, StartSel={_search.START_MARK}, StopSel={_search.STOP_MARK}"
        marked = conn.execute(
            sa.text(
                "SELECT id, ts_headline('storyscope', text, websearch_to_tsquery('storyscope', :q), :o) "
                "FROM articles WHERE id = ANY(:ids)"
            ),
            {"q": query, "o": options, "ids": [r.id for r in found]},
        ).all()
        return found, {r[0]: r[1] for r in marked}

    def find_sentences(self, conn: Connection, query: str, limit: int) -> Sequence[Any]:
        return conn.execute(
            sa.text(
                "SELECT s.article_id, s.idx, s.start, s.\"end\", s.text, ts_rank_cd(s.tsv, q) AS score "
                "FROM sentences s, websearch_to_tsquery('storyscope', :q) q "
                "WHERE s.tsv @@ q ORDER BY score DESC, s.id LIMIT :n"
            ),
            {"q": query, "n": limit},
        ).all()


def dialect_for(engine: Engine) -> Dialect:
    """The :class:`Dialect` of ``engine``'s backend.

    Raises:
        ValueError: A backend the store does not support (the URL check refuses it first).
    """
    name = engine.dialect.name
    if name == "sqlite":
        return SqliteDialect()
    if name == "postgresql":
        return PostgresDialect()
    raise ValueError(f"unsupported database backend {name!r}")
