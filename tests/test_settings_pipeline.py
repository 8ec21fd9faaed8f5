"""The ``[analyze] analyzers`` setting is what compare, ingest --analyze, report and the Ray
engine run; cached reports are kept per analyzer list, so a changed list or an installed
plugin's analyzer is never answered with a report made without it."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyscope import api, plugins
from storyscope.analyze import Pipeline
from storyscope.cli import cli
from storyscope.corpus import analyze_stories, cached_report, report_digest, story_report
from storyscope.ingest import read
from storyscope.settings import default_settings, resolve_settings
from storyscope.store import Store
from storyscope.testing import FakeEmbedder
from storyscope.web._store_source import StoreSource

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "port-aster"
#: Without quotes (and claims, which requires them).
NO_QUOTES = ["sentences", "entities", "quantities", "times", "cues"]
MODULE = "storyscope_harbourwords"
PLUGIN = '''
import dataclasses
import re

from storyscope.model import Cue
from storyscope.plugins import hookimpl


class Harbourwords:
    name = "harbourwords.v1"
    requires = frozenset({"sentences", "cues"})
    assigns = frozenset({"cues"})

    def __call__(self, draft):
        found = tuple(
            Cue(kind="hedge", start=s.start + m.start(), end=s.start + m.end(),
                text=m.group(), sentence=s.index)
            for s in draft.sentences
            for m in re.finditer(r"\\bharbour\\b", s.text, re.I)
        )
        return dataclasses.replace(draft, cues=draft.cues + found)


@hookimpl
def storyscope_analyzers():
    return [Harbourwords()]
'''


def _write_settings(path: Path, names: list[str]) -> Path:
    path.write_text(f"[analyze]\nanalyzers = {json.dumps(names)}\n", encoding="utf-8")
    return path


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args])
    assert result.exit_code == 0, result.output
    return result.output


def _compare(out: Path, *args: str) -> dict[str, Any]:
    _invoke("compare", str(EXAMPLE), "-o", str(out), "-q", *args)
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


@pytest.fixture()
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder of its own: ./storyscope.toml is the one a test writes."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STORYSCOPE_CONFIG", raising=False)
    return tmp_path


def test_an_analyzer_left_out_in_storyscope_toml_does_not_run_in_compare(here: Path) -> None:
    shipped = _compare(here / "shipped.json")
    assert shipped["stats"]["quotes"] > 0 and shipped["quotes"]
    _write_settings(here / "storyscope.toml", NO_QUOTES)
    lean = _compare(here / "lean.json")
    assert lean["stats"]["articles"] == shipped["stats"]["articles"] == 5
    assert lean["stats"]["quotes"] == 0 and lean["quotes"] == []


def test_a_set_flag_leaves_an_analyzer_out_of_compare(here: Path) -> None:
    lean = _compare(here / "lean.json", "--set", f"analyze.analyzers={','.join(NO_QUOTES)}")
    assert lean["stats"]["articles"] == 5
    assert lean["stats"]["quotes"] == 0 and lean["quotes"] == []


def test_ingest_analyze_and_report_run_the_settings_analyzers(here: Path) -> None:
    settings_file = _write_settings(here / "storyscope.toml", NO_QUOTES)
    db = str(here / "s.db")
    _invoke("ingest", str(EXAMPLE), "--db", db, "--analyze", "-q")
    with Store.open(db) as store:
        (sid,) = [s.id for s in store.list_stories() if s.article_count]
        lean = cached_report(store, sid, settings=resolve_settings(settings_file, env={}))
        assert lean is not None and lean["stats"]["quotes"] == 0  # cached by ingest --analyze
        assert cached_report(store, sid) is None  # none for the shipped analyzers
    _invoke("report", str(sid), "--db", db, "-o", str(here / "lean.json"))
    assert json.loads((here / "lean.json").read_text("utf-8")) == lean
    settings_file.unlink()  # the shipped analyzers again: the lean report is not served
    _invoke("report", str(sid), "--db", db, "-o", str(here / "shipped.json"))
    shipped = json.loads((here / "shipped.json").read_text("utf-8"))
    assert shipped["stats"]["quotes"] > 0


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[tuple[Store, int]]:
    """A store holding the example as one story."""
    articles = read([str(EXAMPLE)]).articles
    with Store.open(tmp_path / "s.db") as opened:
        opened.add_articles(articles)
        yield opened, opened.create_story("Port Aster", [a.id for a in articles])


def test_a_report_cached_under_other_analyzers_is_recomputed(store: tuple[Store, int]) -> None:
    db, sid = store
    shipped = Pipeline(embedder=FakeEmbedder())
    lean = Pipeline(analyzers=NO_QUOTES, embedder=FakeEmbedder())
    assert report_digest(None, shipped) == default_settings().digest  # as cached before
    assert report_digest(None, lean) != report_digest(None, shipped)
    _, report = story_report(db, sid, pipeline=shipped)
    assert cached_report(db, sid, pipeline=shipped) == report
    assert cached_report(db, sid, pipeline=lean) is None
    assert analyze_stories(db, pipeline=shipped) == (0, [])
    assert analyze_stories(db, pipeline=lean) == (1, [])  # recomputed with the lean pipeline
    lean_report = cached_report(db, sid, pipeline=lean)
    assert lean_report is not None and lean_report["stats"]["quotes"] == 0
    assert cached_report(db, sid, pipeline=shipped) is None  # one report a story: the lean one
    # The story list shows the counts of its own pipeline's report, never another's.
    (row,) = StoreSource(db, pipeline=lean).list_stories().stories
    assert (row.fact_count, row.contradiction_count) == (
        lean_report["stats"]["facts"],
        lean_report["stats"]["contradictions"],
    )
    (row,) = StoreSource(db, pipeline=shipped).list_stories().stories
    assert row.fact_count is row.contradiction_count is None
    assert analyze_stories(db, pipeline=shipped) == (1, [])
    assert cached_report(db, sid, pipeline=shipped) == report
    (row,) = StoreSource(db, pipeline=shipped).list_stories().stories
    assert (row.fact_count, row.contradiction_count) == (
        report["stats"]["facts"],
        report["stats"]["contradictions"],
    )


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path for a plugin distribution; plugins reload before and after."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setattr(api, "_PIPELINE", None)
    plugins.reset()
    yield folder
    plugins.reset()
    sys.modules.pop(MODULE, None)


def test_installing_a_plugin_makes_cached_reports_stale(
    store: tuple[Store, int], site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, sid = store
    monkeypatch.delenv(plugins.NO_PLUGINS_ENV, raising=False)
    _, before = story_report(db, sid)  # the shared pipeline: nothing installed yet
    assert not [h for h in before["framing"]["hedges"] if h["text"].lower() == "harbour"]
    assert cached_report(db, sid) == before
    (site / f"{MODULE}.py").write_text(PLUGIN, encoding="utf-8")
    info = site / "storyscope_harbourwords-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: storyscope-harbourwords\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[storyscope]\nharbour = {MODULE}\n", "utf-8")
    plugins.reset()
    assert cached_report(db, sid) is None  # same settings, another pipeline
    assert analyze_stories(db) == (1, [])
    after = cached_report(db, sid)
    assert after is not None
    assert [h for h in after["framing"]["hedges"] if h["text"].lower() == "harbour"]


def test_the_ray_workers_build_the_settings_pipeline() -> None:
    from storyscope.engines.ray import default_pipeline

    settings = resolve_settings(None, env={}, overrides=[f"analyze.analyzers={','.join(NO_QUOTES)}"])
    names = [a.name.partition(".")[0] for a in default_pipeline(settings.analyze).analyzers]
    assert names == NO_QUOTES
    assert [a.name for a in default_pipeline().analyzers] == [
        a.name for a in Pipeline(embedder=FakeEmbedder()).analyzers
    ]


def test_a_threshold_in_storyscope_toml_changes_what_compare_reports(here: Path) -> None:
    shipped = _compare(here / "shipped.json")
    (here / "storyscope.toml").write_text(
        "[align]\ngroup_threshold = 0.6\nsummary_sentences = 2\n", encoding="utf-8"
    )
    loose = _compare(here / "loose.json")
    agreed = lambda r: r["stats"]["facts_by_status"].get("consensus", 0)  # noqa: E731
    assert agreed(loose) > agreed(shipped)
    assert len(loose["summary"]) <= 2 < len(shipped["summary"])
