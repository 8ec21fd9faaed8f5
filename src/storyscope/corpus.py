"""Corpus mode: a stream of articles -> a store with near-duplicates linked and stories found.

:func:`ingest_corpus` streams sources (files, directories, globs, JSONL, WARC,
feeds, URLs) through :func:`~storyscope.ingest.iter_sources`, stores each new
article (keyed by content hash, so re-ingesting is idempotent), links
syndicated copies to the article they copy (:class:`~storyscope.cluster.DuplicateIndex`)
and places every other article in a story (:class:`~storyscope.cluster.StoryClusterer`,
one embedding per article from its title and lead). Only what clustering needs
runs at ingest; the full per-sentence analysis runs when a story's report is
first asked for (:func:`story_report`) and is then cached in the store.

Crash safety: articles are committed in batches together with the run's
progress; story assignments follow in their own transaction; the clusterer's
state is saved every few batches with the sequence number of the last article
it holds. After a crash, stored articles the saved state does not cover are
replayed into it, so nothing committed is lost and no article is left without a
story. Re-running the same command (same ``run_id``) skips the sources it
finished and the articles it already stored.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storyscope.errors import AnalysisTimeoutError, ConfigError, StoreError, StoryscopeError
from storyscope.model import AnalyzedArticle, Article, Failure, Reprint
from storyscope.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from storyscope.analyze.embeddings import Embedder
    from storyscope.cluster import DuplicateIndex, StoryClusterer
    from storyscope.ingest.fetch import Fetcher
    from storyscope.model import Story
    from storyscope.store import Store
    from storyscope.store.records import RunProgress

__all__ = [
    "IngestSummary",
    "StoredAnalyses",
    "analyze_stories",
    "cached_report",
    "ingest_corpus",
    "recorded_republishers",
    "report_digest",
    "story_articles_for_report",
    "story_report",
    "stored_report",
    "stored_report_from_file",
]

logger = logging.getLogger(__name__)

STATE_KIND = "corpus"
STATE_KEY = "cluster-state"
STATE_VERSION = "4"  # 2: TF-IDF keyword columns in the clusterer state; 3: keyword channels; 4: merge settings
REPORT_KIND = "report"
#: Cache kind of the identical copies ingest recorded as reprints (key: the stored
#: article's id; value: a list of :class:`~storyscope.model.Reprint` fields).
REPRINT_KIND = "reprints"
#: Cache kind of stored analyzed articles (key: article id, version: the pipeline's).
ANALYSIS_KIND = "analysis"
#: Batches between two saves of the clusterer state (and story consolidations).
SAVE_EVERY = 20
#: Advisory-lock key of ingest runs on PostgreSQL (any constant; "stsc" in ASCII).
_LOCK_KEY = 0x73747363
_RAY_OPTIONS = frozenset({"parquet_dir", "workers", "pipeline_factory", "analyze_batch"})


@dataclass(slots=True)
class IngestSummary:
    """What one :func:`ingest_corpus` call did.

    Attributes:
        run_id: The run's id (pass it again to resume).
        read: Articles read from the sources.
        added: Articles newly stored.
        already_stored: Articles skipped because the store had them.
        duplicates: New articles linked to an earlier original.
        reprints: Copies not stored because the store holds their text under
            another outlet, recorded as republished by theirs (counted in
            ``already_stored`` too).
        failed: Sources, records or entries that gave no article.
        stories_created: Stories opened.
        stories_merged: Stories absorbed into another.
        sources_skipped: Sources skipped because this run had finished them.
        seconds: Wall-clock time.
        failures: The first failures (at most 100), for display.
    """

    run_id: str
    read: int = 0
    added: int = 0
    already_stored: int = 0
    duplicates: int = 0
    reprints: int = 0
    failed: int = 0
    stories_created: int = 0
    stories_merged: int = 0
    sources_skipped: int = 0
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Articles read per second."""
        return self.read / self.seconds if self.seconds > 0 else 0.0


ProgressCallback = Callable[[IngestSummary], None]


