"""The whole single-story pipeline in one call: read -> analyze -> align."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from storyscope.errors import AnalysisError, IngestError, StoryscopeError
from storyscope.model import AnalyzedArticle, Article, Failure, Story
from storyscope.settings import Settings

__all__ = ["StageTimes", "compare", "compare_articles"]

logger = logging.getLogger(__name__)


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
) -> Story:
    """Read sources, analyze each article and align them into a :class:`Story`.

    Args:
        sources: files, directories or glob patterns (text, HTML, JSON, JSONL).
        outlets: optional mapping of source path / file name / stem -> outlet name.
        fail_fast: raise on the first bad source instead of recording a failure.
        pipeline: an analyze ``Pipeline`` to use (defaults to the shared one).
        timings: a :class:`StageTimes` to fill with seconds per stage.
        settings: resolved settings (:func:`storyscope.settings.resolve_settings`);
            the shipped defaults when None.

    Returns:
        The story. Sources that failed are listed in ``story.failures`` and
        one-line notes in ``story.warnings``.

    Raises:
        IngestError: no source yielded an article (or, with ``fail_fast``, any
            source failed).
    """
    from storyscope.ingest import read

    paths = [os.fspath(s) for s in sources]
    t0 = time.perf_counter()
    result = read(paths, outlets=outlets, fail_fast=fail_fast)
    if timings is not None:
        timings.read = time.perf_counter() - t0
    if not result.articles:
        if result.failures:
            first = result.failures[0]
            more = f" (and {len(result.failures) - 1} more)" if len(result.failures) > 1 else ""
            raise IngestError(first.source, f"{_problem(first)}{more}")
        raise IngestError(", ".join(paths) or "(no sources)", "no articles found")
    story = compare_articles(
        result.articles, fail_fast=fail_fast, pipeline=pipeline, timings=timings, settings=settings
    )
    return replace(
        story,
        failures=tuple(result.failures) + story.failures,
        warnings=tuple(result.warnings) + story.warnings,
    )


def compare_articles(
    articles: Sequence[Article],
    *,
    fail_fast: bool = False,
    pipeline: object | None = None,
    timings: StageTimes | None = None,
    settings: Settings | None = None,
) -> Story:
    """Analyze and align articles that are already read (``settings``: see :func:`compare`)."""
    from storyscope.align import align

    t0 = time.perf_counter()
    analyzed, failures = _analyze_all(articles, pipeline=pipeline, fail_fast=fail_fast)
    t1 = time.perf_counter()
    story = align(analyzed, settings=settings.align if settings is not None else None)
    t2 = time.perf_counter()
    if timings is not None:
        timings.analyze = t1 - t0
        timings.align = t2 - t1
    return replace(story, failures=tuple(failures) + story.failures)


def _analyze_all(
    articles: Sequence[Article], *, pipeline: object | None, fail_fast: bool
) -> tuple[list[AnalyzedArticle], list[Failure]]:
    """Analyze in one batch; if the batch fails, retry one by one so one bad article can't sink it."""
    if pipeline is None:
        from storyscope.analyze import Pipeline

        pipeline = _default_pipeline(Pipeline)
    analyze_many: Callable[[Sequence[Article]], list[AnalyzedArticle]] = pipeline.analyze_many  # type: ignore[attr-defined]
    try:
        return list(analyze_many(articles)), []
    except StoryscopeError:
        if fail_fast or len(articles) == 1:
            raise
    except Exception as exc:
        if fail_fast or len(articles) == 1:
            raise AnalysisError(f"analysis failed: {exc}") from exc
    logger.warning("batch analysis failed; retrying article by article")
    analyzed: list[AnalyzedArticle] = []
    failures: list[Failure] = []
    for article in articles:
        try:
            analyzed.extend(analyze_many([article]))
        except Exception as exc:  # one bad article must not sink the batch
            failures.append(Failure(stage="analyze", source=article.source, error=str(exc)))
    if not analyzed:
        raise AnalysisError(f"analysis failed for every article ({failures[0].error})")
    return analyzed, failures


_PIPELINE: object | None = None


def _default_pipeline(factory: Callable[[], object]) -> object:
    global _PIPELINE
    if _PIPELINE is None:
        _PIPELINE = factory()
    return _PIPELINE


def _problem(failure: Failure) -> str:
    """The problem part of a failure message (without a repeated source prefix)."""
    prefix = f"{failure.source}: "
    return failure.error[len(prefix) :] if failure.error.startswith(prefix) else failure.error
