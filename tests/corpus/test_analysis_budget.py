"""A time budget per article's analysis: past it, the article is one recorded failure and the
batch goes on (issue 19, "a time budget per article (ingest records a failure and goes on)").

The slow analyzer is a real plugin (a module and a ``*.dist-info`` on ``sys.path``, loaded
through the ``storyscope`` entry-point group, as in tests/test_plugins.py) that spins in
Python on one article, up to 30 s; the budget is 2 s, so the test also fails, rather than
hangs, when the budget does not apply.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from _corpus_articles import ALL, BRIDGE_COURIER, write_jsonl
from click.testing import CliRunner

from storyscope import api, plugins
from storyscope.analyze import pipeline as pipeline_module
from storyscope.cli import cli
from storyscope.corpus import cached_report
from storyscope.errors import AnalysisTimeoutError
from storyscope.model import Article
from storyscope.store import Store

pytestmark = pytest.mark.slow

MODULE = "storyscope_slowpoke"
BUDGET_S = 2.0

# Spins on the article that reports the $4.5 million cost, and only there.
PLUGIN = '''
import time

from storyscope.plugins import hookimpl

calls = []
slow_calls = []


class Slowpoke:
    name = "slowpoke.v1"
    requires = frozenset({"text"})
    assigns = frozenset()

    def __call__(self, draft):
        calls.append(draft.article.id)
        if "$4.5 million" in draft.text:
            slow_calls.append(draft.article.id)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                pass
        return draft


@hookimpl
def storyscope_analyzers():
    return [Slowpoke()]
'''


@pytest.fixture()
def slow_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    site = tmp_path / "site"
    site.mkdir()
    (site / f"{MODULE}.py").write_text(PLUGIN, encoding="utf-8")
    info = site / "storyscope_slowpoke-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: storyscope-slowpoke\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[storyscope]\nslowpoke = {MODULE}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delenv(plugins.NO_PLUGINS_ENV, raising=False)
    monkeypatch.setattr(api, "_PIPELINE", None)  # the shared pipeline: built again, with it
    monkeypatch.setattr(pipeline_module, "MAX_ANALYSIS_SECONDS", BUDGET_S)
    monkeypatch.chdir(tmp_path)  # no stray ./storyscope.toml
    plugins.reset()
    yield
    plugins.reset()
    sys.modules.pop(MODULE, None)


def _ingest(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["ingest", *(str(a) for a in args)])
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return result.exit_code, result.stderr


def test_an_article_past_its_analysis_budget_is_one_failure_and_the_rest_is_reported(
    slow_plugin: None, tmp_path: Path
) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl")
    db = tmp_path / "s.db"
    slow_source = f"{feed}#L{ALL.index(BRIDGE_COURIER) + 1}"
    started = time.monotonic()
    code, err = _ingest(feed, "--db", db, "--analyze")
    took = time.monotonic() - started
    assert code == 1, err  # an article failed
    line = f"{slow_source}: took over 2 s to analyse (the per-article time budget)"
    assert line in err and "Analysed and reported 2 stories (1 failure)." in err, err
    assert took < 30, took  # stopped at the budget, not at the plugin's 30 s
    assert len(sys.modules[MODULE].slow_calls) == 1  # the slow article's budget paid once
    with Store.open(db) as store:
        (failure,) = store.failures()
        assert (failure.stage, failure.source, failure.error) == ("analyze", slow_source, line)
        # every story is reported; the bridge story without the slow article
        stories = [s for s in store.list_stories() if s.article_count]
        reports = {s.id: cached_report(store, s.id) for s in stories}
        assert len(reports) == 2 and all(r is not None for r in reports.values())
        compared = {a["outlet"] for r in reports.values() if r for a in r["articles"]}
        assert compared == {"Lakeside Wire", "Fenwick Gazette", "Valley Courier"}
        bridge = next(r for r in reports.values() if r and "Lakeside Wire" in str(r["articles"]))
        assert [a["outlet"] for a in bridge["articles"]] == ["Lakeside Wire"]
    # resumed or run again: the reports are current, nothing is analysed or recorded again
    again, err = _ingest(feed, "--db", db, "--analyze")
    assert again == 0 and "Analysed and reported 0 stories (0 failures)." in err, err
    with Store.open(db) as store:
        assert len(store.failures()) == 1


def test_the_pipeline_raises_the_slow_article_and_analyses_the_others(slow_plugin: None) -> None:
    from storyscope.analyze import Pipeline
    from storyscope.testing import FakeEmbedder

    pipeline = Pipeline(embedder=FakeEmbedder(dim=8))
    assert pipeline.analyzers[-1].name == "slowpoke.v1"
    articles = [
        Article.create(text=r["text"], source=f"a{n}.txt", outlet=r["outlet"])
        for n, r in enumerate(ALL)
    ]
    slow = articles[ALL.index(BRIDGE_COURIER)]
    started = time.monotonic()
    with pytest.raises(AnalysisTimeoutError) as raised:
        pipeline.analyze_many(articles)
    assert time.monotonic() - started < 2 * BUDGET_S + 5
    assert (raised.value.article_id, raised.value.source) == (slow.id, slow.source)
    # compare goes on without it: the article is a failure, the others are compared
    story = api.compare_articles(articles, pipeline=pipeline)
    assert [f.source for f in story.failures] == [slow.source]
    assert len(story.articles) == len(articles) - 1