def ingest_corpus(
    sources: Iterable[str],
    store: Store,
    *,
    run_id: str | None = None,
    outlets: Mapping[str, str] | None = None,
    languages: Iterable[str] | None = None,
    embedder: Embedder | None = None,
    fetcher: Fetcher | None = None,
    fetch_pages: bool = True,
    batch_size: int = 64,
    progress: ProgressCallback | None = None,
    engine: str = "local",
    engine_options: Mapping[str, Any] | None = None,
    settings: Settings | None = None,
) -> IngestSummary:
    """Stream sources into ``store``: store, deduplicate and cluster into stories.

    Args:
        sources: Paths, directories, globs, JSONL/WARC files, feeds and URLs.
        store: The store (see :meth:`storyscope.store.Store.open`).
        run_id: Id of this run; pass the id of an interrupted run to resume it.
        outlets: Outlet names by source path, file name or stem.
        languages: Keep only articles in these ISO 639-1 languages (others are
            recorded as failures naming their language).
        embedder: Sentence embedder (default: the bundled MiniLM model).
        fetcher: HTTP fetcher for URLs and feeds (default: a polite one).
        fetch_pages: Fetch the pages of feed entries that carry only a summary.
        batch_size: Articles per transaction.
        progress: Called after each batch with the running summary.
        engine: ``"local"`` (this process) or ``"ray"``: the same stores and
            stories, plus the full analysis run on Ray and written as Parquet
            (see :func:`storyscope.engines.ray.ingest_corpus_ray`).
        engine_options: Keyword arguments for the engine (Ray: ``parquet_dir``,
            ``workers``, ``pipeline_factory``, ``analyze_batch``).
        settings: Resolved settings: the Ray engine's analysis runs their
            ``[analyze] analyzers`` (the local engine analyses nothing at ingest).

    Returns:
        What was done.

    Raises:
        StoreError: The store failed (what was committed before stays).
        ConfigError: Unknown engine or options, or Ray is not installed.
    """
    if engine != "local" or engine_options:
        if engine != "ray":
            raise ConfigError(f"unknown engine {engine!r} (choose local or ray)")
        options = dict(engine_options or {})
        unknown = sorted(set(options) - _RAY_OPTIONS)
        if unknown:
            raise ConfigError(f"unknown option {unknown[0]!r} for the ray engine")
        from storyscope.engines.ray import ingest_corpus_ray

        with writer_lock(store):
            return ingest_corpus_ray(
                sources, store, run_id=run_id, outlets=outlets, languages=languages,
                embedder=embedder, fetcher=fetcher, fetch_pages=fetch_pages,
                batch_size=batch_size, progress=progress, settings=settings, **options,
            )
    with writer_lock(store):
        return _ingest_local(
            sources, store, run_id=run_id, outlets=outlets, languages=languages,
            embedder=embedder, fetcher=fetcher, fetch_pages=fetch_pages,
            batch_size=batch_size, progress=progress,
        )


@contextlib.contextmanager
def writer_lock(store: Store) -> Iterator[None]:
    """Hold the store's ingest lock: one ingest run at a time per store.

    Each run keeps its clustering state in memory and saves it to the store;
    two runs at once would each merge and create stories the other does not
    know about (300 near-copies ingested twice at once linked 0 duplicates and
    opened stories twice). A second run waits here until the first ends: on
    PostgreSQL through a session-level advisory lock (dropped with the run's
    connection), on a SQLite file through an exclusive ``flock`` on
    ``<file>.lock`` beside it (released by the kernel when the process ends,
    so a killed run never leaves it held). An in-memory store needs none.

    Raises:
        StoreError: The lock cannot be taken (server unreachable, lock file not
            writable).
    """
    if getattr(store, "dialect", "") == "postgresql":
        with store.advisory_lock(_LOCK_KEY):
            yield
        return
    path = _sqlite_file(store)
    if path is None:
        yield
        return
    import fcntl

    lock_path = f"{path}.lock"
    try:
        handle = open(lock_path, "a+b")  # noqa: SIM115 - held for the block
    except OSError as exc:
        raise StoreError(f"{store.name}: cannot open the ingest lock {lock_path} ({exc})") from exc
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.warning("%s: another ingest is running; waiting for it to finish", store.name)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def _sqlite_file(store: Store) -> str | None:
    """The database file of a SQLite store (None for memory or another dialect)."""
    if getattr(store, "dialect", "") != "sqlite":
        return None
    import sqlalchemy as sa

    try:
        database = sa.engine.make_url(str(store.url)).database
    except (sa.exc.ArgumentError, AttributeError):
        return None
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return database


