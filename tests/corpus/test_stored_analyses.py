"""Analyses are computed once and read from the store afterwards (report, story pages, list counts)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _corpus_articles import write_jsonl

from storyscope.analyze import Pipeline
from storyscope.corpus import (
    ANALYSIS_KIND,
    StoredAnalyses,
    cached_report,
    ingest_corpus,
    story_report,
)
from storyscope.store import Store
from storyscope.store._analysis import decode_analysis, encode_analysis
from storyscope.testing import FakeEmbedder

pytestmark = pytest.mark.slow


class CountingPipeline(Pipeline):
    """The real pipeline (spaCy, a fake embedder) that counts the articles it analyses."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(embedder=FakeEmbedder(), **kwargs)  # type: ignore[arg-type]
        self.analyzed = 0

    def analyze_many(self, articles):  # type: ignore[no-untyped-def]
        self.analyzed += len(articles)
        return super().analyze_many(articles)


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Store.open(tmp_path / "analyses.db") as opened:
        ingest_corpus([str(write_jsonl(tmp_path / "feed.jsonl"))], opened, embedder=FakeEmbedder())
        yield opened


def _biggest(store: Store) -> int:
    return max(store.list_stories(), key=lambda s: s.article_count).id


def test_a_story_is_analysed_once_then_read_from_the_store(store: Store, tmp_path: Path) -> None:
    sid = _biggest(store)
    first = CountingPipeline()
    story, report = story_report(store, sid, pipeline=first)
    assert first.analyzed == len(story.articles) >= 2
    again = CountingPipeline()  # a new process: nothing in memory
    story2, report2 = story_report(store, sid, pipeline=again)
    assert again.analyzed == 0
    assert report2 == report
    assert [a.id for a in story2.articles] == [a.id for a in story.articles]
    assert cached_report(store, sid) == report


def test_stored_analyses_are_redone_under_another_pipeline_version(
    store: Store, tmp_path: Path
) -> None:
    sid = _biggest(store)
    story_report(store, sid, pipeline=CountingPipeline())
    lexicon = tmp_path / "cues.toml"
    from importlib import resources

    lexicon.write_text(
        resources.files("storyscope.data").joinpath("cues.toml").read_text("utf-8"), "utf-8"
    )
    other = CountingPipeline(cue_lexicon=lexicon)
    assert other.version != CountingPipeline().version
    story, _ = story_report(store, sid, pipeline=other)
    assert other.analyzed == len(story.articles)


def test_an_unreadable_stored_analysis_is_analysed_again(store: Store) -> None:
    sid = _biggest(store)
    pipeline = CountingPipeline()
    story, _ = story_report(store, sid, pipeline=pipeline)
    victim = story.articles[0].id
    store.cache_put(ANALYSIS_KIND, victim, {"article": "not an article"}, version=pipeline.version)
    again = CountingPipeline()
    story_report(store, sid, pipeline=again)
    assert again.analyzed == 1


def test_a_pipeline_without_a_version_is_used_as_is(store: Store) -> None:
    inner = CountingPipeline()

    class Bare:
        def analyze_many(self, articles):  # type: ignore[no-untyped-def]
            return inner.analyze_many(articles)

    wrapped = StoredAnalyses(store, Bare())
    assert wrapped.version is None
    articles = list(store.story_articles(_biggest(store)))
    wrapped.analyze_many(articles)
    wrapped.analyze_many(articles)
    assert inner.analyzed == 2 * len(articles)
    assert store.cache_get(ANALYSIS_KIND, articles[0].id, version=inner.version) is None


def test_encoded_analysis_round_trips_exactly(store: Store) -> None:
    import json

    articles = list(store.story_articles(_biggest(store)))
    for doc in CountingPipeline().analyze_many(articles):
        back = decode_analysis(json.loads(json.dumps(encode_analysis(doc))))
        assert back == doc
        assert back.embeddings.dtype == doc.embeddings.dtype
        assert np.array_equal(back.embeddings, doc.embeddings)


def test_a_restarted_server_lists_counts_without_analysing(store: Store) -> None:
    from fastapi.testclient import TestClient

    from storyscope.web import create_app
    from storyscope.web._store_source import StoreSource

    sid = _biggest(store)
    story, _ = story_report(store, sid, pipeline=CountingPipeline())
    fresh = CountingPipeline()
    client = TestClient(create_app(StoreSource(store, pipeline=fresh)))
    listed = {s["id"]: s for s in client.get("/api/stories").json()["stories"]}
    assert listed[str(sid)]["fact_count"] == len(story.facts)
    assert listed[str(sid)]["contradiction_count"] == len(story.contradictions)
    assert fresh.analyzed == 0


def test_the_pipeline_version_does_not_change_when_models_load() -> None:
    pipeline = Pipeline(embedder=FakeEmbedder())
    before = pipeline.version
    assert pipeline.nlp is not None  # loads spaCy
    assert pipeline.version == before == Pipeline(embedder=FakeEmbedder()).version
    assert Pipeline().version != before  # another embedder: other analyses


def test_a_store_that_cannot_take_the_cache_still_answers(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyscope.errors import StoreError

    def refuse(*_: object, **__: object) -> None:
        raise StoreError("analyses.db: attempt to write a readonly database")

    monkeypatch.setattr(store, "cache_put", refuse)
    story, report = story_report(store, _biggest(store), pipeline=CountingPipeline())
    assert story.facts and report["stats"]["articles"] == len(story.articles)
