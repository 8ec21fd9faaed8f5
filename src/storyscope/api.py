"""The whole single-story pipeline in one call: read -> analyze -> align."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from storyscope.errors import AnalysisError, AnalysisTimeoutError, IngestError, StoryscopeError
from storyscope.model import AnalyzedArticle, Article, Failure, Story
from storyscope.settings import AnalyzeSettings, Settings

if TYPE_CHECKING:  # pragma: no cover
    from storyscope.analyze import Pipeline
    from storyscope.ingest.fetch import Fetcher

__all__ = [
    "COMPARE_MAX_ARTICLES",
    "COMPARE_MAX_CHARS",
    "COMPARE_WARN_ARTICLES",
    "StageTimes",
    "compare",
    "compare_articles",
    "compare_chars",
    "refuse_past_chars",
]

logger = logging.getLogger(__name__)

#: ``storyscope compare`` warns past this many articles (and shows its progress): one
#: event's coverage is a handful; a corpus belongs in ``storyscope ingest``.
COMPARE_WARN_ARTICLES = 50
#: ... and refuses more than this many: the align stage compares every pair of claims
#: (about 30 an article), so memory grows with the square of the count (200 articles:
#: about 6,000 claims, 36 million pairs).
COMPARE_MAX_ARTICLES = 200
#: ... and more than this many characters to analyse in all (each article counts its
#: analysed part, at most ``MAX_ANALYSED_CHARS``: :func:`compare_chars`): four articles
#: of full length, or about fifty of 4,000 characters. Chosen from
#: ``bench/bench_long.py --totals`` (2-core reference machine, models loaded), whose worst
#: shape is articles of 50,000 characters of real sentences (as many claims as fit: the
#: align stage compares every pair): 100,000 characters 18 s and 0.64 GB, 200,000 30 s
#: and 0.98 GB, 400,000 83 s and 2.07 GB (align grows with the square of the claims); many
#: short articles 19 s at 200,000 and 57 s at 400,000, text without sentence breaks 19 s at
#: 200,000. At this budget the worst compare takes about half the 60 s target. Without it a
#: compare could hold 200 articles of 50,000 analysed characters (10 million: ~2,000 s).
COMPARE_MAX_CHARS = 200_000
#: Articles analysed per batch: progress is reported after each.
_ANALYZE_CHUNK = 32

#: ``progress(articles analysed, articles to analyse)``, first called with 0 done.
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class StageTimes:
    """Seconds spent per stage, filled in by :func:`compare` when given one."""

    read: float = 0.0
    analyze: float = 0.0
    align: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, float]:
        return {"read": self.read, "analyze": self.analyze, "align": self.align, **self.extra}


def compare(
    sources: Iterable[str | os.PathLike[str]],
    *,
    outlets: Mapping[str, str] | None = None,
    fail_fast: bool = False,
    pipeline: object | None = None,
    timings: StageTimes | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    max_articles: int | None = None,
    max_chars: int | None = None,
    fetcher: Fetcher | None = None,
) -> Story:
    """Read sources, analyze each article and align them into a :class:`Story`.

    Args:
        sources: what :func:`storyscope.ingest.read` reads (and ``storyscope ingest``):
            files, directories, glob patterns, ``http(s)`` URLs; text, HTML, JSON,
            JSONL, WARC archives, RSS/Atom feeds and OPML lists.
        outlets: optional mapping of source path / file name / stem -> outlet name;
            a :class:`storyscope.outlets.OutletNaming` adds globs, folder-as-outlet and
            an outlets file (its entries for the story's outlets go to
            ``story.outlet_info``).
        fail_fast: raise on the first bad source instead of recording a failure.
        pipeline: an analyze ``Pipeline`` to use; when None, the shared pipeline of
            the settings' ``[analyze] analyzers`` (built once per process and list).
        timings: a :class:`StageTimes` to fill with seconds per stage.
        settings: resolved settings (:func:`storyscope.settings.resolve_settings`):
            ``[analyze]`` picks the analyzers, ``[align]`` the thresholds; the shipped
            defaults when None.
        progress: called with (articles analysed, articles to analyse): once with
            0 before the analysis starts, then after each batch.
        max_articles: refuse more articles than this (None: no limit).
        max_chars: refuse more characters to analyse than this in all
            (:func:`compare_chars`; None: no limit). ``storyscope compare`` passes
            :data:`COMPARE_MAX_CHARS`.
        fetcher: the fetcher for URLs and feeds (default: a polite one that refuses
            non-public addresses; ``Fetcher(allow_private_addresses=True)`` allows them).

    Returns:
        The story. Sources that failed are listed in ``story.failures`` and
        one-line notes in ``story.warnings``.

    Raises:
        IngestError: no source yielded an article (or, with ``fail_fast``, any
            source failed).
        StoryscopeError: more than ``max_articles`` articles, or more than
            ``max_chars`` characters to analyse (before any is analysed).
    """
    from storyscope.ingest import read

    paths = [os.fspath(s) for s in sources]
    t0 = time.perf_counter()
    result = read(paths, outlets=outlets, fail_fast=fail_fast, fetcher=fetcher)
    if timings is not None:
        timings.read = time.perf_counter() - t0
    if not result.articles:
        if result.failures:
            first = result.failures[0]
            more = f" (and {len(result.failures) - 1} more)" if len(result.failures) > 1 else ""
            raise IngestError(first.source, f"{_problem(first)}{more}")
        raise IngestError(", ".join(paths) or "(no sources)", "no articles found")
    if max_articles is not None and len(result.articles) > max_articles:
        raise StoryscopeError(
            f"{len(result.articles):,} articles: compare takes at most {max_articles:,} "
            "(one event's coverage); for a corpus use `storyscope ingest SOURCE... --db PATH`, "
            "then `storyscope stories` and `storyscope report`"
        )
    if max_chars is not None:
        refuse_past_chars(result.articles, max_chars)
    story = compare_articles(
        result.articles,
        fail_fast=fail_fast,
        pipeline=pipeline,
        timings=timings,
        settings=settings,
        progress=progress,
    )
    story = replace(
        story,
        failures=tuple(result.failures) + story.failures,
        warnings=tuple(result.warnings) + story.warnings,
        reprints=tuple(result.reprints) + story.reprints,
    )
    from storyscope.outlets import OutletNaming, with_outlet_info

    if isinstance(outlets, OutletNaming):
        story = with_outlet_info(story, outlets.directory)
    return story


def compare_chars(articles: Sequence[Article]) -> int:
    """Characters one compare of ``articles`` analyses: the sum of each article's analysed
    part (all of it, or its first ``MAX_ANALYSED_CHARS`` characters cut at a line break or
    space: :func:`storyscope.analyze.pipeline.analysed_end`)."""
    from storyscope.analyze.pipeline import analysed_end

    return sum(analysed_end(article.text) for article in articles)


def refuse_past_chars(
    articles: Sequence[Article],
    limit: int,
    *,
    advice: str = "for a corpus use `storyscope ingest SOURCE... --db PATH`, "
    "then `storyscope stories` and `storyscope report`",
) -> None:
    """Raise when ``articles`` hold more than ``limit`` characters to analyse in all.

    Raises:
        StoryscopeError: one line naming the total and the limit, then ``advice``.
    """
    total = compare_chars(articles)
    if total > limit:
        raise StoryscopeError(
            f"{total:,} characters to analyse in {len(articles):,} articles: compare takes "
            f"at most {limit:,} in all (one event's coverage); {advice}"
        )


def compare_articles(
    articles: Sequence[Article],
    *,
    fail_fast: bool = False,
    pipeline: object | None = None,
    timings: StageTimes | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> Story:
    """Analyze and align articles that are already read (``settings``, ``progress``:
    see :func:`compare`)."""
    from storyscope.align import align

    t0 = time.perf_counter()
    if pipeline is None:
        pipeline = _shared_pipeline(settings.analyze if settings is not None else None)
    analyzed, failures = _analyze_all(
        articles, pipeline=pipeline, fail_fast=fail_fast, progress=progress
    )
    t1 = time.perf_counter()
    story = align(
        [_analysed_part(doc) for doc in analyzed],
        settings=settings.align if settings is not None else None,
    )
    t2 = time.perf_counter()
    if timings is not None:
        timings.analyze = t1 - t0
        timings.align = t2 - t1
    return replace(
        story,
        failures=tuple(failures) + story.failures,
        warnings=tuple(_budget_warnings(analyzed)) + story.warnings,
    )


def _analysed_cut(doc: AnalyzedArticle) -> int | None:
    """Where the analysed part of an article ends, when only its start was analysed.

    None when the whole text was analysed, or when a record lies past the cut (a
    pipeline without the budget analysed more).
    """
    from storyscope.analyze.pipeline import analysed_end

    end = analysed_end(doc.text)
    if end == len(doc.text):
        return None
    for name in ("sentences", "entities", "quantities", "times", "quotes", "cues", "claims"):
        if any(rec.end > end for rec in getattr(doc, name)):
            return None
    return end


def _analysed_part(doc: AnalyzedArticle) -> AnalyzedArticle:
    """The article as compared: cut to its analysed part when only its start was analysed.

    The align stage reads an article's text as well as its records; past the analysed
    part it would search text without sentences (linear in the whole length per name).
    The id, and every record's offsets, are those of the whole text.
    """
    end = _analysed_cut(doc)
    if end is None:
        return doc
    return replace(doc, article=replace(doc.article, text=doc.text[:end]))


def _budget_warnings(analyzed: Sequence[AnalyzedArticle]) -> list[str]:
    """One line per article whose analysis stopped at a budget (see storyscope.analyze.pipeline)."""
    from storyscope.analyze.claims import MAX_CLAIMS
    from storyscope.analyze.pipeline import MAX_ANALYSED_CHARS
    from storyscope.analyze.quotes import MAX_QUOTES

    out = []
    for doc in analyzed:
        where = f"{doc.article.outlet} ({doc.article.source})"
        end = _analysed_cut(doc)
        if end is not None:
            out.append(
                f"{where}: only its first {end:,} of {len(doc.text):,} "
                f"characters are analysed and compared (at most {MAX_ANALYSED_CHARS:,})"
            )
        if len(doc.claims) >= MAX_CLAIMS:
            out.append(f"{where}: only its first {MAX_CLAIMS} claims are compared")
        if len(doc.quotes) >= MAX_QUOTES:
            out.append(f"{where}: only its first {MAX_QUOTES} quotations are counted")
    return out


def _analyze_all(
    articles: Sequence[Article],
    *,
    pipeline: object,
    fail_fast: bool,
    progress: Progress | None = None,
) -> tuple[list[AnalyzedArticle], list[Failure]]:
    """Analyze in batches of :data:`_ANALYZE_CHUNK`; if a batch fails, retry it one by one
    so one bad article can't sink it (an article past its time budget is left out at once:
    :func:`_analyze_batch`)."""
    analyze_many: Callable[[Sequence[Article]], list[AnalyzedArticle]] = pipeline.analyze_many  # type: ignore[attr-defined]
    if progress is not None:
        progress(0, len(articles))
    if len(articles) == 1:
        try:
            analyzed = list(analyze_many(articles))
        except StoryscopeError:
            raise
        except Exception as exc:
            raise AnalysisError(f"analysis failed: {exc}") from exc
        if progress is not None:
            progress(1, 1)
        return analyzed, []
    analyzed = []
    failures: list[Failure] = []
    for lo in range(0, len(articles), _ANALYZE_CHUNK):
        chunk = articles[lo : lo + _ANALYZE_CHUNK]
        done, failed = _analyze_batch(chunk, analyze_many, fail_fast=fail_fast)
        analyzed.extend(done)
        failures.extend(failed)
        if progress is not None:
            progress(lo + len(chunk), len(articles))
    if not analyzed:
        raise AnalysisError(f"analysis failed for every article ({failures[0].error})")
    return analyzed, failures


def _analyze_batch(
    articles: Sequence[Article],
    analyze_many: Callable[[Sequence[Article]], list[AnalyzedArticle]],
    *,
    fail_fast: bool,
) -> tuple[list[AnalyzedArticle], list[Failure]]:
    """The batch's analyses and failures. An article past its time budget
    (:class:`~storyscope.errors.AnalysisTimeoutError`) is that article's failure and the
    rest is analysed again as a batch, without paying its budget twice; any other error
    retries the batch one article at a time."""
    failures: list[Failure] = []
    todo = list(articles)
    while True:
        try:
            return list(analyze_many(todo)), failures
        except AnalysisTimeoutError as exc:
            if fail_fast:
                raise
            slow = [a for a in todo if a.id == exc.article_id]
            if not slow:  # not one of this batch's (a pipeline of another kind): retry each
                break
            failures.append(Failure(stage="analyze", source=slow[0].source, error=str(exc)))
            todo = [a for a in todo if a.id != exc.article_id]
            if not todo:
                return [], failures
        except StoryscopeError:
            if fail_fast:
                raise
            break
        except Exception as exc:
            if fail_fast:
                raise AnalysisError(f"analysis failed: {exc}") from exc
            break
    logger.warning("batch analysis failed; retrying article by article")
    analyzed: list[AnalyzedArticle] = []
    for article in todo:
        try:
            analyzed.extend(analyze_many([article]))
        except Exception as exc:  # one bad article must not sink the batch
            failures.append(Failure(stage="analyze", source=article.source, error=str(exc)))
    return analyzed, failures


#: The shared pipelines by (analyzer list, plugin manager); None: none built yet (tests
#: set it back to None to build new ones).
_PIPELINE: dict[tuple[object, ...], Pipeline] | None = None
#: Pipelines kept: one per analyzer list a process uses (a server has one).
_PIPELINES_KEPT = 8


def _shared_pipeline(settings: AnalyzeSettings | None = None) -> Pipeline:
    """The process's analyze pipeline for ``[analyze]`` settings (the shipped ones when None).

    Built with :meth:`storyscope.analyze.Pipeline.from_config` the first time an
    analyzer list is asked for, then reused: its analyzers and models (loaded on
    first use) are kept. Plugins reloaded (:func:`storyscope.plugins.reset`) build
    it again.

    Raises:
        ConfigError: The list does not make a pipeline, or a plugin failed to load.
    """
    global _PIPELINE
    from storyscope.analyze import Pipeline
    from storyscope.plugins import plugin_manager
    from storyscope.settings import default_settings

    analyze = settings if settings is not None else default_settings().analyze
    key = (tuple(analyze.analyzers), plugin_manager())
    if _PIPELINE is None:
        _PIPELINE = {}
    pipeline = _PIPELINE.get(key)
    if pipeline is None:
        pipeline = Pipeline.from_config(analyze)
        while len(_PIPELINE) >= _PIPELINES_KEPT:
            _PIPELINE.pop(next(iter(_PIPELINE)))
        _PIPELINE[key] = pipeline
    return pipeline


def _problem(failure: Failure) -> str:
    """The problem part of a failure message (without a repeated source prefix)."""
    prefix = f"{failure.source}: "
    return failure.error[len(prefix) :] if failure.error.startswith(prefix) else failure.error
