"""`storyscope report ID --db` answers a story reported before from its cached report (issue 15).

The cache-hit path reads the store and renders the cached JSON report: no pipeline is
built and neither the analyze nor the align stage is imported. The digest that keys the
cache is computed without the pipeline where the settings name the built-in analyzers,
and must be the one the full path computes.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyscope import api, plugins
from storyscope.analyze.pipeline import builtin_analyzers
from storyscope.cli import cli
from storyscope.corpus import (
    REPORT_KIND,
    cached_report,
    report_digest,
    stored_report,
    stored_report_from_file,
    story_report,
)
from storyscope.errors import ConfigError
from storyscope.model import Cue
from storyscope.report import SCHEMA_VERSION, render, render_report
from storyscope.settings import Settings, default_settings, resolve_settings
from storyscope.store import Store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "port-aster"
#: Modules the cache-hit path must not load.
STAGES = ("storyscope.align", "storyscope.analyze", "storyscope.api", "numpy", "spacy")


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A store holding the example story, reported once (its report cached)."""
    db = tmp_path_factory.mktemp("report-from-store") / "store.db"
    result = CliRunner().invoke(cli, ["ingest", str(EXAMPLE), "--db", str(db), "--analyze", "-q"])
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        sid = max(store.list_stories(), key=lambda s: s.article_count).id
        assert cached_report(store, sid) is not None
    return db, sid


def _cli_in_fresh_process(*args: str) -> set[str]:
    """Run the CLI in a new interpreter; the modules it loaded."""
    script = (
        "import sys\n"
        "from storyscope.cli import cli\n"
        f"sys.argv = ['storyscope', *{list(args)!r}]\n"
        "try:\n"
        "    cli()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("fmt", ["json", "markdown", "html"])
def test_a_cached_report_is_answered_without_loading_a_stage(
    reported: tuple[Path, int], fmt: str, tmp_path: Path
) -> None:
    db, sid = reported
    out = tmp_path / "report.out"
    loaded = _cli_in_fresh_process("report", str(sid), "--db", str(db), "-f", fmt, "-o", str(out))
    assert not loaded & set(STAGES), sorted(loaded & set(STAGES))
    assert not [m for m in loaded if m.startswith(tuple(f"{s}." for s in STAGES))]
    assert ("jinja2" in loaded) is (fmt == "html")  # the HTML template engine, for HTML only
    assert "sqlalchemy" not in loaded  # a SQLite file is read with sqlite3 alone
    with Store.open(db) as store:
        story, _ = story_report(store, sid)  # compared again: the same report
    assert out.read_text("utf-8") == render(story, fmt)


def test_a_store_url_is_answered_from_the_cached_report_through_the_store(
    reported: tuple[Path, int], tmp_path: Path
) -> None:
    db, sid = reported
    out = tmp_path / "report.json"
    url = f"sqlite:///{db}"
    loaded = _cli_in_fresh_process("report", str(sid), "--db", url, "-o", str(out))
    assert "sqlalchemy" in loaded and not loaded & set(STAGES), sorted(loaded & set(STAGES))
    with Store.open(db) as store:
        assert json.loads(out.read_text("utf-8")) == stored_report(store, sid)
    assert stored_report_from_file(url, sid) is None
    assert stored_report_from_file(db, sid) == json.loads(out.read_text("utf-8"))


def test_the_cached_report_renders_as_the_story_does(reported: tuple[Path, int]) -> None:
    db, sid = reported
    with Store.open(db) as store:
        cached = stored_report(store, sid)
        story, report = story_report(store, sid)
    assert cached is not None and cached == json.loads(json.dumps(report))
    for fmt in ("json", "markdown", "md", "html", "HTML"):
        assert render_report(cached, fmt) == render(story, fmt), fmt


def test_a_report_another_storyscope_cached_is_compared_again(
    reported: tuple[Path, int], tmp_path: Path
) -> None:
    """Members, settings and analyzers unchanged, but another generator version or report
    schema wrote the cached report: `report` compares the story again."""
    db, sid = reported
    with Store.open(db) as store:
        current = cached_report(store, sid)
        assert current is not None and stored_report(store, sid) == current
        version = f"{store.story_version(sid)}:{report_digest()}"
        for field, value in (("generator", {"version": "0.0.1"}), ("schema_version", "0.9.0")):
            store.cache_put(REPORT_KIND, f"story:{sid}", {**current, field: value}, version=version)
            assert cached_report(store, sid) is not None
            assert stored_report(store, sid) is None
            assert stored_report_from_file(db, sid) is None
        out = tmp_path / "again.json"
        result = CliRunner().invoke(cli, ["report", str(sid), "--db", str(db), "-o", str(out)])
        assert result.exit_code == 0, result.output
        again = json.loads(out.read_text("utf-8"))
        assert again["schema_version"] == SCHEMA_VERSION and again == current
        assert stored_report(store, sid) == current  # cached again by this version


def test_the_builtin_analyzer_names_are_declared() -> None:
    assert tuple(str(a.name) for a in builtin_analyzers()) == plugins.BUILTIN_ANALYZERS
    assert (
        tuple(str(a.name) for a in api._shared_pipeline(default_settings().analyze).analyzers)
        == plugins.BUILTIN_ANALYZERS
    )


def _settings(analyzers: list[str] | None) -> Settings:
    overrides = [] if analyzers is None else [f"analyze.analyzers={','.join(analyzers)}"]
    return resolve_settings(None, env={}, overrides=overrides)


LISTS: list[list[str] | None] = [
    None,
    ["sentences", "entities", "quantities", "times", "quotes", "cues", "claims"],
    ["sentences.v2", "entities", "quantities.v1", "times", "quotes", "cues.v1", "claims.v4"],
    ["sentences", "entities", "quantities", "times", "cues"],  # no quotes, so no claims
    ["sentences", "entities", "times", "quantities", "quotes", "cues", "claims"],  # reordered
]


@pytest.mark.parametrize("analyzers", LISTS)
def test_the_digest_without_a_pipeline_is_the_pipelines(analyzers: list[str] | None) -> None:
    settings = _settings(analyzers)
    pipeline = api._shared_pipeline(settings.analyze)
    assert report_digest(settings) == report_digest(settings, pipeline)
    shipped = [a.name for a in pipeline.analyzers] == list(plugins.BUILTIN_ANALYZERS)
    assert plugins.runs_builtins_only(settings.analyze.analyzers) is shipped
    assert (report_digest(settings) == settings.digest) is shipped


def test_the_shipped_analyzers_need_no_pipeline_for_the_digest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_: object) -> object:
        raise AssertionError("the pipeline was built")

    monkeypatch.setattr(api, "_shared_pipeline", refuse)
    assert report_digest() == default_settings().digest
    versioned = _settings(list(plugins.BUILTIN_ANALYZERS))
    assert report_digest(versioned) == versioned.digest  # (another settings digest: other values)