def _ingest_local(
    sources: Iterable[str],
    store: Store,
    *,
    run_id: str | None,
    outlets: Mapping[str, str] | None,
    languages: Iterable[str] | None,
    embedder: Embedder | None,
    fetcher: Fetcher | None,
    fetch_pages: bool,
    batch_size: int,
    progress: ProgressCallback | None,
) -> IngestSummary:
    from storyscope.ingest import iter_sources
    from storyscope.store.records import RunProgress

    resuming = run_id is not None
    run_id = run_id or uuid.uuid4().hex[:12]
    summary = IngestSummary(run_id=run_id)
    started = time.perf_counter()
    state = _CorpusState.load(store, embedder)
    state.replay_uncovered(store, summary)
    wanted = list(languages) if languages else None
    batches = 0

    failures = _FailureLog(store, run_id, summary, resuming=resuming)

    def store_batch(
        batch: list[Article], counts: dict[str, int], make_progress: Callable[[], RunProgress]
    ) -> tuple[bool, ...]:
        flags = _store_articles(store, batch, make_progress, lambda failure: failures.add(failure, counts))
        kept = [(a, f) for a, f in zip(batch, flags, strict=True) if f is not None]
        batch[:] = [a for a, _ in kept]
        return tuple(f for _, f in kept)

    def flush(
        source: str, batch: list[Article], copies: list[Article], counts: dict[str, int], status: str
    ) -> None:
        nonlocal batches

        def make_progress() -> RunProgress:
            return RunProgress(
                run_id=run_id,
                source=source,
                position=str(counts["position"]),
                status=status,
                added=counts["added"],
                skipped=counts["skipped"],
                failed=counts["failed"],
            )

        flags = store_batch(batch, counts, make_progress)
        new = [a for a, is_new in zip(batch, flags, strict=True) if is_new]
        summary.added += len(new)
        summary.already_stored += len(batch) - len(new)
        counts["added"] += len(new)
        counts["skipped"] += len(batch) - len(new)
        state.place(store, new, summary)
        copies.extend(a for a, is_new in zip(batch, flags, strict=True) if not is_new)
        summary.reprints += _record_reprints(store, copies)
        copies.clear()
        batch.clear()
        batches += 1
        if batches % SAVE_EVERY == 0:
            state.consolidate(store, summary)
            state.save(store)
        if progress is not None:
            summary.seconds = time.perf_counter() - started
            progress(summary)

    for source in sources:
        done = store.get_progress(run_id, source)
        if done is not None and done.status == "done":
            summary.sources_skipped += 1
            continue
        counts = {"position": 0, "added": 0, "skipped": 0, "failed": 0}
        batch: list[Article] = []
        copies: list[Article] = []  # not stored: the batch or the store has their text
        for item in iter_sources(
            [source],
            outlets=outlets,
            fetcher=fetcher,
            fetch_pages=fetch_pages,
            languages=wanted,
        ):
            counts["position"] += 1
            if isinstance(item, Failure):
                failures.add(item, counts)
                continue
            summary.read += 1
            if any(a.id == item.id for a in batch):
                summary.already_stored += 1
                copies.append(item)
                continue
            batch.append(item)
            if len(batch) >= batch_size:
                flush(source, batch, copies, counts, "running")
        flush(source, batch, copies, counts, "done")
    state.consolidate(store, summary)
    state.save(store)
    summary.seconds = time.perf_counter() - started
    if progress is not None:
        progress(summary)
    return summary


class _FailureLog:
    """A run's failures: counted, kept for display (the first 100) and recorded once.

    A resumed run reads its unfinished sources again: what it recorded then is
    not recorded twice.
    """

    def __init__(self, store: Store, run_id: str, summary: IngestSummary, *, resuming: bool) -> None:
        self._store = store
        self._run_id = run_id
        self._summary = summary
        self._recorded = (
            {(f.source, f.error) for f in store.failures(run_id=run_id)} if resuming else set()
        )

    def add(self, failure: Failure, counts: dict[str, int] | None = None) -> None:
        """Count ``failure`` (also in a source's ``counts``) and record it unless recorded."""
        failure = _storable(failure)
        self._summary.failed += 1
        if counts is not None:
            counts["failed"] += 1
        if (failure.source, failure.error) not in self._recorded:
            self._recorded.add((failure.source, failure.error))
            self._store.record_failure(failure, run_id=self._run_id)
        if len(self._summary.failures) < 100:
            self._summary.failures.append(failure)


def _store_articles(
    store: Store,
    articles: Sequence[Article],
    make_progress: Callable[[], RunProgress],
    refused: Callable[[Failure], None],
) -> list[bool | None]:
    """Store ``articles`` in one transaction; if the store refuses it, each article on its own.

    A record the store refuses (bad data for that backend) becomes that
    record's failure (passed to ``refused``) and the rest is stored; the run's
    progress is written last, with those failures counted. If recording the
    failure fails too, the store itself is failing: that ends the run.

    Returns:
        Per article: True if newly stored, False if the store had it, None if refused.
    """
    try:
        return list(store.add_articles(articles, progress=make_progress()))
    except StoreError as exc:
        if not articles:
            raise
        logger.info("%s: batch refused (%s); storing its articles one by one", store.name, exc)
    flags: list[bool | None] = []
    for article in articles:
        try:
            (flag,) = store.add_articles([article])
        except StoreError as exc:
            problem = str(exc).removeprefix(f"{store.name}: ")
            refused(Failure(stage="ingest", source=article.source, error=f"{article.source}: not stored ({problem})"))
            flags.append(None)
            continue
        flags.append(flag)
    store.add_articles([], progress=make_progress())  # the progress, with the failures counted
    return flags


