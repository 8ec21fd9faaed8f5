"""Analyze stage: :class:`~storyscope.model.Article` -> :class:`~storyscope.model.AnalyzedArticle`.

Sentences, entities, quantities, time expressions, quotes, framing cues, claims and
sentence embeddings. Models load lazily, once per process::

    from storyscope.analyze import analyze
    analyzed = analyze(articles)

The pipeline is a list of :class:`Analyzer` objects, each called with a
:class:`Draft` of the article; plugins add their own (:mod:`storyscope.plugins`,
docs/architecture.md, "Plugins").
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from storyscope.analyze.embeddings import Embedder, MiniLMEmbedder, get_embedder
from storyscope.analyze.pipeline import Analyzer, Draft, Pipeline
from storyscope.model import AnalyzedArticle, Article

__all__ = [
    "Analyzer",
    "Draft",
    "Embedder",
    "MiniLMEmbedder",
    "Pipeline",
    "analyze",
    "get_embedder",
]


@functools.cache
def _default_pipeline() -> Pipeline:
    return Pipeline()


def analyze(articles: Sequence[Article]) -> list[AnalyzedArticle]:
    """Analyze articles with the default pipeline (spaCy + MiniLM, loaded on first use).

    Args:
        articles: Articles to analyze.

    Returns:
        One :class:`AnalyzedArticle` per article, in order.

    Raises:
        AnalysisError: A model failed to load or run.
    """
    return _default_pipeline().analyze_many(list(articles))
