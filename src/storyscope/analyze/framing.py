"""Per-article framing measures, found once in the analyze stage and stored on the article.

Five analyzers (:func:`framing_analyzers`), each assigning one
:class:`~storyscope.model.AnalyzedArticle` field:

* ``sources`` -- who the article relies on, typed
  (:func:`storyscope.align.sourcing.find_sources`, anonymous sources included);
* ``anonymous`` -- its unnamed sources, one citation each, as the report's framing lists
  them (:func:`storyscope.align.sourcing.find_anonymous_citations`);
* ``media`` -- the phrases where it relies on other news organisations
  (:func:`storyscope.align.sourcing.find_media_reliance`). Which other outlets are in
  the story is not known here: align adds their names
  (:func:`storyscope.align.sourcing.story_media_reliance`);
* ``loaded`` -- loaded terms (:func:`storyscope.align.loaded_language.find_loaded_language`);
* ``hedges`` -- the outlet's hedges and scare quotes with the claims they hedge
  (:func:`storyscope.align._cues.article_hedges`).

Align only compares: it reads these fields, and finds a measure itself only where it
is None (an article analysed by an older pipeline, or by one without the analyzer).
The rules and lexicons are the packaged ones, loaded once on first use; the code lives
with align's, which still needs it for such articles.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from storyscope.analyze.pipeline import Draft
    from storyscope.model import AnalyzedArticle

__all__ = ["ArticleMeasure", "framing_analyzers"]


class ArticleMeasure:
    """An analyzer that computes one per-article field from the article analysed so far.

    Args:
        name: Versioned name ("sources.v1"); the field it assigns is the name's key.
        requires: The draft fields the measure reads.
        measure: ``measure(analyzed_article) -> records`` (a module-level function, so
            that pipelines pickle).
    """

    __slots__ = ("_field", "_measure", "_name", "_requires")

    def __init__(
        self,
        name: str,
        requires: AbstractSet[str],
        measure: Callable[[AnalyzedArticle], Sequence[Any]],
    ) -> None:
        self._name = name
        self._field = name.partition(".")[0]
        self._requires = frozenset(requires)
        self._measure = measure

    @property
    def name(self) -> str:
        return self._name

    @property
    def requires(self) -> AbstractSet[str]:
        return self._requires

    @property
    def assigns(self) -> AbstractSet[str]:
        return frozenset({self._field})

    def __call__(self, draft: Draft, /) -> Draft:
        found: dict[str, Any] = {self._field: tuple(self._measure(draft.analyzed()))}
        return dataclasses.replace(draft, **found)

    def __repr__(self) -> str:
        return f"<analyzer {self._name}>"


# The measures (imported when first run: align's modules are not loaded with the pipeline).
def _sources(doc: AnalyzedArticle) -> Sequence[Any]:
    from storyscope.align.sourcing import find_sources

    return find_sources(doc)


def _anonymous(doc: AnalyzedArticle) -> Sequence[Any]:
    from storyscope.align.sourcing import find_anonymous_citations

    return find_anonymous_citations(doc)


def _media(doc: AnalyzedArticle) -> Sequence[Any]:
    from storyscope.align.sourcing import find_media_reliance

    return find_media_reliance(doc)


def _loaded(doc: AnalyzedArticle) -> Sequence[Any]:
    from storyscope.align.loaded_language import find_loaded_language

    return find_loaded_language(doc)


def _hedges(doc: AnalyzedArticle) -> Sequence[Any]:
    from storyscope.align._cues import cue_citations, hedged_claims

    return hedged_claims(doc, cue_citations([doc], "hedge"))


def framing_analyzers() -> list[ArticleMeasure]:
    """The per-article framing analyzers, in their order: sources, anonymous, media, loaded,
    hedges."""
    return [
        ArticleMeasure("sources.v1", {"sentences", "entities", "quotes", "cues"}, _sources),
        ArticleMeasure("anonymous.v1", {"sentences", "quotes", "cues"}, _anonymous),
        ArticleMeasure("media.v1", frozenset(), _media),
        ArticleMeasure("loaded.v1", {"sentences", "entities", "quotes"}, _loaded),
        ArticleMeasure("hedges.v1", {"sentences", "quotes", "cues", "claims"}, _hedges),
    ]
