"""Where the web app gets its stories: the :class:`StorySource` protocol and an in-memory one.

The web layer only ever talks to a :class:`StorySource`. Two implementations are
meant to exist: :class:`MemorySource` (here; built from :class:`~storyscope.model.Story`
objects or from a directory of story folders, used by tests and by ``storyscope serve``
without a database) and a store-backed one (``storyscope.store``), added later.

The protocol is deliberately small. Every method is synchronous (the app calls it
from a worker thread) and returns ``None`` for an unknown id or name instead of raising.
Stories returned by :meth:`StorySource.get_story` are analyzed and aligned; a source
that returns the *same object* for the same id lets the app reuse its cached pages.

A source may also offer ``is_warm(kind, ident) -> bool`` (``kind`` is ``"story"`` or
``"article"``; called on the event loop, so without I/O): True when the answer is in
memory. The app then answers on the shared thread pool; otherwise, or for a source
without the method, on the bounded analysis pool, which answers 503 when its queue
is full (see :mod:`storyscope.web._pool`). ``is_malformed(kind, ident) -> bool`` (no
I/O either) marks ids that can name nothing; they are answered 404 on the loop.
``related(story_id, limit) -> list[RelatedStory] | None`` lists the stories nearest to
one (the rule of :mod:`storyscope.web._related`; None for an unknown id, without
analysing it); a source without it shows no related stories.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from storyscope.model import AnalyzedArticle, Story
from storyscope.outlets import OutletDirectory, OutletNaming, blindspot, with_outlet_info
from storyscope.settings import Settings
from storyscope.web._related import RELATED_LIMIT, RelatedStory, StoryVectors, mean_vector

__all__ = [
    "SORTS",
    "ArticleEntry",
    "MemorySource",
    "OutletArticle",
    "OutletReprint",
    "OutletSummary",
    "StoryInfo",
    "StoryPage",
    "StorySort",
    "StorySource",
    "list_with_blindspot",
    "story_blindspot",
    "story_info",
    "story_key",
    "story_title",
]

logger = logging.getLogger(__name__)

StorySort = Literal["recent", "size", "conflicts"]
SORTS: tuple[StorySort, ...] = ("recent", "size", "conflicts")
"""Story list orders: newest first, most articles first, most contradictions first."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryInfo:
    """One row of the story list.

    Attributes:
        id: Story id, as used in ``/stories/{id}``.
        title: Display title (first article title when the story has none).
        article_count: Member articles.
        outlets: Distinct outlets, sorted.
        first_published: Earliest publication time among its articles, if any.
        last_published: Latest publication time among its articles, if any.
        fact_count: Facts found, or None when the source does not know without aligning.
        contradiction_count: Contradictions found, or None when unknown.
        consensus_count: Facts backed by two or more outlets, or None when unknown.
        republished_by: Outlets that republished one of its articles (a reprint,
            docs/outlets.md) without a member article of their own, sorted. They count
            for the story's coverage by lean and blindspot like its outlets.
    """

    id: str
    title: str
    article_count: int
    outlets: tuple[str, ...] = ()
    first_published: dt.datetime | None = None
    last_published: dt.datetime | None = None
    fact_count: int | None = None
    contradiction_count: int | None = None
    consensus_count: int | None = None
    republished_by: tuple[str, ...] = ()

    @property
    def covering_outlets(self) -> tuple[str, ...]:
        """Every outlet that published the story: its outlets, then the republishers."""
        return self.outlets + self.republished_by


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryPage:
    """A page of the story list: ``total`` matches in all, ``stories`` from ``offset``."""

    stories: tuple[StoryInfo, ...]
    total: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleEntry:
    """An analyzed article and the story it belongs to (None when it is in none)."""

    article: AnalyzedArticle
    story_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletArticle:
    """One article of an outlet with its sourcing and hedging figures."""

    story_id: str | None
    story_title: str | None
    article_id: str
    title: str | None
    published: dt.datetime | None
    words: int
    quotes: int
    named_sources: int
    anonymous_sources: int
    hedges: int


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletReprint:
    """A story an outlet republished: its copy of another outlet's article, left out of
    the comparison (a :class:`~storyscope.model.Reprint`).

    Attributes:
        story_id: The story of the article it copies.
        story_title: That story's title, when known.
        article_id: The article it copies (the original, compared in the story).
        original_outlet: The original's outlet, when known.
        title: The copy's headline, if known.
        url: The copy's URL, if known.
        source: Where the copy was read from.
        kind: ``identical`` or ``near_duplicate``.
    """

    story_id: str
    story_title: str | None
    article_id: str
    original_outlet: str | None
    title: str | None
    url: str | None
    source: str
    kind: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletSummary:
    """An outlet over all stories: one row per article, newest first, and the stories it
    republished (its reprints of other outlets' articles, by story)."""

    name: str
    articles: tuple[OutletArticle, ...]
    republished: tuple[OutletReprint, ...] = ()

    @property
    def words(self) -> int:
        return sum(a.words for a in self.articles)

    def per_1000_words(self, count: int) -> float:
        """``count`` per 1000 words of this outlet (0.0 without words)."""
        return round(count * 1000 / self.words, 2) if self.words else 0.0