def test_an_analyzer_at_another_version_is_refused_as_before() -> None:
    names = ["sentences", "entities", "quantities", "times", "quotes", "cues", "claims.v9"]
    with pytest.raises(ConfigError, match=re.escape("claims.v9")):
        report_digest(_settings(names))


class Harbourwords:
    name = "harbourwords.v1"
    requires = frozenset({"sentences", "cues"})
    assigns = frozenset({"cues"})

    def __call__(self, draft):  # type: ignore[no-untyped-def]
        found = tuple(
            Cue(kind="hedge", start=m.start(), end=m.end(), text=m.group(), sentence=0)
            for m in re.finditer(r"\bharbour\b", draft.text, re.I)
        )
        return dataclasses.replace(draft, cues=draft.cues + found)


class _Plugin:
    @plugins.hookimpl
    def storyscope_analyzers(self) -> list[Harbourwords]:
        return [Harbourwords()]


@pytest.fixture()
def plugin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A plugin with an analyzer registered in this process; plugins reload afterwards."""
    monkeypatch.setattr(api, "_PIPELINE", None)
    plugins.reset()
    plugins.plugin_manager().register(_Plugin(), name="harbourwords")
    yield
    plugins.reset()


def test_a_plugin_analyzer_changes_the_digest_as_the_pipeline_does(plugin: None) -> None:
    settings = _settings(None)
    assert not plugins.runs_builtins_only(settings.analyze.analyzers)
    pipeline = api._shared_pipeline(settings.analyze)
    assert [a.name for a in pipeline.analyzers][-1] == "harbourwords.v1"
    assert report_digest(settings) == report_digest(settings, pipeline) != settings.digest


def test_stored_report_is_none_for_a_story_never_reported(tmp_path: Path) -> None:
    from storyscope.ingest import read

    articles = read([str(EXAMPLE)]).articles
    with Store.open(tmp_path / "s.db") as store:
        store.add_articles(articles)
        sid = store.create_story("Port Aster", [a.id for a in articles])
        assert stored_report(store, sid) is None
        assert stored_report(store, sid + 1) is None  # no such story: story_report says so