class _CorpusState:
    """The duplicate index, the clusterer and the clusterer-story -> stored-story map."""

    def __init__(
        self,
        duplicates: DuplicateIndex,
        clusterer: StoryClusterer,
        story_ids: dict[str, int],
        last_seq: int,
        embedder: Embedder | None,
    ) -> None:
        self.duplicates = duplicates
        self.clusterer = clusterer
        self.story_ids = story_ids
        self.last_seq = last_seq
        self.embedder = embedder
        self._last_id: str | None = None

    @classmethod
    def load(cls, store: Store, embedder: Embedder | None) -> _CorpusState:
        from storyscope.cluster import DuplicateIndex, StoryClusterer

        saved = store.cache_get(STATE_KIND, STATE_KEY, version=STATE_VERSION)
        if saved is None:
            return cls(DuplicateIndex(), StoryClusterer(), {}, 0, embedder)
        try:
            duplicates = DuplicateIndex.from_state(_decode(saved["duplicates"]))
            clusterer = StoryClusterer.from_state(_decode(saved["clusterer"]))
            story_ids = {str(k): int(v) for k, v in saved["story_ids"].items()}
            last_seq = int(saved["last_seq"])
        except (KeyError, TypeError, ValueError, StoryscopeError) as exc:
            logger.warning(
                "%s: saved clustering state is unreadable (%s); re-clustering every stored article",
                store.name,
                exc,
            )
            return cls(DuplicateIndex(), StoryClusterer(), {}, 0, embedder)
        return cls(duplicates, clusterer, story_ids, last_seq, embedder)

    def save(self, store: Store) -> None:
        if self._last_id is not None:
            info = store.article_info(self._last_id)
            if info is not None:
                self.last_seq = max(self.last_seq, info.seq)
        store.cache_put(
            STATE_KIND,
            STATE_KEY,
            {
                "duplicates": _encode(self.duplicates.to_state()),
                "clusterer": _encode(self.clusterer.to_state()),
                "story_ids": self.story_ids,
                "last_seq": self.last_seq,
            },
            version=STATE_VERSION,
        )

    def replay_uncovered(self, store: Store, summary: IngestSummary) -> None:
        """Place stored articles the saved state does not hold (after a crash)."""
        pending: list[Article] = []
        for article in store.iter_articles(after=self.last_seq, include_duplicates=True):
            if article.id in self.duplicates or self.clusterer.story_of(article.id) is not None:
                continue
            pending.append(article)
            if len(pending) >= 256:
                self.place(store, pending, summary)
                pending = []
        if pending:
            self.place(store, pending, summary)

    def place(self, store: Store, articles: Sequence[Article], summary: IngestSummary) -> None:
        """Link duplicates and cluster the rest of ``articles`` (already stored)."""
        if not articles:
            return
        from storyscope.cluster import embed_leads

        originals: dict[str, str] = {}
        fresh: list[Article] = []
        for article in articles:
            if article.id in self.duplicates:
                continue
            original = self.duplicates.add(article)
            if original is not None and original != article.id:
                originals[article.id] = original
            else:
                fresh.append(article)
        for copy, original in originals.items():
            store.mark_duplicate(copy, original)
        summary.duplicates += len(originals)
        assignments: dict[str, int | None] = {}
        if fresh:
            known = {a.id: store.get_embedding(a.id) for a in fresh}
            missing = [a for a in fresh if known[a.id] is None]
            if missing:
                vectors = embed_leads(missing, self.embedder)
                new = dict(zip((a.id for a in missing), vectors, strict=True))
                store.put_embeddings(new, model=_model_name(self.embedder))
                known.update(new)
            for article in fresh:
                vector = known[article.id]
                if vector is None or self.clusterer.story_of(article.id) is not None:
                    continue
                placed = self.clusterer.add(article, vector)
                if placed.created:
                    self.story_ids[placed.story] = store.create_story(article.title)
                    summary.stories_created += 1
                for gone in placed.merged:
                    self._merge(store, placed.story, gone, summary)
                assignments[article.id] = self.story_ids[placed.story]
            # a later article of this batch may have merged an earlier one's story away
            for article_id in assignments:
                story = self.clusterer.story_of(article_id)
                if story is not None and story in self.story_ids:
                    assignments[article_id] = self.story_ids[story]
        for copy, original in originals.items():
            story = self.clusterer.story_of(original)
            if story is not None and story in self.story_ids:
                assignments[copy] = self.story_ids[story]
        store.assign_many(assignments)
        self._last_id = articles[-1].id

    def consolidate(self, store: Store, summary: IngestSummary) -> None:
        for kept, gone in self.clusterer.consolidate():
            self._merge(store, kept, gone, summary)
        # the empty stories a killed run left (a story row committed before its articles were
        # assigned, or emptied when a resumed run placed its articles again); the ones this
        # state names stay, so a later article the clusterer puts there still has its row
        removed = store.delete_empty_stories(keep=self.story_ids.values())
        if removed:
            logger.info("%s: removed %d empty stories", store.name, len(removed))

    def _merge(self, store: Store, kept: str, gone: str, summary: IngestSummary) -> None:
        keep_id = self.story_ids.get(kept)
        gone_id = self.story_ids.pop(gone, None)
        if keep_id is None or gone_id is None or keep_id == gone_id:
            return
        store.merge_stories(keep_id, gone_id)
        summary.stories_merged += 1


