"""Records the store returns besides :class:`storyscope.model.Article`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storyscope.model import Span

__all__ = [
    "ArticleInfo",
    "RunProgress",
    "SearchHit",
    "SentenceHit",
    "StoredFailure",
    "StoredStory",
    "StoryCounts",
    "StorySummary",
    "SummaryPage",
]


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


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryCounts:
    """The story list's counts of one story's report, for :meth:`Store.set_story_counts`.

    Attributes:
        story_id: The story.
        members: The membership version (:meth:`Store.story_version`) the report was made for.
        digest: The settings digest it was made with.
        facts: Facts in the report (None when the report does not say).
        contradictions: Contradictions in the report.
        consensus: Facts backed by two or more outlets.
    """

    story_id: int
    members: str
    digest: str
    facts: int | None = None
    contradictions: int | None = None
    consensus: int | None = None

    @classmethod
    def of_report(cls, story_id: int, members: str, digest: str, report: object) -> StoryCounts:
        """The counts of a JSON report (its ``stats``); None for what it lacks."""
        stats = report.get("stats") if isinstance(report, dict) else None
        if not isinstance(stats, dict):
            return cls(story_id=story_id, members=members, digest=digest)
        by_status = stats.get("facts_by_status")
        return cls(
            story_id=story_id,
            members=members,
            digest=digest,
            facts=_count(stats.get("facts")),
            contradictions=_count(stats.get("contradictions")),
            consensus=_count(by_status.get("consensus")) if isinstance(by_status, dict) else None,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class StorySummary:
    """A story's row of the story list, as the store keeps it (no article is read).

    Attributes:
        id: Story id.
        title: Story title, if one was set.
        article_count: Member articles, duplicates included.
        duplicate_count: Members that are near-duplicates of another article.
        outlets: Distinct outlets of its articles, sorted.
        first_published: Earliest publication date among its articles (UTC), if any.
        last_published: Latest publication date among its articles (UTC), if any.
        version: Its membership version (what :meth:`Store.story_version` returns).
        fact_count: Facts of its report for this membership and the digest asked for,
            None when no such report was summarised.
        contradiction_count: Contradictions of that report, or None.
        consensus_count: Consensus facts of that report, or None.
    """

    id: int
    title: str | None
    article_count: int
    duplicate_count: int
    outlets: tuple[str, ...]
    first_published: dt.datetime | None
    last_published: dt.datetime | None
    version: str
    fact_count: int | None = None
    contradiction_count: int | None = None
    consensus_count: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SummaryPage:
    """One page of :meth:`Store.story_summaries`: ``total`` matching stories in all."""

    stories: tuple[StorySummary, ...]
    total: int
