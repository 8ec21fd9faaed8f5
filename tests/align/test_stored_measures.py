"""Per-article framing measures are found in analyze, stored, and read by align.

The analyzers sources, anonymous, media, loaded and hedges (storyscope.analyze.framing) store
what align used to find per story; align reads it, and finds it itself for an article
analysed without it (an older stored analysis): the report is the same either way.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from storyscope.align import align
from storyscope.align._cues import article_hedges
from storyscope.align.loaded_language import find_loaded_language
from storyscope.align.sourcing import (
    find_anonymous_citations,
    find_media_reliance,
    find_sources,
    story_media_reliance,
)
from storyscope.model import AnalyzedArticle
from storyscope.report import render
from storyscope.store._analysis import decode_analysis, encode_analysis

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "port-aster"
MEASURES = ("sources", "anonymous", "media", "loaded", "hedges")


@pytest.fixture(scope="module")
def analysed() -> list[AnalyzedArticle]:
    from storyscope.analyze import analyze
    from storyscope.ingest import read

    return list(analyze(read([str(EXAMPLE)]).articles))


def _without(doc: AnalyzedArticle) -> AnalyzedArticle:
    return dataclasses.replace(doc, **{name: None for name in MEASURES})


def _report(docs: list[AnalyzedArticle]) -> Any:
    return json.loads(render(align(docs), "json"))


def test_the_analysis_stores_what_align_found_per_story(analysed: list[AnalyzedArticle]) -> None:
    outlets = [d.article.outlet for d in analysed]
    for doc in analysed:
        bare = _without(doc)
        assert doc.sources == find_sources(bare)
        assert doc.anonymous == find_anonymous_citations(bare)
        assert doc.loaded == find_loaded_language(bare)
        assert doc.media == find_media_reliance(bare)
        assert doc.hedges is not None and list(doc.hedges) == article_hedges(bare)
        # The story's other outlets are matched in align: the same as finding it all there.
        assert story_media_reliance(doc, outlets) == find_media_reliance(bare, outlets=outlets)
    assert any(doc.sources for doc in analysed) and any(doc.hedges for doc in analysed)
    assert any(doc.anonymous for doc in analysed)
    assert any(doc.loaded for doc in analysed)


def test_an_article_naming_another_outlet_of_the_story_is_searched_again(
    analysed: list[AnalyzedArticle],
) -> None:
    doc = analysed[0]
    other = next(w for w in doc.text.split() if w.istitle() and len(w) > 4)
    outlets = [doc.article.outlet, other]
    assert other in doc.text
    assert story_media_reliance(doc, outlets) == find_media_reliance(_without(doc), outlets=outlets)


def test_align_gives_the_same_report_without_the_stored_measures(
    analysed: list[AnalyzedArticle],
) -> None:
    assert _report(analysed) == _report([_without(d) for d in analysed])


def test_an_analysis_stored_without_the_measures_still_loads_and_aligns(
    analysed: list[AnalyzedArticle],
) -> None:
    encoded = [encode_analysis(d) for d in analysed]
    assert all(decode_analysis(e) == d for e, d in zip(encoded, analysed, strict=True))
    old = [{k: v for k, v in e.items() if k not in MEASURES} for e in encoded]
    loaded = [decode_analysis(json.loads(json.dumps(e))) for e in old]
    assert all(getattr(d, name) is None for d in loaded for name in MEASURES)
    assert loaded == [_without(d) for d in analysed]
    assert _report(loaded) == _report(analysed)