def story_articles_for_report(store: Store, story_id: int) -> tuple[list[Article], list[str]]:
    """A stored story's articles for comparison: near-duplicate copies left out.

    Returns:
        The articles and one warning per copy left out.

    Raises:
        StoreError: No such story.
    """
    articles, warnings, _ = _story_members(store, story_id)
    return articles, warnings


def _story_members(
    store: Store, story_id: int
) -> tuple[list[Article], list[str], list[Reprint]]:
    """:func:`story_articles_for_report`, and the copies left out as reprints (by the
    outlet that republished them): the story's near-duplicates of another outlet's
    article, and the identical copies ``ingest`` recorded (:func:`_record_reprints`)."""
    from dataclasses import replace

    from storyscope.model import reprint_of

    if store.get_story(story_id) is None:
        raise StoreError(f"{store.name}: no story {story_id}")
    members = store.story_articles(story_id)
    by_id = {a.id: a for a in members}
    articles: list[Article] = []
    warnings: list[str] = []
    reprints: list[Reprint] = []
    copy_of: dict[str, str] = {}  # a left-out near-duplicate -> the article it copies
    for article in members:
        info = store.article_info(article.id)
        if info is not None and info.duplicate_of:
            copy_of[article.id] = info.duplicate_of
            original = by_id.get(info.duplicate_of) or store.get_article(info.duplicate_of)
            reprint = reprint_of(article, original, "near_duplicate") if original else None
            said = f" (republished by {reprint.outlet})" if reprint is not None else ""
            warnings.append(
                f"{article.source}: near-duplicate of article {info.duplicate_of}, "
                f"not counted as independent support{said}"
            )
            if reprint is not None:
                reprints.append(reprint)
            continue
        articles.append(article)
    for reprint in _stored_reprints(store, by_id):
        # an identical copy of a left-out near-duplicate is a copy of what that one copies
        copied = copy_of.get(reprint.original, reprint.original)
        warnings.append(
            f"{reprint.source}: identical to article {reprint.original}, not stored again "
            f"(republished by {reprint.outlet})"
        )
        reprints.append(replace(reprint, original=copied))
    return articles, warnings, reprints


def _stored_reprints(store: Store, article_ids: Iterable[str]) -> list[Reprint]:
    """The identical copies of ``article_ids`` that ingest recorded as reprints
    (cache kind :data:`REPRINT_KIND`, key: the stored article's id), in recording order."""
    found = store.cache_get_many(REPRINT_KIND, dict.fromkeys(article_ids, ""))
    reprints: list[Reprint] = []
    for key in sorted(found):
        rows = found[key]
        if isinstance(rows, list):
            reprints.extend(Reprint(**row) for row in rows if isinstance(row, dict))
    return reprints


def recorded_republishers(
    store: Store, story_ids: Iterable[int] | None = None
) -> dict[int, frozenset[str]]:
    """Story id -> the outlets of the identical copies ``ingest`` recorded as reprints of
    its members (:func:`_record_reprints`), for ``story_ids`` (None: every story with
    one); one indexed join, nothing analysed. The web list and ``storyscope stories``
    count them for a story's coverage by lean, as its report does."""
    found = store.member_cache_values(REPRINT_KIND, story_ids)
    return {
        story_id: frozenset(
            row["outlet"]
            for rows in values
            if isinstance(rows, list)
            for row in rows
            if isinstance(row, dict) and isinstance(row.get("outlet"), str) and row["outlet"]
        )
        for story_id, values in found.items()
    }


def _record_reprints(store: Store, copies: Sequence[Article]) -> int:
    """Record the copies ingest did not store because the store holds their text (same
    content id) under another outlet, as reprints of the stored article.

    The store keeps one article per text; the copy is kept as a :class:`Reprint`
    (:func:`storyscope.model.reprint_of`) under the stored article's id, so its story's
    report lists it ("republished by"). A copy recorded before (same source and
    outlet) is not recorded twice. The cached report of each story that gains a
    reprint is dropped (it is made again when next asked for).

    Returns:
        The reprints newly recorded.
    """
    from dataclasses import asdict

    from storyscope.model import reprint_of

    if not copies:
        return 0
    originals = {a.id: a for a in store.get_articles({c.id for c in copies})}
    found: dict[str, list[Reprint]] = {}
    for copy in copies:
        original = originals.get(copy.id)
        reprint = reprint_of(copy, original, "identical") if original is not None else None
        if reprint is not None:
            found.setdefault(reprint.original, []).append(reprint)
    if not found:
        return 0
    kept = store.cache_get_many(REPRINT_KIND, dict.fromkeys(found, ""))
    added = 0
    changed: list[str] = []
    for original_id, reprints in found.items():
        rows = [r for r in kept.get(original_id) or [] if isinstance(r, dict)]
        known = {(r.get("source"), r.get("outlet")) for r in rows}
        fresh = []
        for reprint in reprints:
            if (reprint.source, reprint.outlet) not in known:
                known.add((reprint.source, reprint.outlet))
                fresh.append(asdict(reprint))
        if fresh:
            store.cache_put(REPRINT_KIND, original_id, rows + fresh)
            added += len(fresh)
            changed.append(original_id)
    for story_id in sorted({s for s in store.article_stories(changed).values() if s is not None}):
        store.cache_delete(REPORT_KIND, f"story:{story_id}")
    return added


