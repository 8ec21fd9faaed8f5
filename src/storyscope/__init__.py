"""storyscope: show a news story from every side.

Give it several articles about one event from different outlets and it reports
what they agree on, what only one outlet says, where they contradict each other,
who is quoted, how each outlet frames the story, and a summary in which every
sentence cites exact spans of the articles.

The common path::

    import storyscope
    story = storyscope.compare(["examples/port-aster"])
    print(storyscope.render(story, "markdown"))

Stages, for more control: :func:`read` (sources -> articles),
:func:`analyze` (articles -> analyzed articles), :func:`align`
(analyzed articles -> :class:`Story`), :func:`render` (story -> report).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from storyscope._version import __version__
from storyscope.errors import (
    AlignmentError,
    AnalysisError,
    ConfigError,
    IngestError,
    ReportError,
    StoreError,
    StoryscopeError,
)
from storyscope.model import (
    AnalyzedArticle,
    Article,
    Citation,
    Claim,
    Contradiction,
    Cue,
    Entity,
    Fact,
    Failure,
    Framing,
    Label,
    Omission,
    Quantity,
    Quote,
    QuoteVariant,
    Removed,
    Sentence,
    Story,
    SummarySentence,
    TimeExpression,
)

if TYPE_CHECKING:  # pragma: no cover
    import os
    from collections.abc import Iterable, Mapping, Sequence

    from storyscope.analyze.embeddings import Embedder
    from storyscope.ingest import ReadResult
    from storyscope.settings import AlignSettings

logging.getLogger(__name__).addHandler(logging.NullHandler())

# The stage subpackages share their names with the stage functions below. Import
# them first, so that the functions (defined afterwards) are what
# ``storyscope.analyze`` / ``storyscope.align`` name; the subpackages stay
# importable as ``storyscope.analyze.Pipeline`` etc. through ``sys.modules``.
import storyscope.align as _align_stage  # noqa: E402
import storyscope.analyze as _analyze_stage  # noqa: E402
from storyscope.api import compare  # noqa: E402

__all__ = [
    "AlignmentError",
    "AnalysisError",
    "AnalyzedArticle",
    "Article",
    "Citation",
    "Claim",
    "ConfigError",
    "Contradiction",
    "Cue",
    "Entity",
    "Fact",
    "Failure",
    "Framing",
    "IngestError",
    "Label",
    "Omission",
    "Quantity",
    "Quote",
    "QuoteVariant",
    "Removed",
    "ReportError",
    "Sentence",
    "StoreError",
    "Story",
    "StoryscopeError",
    "SummarySentence",
    "TimeExpression",
    "__version__",
    "align",
    "analyze",
    "compare",
    "read",
    "render",
]


def read(
    sources: Iterable[str | os.PathLike[str]],
    *,
    outlets: Mapping[str, str] | None = None,
    fail_fast: bool = False,
) -> ReadResult:
    """Read sources (files, directories, globs) into articles. See :func:`storyscope.ingest.read`."""
    from storyscope.ingest import read as _read

    return _read(sources, outlets=outlets, fail_fast=fail_fast)


def analyze(articles: Sequence[Article]) -> list[AnalyzedArticle]:
    """Analyze articles with the default pipeline. See :mod:`storyscope.analyze`."""
    return _analyze_stage.analyze(articles)


def align(
    articles: Sequence[AnalyzedArticle],
    *,
    embedder: Embedder | None = None,
    settings: AlignSettings | None = None,
) -> Story:
    """Align analyzed articles into a :class:`Story`. See :func:`storyscope.align.align`."""
    return _align_stage.align(articles, embedder=embedder, settings=settings)


def render(story: Story, format: str = "json") -> str:  # noqa: A002 - public name fixed by the API
    """Render a story as ``json``, ``markdown`` or ``html``."""
    from storyscope.report import render as _render

    return _render(story, format)