@runtime_checkable
class StorySource(Protocol):
    """What the web app needs from a collection of stories.

    Implementations must be safe to call from several threads at once.
    """

    def list_stories(
        self,
        *,
        query: str | None = None,
        outlet: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        sort: StorySort = "recent",
        limit: int = 50,
        offset: int = 0,
    ) -> StoryPage:
        """Stories matching every given filter, in ``sort`` order.

        Args:
            query: Full-text query over titles and article text (None: all).
            outlet: Only stories with an article from this outlet, or one it
                republished (:attr:`StoryInfo.republished_by`).
            date_from: Only stories with an article published on or after this day.
            date_to: Only stories with an article published on or before this day.
            sort: One of :data:`SORTS`.
            limit: Page size.
            offset: Rows to skip.
        """
        ...

    def get_story(self, story_id: str) -> Story | None:
        """The analyzed, aligned story, or None when the id is unknown."""
        ...

    def get_article(self, article_id: str) -> ArticleEntry | None:
        """An analyzed article and its story id, or None when the id is unknown."""
        ...

    def outlet_summary(self, name: str) -> OutletSummary | None:
        """An outlet's articles over all stories and the stories it republished, or None
        when it has neither."""
        ...

    def outlets(self) -> list[str]:
        """Every outlet name (republishers included), sorted case-insensitively (for
        filter menus)."""
        ...


def story_key(story: Story) -> str:
    """A stable id for a story: 12 hex digits of SHA-256 over its sorted article ids."""
    ids = "\n".join(sorted(a.id for a in story.articles))
    return hashlib.sha256(ids.encode("utf-8")).hexdigest()[:12]