class StoredAnalyses:
    """An analyze pipeline that keeps its analyses in the store.

    ``analyze_many`` returns the stored analysis of every article analyzed before
    under the same pipeline version (:attr:`storyscope.analyze.Pipeline.version`)
    and runs the inner pipeline, then stores the result, only for the others; the
    models are not even loaded when every article is stored. A pipeline without a
    ``version`` (a test double) is used as is and nothing is stored.

    Args:
        store: The store.
        pipeline: The inner pipeline; the shared default when None.
    """

    def __init__(self, store: Store, pipeline: object | None = None) -> None:
        self.store = store
        self.pipeline = pipeline

    def _inner(self) -> Any:
        if self.pipeline is None:
            from storyscope.api import _shared_pipeline

            self.pipeline = _shared_pipeline()
        return self.pipeline

    @property
    def version(self) -> str | None:
        """The inner pipeline's version (models load lazily: reading it loads none)."""
        version = getattr(self._inner(), "version", None)
        return version if isinstance(version, str) else None

    def load(self, article: Article, version: str) -> AnalyzedArticle | None:
        """The stored analysis of ``article`` under ``version``, if it is current."""
        from storyscope.store._analysis import decode_analysis

        value = self.store.cache_get(ANALYSIS_KIND, article.id, version=version)
        if not isinstance(value, dict):
            return None
        try:
            doc = decode_analysis(value)
        except Exception as exc:  # stored data of another shape: analyse again, never fail
            logger.warning("stored analysis of %s unreadable (%s); analyzing again", article.id, exc)
            return None
        return doc if doc.article == article else None

    def analyze_many(self, articles: Sequence[Article]) -> list[AnalyzedArticle]:
        from storyscope.store._analysis import encode_analysis

        version = self.version
        if version is None:
            return list(self._inner().analyze_many(articles))
        found = {a.id: doc for a in articles if (doc := self.load(a, version)) is not None}
        todo = [a for a in articles if a.id not in found]
        if todo:
            for doc in self._inner().analyze_many(todo):
                found[doc.id] = doc
                _cache_put(self.store, ANALYSIS_KIND, doc.id, encode_analysis(doc), version)
        return [found[a.id] for a in articles]


def story_report(
    store: Store,
    story_id: int,
    *,
    pipeline: object | None = None,
    use_cache: bool = True,
    settings: Settings | None = None,
) -> tuple[Story, dict[str, Any]]:
    """Compare a stored story's articles and return the story and its JSON report.

    Each article's analysis is stored the first time (:class:`StoredAnalyses`), so
    a story is only aligned again afterwards (no model is loaded); the JSON report
    is cached in the store under the story's current version (a hash of its
    members) and :func:`report_digest` (the settings and the pipeline's analyzers),
    where :func:`cached_report` reads it (the story list's counts). ``pipeline``:
    the shared pipeline of the settings' ``[analyze] analyzers`` when None;
    ``settings``: see :func:`storyscope.api.compare`.

    Raises:
        StoreError: No such story.
        ConfigError: The settings' analyzers do not make a pipeline.
    """
    from dataclasses import replace

    from storyscope.api import _shared_pipeline, compare_articles
    from storyscope.report import to_dict

    if pipeline is None:
        pipeline = _shared_pipeline(settings.analyze if settings is not None else None)
    articles, warnings, reprints = _story_members(store, story_id)
    version = _report_version(store, story_id, settings, pipeline)
    key = f"story:{story_id}"
    analyses = StoredAnalyses(store, pipeline) if use_cache else pipeline
    story = compare_articles(articles, pipeline=analyses, settings=settings)
    story = replace(story, warnings=(*warnings, *story.warnings), reprints=tuple(reprints))
    report = to_dict(story)
    if use_cache:
        _cache_put(store, REPORT_KIND, key, report, version)
        _put_counts(store, story_id, version, report)
    return story, report


def _put_counts(store: Store, story_id: int, version: str, report: dict[str, Any]) -> None:
    """The report's counts into the story's summary row (the story list), best-effort like
    the cache; left out when the story's members changed since ``version``."""
    if getattr(store, "read_only", False):
        return
    from storyscope.store import StoryCounts

    members, _, digest = version.partition(":")
    try:
        store.set_story_counts([StoryCounts.of_report(story_id, members, digest, report)])
    except StoreError as exc:
        logger.warning("story %s: list counts not kept: %s", story_id, exc)


