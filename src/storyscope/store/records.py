"""Records the store returns besides :class:`storyscope.model.Article`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storyscope.model import Span

__all__ = ["ArticleInfo", "RunProgress", "SearchHit", "SentenceHit", "StoredFailure", "StoredStory"]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredStory:
    """A story as listed by the store, with figures over its member articles.

    Attributes:
        id: Story id.
        title: Story title, if one was set.
        created_at: When the story was created (UTC).
        updated_at: When its membership or title last changed (UTC).
        first_published: Earliest publication date among its articles (UTC), if any.
        last_published: Latest publication date among its articles (UTC), if any.
        article_count: Number of member articles, duplicates included.
        duplicate_count: Members that are near-duplicates of another article.
        outlets: Distinct outlets of its articles, sorted.
    """

    id: int
    title: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    first_published: dt.datetime | None = None
    last_published: dt.datetime | None = None
    article_count: int = 0
    duplicate_count: int = 0
    outlets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleInfo:
    """Store bookkeeping for one article (what :class:`Article` does not carry)."""

    id: str
    seq: int
    ingested_at: dt.datetime
    story_id: int | None = None
    duplicate_of: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    """One article matching a full-text query.

    ``snippet == text_of_article[start:end]``: the snippet is an exact span of the
    article text around the first match, and ``matches`` are the spans of the matched
    words inside the whole text (not inside the snippet).
    """

    article_id: str
    outlet: str
    title: str | None
    published: dt.datetime | None
    score: float
    start: int
    end: int
    snippet: str
    matches: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SentenceHit:
    """One stored sentence matching a full-text query; ``text`` is ``article.text[start:end]``."""

    article_id: str
    index: int
    start: int
    end: int
    text: str
    score: float


@dataclass(frozen=True, slots=True, kw_only=True)
class RunProgress:
    """Where a resumable ingest run stands on one source.

    Attributes:
        run_id: Caller-chosen run id (stable across restarts of the same run).
        source: The source (path, URL, feed) this row tracks.
        position: Opaque cursor the reader resumes from (byte offset, record number, ...).
        status: ``"running"``, ``"done"`` or ``"failed"``.
        added: Articles newly stored from this source so far.
        skipped: Records skipped (already stored, filtered).
        failed: Records that failed.
        started_at: First time the row was written (UTC); filled in by the store.
        updated_at: Last time it was written (UTC); filled in by the store.
    """

    run_id: str
    source: str
    position: str = ""
    status: str = "running"
    added: int = 0
    skipped: int = 0
    failed: int = 0
    started_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredFailure:
    """A recorded failure with its time and run."""

    source: str
    stage: str
    error: str
    at: dt.datetime
    run_id: str | None = None
