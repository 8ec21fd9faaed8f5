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
from typing import TYPE_CHECKING, Any

from storyscope._version import __version__
from storyscope.errors import (
    AlignmentError,
    AnalysisError,
    ConfigError,
    IngestError,
    ReportError,
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
    from storyscope.ingest import ReadResult

logging.getLogger(__name__).addHandler(logging.NullHandler())

# The stage subpackages share their names with the stage functions below. Import
# them first, so that the functions (defined afterwards) are what
# ``storyscope.analyze`` / ``storyscope.align`` name; the subpackages stay
# importable as ``storyscope.analyze.Pipeline`` etc. through ``sys.modules``.
import storyscope.align as _align_stage  # noqa: E402
import storyscope.analyze as _analyze_stage  # noqa: E402

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


def read(sources: Any, **kwargs: Any) -> ReadResult:
    """Read sources (files, directories, globs) into articles. See :func:`storyscope.ingest.read`."""
    from storyscope.ingest import read as _read

    return _read(sources, **kwargs)


def analyze(articles: Any) -> list[AnalyzedArticle]:
    """Analyze articles with the default pipeline. See :mod:`storyscope.analyze`."""
    return _analyze_stage.analyze(articles)


def align(articles: Any, **kwargs: Any) -> Story:
    """Align analyzed articles into a :class:`Story`. See :func:`storyscope.align.align`."""
    return _align_stage.align(articles, **kwargs)


def render(story: Story, format: str = "json") -> str:
    """Render a story as ``json``, ``markdown`` or ``html``."""
    from storyscope.report import render as _render

    return _render(story, format)


def compare(sources: Any, **kwargs: Any) -> Story:
    """Read, analyze and align articles about one event. See :func:`storyscope.api.compare`."""
    from storyscope.api import compare as _compare

    return _compare(sources, **kwargs)