#: Stores already reported read-only (one log line each, not one per article).
_READ_ONLY_NOTED: set[str] = set()


def _cache_put(store: Store, kind: str, key: str, value: Any, version: str) -> None:
    """Cache a value; a store that cannot take it (read-only, full) costs the cache, not the answer."""
    if getattr(store, "read_only", False):
        if store.name not in _READ_ONLY_NOTED:
            _READ_ONLY_NOTED.add(store.name)
            logger.info("%s is read-only: analyses and reports are computed, not cached", store.name)
        return
    try:
        store.cache_put(kind, key, value, version=version)
    except StoreError as exc:
        logger.warning("%s/%s not cached: %s", kind, key, exc)


def analyze_stories(
    store: Store,
    *,
    pipeline: object | None = None,
    settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None,
    run_id: str | None = None,
) -> tuple[int, list[tuple[int, str]]]:
    """Report every story of the store whose cached report is not current.

    Each story's articles are analysed and stored (:class:`StoredAnalyses`) and its
    JSON report cached, so that ``report``, story pages and the story list's
    counts answer from the store at once. A story that fails is returned and the
    rest go on. An article whose analysis fails (past its time budget,
    :data:`storyscope.analyze.pipeline.MAX_ANALYSIS_SECONDS`, or an analyzer's
    error) is recorded in the store as a failure of stage ``analyze`` (under
    ``run_id``) and returned; its story is reported without it.

    Args:
        store: The store.
        pipeline: The analyze pipeline (the shared one of the settings' analyzers when None).
        settings: Resolved settings (the shipped defaults when None).
        progress: Called with (stories done, stories to do) after each story.
        run_id: The run the article failures are recorded under (the ingest's).

    Returns:
        (stories reported, [(story id, error)] for the stories that failed and the
        articles left out of their story's report).

    Raises:
        ConfigError: The settings' analyzers do not make a pipeline.
    """
    if pipeline is None:
        from storyscope.api import _shared_pipeline

        pipeline = _shared_pipeline(settings.analyze if settings is not None else None)
    todo = [
        s.id
        for s in store.list_stories()
        if s.article_count > 0
        and cached_report(store, s.id, settings=settings, pipeline=pipeline) is None
    ]
    done = 0
    failed: list[tuple[int, str]] = []
    for k, story_id in enumerate(todo, 1):
        try:
            story, _ = story_report(store, story_id, pipeline=pipeline, settings=settings)
        except StoryscopeError as exc:
            failed.append((story_id, str(exc)))
            if isinstance(exc, AnalysisTimeoutError):  # a story of one article
                _record_analysis_failure(
                    store, Failure(stage="analyze", source=exc.source, error=str(exc)), run_id
                )
        else:
            done += 1
            for failure in story.failures:
                if failure.stage == "analyze":
                    failed.append((story_id, failure.error))
                    _record_analysis_failure(store, failure, run_id)
        if progress is not None:
            progress(k, len(todo))
    return done, failed


def _record_analysis_failure(store: Store, failure: Failure, run_id: str | None) -> None:
    """Record an article's analysis failure; a store that cannot take it costs the record only."""
    if getattr(store, "read_only", False):
        return
    try:
        store.record_failure(_storable(failure), run_id=run_id)
    except StoreError as exc:
        logger.warning("%s: failure of %s not recorded: %s", store.name, failure.source, exc)


def report_digest(settings: Settings | None = None, pipeline: object | None = None) -> str:
    """What a cached report depends on besides its story's members, as a short string.

    The settings' digest (:attr:`storyscope.settings.Settings.digest`), folded with
    the versioned names of the pipeline's analyzers (the part of
    :attr:`storyscope.analyze.Pipeline.version` that the ``[analyze] analyzers`` list
    and installed plugins change) where they are not the built-ins in their shipped
    order: the shipped pipeline keeps the digest reports were cached under before.
    It is the digest of the story list's counts too (``Store.story_summaries``).

    Args:
        settings: Resolved settings (the shipped defaults when None).
        pipeline: The analyze pipeline; the shared one of the settings' analyzers
            when None (not built when the settings name the built-ins in their
            shipped order and no plugin is installed:
            :func:`storyscope.plugins.runs_builtins_only`). A pipeline without
            ``analyzers`` (a test double) counts as the shipped one.

    Raises:
        ConfigError: ``pipeline`` is None and the settings' analyzers do not make one,
            or a plugin failed to load.
    """
    from storyscope.plugins import BUILTIN_ANALYZERS, runs_builtins_only
    from storyscope.settings import default_settings

    resolved = settings or default_settings()
    digest = resolved.digest
    if pipeline is None:
        if runs_builtins_only(resolved.analyze.analyzers):
            return digest
        from storyscope.api import _shared_pipeline

        pipeline = _shared_pipeline(settings.analyze if settings is not None else None)
    if isinstance(pipeline, StoredAnalyses):
        pipeline = pipeline._inner()
    analyzers = getattr(pipeline, "analyzers", None)
    if analyzers is None:
        return digest
    names = tuple(str(a.name) for a in analyzers)
    if names == BUILTIN_ANALYZERS:
        return digest
    return hashlib.sha1("\n".join((digest, *names)).encode()).hexdigest()[:12]


