"""The per-article analysis budget holds on the Ray engine's workers too: past it, the article is
one recorded failure, the rest of its batch is analysed, and the run goes on.

Ray Data calls the analysis on a thread of its own in each worker, where no ``SIGALRM`` can
reach, so the workers keep the budget with a watchdog thread (:func:`storyscope._timer.thread_budgets`).
The slow analyzer spins in Python on one article, up to 30 s; the budget is 2 s (set in the
worker by the pipeline factory), so the test fails, rather than hangs, when the budget does
not apply.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from _ray_articles import EVENTS, write_corpus

from storyscope.analyze import Pipeline
from storyscope.corpus import ingest_corpus
from storyscope.engines import load_analyzed
from storyscope.store import Store

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::UserWarning:ray"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning"),
]

BUDGET_S = 2.0


def test_an_article_past_its_budget_on_a_ray_worker_is_one_failure(ray_local: Any, tmp_path: Path) -> None:
    def slow_pipeline() -> Pipeline:  # defined here so Ray pickles it (and the analyzer) by value
        import time as worker_time

        from storyscope.analyze import pipeline as pipeline_module
        from storyscope.analyze.embeddings import MiniLMEmbedder
        from storyscope.settings import default_settings

        class Slowpoke:
            name = "slowpoke.v1"
            requires = frozenset({"text"})
            assigns: frozenset[str] = frozenset()

            def __call__(self, draft: Any) -> Any:
                if "blames fog" in (draft.article.title or ""):
                    deadline = worker_time.monotonic() + 30
                    while worker_time.monotonic() < deadline:
                        pass
                return draft

        pipeline_module.MAX_ANALYSIS_SECONDS = BUDGET_S  # this worker's budget
        return Pipeline(
            analyzers=[*default_settings().analyze.analyzers, Slowpoke()],
            embedder=MiniLMEmbedder(threads=1),
        )

    sources = write_corpus(tmp_path / "corpus")
    started = time.monotonic()
    with Store.open(tmp_path / "slow.db") as store:
        summary = ingest_corpus(
            sources, store, engine="ray",
            engine_options={"workers": 2, "parquet_dir": tmp_path / "pq", "pipeline_factory": slow_pipeline,
                            "analyze_batch": 4},
        )
        took = time.monotonic() - started
        failures = store.failures(run_id=summary.run_id)
        victims = [a for a in store.iter_articles(include_duplicates=True) if "blames fog" in (a.title or "")]
        placed = all(store.article_info(a.id).story_id is not None for a in store.iter_articles())  # type: ignore[union-attr]
    assert took < 30, took  # stopped at the budget, not at the analyzer's 30 s
    assert summary.failed == 1 and summary.read == len(EVENTS)
    (victim,) = victims
    (failure,) = failures
    assert (failure.stage, failure.source) == ("analyze", victim.source)
    assert failure.error == f"{victim.source}: took over 2 s to analyse (the per-article time budget)"
    assert placed  # stored and clustered all the same
    analyzed = load_analyzed(tmp_path / "pq")
    assert victim.id not in analyzed and len(analyzed) == len(EVENTS) - 1  # its batch went on
