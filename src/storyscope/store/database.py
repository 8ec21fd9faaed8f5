"""The article store: articles, stories, ingest progress, failures, caches, vectors.

One class, :class:`Store`, over SQLite (default, one file, WAL) or PostgreSQL (shared
deployments), with the same schema, migrations and behaviour on both. Articles are
keyed by their content hash, so storing the same article twice is a no-op. Every
write is one transaction: a process killed mid-ingest loses nothing it committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import URL, Connection, Engine

from storyscope.errors import StoreError
from storyscope.model import Article, Failure, Removed, Sentence

from . import _engine, _pgvector, _search
from ._schema import articles, cache, embeddings, failures, ingest_progress, sentences, stories
from .records import (
    ArticleInfo,
    RunProgress,
    SearchHit,
    SentenceHit,
    StoredFailure,
    StoredStory,
    StoryCounts,
    StorySummary,
    SummaryPage,
)
from .vectors import VectorIndex, load_index, new_index

__all__ = ["Store", "open_store"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

_CHUNK = 500  # ids per IN (...) clause
_INT64 = 2**63 - 1
_NO_MEMBERS = hashlib.sha256().hexdigest()[:32]  # the membership version of an empty story

SummaryOrder = Literal["recent", "size", "conflicts"]


def _sort_title(story_id: int, title: str | None) -> str:
    """The key the story list orders titles by: the display title, casefolded."""
    return (title or f"Story {story_id}").casefold()


def _is_key(value: int) -> bool:
    """Whether ``value`` can be a row id on both backends (a 64-bit signed integer)."""
    return isinstance(value, int) and not isinstance(value, bool) and -_INT64 - 1 <= value <= _INT64


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _to_db(value: dt.datetime | None) -> dt.datetime | None:
    """Naive UTC for storage; a naive input is taken to be UTC already."""
    if value is None:
        return None
    if value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _from_db(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.replace(tzinfo=dt.UTC)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _article_row(article: Article, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "outlet": article.outlet,
        "title": article.title,
        "byline": article.byline,
        "published": article.published.isoformat() if article.published else None,
        "published_at": _to_db(article.published),
        "language": article.language,
        "url": article.url,
        "text": article.text,
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        "ingested_at": now,
    }


_ARTICLE_COLUMNS = (
    articles.c.id,
    articles.c.source,
    articles.c.outlet,
    articles.c.title,
    articles.c.byline,
    articles.c.published,
    articles.c.language,
    articles.c.url,
    articles.c.text,
    articles.c.removed,
)


def _article(row: Any) -> Article:
    removed = row.removed if not isinstance(row.removed, str) else json.loads(row.removed)
    return Article(
        id=row.id,
        source=row.source,
        outlet=row.outlet,
        title=row.title,
        byline=row.byline,
        published=dt.datetime.fromisoformat(row.published) if row.published else None,
        language=row.language,
        url=row.url,
        text=row.text,
        removed=tuple(Removed(text=r["text"], reason=r["reason"]) for r in removed or ()),
    )


def _progress(row: Any) -> RunProgress:
    return RunProgress(
        run_id=row.run_id,
        source=row.source,
        position=row.position,
        status=row.status,
        added=row.added,
        skipped=row.skipped,
        failed=row.failed,
        started_at=_from_db(row.started_at),
        updated_at=_from_db(row.updated_at),
    )


class Store:
    """Articles, stories and their derived data in SQLite or PostgreSQL.

    Open one with :meth:`Store.open` (or :func:`open_store`); it migrates the schema
    to the newest revision on open. Use it as a context manager, or call
    :meth:`close`, so the vector index is saved.

    A SQLite file this process may not write (or whose folder it may not write)
    is opened read-only: reads work, nothing is migrated, every write raises
    :class:`StoreError` at once (callers that cache treat that as a cache miss).

    Attributes:
        url: The SQLAlchemy URL of the database.
        name: How the database is named in messages (path, or URL without password).
        dialect: ``"sqlite"`` or ``"postgresql"``.
    """

    def __init__(
        self,
        engine: Engine,
        url: URL,
        *,
        index_path: Path | None = None,
        vector_backend: str | None = None,
        read_only: str | None = None,
    ) -> None:
        self._engine = engine
        self.url = url
        self.name = _engine.display(url)
        self.dialect = engine.dialect.name
        self._read_only = read_only
        self._index_path = index_path
        self._vector_backend = vector_backend
        self._index: VectorIndex | None = None
        self._index_ids: dict[int, str] = {}
        self._index_state: tuple[int, int] | None = None
        self._index_dirty = False
        self._pgvector = False  # nearest() searches in PostgreSQL
        self._pg_column = False  # the embeddings table has the pgvector column: keep it filled
        self._pgvector_dim: int | None = None  # dimension the HNSW index is known to cover
        self._warm: Any = None  # an idle SQLite connection held by keep_warm()

    # -- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(
        cls,
        target: str | os.PathLike[str] | None = None,
        *,
        index_dir: str | os.PathLike[str] | None = None,
        vector_backend: str | None = None,
        read_only: bool | None = None,
    ) -> Store:
        """Open (creating or upgrading as needed) the store at ``target``.

        Args:
            target: A file path, ``sqlite:///path``, ``postgresql://...`` (the psycopg 3
                driver is used), or None for :func:`default_db_path`.
            index_dir: Folder for the persisted vector index. Default: next to a SQLite
                file (``<db>.vectors``); kept in memory only for PostgreSQL.
            vector_backend: ``"pgvector"`` (search in PostgreSQL), ``"faiss"``,
                ``"numpy"``, or None: ``$STORYSCOPE_VECTOR_BACKEND`` if set, else
                pgvector on a PostgreSQL server that offers the extension, else faiss
                when installed, else numpy.
            read_only: SQLite only. True opens the file read-only (a ``mode=ro``
                URI); None (default) does so when the file or its folder is not
                writable, or the URL says ``mode=ro``. A read-only store is never
                migrated: an older schema is refused with one line.

        Returns:
            The open store.

        Raises:
            StoreError: The file is not a database, the server cannot be reached, the
                schema is newer than this code (or, read-only, older), the migration
                failed, or ``vector_backend="pgvector"`` on a database that cannot have it.
        """
        vector_backend = vector_backend or os.environ.get("STORYSCOPE_VECTOR_BACKEND") or None
        if vector_backend not in (None, "pgvector", "faiss", "numpy"):
            raise StoreError(f"unknown vector backend {vector_backend!r} (pgvector, faiss or numpy)")
        url = _engine.resolve_url(target if target is not None else _engine.default_db_path())
        name = _engine.display(url)
        reason = _engine.read_only_reason(url)
        if read_only and reason is None:
            if url.get_backend_name() != "sqlite":
                raise StoreError(f"{name}: read_only is for SQLite files (use a read-only role)")
            reason = "opened read-only"
        elif read_only is False and reason is not None:
            raise StoreError(f"{name}: cannot open for writing: {reason}")
        engine = _engine.create_engine(url, read_only=reason is not None)
        try:
            if reason is not None:
                _engine.check_schema(engine, name)
                logger.info("%s: read-only (%s)", name, reason)
            else:
                _engine.migrate(engine, name)
        except StoreError:
            engine.dispose()
            raise
        except sa.exc.SQLAlchemyError as exc:
            engine.dispose()
            raise _engine.wrap(exc, name) from exc
        except Exception as exc:  # alembic raises its own errors (CommandError, ...)
            engine.dispose()
            raise StoreError(f"{name}: schema migration failed ({exc})") from exc
        if index_dir is not None:
            folder = Path(index_dir)
            folder.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()
            index_path: Path | None = folder / f"{digest[:16]}.vectors"
        elif engine.dialect.name == "sqlite":
            index_path = Path(f"{url.database}.vectors")
        else:
            index_path = None
        store = cls(
            engine, url, index_path=index_path, vector_backend=vector_backend, read_only=reason
        )
        try:
            store._setup_pgvector(vector_backend)
        except BaseException:
            engine.dispose()
            raise
        return store

    def _setup_pgvector(self, backend: str | None) -> None:
        why = "pgvector needs PostgreSQL"
        wanted = backend in (None, "pgvector")
        if self.dialect == "postgresql":
            with self._write() as conn:
                self._pg_column = _pgvector.enabled(conn)
                if not self._pg_column and wanted and (backend == "pgvector" or _pgvector.offered(conn)):
                    _engine.lock_migrations(conn)
                    reason = _pgvector.enable(conn)
                    self._pg_column = reason is None
                    if reason is None:
                        logger.info("%s: article vectors are searched with pgvector", self.name)
                    else:
                        why = reason
                        logger.info("%s: %s; using the in-process vector index", self.name, why)
            if self._pg_column:
                self._fill_pgvector()
        if backend == "pgvector" and not self._pg_column:
            raise StoreError(f"{self.name}: cannot use pgvector: {why}")
        self._pgvector = wanted and self._pg_column

    def _fill_pgvector(self) -> None:
        """Give stored vectors that lack one their pgvector value (see :func:`_pgvector.unfilled`)."""
        try:
            with self._write() as conn:
                if _pgvector.unfilled(conn):
                    _engine.lock_migrations(conn)
                    count = _pgvector.backfill(conn)
                    logger.info("%s: filled the pgvector column for %d vectors", self.name, count)
        except StoreError as exc:
            logger.warning("%s: cannot fill the pgvector column (%s); some vectors are not searchable", self.name, exc)

    @property
    def read_only(self) -> bool:
        """Whether the store was opened read-only (every write raises :class:`StoreError`)."""
        return self._read_only is not None

    @property
    def vector_backend(self) -> str:
        """Where :meth:`nearest` searches: ``"pgvector"``, ``"faiss"`` or ``"numpy"``."""
        if self._pgvector:
            return "pgvector"
        if self._index is not None:
            return self._index.backend
        return self._vector_backend or new_index(1).backend

    def close(self) -> None:
        """Save the vector index if it changed and release connections."""
        try:
            if self._index_dirty and self._read_only is None:
                self.save_index()
        finally:
            warm, self._warm = self._warm, None
            if warm is not None:
                with contextlib.suppress(Exception):
                    warm.close()
            self._engine.dispose()

    def keep_warm(self) -> None:
        """Hold one idle connection open until :meth:`close` (SQLite; nothing elsewhere).

        Each read opens its own SQLite connection; while another one stays open, opening
        skips most of the WAL set-up and closing skips the checkpoint SQLite runs when the
        last connection goes (together about 1 ms a read). For long-running readers such
        as the web app. The held connection never holds a transaction, so it blocks no
        checkpoint and no writer.
        """
        if self.dialect != "sqlite" or self._warm is not None:
            return
        try:
            warm = self._engine.raw_connection()
            cursor = warm.cursor()
            cursor.execute("SELECT 1 FROM stories LIMIT 1")  # schema read, shared memory mapped
            cursor.fetchall()
            cursor.close()
            warm.rollback()
        except Exception as exc:  # an optimisation only: never a reason to fail
            logger.info("%s: no warm connection (%s)", self.name, str(exc).splitlines()[0] if str(exc) else exc)
            return
        self._warm = warm

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.name!r})"

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        if self._read_only is not None:
            raise StoreError(f"{self.name}: the store is read-only ({self._read_only})")
        try:
            with self._engine.begin() as conn:
                yield conn
        except (sa.exc.SQLAlchemyError, OverflowError) as exc:  # sqlite3: int past 64 bits
            raise _engine.wrap(exc, self.name) from exc

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                conn = conn.execution_options(storyscope_read=True)
                yield conn
        except (sa.exc.SQLAlchemyError, OverflowError) as exc:
            raise _engine.wrap(exc, self.name) from exc

    @contextmanager
    def advisory_lock(self, key: int) -> Iterator[None]:
        """Hold a session-level PostgreSQL advisory lock ``key`` for the block (no-op on SQLite).

        The lock lives on a connection of its own, kept for the block: a second
        holder waits at the start. Losing the server inside the block surfaces as
        the block's own :class:`StoreError` (the server drops a session's locks with
        the session, so a release that cannot reach it is only logged): the real
        error is never hidden behind a failed unlock.

        Raises:
            StoreError: The lock could not be taken (server unreachable, ...).
        """
        if self.dialect != "postgresql":
            yield
            return
        statement = sa.text("SELECT pg_advisory_lock(:key)")
        try:
            conn = self._engine.connect()
        except sa.exc.SQLAlchemyError as exc:
            raise _engine.wrap(exc, self.name) from exc
        try:
            try:
                logger.debug("%s: waiting for advisory lock %d", self.name, key)
                conn.execute(statement, {"key": key})
                conn.commit()
            except sa.exc.SQLAlchemyError as exc:
                raise _engine.wrap(exc, self.name) from exc
            try:
                yield
            finally:
                try:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                    conn.commit()
                except sa.exc.SQLAlchemyError as exc:  # the session is gone: so is its lock
                    logger.warning(
                        "%s: advisory lock %d not released (%s); the server drops it with the session",
                        self.name,
                        key,
                        _engine.wrap(exc, self.name),
                    )
        finally:
            try:
                conn.close()
            except sa.exc.SQLAlchemyError:  # pragma: no cover - closing a dead connection
                logger.debug("%s: closing the lock connection failed", self.name, exc_info=True)

    def revision(self) -> str | None:
        """The schema revision of the database."""
        with self._read() as conn:
            return _engine.current_revision(conn)

    def integrity_check(self) -> list[str]:
        """Problems found by the database's own checks; an empty list means healthy.

        On SQLite: ``PRAGMA integrity_check``, ``PRAGMA foreign_key_check`` and the
        FTS5 ``integrity-check`` of both full-text indexes.
        """
        problems: list[str] = []
        with self._read() as conn:
            if self.dialect == "sqlite":
                rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                problems += [r for r in rows if r != "ok"]
                problems += [str(tuple(r)) for r in conn.exec_driver_sql("PRAGMA foreign_key_check")]
                for table in ("articles_fts", "sentences_fts"):
                    try:
                        conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
                    except sa.exc.DatabaseError as exc:
                        problems.append(f"{table}: {exc.orig}")
                conn.rollback()
            else:
                orphans = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(articles)
                    .where(articles.c.story_id.is_not(None))
                    .where(~sa.exists().where(stories.c.id == articles.c.story_id))
                ).scalar_one()
                if orphans:
                    problems.append(f"{orphans} articles point at missing stories")
        return problems

    # -- articles ----------------------------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        """Store one article; False when an article with its id is already stored."""
        return self.add_articles([article])[0]

    def add_articles(
        self, batch: Iterable[Article], *, progress: RunProgress | None = None
    ) -> tuple[bool, ...]:
        """Store a batch of articles in one transaction.

        Args:
            batch: The articles. Ones already stored (same id) are left as they are.
            progress: Ingest progress to record in the same transaction, so a resumed
                run restarts exactly after the last committed batch.

        Returns:
            For each article of ``batch``, True when it was newly stored.
        """
        items = list(batch)
        now = _utcnow()
        with self._write() as conn:
            inserted = self._insert_articles(conn, items, now)
            if progress is not None:
                self._upsert_progress(conn, progress, now)
        seen: set[str] = set()
        flags = []
        for article in items:
            flags.append(article.id in inserted and article.id not in seen)
            seen.add(article.id)
        return tuple(flags)

    def _insert_articles(self, conn: Connection, items: list[Article], now: dt.datetime) -> set[str]:
        ids = list(dict.fromkeys(a.id for a in items))
        existing: set[str] = set()
        for chunk in _chunks(ids):
            existing.update(conn.execute(sa.select(articles.c.id).where(articles.c.id.in_(chunk))).scalars())
        rows: list[dict[str, Any]] = []
        taken = set(existing)
        for article in items:
            if article.id not in taken:
                taken.add(article.id)
                rows.append(_article_row(article, now))
        if not rows:
            return set()
        if self.dialect == "sqlite":
            # Writers hold the database lock (BEGIN IMMEDIATE), so max(seq) is stable here.
            top = conn.execute(sa.select(sa.func.coalesce(sa.func.max(articles.c.seq), 0))).scalar_one()
            for offset, row in enumerate(rows, start=1):
                row["seq"] = top + offset
            stmt: Any = sqlite_dialect.insert(articles).on_conflict_do_nothing()
        else:
            stmt = pg_dialect.insert(articles).on_conflict_do_nothing()
        result = conn.execute(stmt.returning(articles.c.id), rows)
        return set(result.scalars())

    def get_article(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        with self._read() as conn:
            row = conn.execute(sa.select(*_ARTICLE_COLUMNS).where(articles.c.id == article_id)).first()
        return _article(row) if row is not None else None

    def get_articles(self, article_ids: Iterable[str]) -> list[Article]:
        """Stored articles for these ids, in the given order; unknown ids are skipped."""
        ids = list(article_ids)
        found: dict[str, Article] = {}
        with self._read() as conn:
            for chunk in _chunks(ids):
                for row in conn.execute(sa.select(*_ARTICLE_COLUMNS).where(articles.c.id.in_(chunk))):
                    found[row.id] = _article(row)
        return [found[i] for i in ids if i in found]

    def stored_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of ``article_ids`` are stored (one query per 500 ids)."""
        wanted = list(dict.fromkeys(article_ids))
        found: set[str] = set()
        with self._read() as conn:
            for chunk in _chunks(wanted):
                found.update(conn.execute(sa.select(articles.c.id).where(articles.c.id.in_(chunk))).scalars())
        return found

    def article_info(self, article_id: str) -> ArticleInfo | None:
        """Store bookkeeping (sequence number, story, duplicate link) for one article."""
        with self._read() as conn:
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
        ingested = _from_db(row.ingested_at)
        assert ingested is not None
        return ArticleInfo(
            id=row.id,
            seq=row.seq,
            ingested_at=ingested,
            story_id=row.story_id,
            duplicate_of=row.duplicate_of,
        )

    def iter_articles(
        self,
        *,
        since: dt.datetime | None = None,
        after: int | None = None,
        story_id: int | None = None,
        unassigned: bool = False,
        include_duplicates: bool = True,
        batch_size: int = 500,
    ) -> Iterator[Article]:
        """Stream stored articles in insertion order, a page at a time (flat memory).

        Args:
            since: Only articles ingested at or after this time.
            after: Only articles whose sequence number (:attr:`ArticleInfo.seq`) is greater.
            story_id: Only members of this story.
            unassigned: Only articles in no story.
            include_duplicates: False skips articles marked as near-duplicates.
            batch_size: Rows fetched per query.

        Yields:
            The articles.
        """
        last = after if after is not None else 0
        while True:
            query = sa.select(articles.c.seq, *_ARTICLE_COLUMNS).where(articles.c.seq > last)
            if since is not None:
                query = query.where(articles.c.ingested_at >= _to_db(since))
            if story_id is not None:
                query = query.where(articles.c.story_id == story_id)
            if unassigned:
                query = query.where(articles.c.story_id.is_(None))
            if not include_duplicates:
                query = query.where(articles.c.duplicate_of.is_(None))
            with self._read() as conn:
                rows = conn.execute(query.order_by(articles.c.seq).limit(batch_size)).all()
            if not rows:
                return
            for row in rows:
                yield _article(row)
            last = rows[-1].seq

    def count(self, *, story_id: int | None = None) -> int:
        """Number of stored articles (in one story, when ``story_id`` is given)."""
        query = sa.select(sa.func.count()).select_from(articles)
        if story_id is not None:
            query = query.where(articles.c.story_id == story_id)
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def mark_duplicate(self, article_id: str, original_id: str | None) -> None:
        """Link an article to the original it copies (None clears the link).

        Raises:
            StoreError: Either article is not stored, or it would link to itself.
        """
        if original_id == article_id:
            raise StoreError(f"{self.name}: article {article_id} cannot duplicate itself")
        with self._write() as conn:
            wanted = {article_id} | ({original_id} if original_id else set())
            found = set(conn.execute(sa.select(articles.c.id).where(articles.c.id.in_(wanted))).scalars())
            if found != wanted:
                raise StoreError(f"{self.name}: no stored article {sorted(wanted - found)[0]}")
            story = conn.execute(
                sa.update(articles)
                .where(articles.c.id == article_id)
                .values(duplicate_of=original_id)
                .returning(articles.c.story_id)
            ).scalar_one()
            if story is not None:
                self._refresh_stories(conn, {story})

    # -- stories -----------------------------------------------------------------------------

    def create_story(self, title: str | None = None, article_ids: Iterable[str] = ()) -> int:
        """Create a story, optionally with members, and return its id."""
        members = list(article_ids)
        now = _utcnow()
        with self._write() as conn:
            story_id = int(
                conn.execute(
                    sa.insert(stories)
                    .values(title=title, created_at=now, updated_at=now, members_version=_NO_MEMBERS)
                    .returning(stories.c.id)
                ).scalar_one()
            )
            conn.execute(
                sa.update(stories)
                .where(stories.c.id == story_id)
                .values(sort_title=_sort_title(story_id, title))
            )
            if members:
                self._assign(conn, dict.fromkeys(members, story_id))
        return story_id

    def set_story_title(self, story_id: int, title: str | None) -> None:
        """Rename a story."""
        with self._write() as conn:
            done = conn.execute(
                sa.update(stories)
                .where(stories.c.id == story_id)
                .values(title=title, sort_title=_sort_title(story_id, title), updated_at=_utcnow())
            ).rowcount
        if not done:
            raise StoreError(f"{self.name}: no story {story_id}")

    def assign(self, article_id: str, story_id: int | None) -> None:
        """Put an article into a story (None takes it out of its story)."""
        self.assign_many({article_id: story_id})

    def assign_many(self, assignments: Mapping[str, int | None]) -> None:
        """Set the story of many articles in one transaction.

        Raises:
            StoreError: An article or story is not stored (nothing is changed then).
        """
        with self._write() as conn:
            self._assign(conn, dict(assignments))

    def _assign(self, conn: Connection, assignments: dict[str, int | None]) -> None:
        if not assignments:
            return
        ids = list(assignments)
        before: dict[str, int | None] = {}
        for chunk in _chunks(ids):
            before.update(
                (r.id, r.story_id)
                for r in conn.execute(
                    sa.select(articles.c.id, articles.c.story_id).where(articles.c.id.in_(chunk))
                )
            )
        missing = [i for i in ids if i not in before]
        if missing:
            raise StoreError(f"{self.name}: no stored article {missing[0]}")
        wanted = {s for s in assignments.values() if s is not None}
        if wanted:
            known = set(conn.execute(sa.select(stories.c.id).where(stories.c.id.in_(wanted))).scalars())
            if wanted - known:
                raise StoreError(f"{self.name}: no story {sorted(wanted - known)[0]}")
        by_story: dict[int | None, list[str]] = {}
        for article_id, story_id in assignments.items():
            if before[article_id] != story_id:
                by_story.setdefault(story_id, []).append(article_id)
        touched: set[int] = set()
        for story_id, members in by_story.items():
            for chunk in _chunks(members):
                conn.execute(sa.update(articles).where(articles.c.id.in_(chunk)).values(story_id=story_id))
            touched.update(before[m] for m in members if before[m] is not None)  # type: ignore[misc]
            if story_id is not None:
                touched.add(story_id)
        self._refresh_stories(conn, touched)

    def _refresh_stories(self, conn: Connection, story_ids: set[int]) -> None:
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
        now = _utcnow()
        for chunk in _chunks(sorted(story_ids)):
            figures = {sid: (hashlib.sha256(), [0, 0], set[str]()) for sid in chunk}
            members = (
                sa.select(articles.c.story_id, articles.c.id, articles.c.duplicate_of, articles.c.outlet)
                .where(articles.c.story_id.in_(chunk))
                .order_by(articles.c.story_id, articles.c.id)  # story_version's order
            )
            for row in conn.execute(members):
                digest, counts, outlets = figures[row.story_id]
                digest.update(f"{row.id}:{row.duplicate_of or ''}\n".encode())
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

    def merge_stories(self, keep: int, absorb: int) -> int:
        """Move every article of story ``absorb`` into ``keep`` and delete ``absorb``.

        Returns:
            ``keep``.

        Raises:
            StoreError: Either story does not exist, or they are the same story.
        """
        if keep == absorb:
            raise StoreError(f"{self.name}: cannot merge story {keep} into itself")
        with self._write() as conn:
            known = set(conn.execute(sa.select(stories.c.id).where(stories.c.id.in_([keep, absorb]))).scalars())
            for story_id in (keep, absorb):
                if story_id not in known:
                    raise StoreError(f"{self.name}: no story {story_id}")
            conn.execute(sa.update(articles).where(articles.c.story_id == absorb).values(story_id=keep))
            conn.execute(sa.delete(stories).where(stories.c.id == absorb))
            conn.execute(sa.delete(cache).where(cache.c.key == f"story:{absorb}"))
            self._refresh_stories(conn, {keep})
        return keep

    def delete_story(self, story_id: int) -> None:
        """Delete a story; its articles stay stored, in no story."""
        with self._write() as conn:
            conn.execute(sa.update(articles).where(articles.c.story_id == story_id).values(story_id=None))
            done = conn.execute(sa.delete(stories).where(stories.c.id == story_id)).rowcount
            conn.execute(sa.delete(cache).where(cache.c.key == f"story:{story_id}"))
        if not done:
            raise StoreError(f"{self.name}: no story {story_id}")

    def get_story(self, story_id: int) -> StoredStory | None:
        """One story with its figures, or None (also for an id no row can have)."""
        if not _is_key(story_id):
            return None
        found = self._stories(story_id)
        return found[0] if found else None

    def list_stories(self) -> list[StoredStory]:
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
        with self._read() as conn:
            rows = conn.execute(query).all()
            counts: dict[int, list[tuple[str, int, int]]] = {}
            for r in conn.execute(figures.group_by(articles.c.story_id, articles.c.outlet)):
                counts.setdefault(r.story_id, []).append((r.outlet, r.n, r.dups))
        result = []
        for row in rows:
            parts = counts.get(row.id, [])
            created, updated = _from_db(row.created_at), _from_db(row.updated_at)
            assert created is not None and updated is not None
            result.append(
                StoredStory(
                    id=row.id,
                    title=row.title,
                    created_at=created,
                    updated_at=updated,
                    first_published=_from_db(row.first_published),
                    last_published=_from_db(row.last_published),
                    article_count=sum(n for _, n, _ in parts),
                    duplicate_count=sum(d for _, _, d in parts),
                    outlets=tuple(sorted(o for o, _, _ in parts)),
                )
            )
        oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
        result.sort(key=lambda s: (s.last_published or oldest, s.id), reverse=True)
        return result

    def story_articles(self, story_id: int) -> list[Article]:
        """The articles of a story, by publication date (undated last), then insertion order."""
        if not _is_key(story_id):
            return []
        query = (
            sa.select(*_ARTICLE_COLUMNS)
            .where(articles.c.story_id == story_id)
            .order_by(articles.c.published_at.is_(None), articles.c.published_at, articles.c.seq)
        )
        with self._read() as conn:
            return [_article(row) for row in conn.execute(query)]

    def story_version(self, story_id: int) -> str:
        """A hash of the story's membership (ids and duplicate links) for cache keys."""
        if not _is_key(story_id):
            return hashlib.sha256().hexdigest()[:32]
        query = (
            sa.select(articles.c.id, articles.c.duplicate_of)
            .where(articles.c.story_id == story_id)
            .order_by(articles.c.id)
        )
        digest = hashlib.sha256()
        with self._read() as conn:
            for row in conn.execute(query):
                digest.update(f"{row.id}:{row.duplicate_of or ''}\n".encode())
        return digest.hexdigest()[:32]

    def story_versions(self, story_ids: Iterable[int]) -> dict[int, str]:
        """:meth:`story_version` of many stories, read in one connection (500 ids a query)."""
        wanted = sorted({i for i in story_ids if _is_key(i)})
        digests = {i: hashlib.sha256() for i in wanted}
        with self._read() as conn:
            for chunk in _chunks(wanted):
                query = (
                    sa.select(articles.c.story_id, articles.c.id, articles.c.duplicate_of)
                    .where(articles.c.story_id.in_(chunk))
                    .order_by(articles.c.story_id, articles.c.id)
                )
                for row in conn.execute(query):
                    digests[row.story_id].update(f"{row.id}:{row.duplicate_of or ''}\n".encode())
        return {i: d.hexdigest()[:32] for i, d in digests.items()}

    # -- story summaries (the story list) ----------------------------------------------------

    def story_summaries(
        self,
        *,
        story_ids: Iterable[int] | None = None,
        outlet: str | None = None,
        published_since: dt.datetime | None = None,
        published_before: dt.datetime | None = None,
        order: SummaryOrder = "recent",
        digest: str = "",
        limit: int = 50,
        offset: int = 0,
    ) -> SummaryPage:
        """One page of the stories with members, from their summary rows (no article read).

        Two queries, the page's and its total, whatever the store's size: ``recent``
        (latest publication first, undated last) and ``size`` (most articles first)
        walk an index; ``conflicts`` (most contradictions first, unknown counted as 0)
        sorts the matching rows. Ties go by title (casefolded), then id.

        Args:
            story_ids: Only these stories (None: all).
            outlet: Only stories with an article from this outlet.
            published_since: Only stories with an article published at or after this time.
            published_before: Only stories with an article published before this time.
            order: ``recent``, ``size`` or ``conflicts``.
            digest: The settings digest whose report counts are wanted; counts of a
                report made with another digest or for other members are None.
            limit: Page size.
            offset: Rows to skip.
        """
        conditions: list[Any] = [stories.c.article_count > 0]
        if story_ids is not None:
            wanted = sorted({i for i in story_ids if _is_key(i)})
            if not wanted:
                return SummaryPage(stories=(), total=0)
            conditions.append(stories.c.id.in_(wanted))
        if outlet is not None:
            conditions.append(
                stories.c.id.in_(
                    sa.select(articles.c.story_id).where(
                        articles.c.outlet == outlet, articles.c.story_id.is_not(None)
                    )
                )
            )
        if published_since is not None:
            conditions.append(stories.c.last_published >= _to_db(published_since))
        if published_before is not None:
            conditions.append(stories.c.first_published < _to_db(published_before))
        current = sa.and_(
            stories.c.report_members == stories.c.members_version, stories.c.report_digest == digest
        )
        counted = [
            sa.case((current, column), else_=None).label(column.name)
            for column in (stories.c.fact_count, stories.c.contradiction_count, stories.c.consensus_count)
        ]
        if order == "size":
            keys: list[Any] = [stories.c.article_count.desc()]
        elif order == "conflicts":
            keys = [sa.func.coalesce(sa.case((current, stories.c.contradiction_count), else_=0), 0).desc()]
        else:
            latest = stories.c.last_published.desc()
            keys = [latest.nulls_last() if self.dialect == "postgresql" else latest]
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
        with self._read() as conn:
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
                    first_published=_from_db(row.first_published),
                    last_published=_from_db(row.last_published),
                    version=row.members_version,
                    fact_count=row.fact_count,
                    contradiction_count=row.contradiction_count,
                    consensus_count=row.consensus_count,
                )
                for row in rows
            ),
            total=total,
        )

    def set_story_counts(self, counts: Iterable[StoryCounts]) -> int:
        """Keep the report counts of stories in their summary rows (one transaction).

        A count is kept only while its story still has the members it was computed
        for (``members``), so a report that finishes after an ingest changed its story
        is left out. Returns how many stories took their counts.
        """
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
            if _is_key(c.story_id)
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
        with self._write() as conn:
            return int(conn.execute(stmt, rows).rowcount)

    def outlets(self) -> list[str]:
        """The distinct outlets of articles in a story, sorted (an index scan, no story read)."""
        query = sa.select(articles.c.outlet).where(articles.c.story_id.is_not(None)).distinct()
        with self._read() as conn:
            return sorted(conn.execute(query).scalars())

    # -- failures and progress ---------------------------------------------------------------

    def record_failure(self, failure: Failure, *, run_id: str | None = None) -> None:
        """Record a failure (a source skipped with a reason)."""
        with self._write() as conn:
            conn.execute(
                sa.insert(failures).values(
                    run_id=run_id,
                    source=failure.source,
                    stage=failure.stage,
                    error=failure.error,
                    at=_utcnow(),
                )
            )

    def failures(self, *, run_id: str | None = None) -> list[StoredFailure]:
        """Recorded failures, oldest first (of one run, when ``run_id`` is given)."""
        query = sa.select(failures).order_by(failures.c.id)
        if run_id is not None:
            query = query.where(failures.c.run_id == run_id)
        with self._read() as conn:
            return [
                StoredFailure(
                    source=r.source,
                    stage=r.stage,
                    error=r.error,
                    at=r.at.replace(tzinfo=dt.UTC),
                    run_id=r.run_id,
                )
                for r in conn.execute(query)
            ]

    def _upsert_progress(self, conn: Connection, progress: RunProgress, now: dt.datetime) -> None:
        values = {
            "run_id": progress.run_id,
            "source": progress.source,
            "position": progress.position,
            "status": progress.status,
            "added": progress.added,
            "skipped": progress.skipped,
            "failed": progress.failed,
            "started_at": now,
            "updated_at": now,
        }
        insert: Any = sqlite_dialect.insert if self.dialect == "sqlite" else pg_dialect.insert
        stmt = insert(ingest_progress).values(values)
        update = {k: stmt.excluded[k] for k in values if k not in ("run_id", "source", "started_at")}
        conn.execute(stmt.on_conflict_do_update(index_elements=["run_id", "source"], set_=update))

    def set_progress(self, progress: RunProgress) -> None:
        """Record where a run stands on one source (insert or replace)."""
        with self._write() as conn:
            self._upsert_progress(conn, progress, _utcnow())

    def get_progress(self, run_id: str, source: str) -> RunProgress | None:
        """Where a run stands on one source, or None if it never started there."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(ingest_progress).where(
                    ingest_progress.c.run_id == run_id, ingest_progress.c.source == source
                )
            ).first()
        return _progress(row) if row is not None else None

    def list_progress(self, run_id: str | None = None) -> list[RunProgress]:
        """Progress rows, by run then source."""
        query = sa.select(ingest_progress).order_by(ingest_progress.c.run_id, ingest_progress.c.source)
        if run_id is not None:
            query = query.where(ingest_progress.c.run_id == run_id)
        with self._read() as conn:
            return [_progress(r) for r in conn.execute(query)]

    # -- cache -------------------------------------------------------------------------------

    def cache_put(self, kind: str, key: str, value: Any, *, version: str = "") -> None:
        """Cache a JSON-serialisable value under ``(kind, key)`` at ``version``.

        Use ``key=f"story:{id}"`` and ``version=store.story_version(id)`` for story
        reports, and the article id for analyzed articles; a later version replaces it.
        """
        try:
            blob = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError) as exc:
            raise StoreError(f"{self.name}: cache value for {kind}/{key} is not JSON ({exc})") from exc
        values = {"kind": kind, "key": key, "version": version, "value": blob, "updated_at": _utcnow()}
        insert: Any = sqlite_dialect.insert if self.dialect == "sqlite" else pg_dialect.insert
        stmt = insert(cache).values(values)
        with self._write() as conn:
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["kind", "key"],
                    set_={k: stmt.excluded[k] for k in ("version", "value", "updated_at")},
                )
            )

    def cache_get(self, kind: str, key: str, *, version: str = "") -> Any | None:
        """The cached value, or None when absent or cached at another version."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(cache.c.version, cache.c.value).where(cache.c.kind == kind, cache.c.key == key)
            ).first()
        if row is None or row.version != version:
            return None
        return json.loads(row.value)

    def cache_get_many(self, kind: str, versions: Mapping[str, str]) -> dict[str, Any]:
        """The cached values of many keys, each at its version (``{key: version}``), read in
        one connection; keys absent or cached at another version are left out."""
        keys = list(versions)
        found: dict[str, Any] = {}
        with self._read() as conn:
            for chunk in _chunks(keys):
                query = sa.select(cache.c.key, cache.c.version, cache.c.value).where(
                    cache.c.kind == kind, cache.c.key.in_(chunk)
                )
                for row in conn.execute(query):
                    if row.version == versions.get(row.key):
                        found[row.key] = json.loads(row.value)
        return found

    def article_stories(self, article_ids: Iterable[str]) -> dict[str, int | None]:
        """The story of each stored article among ``article_ids`` (None: in no story)."""
        wanted = list(dict.fromkeys(article_ids))
        found: dict[str, int | None] = {}
        with self._read() as conn:
            for chunk in _chunks(wanted):
                query = sa.select(articles.c.id, articles.c.story_id).where(articles.c.id.in_(chunk))
                found.update({row.id: row.story_id for row in conn.execute(query)})
        return found

    def cache_delete(self, kind: str | None = None, key: str | None = None) -> int:
        """Drop cache entries matching ``kind`` and/or ``key``; returns how many."""
        stmt = sa.delete(cache)
        if kind is not None:
            stmt = stmt.where(cache.c.kind == kind)
        if key is not None:
            stmt = stmt.where(cache.c.key == key)
        with self._write() as conn:
            return int(conn.execute(stmt).rowcount)

    # -- sentences and search ----------------------------------------------------------------

    def save_sentences(self, article_id: str, items: Sequence[Sentence]) -> None:
        """Store an article's sentences (replacing earlier ones) for sentence search.

        Raises:
            StoreError: The article is not stored, or a sentence's text is not
                ``article.text[start:end]``.
        """
        with self._write() as conn:
            text = conn.execute(sa.select(articles.c.text).where(articles.c.id == article_id)).scalar()
            if text is None:
                raise StoreError(f"{self.name}: no stored article {article_id}")
            for s in items:
                if text[s.start : s.end] != s.text:
                    raise StoreError(
                        f"{self.name}: sentence {s.index} of {article_id} does not match "
                        f"the article text at [{s.start}, {s.end})"
                    )
            conn.execute(sa.delete(sentences).where(sentences.c.article_id == article_id))
            if items:
                conn.execute(
                    sa.insert(sentences),
                    [
                        {"article_id": article_id, "idx": s.index, "start": s.start, "end": s.end, "text": s.text}
                        for s in items
                    ],
                )

    def load_sentences(self, article_id: str) -> tuple[Sentence, ...]:
        """The stored sentences of an article, in order (empty when none were saved)."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(sentences).where(sentences.c.article_id == article_id).order_by(sentences.c.idx)
            )
            return tuple(Sentence(index=r.idx, start=r.start, end=r.end, text=r.text) for r in rows)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over article titles and texts, best match first.

        Args:
            query: Web-search syntax: words (ANDed), ``"phrases"``, ``OR``, ``-exclude``.
                English stemming applies. Any string is accepted.
            limit: Most hits returned.

        Returns:
            Hits with an exact-span snippet around the first match.
        """
        query = _search.clean_query(query)
        if limit <= 0 or _search.fts5_query(query) is None:
            return []
        with self._read() as conn:
            if self.dialect == "sqlite":
                ranked, marked = self._search_sqlite(conn, query, limit)
            else:
                ranked, marked = self._search_postgres(conn, query, limit)
        hits = []
        for row in ranked:
            text = row.text
            matches = _search.match_spans(marked.get(row.id), text)
            window = _search.snippet_span(text, matches)
            published = dt.datetime.fromisoformat(row.published) if row.published else None
            hits.append(
                SearchHit(
                    article_id=row.id,
                    outlet=row.outlet,
                    title=row.title,
                    published=published,
                    score=float(row.score),
                    start=window.start,
                    end=window.end,
                    snippet=text[window.start : window.end],
                    matches=matches,
                )
            )
        return hits

    def _search_sqlite(self, conn: Connection, query: str, limit: int) -> tuple[Sequence[Any], dict[str, str]]:
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

    def _search_postgres(self, conn: Connection, query: str, limit: int) -> tuple[Sequence[Any], dict[str, str]]:
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

    def search_sentences(self, query: str, limit: int = 20) -> list[SentenceHit]:
        """Full-text search over stored sentences (see :meth:`search` for the syntax)."""
        query = _search.clean_query(query)
        expression = _search.fts5_query(query)
        if limit <= 0 or expression is None:
            return []
        with self._read() as conn:
            if self.dialect == "sqlite":
                rows = conn.execute(
                    sa.text(
                        "SELECT s.article_id, s.idx, s.start, s.\"end\", s.text, -f.score AS score "
                        "FROM (SELECT rowid, bm25(sentences_fts) AS score FROM sentences_fts "
                        "WHERE sentences_fts MATCH :q ORDER BY score LIMIT :n) AS f "
                        "JOIN sentences s ON s.id = f.rowid ORDER BY f.score, s.id"
                    ),
                    {"q": expression, "n": limit},
                ).all()
            else:
                rows = conn.execute(
                    sa.text(
                        "SELECT s.article_id, s.idx, s.start, s.\"end\", s.text, ts_rank_cd(s.tsv, q) AS score "
                        "FROM sentences s, websearch_to_tsquery('storyscope', :q) q "
                        "WHERE s.tsv @@ q ORDER BY score DESC, s.id LIMIT :n"
                    ),
                    {"q": query, "n": limit},
                ).all()
        return [
            SentenceHit(
                article_id=r.article_id, index=r.idx, start=r.start, end=r.end, text=r.text, score=float(r.score)
            )
            for r in rows
        ]

    # -- embeddings and the vector index -------------------------------------------------------

    def put_embeddings(self, vectors: Mapping[str, npt.ArrayLike], *, model: str = "") -> None:
        """Store one vector per article (replacing earlier ones), L2-normalised, as float32.

        Raises:
            StoreError: An article is not stored, a vector is not finite or all zero, or
                its dimension differs from the vectors already stored.
        """
        if not vectors:
            return
        ids = list(vectors)
        matrix = np.stack([np.asarray(vectors[i], dtype=np.float32).reshape(-1) for i in ids])
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        if not np.isfinite(matrix).all() or (norms == 0).any():
            raise StoreError(f"{self.name}: embeddings must be finite and non-zero")
        matrix = matrix / norms
        dim = int(matrix.shape[1])
        with self._write() as conn:
            if self._pg_column and self._pgvector_dim != dim:
                _engine.lock_migrations(conn)  # before any row lock: the index DDL below needs it
            stored_dim = conn.execute(sa.select(embeddings.c.dim).limit(1)).scalar()
            if stored_dim is not None and stored_dim != dim:
                raise StoreError(f"{self.name}: embedding dimension {dim} differs from stored {stored_dim}")
            known: set[str] = set()
            old: list[int] = []
            for chunk in _chunks(ids):
                known.update(conn.execute(sa.select(articles.c.id).where(articles.c.id.in_(chunk))).scalars())
                old.extend(
                    conn.execute(sa.select(embeddings.c.id).where(embeddings.c.article_id.in_(chunk))).scalars()
                )
            missing = [i for i in ids if i not in known]
            if missing:
                raise StoreError(f"{self.name}: no stored article {missing[0]}")
            for chunk in _chunks(old):
                conn.execute(sa.delete(embeddings).where(embeddings.c.id.in_(chunk)))
            if self._pg_column and self._pgvector_dim != dim:
                _pgvector.ensure_index(conn, dim)
            result = conn.execute(
                sa.insert(embeddings).returning(embeddings.c.id, embeddings.c.article_id),
                [
                    {"article_id": i, "model": model, "dim": dim, "vector": matrix[n].tobytes()}
                    for n, i in enumerate(ids)
                ],
            )
            new_ids = {row.article_id: int(row.id) for row in result}
            if self._pg_column:
                _pgvector.write(conn, [(new_ids[i], matrix[n]) for n, i in enumerate(ids)])
        if self._pg_column:
            self._pgvector_dim = dim
        if self._pgvector:
            return
        if self._index is not None and self._index_state is not None:
            if self._index.dim != dim:
                self._drop_index()
                return
            old_ids = np.asarray(old, dtype=np.int64)
            self._index.remove(old_ids)
            for key in old:
                self._index_ids.pop(key, None)
            rows = np.asarray([new_ids[i] for i in ids], dtype=np.int64)
            self._index.add(rows, matrix)
            self._index_ids.update((new_ids[i], i) for i in ids)
            count, top = self._index_state
            self._index_state = (count - len(old) + len(ids), max(top, int(rows.max())))
            self._index_dirty = True

    def put_embedding(self, article_id: str, vector: npt.ArrayLike, *, model: str = "") -> None:
        """Store one article's vector (see :meth:`put_embeddings`)."""
        self.put_embeddings({article_id: vector}, model=model)

    def get_embedding(self, article_id: str) -> npt.NDArray[np.float32] | None:
        """The stored (normalised) vector of an article, or None."""
        with self._read() as conn:
            blob = conn.execute(
                sa.select(embeddings.c.vector).where(embeddings.c.article_id == article_id)
            ).scalar()
        return None if blob is None else np.frombuffer(blob, dtype=np.float32).copy()

    def nearest(
        self, vector: npt.ArrayLike, k: int = 10, *, exclude: Iterable[str] = ()
    ) -> list[tuple[str, float]]:
        """The ``k`` stored articles whose vectors are closest (cosine) to ``vector``."""
        return self.nearest_many(np.asarray(vector, dtype=np.float32).reshape(1, -1), k, exclude=exclude)[0]

    def nearest_many(
        self, vectors: npt.ArrayLike, k: int = 10, *, exclude: Iterable[str] = ()
    ) -> list[list[tuple[str, float]]]:
        """:meth:`nearest` for each row of ``vectors`` in one index call."""
        matrix = np.asarray(vectors, dtype=np.float32)
        if matrix.ndim == 1:
            matrix = matrix.reshape(1, -1)
        skip = set(exclude)
        if self._pgvector:
            return self._nearest_pgvector(matrix, k, skip)
        index = self._ensure_index()
        if index is None or k <= 0:
            return [[] for _ in range(len(matrix))]
        if matrix.shape[1] != index.dim:
            raise StoreError(f"{self.name}: query dimension {matrix.shape[1]} differs from stored {index.dim}")
        matrix = _normalised(matrix)
        scores, found = index.search(matrix, k + len(skip))
        result = []
        for row_scores, row_ids in zip(scores, found, strict=True):
            hits = []
            for score, key in zip(row_scores, row_ids, strict=True):
                article_id = self._index_ids.get(int(key))
                if key < 0 or article_id is None or article_id in skip:
                    continue
                hits.append((article_id, float(score)))
                if len(hits) == k:
                    break
            result.append(hits)
        return result

    def _nearest_pgvector(
        self, matrix: npt.NDArray[np.float32], k: int, skip: set[str]
    ) -> list[list[tuple[str, float]]]:
        self._fill_pgvector()
        with self._read() as conn:
            dim = _pgvector.stored_dim(conn)
            if dim is None or k <= 0:
                return [[] for _ in range(len(matrix))]
            if matrix.shape[1] != dim:
                raise StoreError(f"{self.name}: query dimension {matrix.shape[1]} differs from stored {dim}")
            found = _pgvector.nearest(conn, _normalised(matrix), int(dim), k + len(skip))
        return [[hit for hit in hits if hit[0] not in skip][:k] for hits in found]

    def _db_vector_state(self, conn: Connection) -> tuple[int, int, int | None]:
        row = conn.execute(
            sa.select(sa.func.count(), sa.func.coalesce(sa.func.max(embeddings.c.id), 0), sa.func.max(embeddings.c.dim))
        ).one()
        return int(row[0]), int(row[1]), row[2]

    def _drop_index(self) -> None:
        self._index = None
        self._index_ids = {}
        self._index_state = None
        self._index_dirty = False

    def _ensure_index(self) -> VectorIndex | None:
        with self._read() as conn:
            count, top, dim = self._db_vector_state(conn)
            if count == 0 or dim is None:
                self._drop_index()
                return None
            if self._index is not None and self._index_state == (count, top) and self._index.dim == dim:
                return self._index
            self._drop_index()
            self._index_ids = {
                int(r.id): r.article_id for r in conn.execute(sa.select(embeddings.c.id, embeddings.c.article_id))
            }
            loaded = self._load_index_file(count, top, dim)
            if loaded is not None:
                self._index = loaded
            else:
                index = new_index(dim, self._vector_backend)
                last = 0
                while True:
                    rows = conn.execute(
                        sa.select(embeddings.c.id, embeddings.c.vector)
                        .where(embeddings.c.id > last)
                        .order_by(embeddings.c.id)
                        .limit(5000)
                    ).all()
                    if not rows:
                        break
                    index.add(
                        np.asarray([r.id for r in rows], dtype=np.int64),
                        np.frombuffer(b"".join(r.vector for r in rows), dtype=np.float32).reshape(-1, dim),
                    )
                    last = rows[-1].id
                self._index = index
                self._index_dirty = True
            self._index_state = (count, top)
        if self._index_dirty and self._read_only is None:
            self.save_index()
        return self._index

    def _load_index_file(self, count: int, top: int, dim: int) -> VectorIndex | None:
        if self._index_path is None:
            return None
        meta_path = self._index_path.with_name(self._index_path.name + ".json")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            wanted = self._vector_backend or meta.get("backend")
            if (meta.get("count"), meta.get("max_id"), meta.get("dim")) != (count, top, dim) or (
                meta.get("backend") != wanted
            ):
                return None
            index = load_index(self._index_path, meta["backend"])
        except (OSError, ValueError, KeyError, RuntimeError, TypeError) as exc:
            logger.info("%s: rebuilding the vector index (%s)", self.name, exc)
            return None
        if len(index) != count or index.dim != dim:
            return None
        return index

    def save_index(self) -> None:
        """Write the vector index next to the database (no-op for memory-only indexes)."""
        if self._index is None or self._index_state is None or self._index_path is None:
            self._index_dirty = False
            return
        meta_path = self._index_path.with_name(self._index_path.name + ".json")
        try:
            self._index.save(self._index_path)
            meta = {
                "backend": self._index.backend,
                "dim": self._index.dim,
                "count": self._index_state[0],
                "max_id": self._index_state[1],
            }
            tmp = meta_path.with_name(meta_path.name + ".tmp")
            tmp.write_text(json.dumps(meta), encoding="utf-8")
            os.replace(tmp, meta_path)
        except OSError as exc:
            raise StoreError(f"{self._index_path}: cannot write the vector index ({exc.strerror})") from exc
        self._index_dirty = False


def _normalised(matrix: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1, norms)).astype(np.float32)


def open_store(
    target: str | os.PathLike[str] | None = None,
    *,
    index_dir: str | os.PathLike[str] | None = None,
    vector_backend: str | None = None,
) -> Store:
    """Open the store at ``target`` (see :meth:`Store.open`)."""
    return Store.open(target, index_dir=index_dir, vector_backend=vector_backend)