def _report_version(
    store: Store, story_id: int, settings: Settings | None, pipeline: object | None
) -> str:
    return f"{store.story_version(story_id)}:{report_digest(settings, pipeline)}"


def cached_report(
    store: Store,
    story_id: int,
    *,
    settings: Settings | None = None,
    pipeline: object | None = None,
) -> dict[str, Any] | None:
    """The cached JSON report of a story, if it is current: same members, same settings,
    same analyzers (:func:`report_digest`; ``pipeline``: as for :func:`story_report`)."""
    value = store.cache_get(
        REPORT_KIND,
        f"story:{story_id}",
        version=_report_version(store, story_id, settings, pipeline),
    )
    return value if isinstance(value, dict) else None


def stored_report(
    store: Store, story_id: int, *, settings: Settings | None = None
) -> dict[str, Any] | None:
    """The report ``storyscope report`` prints without comparing anything, if there is one.

    The cached JSON report of the story (:func:`cached_report`, for the shared pipeline
    of the settings' analyzers) when it is current and this storyscope wrote it (the
    same generator version and report schema); None otherwise, and the story is to be
    compared (:func:`story_report`). With the settings' analyzers the built-ins and no
    plugin installed (the usual case), no pipeline is built and neither the analyze
    nor the align stage is imported (:func:`report_digest`).

    Raises:
        ConfigError: The settings' analyzers do not make a pipeline, or a plugin failed
            to load.
        StoreError: The store failed.
    """
    report = cached_report(store, story_id, settings=settings)
    return report if report is not None and _written_here(report) else None


def stored_report_from_file(
    target: str | os.PathLike[str], story_id: int, *, settings: Settings | None = None
) -> dict[str, Any] | None:
    """:func:`stored_report` of the SQLite store file ``target``, read without opening a
    :class:`~storyscope.store.Store` (nor importing SQLAlchemy:
    :func:`storyscope.store._light.read_story_cache`).

    None also where it cannot tell: ``target`` a URL, a file that is missing, not a
    store or not at the newest schema, or any database error; the caller then opens the
    store (which migrates, or reports the problem) and asks :func:`stored_report`.

    Raises:
        ConfigError: The settings' analyzers do not make a pipeline, or a plugin failed
            to load.
    """
    import json

    from storyscope.store._light import read_story_cache

    found = read_story_cache(target, REPORT_KIND, story_id)
    if found is None:
        return None
    members, version, value = found
    if version != f"{members}:{report_digest(settings)}":
        return None
    try:
        report = json.loads(value)
    except ValueError:
        return None
    return report if isinstance(report, dict) and _written_here(report) else None


def _written_here(report: dict[str, Any]) -> bool:
    """Whether this storyscope wrote the cached report: its generator version and schema."""
    from storyscope._version import __version__
    from storyscope.report.json import SCHEMA_VERSION

    generator = report.get("generator")
    return (
        report.get("schema_version") == SCHEMA_VERSION
        and isinstance(generator, dict)
        and generator.get("version") == __version__
    )


def _storable(failure: Failure) -> Failure:
    """The failure with control characters shown as escapes: one line, and text every backend takes."""
    from storyscope.ingest._decode import one_line

    source, error = one_line(failure.source), one_line(failure.error)
    if (source, error) == (failure.source, failure.error):
        return failure
    return Failure(stage=failure.stage, source=source, error=error)


def _model_name(embedder: Embedder | None) -> str:
    if embedder is None:
        return "minilm-l6-v2-int8"
    label = getattr(embedder, "model_label", None)  # set by wrappers such as the Ray engine's
    return label if isinstance(label, str) else type(embedder).__name__


def _encode(value: Any) -> Any:
    """JSON-safe form of a state made of dicts, lists, scalars and numpy arrays."""
    import numpy as np  # here, not at import: reading a cached report needs no numpy

    def encode(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            buffer = io.BytesIO()
            np.save(buffer, value, allow_pickle=False)
            return {"__ndarray__": base64.b64encode(buffer.getvalue()).decode("ascii")}
        if isinstance(value, dict):
            return {str(k): encode(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [encode(v) for v in value]
        if isinstance(value, np.generic):
            return value.item()
        return value

    return encode(value)


def _decode(value: Any) -> Any:
    import numpy as np

    def decode(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"__ndarray__"}:
                raw = base64.b64decode(value["__ndarray__"])
                return np.load(io.BytesIO(raw), allow_pickle=False)
            return {k: decode(v) for k, v in value.items()}
        if isinstance(value, list):
            return [decode(v) for v in value]
        return value

    return decode(value)
