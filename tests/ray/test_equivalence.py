"""The Ray path gives the local path's stories, analyses, facts and contradictions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _ray_articles import EVENTS, write_corpus

from storyscope.align import align
from storyscope.analyze import Pipeline
from storyscope.corpus import IngestSummary, ingest_corpus, story_articles_for_report
from storyscope.engines import load_analyzed
from storyscope.store import Store

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::UserWarning:ray"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning"),
]


def _stories(store: Store) -> list[tuple[int, str | None, list[str]]]:
    return [
        (s.id, s.title, sorted(a.id for a in store.story_articles(s.id))) for s in store.list_stories()
    ]


def _counts(summary: IngestSummary) -> tuple[int, ...]:
    return (summary.read, summary.added, summary.already_stored, summary.duplicates, summary.failed,
            summary.stories_created, summary.stories_merged)


@pytest.fixture(scope="module")
def both(ray_local: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("equivalence")
    sources = write_corpus(root / "corpus")
    local = Store.open(root / "local.db")
    remote = Store.open(root / "ray.db")
    local_summary = ingest_corpus(sources, local)
    ray_summary = ingest_corpus(
        sources, remote, engine="ray", engine_options={"workers": 2, "parquet_dir": root / "pq", "analyze_batch": 2}
    )
    out = {"local": local, "ray": remote, "local_summary": local_summary, "ray_summary": ray_summary,
           "parquet": root / "pq", "sources": sources}
    yield out
    local.close()
    remote.close()


def test_same_stories_and_counts(both: dict[str, Any]) -> None:
    assert _counts(both["ray_summary"]) == _counts(both["local_summary"])
    assert both["ray_summary"].read == len(EVENTS)
    assert both["ray_summary"].duplicates == 1  # the reprint is linked, not counted
    stories = _stories(both["ray"])
    assert stories == _stories(both["local"])
    assert len(stories) == 2
    for story_id, *_ in stories:
        ray_articles, ray_warn = story_articles_for_report(both["ray"], story_id)
        local_articles, local_warn = story_articles_for_report(both["local"], story_id)
        assert ray_articles == local_articles
        assert ray_warn == local_warn


def test_parquet_analysis_equals_local_analysis(both: dict[str, Any], local_pipeline: Pipeline) -> None:
    analyzed = load_analyzed(both["parquet"])
    stored = list(both["ray"].iter_articles(include_duplicates=True))
    assert sorted(analyzed) == sorted(a.id for a in stored)
    for article in stored:
        expected = local_pipeline.analyze_many([article])[0]
        got = analyzed[article.id]
        assert got == expected  # every record but the embeddings (compare=False)
        assert got.embeddings.shape == expected.embeddings.shape
        np.testing.assert_allclose(got.embeddings, expected.embeddings, atol=1e-5)
        for record in (*got.sentences, *got.quotes, *got.claims):
            assert article.text[record.start : record.end] == record.text


def test_same_facts_and_contradictions(both: dict[str, Any], local_pipeline: Pipeline) -> None:
    analyzed = load_analyzed(both["parquet"])
    contradictions = 0
    for story_id, *_ in _stories(both["local"]):
        articles, _ = story_articles_for_report(both["local"], story_id)
        local_story = align(local_pipeline.analyze_many(articles))
        ray_story = align([analyzed[a.id] for a in articles])
        assert ray_story.facts == local_story.facts
        assert ray_story.contradictions == local_story.contradictions
        assert ray_story.summary == local_story.summary
        contradictions += len(local_story.contradictions)
    assert contradictions >= 1  # the corpus has real disagreements to compare


def test_rerun_is_idempotent(both: dict[str, Any], ray_local: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import storyscope.engines.ray as engine

    shipped: list[int] = []
    real = engine._analyzed_stream

    def counting(ray: Any, refs: list[Any], *args: Any) -> Any:
        shipped.append(len(refs))
        return real(ray, refs, *args)

    monkeypatch.setattr(engine, "_analyzed_stream", counting)
    before = _stories(both["ray"])
    summary = ingest_corpus(
        both["sources"], both["ray"], engine="ray",
        engine_options={"workers": 2, "parquet_dir": both["parquet"]},
    )
    assert summary.added == 0
    assert summary.read == summary.already_stored == len(EVENTS)
    assert shipped == []  # articles already stored are not sent to the workers again
    assert _stories(both["ray"]) == before
    assert len(load_analyzed(both["parquet"])) == len(before[0][2]) + len(before[1][2])


def test_parquet_source_gives_the_same_stories(both: dict[str, Any], ray_local: Any, tmp_path: Path) -> None:
    sources = write_corpus(tmp_path / "corpus", parquet=True)
    with Store.open(tmp_path / "pq.db") as store:
        summary = ingest_corpus(
            sources, store, engine="ray", engine_options={"workers": 2, "parquet_dir": tmp_path / "out"}
        )
        assert summary.failed == 0
        assert summary.read == len(EVENTS)
        got = sorted(ids for _, _, ids in _stories(store))
        sources_seen = {a.source for a in store.iter_articles(include_duplicates=True)}
    assert got == sorted(ids for _, _, ids in _stories(both["local"]))
    assert any(s.endswith("more.parquet#R1") for s in sources_seen)


def test_an_article_whose_analysis_fails_is_recorded_and_still_clustered(
    both: dict[str, Any], ray_local: Any, tmp_path: Path
) -> None:
    from storyscope.engines.ray import default_pipeline

    def fragile() -> Pipeline:  # defined here so Ray pickles it by value
        pipeline = default_pipeline()
        real = pipeline.analyze_many

        def analyze_many(articles: Any) -> Any:
            if any("Northsound" in a.text and "fog" in (a.title or "") for a in articles):
                raise RuntimeError("model crashed on this article")
            return real(articles)

        pipeline.analyze_many = analyze_many  # type: ignore[method-assign]
        return pipeline

    with Store.open(tmp_path / "fragile.db") as store:
        summary = ingest_corpus(
            both["sources"], store, engine="ray",
            engine_options={"workers": 2, "parquet_dir": tmp_path / "pq", "pipeline_factory": fragile,
                            "analyze_batch": 4},
        )
        failures = store.failures(run_id=summary.run_id)
        stories = _stories(store)
        victims = [a for a in store.iter_articles(include_duplicates=True) if a.title and "fog" in a.title]
    assert summary.failed == 1 and summary.read == len(EVENTS)
    assert [f.stage for f in failures] == ["analyze"]
    assert "model crashed on this article" in failures[0].error
    assert stories == _stories(both["ray"])  # stored and clustered all the same
    analyzed = load_analyzed(tmp_path / "pq")
    assert len(victims) == 1 and victims[0].id not in analyzed
    assert len(analyzed) == len(EVENTS) - 1
    reference = load_analyzed(both["parquet"])
    for article_id, item in analyzed.items():  # the others, batched with the failure, are intact
        assert item == reference[article_id]


def test_an_article_the_store_refuses_is_its_failure_and_the_run_goes_on(
    both: dict[str, Any], ray_local: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyscope.errors import StoreError

    with Store.open(tmp_path / "refusing.db") as store:
        real = store.add_articles

        def add_articles(batch: Any, *, progress: Any = None) -> Any:
            items = list(batch)
            if any("blames fog" in (a.title or "") for a in items):
                raise StoreError(f"{store.name}: value refused by the database")
            return real(items, progress=progress)

        monkeypatch.setattr(store, "add_articles", add_articles)
        summary = ingest_corpus(
            both["sources"], store, engine="ray",
            engine_options={"workers": 2, "parquet_dir": tmp_path / "pq", "analyze_batch": 4},
        )
        failures = store.failures(run_id=summary.run_id)
        stored = list(store.iter_articles(include_duplicates=True))
        placed = all(store.article_info(a.id).story_id is not None for a in store.iter_articles())  # type: ignore[union-attr]
    assert (summary.read, summary.added, summary.failed) == (len(EVENTS), len(EVENTS) - 1, 1)
    (failure,) = failures
    assert failure.source.endswith("more.jsonl#L1")
    assert failure.error == f"{failure.source}: not stored (value refused by the database)"
    assert len(stored) == len(EVENTS) - 1 and not any("blames fog" in (a.title or "") for a in stored)
    assert placed
    assert sorted(load_analyzed(tmp_path / "pq")) == sorted(a.id for a in stored)  # no analysis of it


def test_identical_copies_are_recorded_as_reprints_on_the_ray_engine(
    ray_local: Any, tmp_path: Path
) -> None:
    """A word-for-word copy under another outlet (a Parquet row named by its folder, read
    after the original: in the same run, and in a later one, which sends it to no worker)
    is a reprint, as local ingest records one, not a stored article."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from _ray_articles import FERRY_HARBOUR, FERRY_WIRE

    from storyscope.corpus import _story_members
    from storyscope.outlets import parse_outlet_pairs

    corpus = tmp_path / "corpus"
    for folder, record in (("Gulfline Wire", FERRY_WIRE), ("Harbour Ledger", FERRY_HARBOUR),
                           ("Tarnby Evening Star", {**FERRY_WIRE, "outlet": None})):
        (corpus / folder).mkdir(parents=True)
        pq.write_table(pa.Table.from_pylist([record]), str(corpus / folder / "rows.parquet"))
    late = tmp_path / "late"
    (late / "Kessel Post").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist([{**FERRY_WIRE, "outlet": None}]), str(late / "Kessel Post" / "r.parquet"))
    naming = parse_outlet_pairs((), folders=True)
    with Store.open(tmp_path / "ray.db") as store:
        options = {"workers": 2, "parquet_dir": tmp_path / "pq"}
        first = ingest_corpus([str(corpus)], store, outlets=naming, engine="ray", engine_options=options)
        later = ingest_corpus([str(late)], store, outlets=naming, engine="ray", engine_options=options)
        assert (first.added, first.already_stored, first.reprints) == (2, 1, 1)
        assert (later.added, later.already_stored, later.reprints) == (0, 1, 1)
        (story,) = [s.id for s in store.list_stories() if s.article_count]
        articles, warnings, reprints = _story_members(store, story)
    assert sorted(a.outlet for a in articles) == ["Gulfline Wire", "Harbour Ledger"]
    wire = next(a for a in articles if a.outlet == "Gulfline Wire")
    assert [(r.outlet, r.kind, r.original) for r in reprints] == [
        ("Tarnby Evening Star", "identical", wire.id),
        ("Kessel Post", "identical", wire.id),
    ]
    assert sum("republished by" in w for w in warnings) == 2