def story_title(story: Story) -> str:
    """The first article title, else a title built from the first outlet."""
    for analyzed in story.articles:
        if analyzed.article.title:
            return analyzed.article.title
    if story.articles:
        return f"Story from {story.articles[0].article.outlet}"
    return "Empty story"


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _fold(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


_TERM = re.compile(r"\w+", re.UNICODE)


def story_info(story_id: str, story: Story) -> StoryInfo:
    """The list row of a story, with its figures."""
    dates = sorted(_utc(a.article.published) for a in story.articles if a.article.published)
    return StoryInfo(
        id=story_id,
        title=story_title(story),
        article_count=len(story.articles),
        outlets=tuple(sorted({a.article.outlet for a in story.articles}, key=_fold)),
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
        fact_count=len(story.facts),
        contradiction_count=len(story.contradictions),
        consensus_count=sum(1 for f in story.facts if f.status == "consensus"),
        republished_by=republishers(story),
    )


def republishers(story: Story) -> tuple[str, ...]:
    """The outlets that republished one of the story's articles and have none of their
    own in it, sorted case-insensitively."""
    own = {a.article.outlet for a in story.articles}
    return tuple(sorted({r.outlet for r in story.reprints} - own, key=_fold))


def reprint_rows(name: str, story_id: str, story: Story) -> list[OutletReprint]:
    """The outlet's reprints in one story (in memory), as outlet-page rows."""
    outlet_of = {a.id: a.article.outlet for a in story.articles}
    return [
        OutletReprint(
            story_id=story_id,
            story_title=story_title(story),
            article_id=r.original,
            original_outlet=outlet_of.get(r.original),
            title=r.title,
            url=r.url,
            source=r.source,
            kind=r.kind,
        )
        for r in story.reprints
        if r.outlet == name
    ]


def _outlet_row(story_id: str, story: Story, analyzed: AnalyzedArticle) -> OutletArticle:
    article = analyzed.article
    hedges = {(c.start, c.end) for c in analyzed.cues if c.kind == "hedge"}
    hedges |= {(c.start, c.end) for c in story.framing.hedges if c.article == article.id}
    anonymous = {(c.start, c.end) for c in analyzed.cues if c.kind == "anonymous_source"}
    anonymous |= {
        (c.start, c.end) for c in story.framing.anonymous_sources if c.article == article.id
    }
    named = {q.speaker for q in analyzed.quotes if q.speaker and not q.anonymous}
    return OutletArticle(
        story_id=story_id,
        story_title=story_title(story),
        article_id=article.id,
        title=article.title,
        published=article.published,
        words=article.word_count,
        quotes=len(analyzed.quotes),
        named_sources=len(named),
        anonymous_sources=len(anonymous),
        hedges=len(hedges),
    )


def page_of(rows: list[StoryInfo], *, sort: StorySort, limit: int, offset: int) -> StoryPage:
    """One page of story rows in ``sort`` order (ties broken by title, then id)."""
    rows = sorted(rows, key=lambda i: (i.title.casefold(), i.id))
    if sort == "size":
        rows.sort(key=lambda i: i.article_count, reverse=True)
    elif sort == "conflicts":
        rows.sort(key=lambda i: i.contradiction_count or 0, reverse=True)
    else:
        floor = dt.datetime.min.replace(tzinfo=dt.UTC)
        rows.sort(key=lambda i: i.last_published or floor, reverse=True)
    return StoryPage(stories=tuple(rows[offset : offset + limit]), total=len(rows))


def outlet_summary_of(
    name: str,
    stories: Iterable[tuple[str, Story]],
    *,
    republished: Iterable[OutletReprint] = (),
) -> OutletSummary | None:
    """An outlet's rows over ``(story id, story)`` pairs, newest first, and its reprints in
    them (with ``republished``: more, from elsewhere; one row per story, original and
    source); None when it has neither."""
    rows: list[OutletArticle] = []
    reprints: dict[tuple[str, str, str], OutletReprint] = {}
    for sid, story in stories:
        rows.extend(_outlet_row(sid, story, a) for a in story.articles if a.article.outlet == name)
        for reprint in reprint_rows(name, sid, story):
            reprints.setdefault((reprint.story_id, reprint.article_id, reprint.source), reprint)
    for reprint in republished:
        reprints.setdefault((reprint.story_id, reprint.article_id, reprint.source), reprint)
    if not rows and not reprints:
        return None
    floor = dt.datetime.min.replace(tzinfo=dt.UTC)
    rows.sort(key=lambda r: _utc(r.published) if r.published else floor, reverse=True)
    listed = sorted(reprints.values(), key=lambda r: ((r.story_title or "").casefold(), r.story_id, r.source))
    return OutletSummary(name=name, articles=tuple(rows), republished=tuple(listed))


BLINDSPOT_SCAN = 10_000
"""Stories the blindspot filter looks through (the first this many matching the other
filters, in the list's order)."""


def list_with_blindspot(
    source: StorySource,
    directory: OutletDirectory | None,
    side: str | None,
    *,
    limit: int,
    offset: int,
    **filters: Any,
) -> StoryPage:
    """``source.list_stories(**filters)``, keeping only stories with the blindspot ``side``
    (``"left"``, ``"right"``, or ``"any"`` for either) when ``side`` and an outlets file
    are given (see :func:`storyscope.outlets.blindspot`): the stories one side barely
    covers, by their outlets' leans. Looks through the first :data:`BLINDSPOT_SCAN`."""
    if not side or directory is None:
        return source.list_stories(limit=limit, offset=offset, **filters)
    every = source.list_stories(limit=BLINDSPOT_SCAN, offset=0, **filters)
    rows = [
        info
        for info in every.stories
        if (found := story_blindspot(info, directory)) is not None and side in (found, "any")
    ]
    return StoryPage(stories=tuple(rows[offset : offset + limit]), total=len(rows))


def story_blindspot(info: StoryInfo, directory: OutletDirectory | None) -> str | None:
    """The side that barely covers a listed story (by the leans of the outlets that
    published it, the republishers included), else None."""
    if directory is None:
        return None
    return blindspot(directory.leans(info.covering_outlets).values())


class MemorySource:
    """A :class:`StorySource` over stories held in memory (read-only, thread-safe).

    Args:
        stories: Stories keyed by id, or an iterable of stories (ids from :func:`story_key`).
        outlets: An outlets file: each story gets its entries (``Story.outlet_info``).
    """

    def __init__(
        self,
        stories: Mapping[str, Story] | Iterable[Story],
        *,
        outlets: OutletDirectory | None = None,
    ) -> None:
        if isinstance(stories, Mapping):
            items = list(stories.items())
        else:
            items = [(story_key(s), s) for s in stories]
        items = [(sid, with_outlet_info(story, outlets)) for sid, story in items]
        self._stories: dict[str, Story] = dict(items)
        self._infos = {sid: story_info(sid, story) for sid, story in self._stories.items()}
        self._articles: dict[str, ArticleEntry] = {}
        self._search: dict[str, str] = {}
        for sid, story in self._stories.items():
            parts = [self._infos[sid].title]
            for analyzed in story.articles:
                self._articles.setdefault(analyzed.id, ArticleEntry(article=analyzed, story_id=sid))
                parts.extend(filter(None, [analyzed.article.title, analyzed.text]))
            self._search[sid] = " ".join(parts).casefold()
        self._vectors: StoryVectors | None = None  # built on the first related()
        self._vectors_lock = threading.Lock()

    @classmethod
    def from_directory(
        cls,
        path: str | os.PathLike[str],
        *,
        pipeline: object | None = None,
        settings: Settings | None = None,
        outlets: OutletDirectory | None = None,
    ) -> MemorySource:
        """Compare each story folder under ``path`` (or ``path`` itself) and serve the results.

        A folder holding article files directly is one story; otherwise each
        sub-folder is a story. Story ids are the folder names. This runs the whole
        pipeline, so it takes seconds per story.

        Args:
            path: A story folder, or a folder of story folders.
            pipeline: An analyze pipeline to use (the shared default when None).
            settings: Resolved settings (the shipped defaults when None).
            outlets: An outlets file: its domains name the outlets, and each story
                gets its entries.

        Returns:
            The source.

        Raises:
            IngestError: a story folder holds no readable article.
        """
        from storyscope.api import compare
        from storyscope.ingest import ARTICLE_SUFFIXES

        root = Path(path)
        endings = tuple(ARTICLE_SUFFIXES)  # ".warc.gz" is no Path.suffix: match the name
        has_files = root.is_dir() and any(
            p.is_file() and p.name.lower().endswith(endings) and not p.name.startswith(".")
            for p in root.iterdir()
        )
        folders = (
            [root]
            if has_files or not root.is_dir()
            else sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        )
        naming = OutletNaming(directory=outlets) if outlets is not None else None
        stories: dict[str, Story] = {}
        for folder in folders:
            logger.info("comparing story folder %s", folder)
            stories[_slug(folder.name)] = compare(
                [folder], pipeline=pipeline, settings=settings, outlets=naming
            )
        return cls(stories, outlets=outlets)

    def list_stories(
        self,
        *,
        query: str | None = None,
        outlet: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        sort: StorySort = "recent",
        limit: int = 50,
        offset: int = 0,
    ) -> StoryPage:
        terms = _TERM.findall(query.casefold()) if query else []
        rows: list[StoryInfo] = []
        for sid, info in self._infos.items():
            if terms and not all(term in self._search[sid] for term in terms):
                continue
            if outlet and outlet not in info.outlets and outlet not in info.republished_by:
                continue
            if date_from or date_to:
                days = [
                    _utc(a.article.published).date()
                    for a in self._stories[sid].articles
                    if a.article.published
                ]
                if date_from and not any(d >= date_from for d in days):
                    continue
                if date_to and not any(d <= date_to for d in days):
                    continue
            rows.append(info)
        return page_of(rows, sort=sort, limit=limit, offset=offset)

    def get_story(self, story_id: str) -> Story | None:
        return self._stories.get(story_id)

    def is_warm(self, kind: str, ident: str) -> bool:
        """Always: every story is in memory, analysed (see ``WebState.offload``)."""
        return True

    def get_article(self, article_id: str) -> ArticleEntry | None:
        return self._articles.get(article_id)

    def outlet_summary(self, name: str) -> OutletSummary | None:
        return outlet_summary_of(name, self._stories.items())

    def outlets(self) -> list[str]:
        """Every outlet with an article in a story or a reprint of one, sorted."""
        names = {o for info in self._infos.values() for o in info.covering_outlets}
        return sorted(names, key=_fold)

    def related(self, story_id: str, limit: int = RELATED_LIMIT) -> list[RelatedStory] | None:
        """The stories nearest to ``story_id`` (see :mod:`storyscope.web._related`); None
        for an unknown id. In memory an article's vector is the normalised mean of the
        sentence embeddings its analysis kept: stories built by hand, without any, have
        no related stories."""
        if story_id not in self._stories:
            return None
        with self._vectors_lock:
            if self._vectors is None:
                self._vectors = StoryVectors(
                    {
                        sid: vector
                        for sid, story in self._stories.items()
                        if (vector := _story_vector(story)) is not None
                    }
                )
            vectors = self._vectors
        rows = []
        for sid, score in vectors.nearest(story_id, limit=limit):
            info = self._infos[sid]
            rows.append(
                RelatedStory(
                    id=sid,
                    title=info.title,
                    score=score,
                    article_count=info.article_count,
                    outlets=info.outlets,
                    last_published=info.last_published,
                )
            )
        return rows


def _story_vector(story: Story) -> Any:
    """The normalised mean of its articles' vectors (each the normalised mean of the
    sentence embeddings kept by analysis); None without any."""
    articles = [
        vector
        for analyzed in story.articles
        if analyzed.embeddings is not None
        and (vector := mean_vector([analyzed.embeddings])) is not None
    ]
    return mean_vector(articles)


_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def _slug(name: str) -> str:
    return _UNSAFE.sub("-", name).strip("-") or "story"
