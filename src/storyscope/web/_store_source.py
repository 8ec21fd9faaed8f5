"""A :class:`~storyscope.web._source.StorySource` over a corpus store (``storyscope serve --db``).

Story lists come straight from the store's summary rows (one indexed query a
page; full-text search through its FTS index), with the counts of the report
cached in the store when there is one. A
story is aligned the first time its page is asked for
(:func:`storyscope.corpus.story_report`: each article's analysis is stored the
first time, the JSON report is cached) and kept in memory until its members or
the reprints recorded for them change (checked at most once a second).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storyscope.outlets import OutletDirectory, with_outlet_info
from storyscope.web._ids import canonical_int, plausible_id
from storyscope.web._related import RELATED_LIMIT, RelatedStory, StoryVectors
from storyscope.web._source import (
    ArticleEntry,
    OutletReprint,
    OutletSummary,
    StoryInfo,
    StoryPage,
    StorySort,
    _fold,
    _utc,
    outlet_summary_of,
)

if TYPE_CHECKING:  # pragma: no cover
    from storyscope.model import Story
    from storyscope.settings import Settings
    from storyscope.store import Store
    from storyscope.store.records import StorySummary

__all__ = ["StoreSource"]

logger = logging.getLogger(__name__)


_COUNTS_KEPT = 100_000  # stories whose report counts are remembered (a few dozen bytes each)
_PAGES_KEPT = 256  # story list pages kept for list_ttl_s
_RELATED_KEPT = 4096  # related-story answers kept for related_ttl_s


@dataclass(frozen=True, slots=True, kw_only=True)
class _StoredReprint:
    """A reprint recorded in the store (a :class:`~storyscope.model.Reprint`'s fields)
    with the story of the article it copies."""

    story_id: int
    outlet: str
    original: str
    source: str
    kind: str
    url: str | None
    title: str | None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _stored_reprint(story_id: int, row: Any) -> _StoredReprint | None:
    """One recorded reprint, or None for a value that is not one."""
    if not isinstance(row, dict):
        return None
    outlet, original = _text(row.get("outlet")), _text(row.get("original"))
    if not outlet or not original:
        return None
    return _StoredReprint(
        story_id=story_id,
        outlet=outlet,
        original=original,
        source=_text(row.get("source")) or "",
        kind=_text(row.get("kind")) or "identical",
        url=_text(row.get("url")),
        title=_text(row.get("title")),
    )


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _report_counts(report: object) -> tuple[int | None, int | None, int | None]:
    """(facts, contradictions, consensus facts) from a JSON report's stats, None where absent."""
    stats = report.get("stats") if isinstance(report, dict) else None
    if not isinstance(stats, dict):
        return None, None, None
    by_status = stats.get("facts_by_status")
    consensus = _count(by_status.get("consensus")) if isinstance(by_status, dict) else None
    return _count(stats.get("facts")), _count(stats.get("contradictions")), consensus


class StoreSource:
    """Serve the stories of a :class:`~storyscope.store.Store`.

    Args:
        store: An open store (kept open for the app's lifetime).
        pipeline: Analyze pipeline for story reports (the shared default when None).
        cache_size: Analyzed stories kept in memory.
        settings: Resolved settings (the shipped defaults when None).
        outlets: An outlets file: each story gets its entries (``Story.outlet_info``).

    Attributes:
        version_ttl_s: How long a story in memory is served before its members and
            their recorded reprints are checked again (1 s; a change by an ingest shows
            within that time).
        outlets_ttl_s: How long the outlet menu, and the index of the reprints recorded
            in the store by outlet (the menu's republishers, the outlet filter's and the
            outlet pages' republished stories), are kept before they are read again (5 s).
        list_ttl_s: How long a page of the story list is answered from memory (1 s, as
            ``version_ttl_s``: under load a page costs one read a second; 0 turns it off).
        related_ttl_s: How long the story vectors of :meth:`related` are used before the
            store's stories are checked for changes again (5 s).
    """

    def __init__(
        self,
        store: Store,
        *,
        pipeline: object | None = None,
        cache_size: int = 32,
        settings: Settings | None = None,
        outlets: OutletDirectory | None = None,
    ) -> None:
        self.store = store
        self.outlet_directory = outlets
        keep_warm = getattr(store, "keep_warm", None)
        if keep_warm is not None:  # every request reads: about 1 ms less a read on SQLite
            keep_warm()
        self.pipeline = pipeline
        self.settings = settings
        self.cache_size = cache_size
        # story id -> (members version, reprints version, the story): see _stamp
        self._stories: OrderedDict[str, tuple[str, str, Story]] = OrderedDict()
        self._checked: dict[str, float] = {}  # story id -> when its version was last confirmed
        self._article_story: dict[str, str] = {}  # article id -> its story in memory
        self.version_ttl_s = 1.0
        self.outlets_ttl_s = 5.0
        self.list_ttl_s = 1.0
        self._pages: OrderedDict[tuple[object, ...], tuple[float, StoryPage]] = OrderedDict()
        self._outlets: tuple[float, tuple[str, ...]] | None = None
        # (when, outlet -> its recorded reprints): see _republished
        self._reprints: tuple[float, dict[str, tuple[_StoredReprint, ...]]] | None = None
        # story id -> (report version, its counts): each cached report decoded once
        self._counts: dict[str, tuple[str, tuple[int | None, int | None, int | None]]] = {}
        self._lock = threading.Lock()
        self._analyze_lock = threading.Lock()
        self.related_ttl_s = 5.0
        self._vectors = StoryVectors()
        self._vector_stamps: dict[str, str] = {}  # story id -> members version of its vector
        self._vectors_checked = -float("inf")
        self._vectors_lock = threading.Lock()
        # (story id, limit) -> (when, its related stories): a page view reads nothing
        self._related: dict[tuple[str, int], tuple[float, tuple[RelatedStory, ...]]] = {}

    # -- list ----------------------------------------------------------------------------

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
        """One page of the store's stories, from their summary rows.

        Two queries on the ``stories`` table (the page, on an index for ``recent`` and
        ``size``, and the total) whatever the store's size, plus the search hits'
        stories for a query. Counts come from the story in memory, else the summary
        row (kept when the story's report is cached), else, for a report cached
        without one (a read-only store), the report itself, decoded once per version.
        A page is kept for :attr:`list_ttl_s` (a story analysed here clears them).
        """
        key = (query, outlet, date_from, date_to, sort, limit, offset)
        now = time.monotonic()
        with self._lock:
            kept = self._pages.get(key)
        if kept is not None and now - kept[0] < self.list_ttl_s:
            return kept[1]
        result = self._list(query, outlet, date_from, date_to, sort, limit, offset)
        with self._lock:
            self._pages[key] = (now, result)
            self._pages.move_to_end(key)
            while len(self._pages) > _PAGES_KEPT:
                self._pages.popitem(last=False)
        return result

    def _list(
        self,
        query: str | None,
        outlet: str | None,
        date_from: dt.date | None,
        date_to: dt.date | None,
        sort: StorySort,
        limit: int,
        offset: int,
    ) -> StoryPage:
        from storyscope.corpus import report_digest

        story_ids: set[int] | None = None
        if query and query.strip():
            hits = [hit.article_id for hit in self.store.search(query, limit=1000)]
            story_ids = {
                sid for sid in self.store.article_stories(hits).values() if sid is not None
            }
        since = dt.datetime.combine(date_from, dt.time(), dt.UTC) if date_from else None
        before = None
        if date_to is not None and date_to < dt.date.max:
            before = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), dt.UTC)
        # the settings' and the pipeline's analyzers' digest, as story_report keeps them
        digest = report_digest(self.settings, self.pipeline)
        page = self.store.story_summaries(
            story_ids=story_ids,
            outlet=outlet,
            outlet_story_ids=(
                {r.story_id for r in self._republished().get(outlet, ())} if outlet else ()
            ),
            published_since=since,
            published_before=before,
            order=sort,
            digest=digest,
            limit=limit,
            offset=offset,
        )
        return StoryPage(stories=tuple(self._rows(page.stories, digest)), total=page.total)

    def _rows(self, summaries: tuple[StorySummary, ...], digest: str) -> list[StoryInfo]:
        """List rows with fact, contradiction and consensus counts: from the story in
        memory, else the summary row, else the report cached in the store, else None;
        and the outlets that republished a member (the reprints recorded for the page's
        stories: one indexed join)."""
        from storyscope.corpus import REPORT_KIND, recorded_republishers

        recorded = recorded_republishers(self.store, (s.id for s in summaries))

        counts: dict[int, tuple[int | None, int | None, int | None]] = {}
        missing: dict[str, str] = {}  # cache key -> report version, not decoded yet
        with self._lock:
            for summary in summaries:
                sid = str(summary.id)
                entry = self._stories.get(sid)
                if entry is not None and entry[0] == summary.version:
                    story = entry[2]
                    agreed = sum(1 for f in story.facts if f.status == "consensus")
                    counts[summary.id] = (len(story.facts), len(story.contradictions), agreed)
                    continue
                if summary.fact_count is not None or summary.contradiction_count is not None:
                    counts[summary.id] = (
                        summary.fact_count,
                        summary.contradiction_count,
                        summary.consensus_count,
                    )
                    continue
                # the key and version corpus.story_report caches the report under
                report_version = f"{summary.version}:{digest}"
                known = self._counts.get(sid)
                if known is not None and known[0] == report_version:
                    counts[summary.id] = known[1]
                else:
                    missing[f"story:{sid}"] = report_version
        if missing:
            found = self.store.cache_get_many(REPORT_KIND, missing)
            with self._lock:
                for key, report_version in missing.items():
                    sid = key.removeprefix("story:")
                    counts[int(sid)] = _report_counts(found.get(key))
                    self._counts[sid] = (report_version, counts[int(sid)])
                while len(self._counts) > _COUNTS_KEPT:
                    self._counts.pop(next(iter(self._counts)))
        rows = []
        for summary in summaries:
            sid = str(summary.id)
            facts, contradictions, consensus = counts[summary.id]
            republished = recorded.get(summary.id, frozenset()) - set(summary.outlets)
            rows.append(
                StoryInfo(
                    id=sid,
                    title=summary.title or f"Story {sid}",
                    article_count=summary.article_count,
                    outlets=tuple(sorted(summary.outlets, key=_fold)),
                    first_published=_utc(summary.first_published)
                    if summary.first_published
                    else None,
                    last_published=_utc(summary.last_published) if summary.last_published else None,
                    fact_count=facts,
                    contradiction_count=contradictions,
                    consensus_count=consensus,
                    republished_by=tuple(sorted(republished, key=_fold)),
                )
            )
        return rows

    def _republished(self) -> dict[str, tuple[_StoredReprint, ...]]:
        """Outlet -> the reprints ``ingest`` recorded for it, with the story of the
        article each copies: every value of the store's reprint kind, read with its
        story (one join over the reprints, no story analysed), kept for
        :attr:`outlets_ttl_s`."""
        from storyscope.corpus import REPRINT_KIND

        now = time.monotonic()
        with self._lock:
            kept = self._reprints
        if kept is not None and now - kept[0] < self.outlets_ttl_s:
            return kept[1]
        index: dict[str, list[_StoredReprint]] = {}
        for story_id, values in self.store.member_cache_values(REPRINT_KIND).items():
            for rows in values:
                for row in rows if isinstance(rows, list) else ():
                    found = _stored_reprint(story_id, row)
                    if found is not None:
                        index.setdefault(found.outlet, []).append(found)
        result = {name: tuple(rows) for name, rows in index.items()}
        with self._lock:
            self._reprints = (now, result)
        return result

    # -- one story -------------------------------------------------------------------------

    def _stamp(self, number: int) -> tuple[str, str]:
        """What a story in memory is kept for: its membership version and the version of
        the reprints ``ingest`` recorded for its members (two small reads). A story page
        shows those reprints ("republished by"), and recording one changes no member."""
        from storyscope.corpus import REPRINT_KIND

        return (
            self.store.story_version(number),
            self.store.member_cache_version(number, REPRINT_KIND),
        )

    def _cached(self, sid: str) -> Story | None:
        """The story in memory while its members and their reprints are unchanged
        (checked at most once a :attr:`version_ttl_s`, so a warm page reads no
        database at all under load)."""
        with self._lock:
            entry = self._stories.get(sid)
            checked = self._checked.get(sid, 0.0)
        if entry is None:
            return None
        *kept, story = entry
        now = time.monotonic()
        if now - checked < self.version_ttl_s:
            return story
        try:
            current = self._stamp(int(sid))
        except Exception:  # a merged/deleted story
            return None
        if tuple(kept) != current:
            return None
        with self._lock:
            self._checked[sid] = now
        return story

    def get_story(self, story_id: str) -> Story | None:
        """The analysed story; None for an unknown id or a non-canonical spelling of one.

        Story ids are the store's integers, in canonical decimal only (see
        :mod:`storyscope.web._ids`): ``"0105"`` or ``"١"`` are not story 105 or 1, so
        no alias can start a second analysis of a story or take a second cache slot.
        """
        number = canonical_int(story_id)
        if number is None:
            return None
        cached = self._cached(story_id)
        if cached is not None:
            with self._lock:
                if story_id in self._stories:  # another thread may have evicted it meanwhile
                    self._stories.move_to_end(story_id)
            return cached
        if self.store.get_story(number) is None:
            return None
        from storyscope.corpus import story_report

        with self._analyze_lock:  # one analysis at a time: it is CPU-bound
            cached = self._cached(story_id)
            if cached is not None:
                return cached
            version, reprints = self._stamp(number)  # before reading: a change meanwhile shows next
            story, _ = story_report(
                self.store, number, pipeline=self.pipeline, settings=self.settings
            )
            story = with_outlet_info(story, self.outlet_directory)
        with self._lock:
            self._pages.clear()  # its counts are known now
            self._stories[story_id] = (version, reprints, story)
            self._checked[story_id] = time.monotonic()
            self._article_story.update({a.id: story_id for a in story.articles})
            self._stories.move_to_end(story_id)
            while len(self._stories) > self.cache_size:
                gone, (_, _, old) = self._stories.popitem(last=False)
                self._checked.pop(gone, None)
                for a in old.articles:
                    if self._article_story.get(a.id) == gone:
                        del self._article_story[a.id]
        return story

    def is_malformed(self, kind: str, ident: str) -> bool:
        """Whether ``ident`` can name nothing here (no I/O): a non-canonical story id, or an
        article id :func:`~storyscope.web._ids.plausible_id` refuses."""
        if kind == "story":
            return canonical_int(ident) is None
        return not plausible_id(ident)

    def is_warm(self, kind: str, ident: str) -> bool:
        """Whether story or article ``ident`` (its story) is in memory (no I/O: the app
        asks on its event loop). Anything else, unknown ids included, is answered on the
        bounded analysis pool. A story in memory whose members changed since is analysed
        again by the request that finds out, one at a time (the analysis lock)."""
        if kind == "article":
            with self._lock:
                sid = self._article_story.get(ident)
            if sid is None:
                return False
            ident = sid
        elif kind != "story":
            return False
        with self._lock:
            return ident in self._stories

    def get_article(self, article_id: str) -> ArticleEntry | None:
        if not plausible_id(article_id):
            return None
        info = self.store.article_info(article_id)
        if info is None or info.story_id is None:
            return None
        story = self.get_story(str(info.story_id))
        if story is None:
            return None
        for analyzed in story.articles:
            if analyzed.id == article_id:
                return ArticleEntry(article=analyzed, story_id=str(info.story_id))
        original = info.duplicate_of
        if original:  # a near-duplicate copy is left out of its story's comparison
            for analyzed in story.articles:
                if analyzed.id == original:
                    return ArticleEntry(article=analyzed, story_id=str(info.story_id))
        return None

    def outlet_summary(self, name: str) -> OutletSummary | None:
        """Rows for the outlet's articles in stories analyzed so far (analysis is lazy),
        and the stories it republished: its reprints in those stories, and the identical
        copies ``ingest`` recorded for it in any story (read from the store, analysed or
        not, so a republisher's page is there after a restart)."""
        with self._lock:
            entries = [(sid, story) for sid, (_, _, story) in self._stories.items()]
        recorded = self._republished().get(name, ())
        titles: dict[int, str] = {}
        if recorded:
            page = self.store.story_summaries(
                story_ids={r.story_id for r in recorded}, limit=len(recorded)
            )
            titles = {s.id: s.title or f"Story {s.id}" for s in page.stories}
        originals: dict[str, str] = {}
        if recorded:
            originals = {a.id: a.outlet for a in self.store.get_articles({r.original for r in recorded})}
        stored = [
            OutletReprint(
                story_id=str(r.story_id),
                story_title=titles.get(r.story_id),
                article_id=r.original,
                original_outlet=originals.get(r.original),
                title=r.title,
                url=r.url,
                source=r.source,
                kind=r.kind,
            )
            for r in recorded
            if r.story_id in titles  # a story without members is listed nowhere
        ]
        return outlet_summary_of(name, entries, republished=stored)

    def outlets(self) -> list[str]:
        """Every outlet with an article in a story, or a reprint ``ingest`` recorded for
        one (one index scan and the reprint index, kept for :attr:`outlets_ttl_s`: the
        list page's outlet menu asks on every request)."""
        now = time.monotonic()
        with self._lock:
            kept = self._outlets
        if kept is not None and now - kept[0] < self.outlets_ttl_s:
            return list(kept[1])
        names = sorted(set(self.store.outlets()) | set(self._republished()), key=_fold)
        with self._lock:
            self._outlets = (now, tuple(names))
        return names

    # -- related stories -------------------------------------------------------------------

    def related(self, story_id: str, limit: int = RELATED_LIMIT) -> list[RelatedStory] | None:
        """The stories nearest to ``story_id`` by their lead vectors (the rule of
        :mod:`storyscope.web._related`); None for an unknown story, empty when none scores
        at least the floor or the story's articles have no stored vector.

        Needs no analysis: the story vectors are kept in memory, read from the store's
        ``embeddings`` once, then only for the stories whose members changed (checked at
        most every :attr:`related_ttl_s`, one read of the ``stories`` rows); a call is
        one matrix-vector product and one summary query for the few stories listed,
        and its answer is kept for :attr:`related_ttl_s`.
        """
        number = canonical_int(story_id)
        if number is None:
            return None
        self._refresh_vectors()
        now = time.monotonic()
        with self._lock:
            kept = self._related.get((story_id, limit))
        if kept is not None and now - kept[0] < self.related_ttl_s:
            return list(kept[1])
        found = self._find_related(story_id, number, limit)
        if found is not None:
            with self._lock:
                if len(self._related) >= _RELATED_KEPT:
                    self._related.clear()
                self._related[(story_id, limit)] = (now, tuple(found))
        return found

    def _find_related(self, story_id: str, number: int, limit: int) -> list[RelatedStory] | None:
        if story_id not in self._vectors:
            known = story_id in self._vector_stamps or self.store.get_story(number) is not None
            return [] if known else None
        hits = self._vectors.nearest(story_id, limit=limit)
        if not hits:
            return []
        page = self.store.story_summaries(story_ids=[int(sid) for sid, _ in hits], limit=len(hits))
        rows = {str(summary.id): summary for summary in page.stories}
        return [
            RelatedStory(
                id=sid,
                title=row.title or f"Story {sid}",
                score=score,
                article_count=row.article_count,
                outlets=tuple(sorted(row.outlets, key=_fold)),
                last_published=_utc(row.last_published) if row.last_published else None,
            )
            for sid, score in hits
            if (row := rows.get(sid)) is not None
        ]

    def _refresh_vectors(self) -> None:
        """Bring the story vectors up to the store's stories (at most every related_ttl_s)."""
        with self._vectors_lock:  # one refresh at a time; the others wait for it
            now = time.monotonic()
            if now - self._vectors_checked < self.related_ttl_s:
                return
            stamps = {str(sid): version for sid, version in self.store.story_stamps().items()}
            changed = [sid for sid, version in stamps.items() if self._vector_stamps.get(sid) != version]
            gone = [sid for sid in self._vector_stamps if sid not in stamps]
            found = self.store.story_vectors(int(sid) for sid in changed) if changed else {}
            vectors = {str(sid): vector for sid, vector in found.items()}
            self._vectors.update(vectors, removed=[*gone, *(s for s in changed if s not in vectors)])
            self._vector_stamps = stamps
            self._vectors_checked = time.monotonic()
