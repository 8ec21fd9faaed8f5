"""The store's facade: :class:`Store`, one object over the parts that each own their data.

SQLite (default, one file, WAL) or PostgreSQL (shared deployments), with the same
schema, migrations and behaviour on both. Articles are keyed by their content hash,
so storing the same article twice is a no-op. Every write is one transaction: a
process killed mid-ingest loses nothing it committed.

:class:`Store` holds one :class:`~._db.Database` (engine, dialect, transactions,
read-only mode) and hands each call to the part that owns the table:

- :class:`~._articles.Articles`: articles, their duplicate links;
- :class:`~._stories.Stories`: stories and membership (dates, summary, version);
- :class:`~._summaries.Summaries`: the story list and its report counts;
- :class:`~._cache.Cache`: stored analyses, cached reports, clustering state;
- :class:`~._runs.Runs`: ingest progress and failures;
- :class:`~._fulltext.FullText`: sentences and full-text search;
- :class:`~._embeddings.Embeddings`: article vectors (the embedding cache).

What differs between the backends is the :class:`~._dialect.Dialect`'s alone.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine

from storyscope.errors import StoreError
from storyscope.model import Article, Failure, Sentence

from . import _engine
from ._articles import Articles
from ._cache import Cache
from ._db import Database
from ._embeddings import Embeddings
from ._fulltext import FullText
from ._runs import Runs
from ._stories import Stories
from ._summaries import Summaries, SummaryOrder
from .records import (
    ArticleInfo,
    RunProgress,
    SearchHit,
    SentenceHit,
    StoredFailure,
    StoredStory,
    StoryCounts,
    SummaryPage,
)

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import numpy.typing as npt

__all__ = ["Store", "open_store"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


class Store:
    """Articles, stories and their derived data in SQLite or PostgreSQL.

    Open one with :meth:`Store.open` (or :func:`open_store`); it migrates the schema
    to the newest revision on open. Use it as a context manager, or call
    :meth:`close`, so its connections are released.

    A SQLite file this process may not write (or whose folder it may not write)
    is opened read-only: reads work, nothing is migrated, every write raises
    :class:`StoreError` at once (callers that cache treat that as a cache miss).

    Attributes:
        url: The SQLAlchemy URL of the database.
        name: How the database is named in messages (path, or URL without password).
        dialect: ``"sqlite"`` or ``"postgresql"``.
    """

    def __init__(self, engine: Engine, url: URL, *, read_only: str | None = None) -> None:
        self._db = Database(engine, url, read_only=read_only)
        self._engine = engine
        self.url = url
        self.name = self._db.name
        self.dialect = self._db.dialect.name
        self._articles = Articles(self._db)
        self._stories = Stories(self._db)
        self._summaries = Summaries(self._db)
        self._cache = Cache(self._db)
        self._runs = Runs(self._db)
        self._text = FullText(self._db)
        self._embeddings = Embeddings(self._db)

    # -- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(
        cls,
        target: str | os.PathLike[str] | None = None,
        *,
        read_only: bool | None = None,
    ) -> Store:
        """Open (creating or upgrading as needed) the store at ``target``.

        Args:
            target: A file path, ``sqlite:///path``, ``postgresql://...`` (the psycopg 3
                driver is used), or None for :func:`default_db_path`.
            read_only: SQLite only. True opens the file read-only (a ``mode=ro``
                URI); None (default) does so when the file or its folder is not
                writable, or the URL says ``mode=ro``. A read-only store is never
                migrated: an older schema is refused with one line.

        Returns:
            The open store.

        Raises:
            StoreError: The file is not a database, the server cannot be reached, the
                schema is newer than this code (or, read-only, older), or the
                migration failed.
        """
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
        return cls(engine, url, read_only=reason)

    @property
    def read_only(self) -> bool:
        """Whether the store was opened read-only (every write raises :class:`StoreError`)."""
        return self._db.read_only is not None

    def close(self) -> None:
        """Release the store's connections."""
        self._db.close()

    def keep_warm(self) -> None:
        """Hold one idle connection open until :meth:`close` (SQLite; nothing elsewhere).

        Each read opens its own SQLite connection; while another one stays open, opening
        skips most of the WAL set-up and closing skips the checkpoint SQLite runs when the
        last connection goes (together about 1 ms a read). For long-running readers such
        as the web app. The held connection never holds a transaction, so it blocks no
        checkpoint and no writer.
        """
        self._db.keep_warm()

    @property
    def _warm(self) -> Any:
        return self._db.warm

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
        with self._db.write() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._db.read() as conn:
            yield conn

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
        with self._db.dialect.advisory_lock(self._engine, key, self.name):
            yield

    def revision(self) -> str | None:
        """The schema revision of the database."""
        with self._db.read() as conn:
            return _engine.current_revision(conn)

    def integrity_check(self) -> list[str]:
        """Problems found by the database's own checks; an empty list means healthy.

        On SQLite: ``PRAGMA integrity_check``, ``PRAGMA foreign_key_check`` and the
        FTS5 ``integrity-check`` of both full-text indexes.
        """
        with self._db.read() as conn:
            return self._db.dialect.integrity_problems(conn)

    # -- articles ----------------------------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        """Store one article; False when an article with its id is already stored."""
        return self._articles.add([article])[0]

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
        return self._articles.add(batch, progress=progress)

    def get_article(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        return self._articles.get(article_id)

    def get_articles(self, article_ids: Iterable[str]) -> list[Article]:
        """Stored articles for these ids, in the given order; unknown ids are skipped."""
        return self._articles.get_many(article_ids)

    def stored_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of ``article_ids`` are stored (one query per 500 ids)."""
        return self._articles.stored_ids(article_ids)

    def article_info(self, article_id: str) -> ArticleInfo | None:
        """Store bookkeeping (sequence number, story, duplicate link) for one article."""
        return self._articles.info(article_id)

    def article_stories(self, article_ids: Iterable[str]) -> dict[str, int | None]:
        """The story of each stored article among ``article_ids`` (None: in no story)."""
        return self._articles.stories_of(article_ids)

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
        return self._articles.iterate(
            since=since,
            after=after,
            story_id=story_id,
            unassigned=unassigned,
            include_duplicates=include_duplicates,
            batch_size=batch_size,
        )

    def count(self, *, story_id: int | None = None) -> int:
        """Number of stored articles (in one story, when ``story_id`` is given)."""
        return self._articles.count(story_id=story_id)

    def mark_duplicate(self, article_id: str, original_id: str | None) -> None:
        """Link an article to the original it copies (None clears the link).

        Raises:
            StoreError: Either article is not stored, or it would link to itself.
        """
        self._articles.mark_duplicate(article_id, original_id)

    # -- stories -----------------------------------------------------------------------------

    def create_story(self, title: str | None = None, article_ids: Iterable[str] = ()) -> int:
        """Create a story, optionally with members, and return its id."""
        return self._stories.create(title, article_ids)

    def set_story_title(self, story_id: int, title: str | None) -> None:
        """Rename a story."""
        self._stories.set_title(story_id, title)

    def assign(self, article_id: str, story_id: int | None) -> None:
        """Put an article into a story (None takes it out of its story)."""
        self._stories.assign_many({article_id: story_id})

    def assign_many(self, assignments: Mapping[str, int | None]) -> None:
        """Set the story of many articles in one transaction.

        Raises:
            StoreError: An article or story is not stored (nothing is changed then).
        """
        self._stories.assign_many(assignments)

    def merge_stories(self, keep: int, absorb: int) -> int:
        """Move every article of story ``absorb`` into ``keep`` and delete ``absorb``.

        Returns:
            ``keep``.

        Raises:
            StoreError: Either story does not exist, or they are the same story.
        """
        return self._stories.merge(keep, absorb)

    def delete_story(self, story_id: int) -> None:
        """Delete a story; its articles stay stored, in no story."""
        self._stories.delete(story_id)

    def delete_empty_stories(self, keep: Iterable[int] = ()) -> list[int]:
        """Delete every story that has no articles, except the ids in ``keep``.

        Ingest's consolidation calls this to remove the empty stories a killed run
        can leave (keeping the ones its clustering state still names).

        Returns:
            The ids of the stories deleted.
        """
        return self._stories.delete_empty(keep)

    def get_story(self, story_id: int) -> StoredStory | None:
        """One story with its figures, or None (also for an id no row can have)."""
        return self._stories.get(story_id)

    def list_stories(self) -> list[StoredStory]:
        """All stories, most recently published first, with counts, outlets and dates."""
        return self._stories.all()

    def story_articles(self, story_id: int) -> list[Article]:
        """The articles of a story, by publication date (undated last), then insertion order."""
        return self._stories.members(story_id)

    def story_version(self, story_id: int) -> str:
        """A hash of the story's membership (ids and duplicate links) for cache keys."""
        return self._stories.version(story_id)

    def story_versions(self, story_ids: Iterable[int]) -> dict[int, str]:
        """:meth:`story_version` of many stories, read in one connection (500 ids a query)."""
        return self._stories.versions(story_ids)

    # -- story summaries (the story list) ----------------------------------------------------

    def story_summaries(
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
        """One page of the stories with members, from their summary rows (no article read).

        Two queries, the page's and its total, whatever the store's size: ``recent``
        (latest publication first, undated last) and ``size`` (most articles first)
        walk an index; ``conflicts`` (most contradictions first, unknown counted as 0)
        sorts the matching rows. Ties go by title (casefolded), then id.

        Args:
            story_ids: Only these stories (None: all).
            outlet: Only stories with an article from this outlet.
            outlet_story_ids: With ``outlet``, these stories match it too (the web
                list passes the stories the outlet republished).
            published_since: Only stories with an article published at or after this time.
            published_before: Only stories with an article published before this time.
            order: ``recent``, ``size`` or ``conflicts``.
            digest: The settings digest whose report counts are wanted; counts of a
                report made with another digest or for other members are None.
            limit: Page size.
            offset: Rows to skip.
        """
        return self._summaries.page(
            story_ids=story_ids,
            outlet=outlet,
            outlet_story_ids=outlet_story_ids,
            published_since=published_since,
            published_before=published_before,
            order=order,
            digest=digest,
            limit=limit,
            offset=offset,
        )

    def set_story_counts(self, counts: Iterable[StoryCounts]) -> int:
        """Keep the report counts of stories in their summary rows (one transaction).

        A count is kept only while its story still has the members it was computed
        for (``members``), so a report that finishes after an ingest changed its story
        is left out. Returns how many stories took their counts.
        """
        return self._summaries.set_counts(counts)

    def outlets(self) -> list[str]:
        """The distinct outlets of articles in a story, sorted (an index scan, no story read)."""
        return self._summaries.outlets()

    def story_stamps(self) -> dict[int, str]:
        """Story id -> :meth:`story_version` of every story with members, from the summary
        rows (one query, no article read): which stories changed since an earlier call."""
        return self._summaries.stamps()

    # -- failures and progress ---------------------------------------------------------------

    def record_failure(self, failure: Failure, *, run_id: str | None = None) -> None:
        """Record a failure (a source skipped with a reason)."""
        self._runs.record_failure(failure, run_id=run_id)

    def failures(self, *, run_id: str | None = None) -> list[StoredFailure]:
        """Recorded failures, oldest first (of one run, when ``run_id`` is given)."""
        return self._runs.failures(run_id=run_id)

    def set_progress(self, progress: RunProgress) -> None:
        """Record where a run stands on one source (insert or replace)."""
        self._runs.set_progress(progress)

    def get_progress(self, run_id: str, source: str) -> RunProgress | None:
        """Where a run stands on one source, or None if it never started there."""
        return self._runs.get_progress(run_id, source)

    def list_progress(self, run_id: str | None = None) -> list[RunProgress]:
        """Progress rows, by run then source."""
        return self._runs.list_progress(run_id)

    # -- cache: analyses, reports, clustering state --------------------------------------------

    def cache_put(self, kind: str, key: str, value: Any, *, version: str = "") -> None:
        """Cache a JSON-serialisable value under ``(kind, key)`` at ``version``.

        Use ``key=f"story:{id}"`` and ``version=store.story_version(id)`` for story
        reports, and the article id for analyzed articles; a later version replaces it.
        """
        self._cache.put(kind, key, value, version=version)

    def cache_get(self, kind: str, key: str, *, version: str = "") -> Any | None:
        """The cached value, or None when absent or cached at another version."""
        return self._cache.get(kind, key, version=version)

    def cache_get_many(self, kind: str, versions: Mapping[str, str]) -> dict[str, Any]:
        """The cached values of many keys, each at its version (``{key: version}``), read in
        one connection; keys absent or cached at another version are left out."""
        return self._cache.get_many(kind, versions)

    def member_cache_version(self, story_id: int, kind: str) -> str:
        """A hash of the values of ``kind`` cached under the story's member article ids
        (one read): it changes whenever one is put, replaced or dropped. The web server
        keys a story in memory by it and :meth:`story_version` (``corpus`` keeps the
        reprints of an article under its id)."""
        return self._cache.member_version(kind, story_id)

    def member_cache_values(
        self, kind: str, story_ids: Iterable[int] | None = None
    ) -> dict[int, list[Any]]:
        """Story id -> the values of ``kind`` cached under its member article ids, for
        ``story_ids`` (None: every story with one), read in one connection (an indexed
        join per chunk of ids); stories without one are left out. The web list and
        ``storyscope stories`` read the reprints ``corpus`` keeps this way."""
        return self._cache.member_values(kind, story_ids)

    def cache_delete(self, kind: str | None = None, key: str | None = None) -> int:
        """Drop cache entries matching ``kind`` and/or ``key``; returns how many."""
        return self._cache.delete(kind, key)

    # -- sentences and search ----------------------------------------------------------------

    def save_sentences(self, article_id: str, items: Sequence[Sentence]) -> None:
        """Store an article's sentences (replacing earlier ones) for sentence search.

        Raises:
            StoreError: The article is not stored, or a sentence's text is not
                ``article.text[start:end]``.
        """
        self._text.save_sentences(article_id, items)

    def load_sentences(self, article_id: str) -> tuple[Sentence, ...]:
        """The stored sentences of an article, in order (empty when none were saved)."""
        return self._text.load_sentences(article_id)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over article titles and texts, best match first.

        Args:
            query: Web-search syntax: words (ANDed), ``"phrases"``, ``OR``, ``-exclude``.
                English stemming applies. Any string is accepted.
            limit: Most hits returned.

        Returns:
            Hits with an exact-span snippet around the first match.
        """
        return self._text.search(query, limit)

    def search_sentences(self, query: str, limit: int = 20) -> list[SentenceHit]:
        """Full-text search over stored sentences (see :meth:`search` for the syntax)."""
        return self._text.search_sentences(query, limit)

    # -- embeddings ----------------------------------------------------------------------------

    def put_embeddings(self, vectors: Mapping[str, npt.ArrayLike], *, model: str = "") -> None:
        """Store one vector per article (replacing earlier ones), L2-normalised, as float32.

        Raises:
            StoreError: An article is not stored, a vector is not finite or all zero, or
                its dimension differs from the vectors already stored.
        """
        self._embeddings.put(vectors, model=model)

    def put_embedding(self, article_id: str, vector: npt.ArrayLike, *, model: str = "") -> None:
        """Store one article's vector (see :meth:`put_embeddings`)."""
        self._embeddings.put({article_id: vector}, model=model)

    def get_embedding(self, article_id: str) -> npt.NDArray[np.float32] | None:
        """The stored (normalised) vector of an article, or None."""
        return self._embeddings.get(article_id)

    def story_vectors(self, story_ids: Iterable[int]) -> dict[int, npt.NDArray[np.float32]]:
        """Each story's vector: the normalised mean of its members' stored vectors, near-
        duplicate copies left out; stories without a stored vector are absent (the related
        stories of the web, :mod:`storyscope.web._related`)."""
        return self._embeddings.story_vectors(story_ids)


def open_store(target: str | os.PathLike[str] | None = None) -> Store:
    """Open the store at ``target`` (see :meth:`Store.open`)."""
    return Store.open(target)
