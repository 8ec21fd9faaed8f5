"""Plugins: an analyzer installed through the ``storyscope`` entry-point group runs in compare.

The plugin is a real distribution: a module and a ``*.dist-info`` folder with
``entry_points.txt``, put on ``sys.path`` (importlib.metadata finds it there, as it
would in site-packages), then loaded by pluggy's ``load_setuptools_entrypoints``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyscope import api, plugins
from storyscope.analyze import Pipeline
from storyscope.cli import cli
from storyscope.errors import ConfigError
from storyscope.model import Article
from storyscope.testing import FakeEmbedder

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "port-aster"
MODULE = "storyscope_watchwords"

# Like the example plugin of docs/architecture.md, with hedge cues (the report shows them) and
# a record of the articles it saw.
PLUGIN = '''
import bisect
import dataclasses

from storyscope.model import Cue
from storyscope.plugins import hookimpl

calls = []


class Watchwords:
    """Marks every "Pier 9" as a hedge cue."""

    name = "watchwords.v1"
    requires = frozenset({"text", "sentences", "cues"})
    assigns = frozenset({"cues"})

    def __call__(self, draft):
        calls.append(draft.article.id)
        starts = [s.start for s in draft.sentences]
        found, at = [], draft.text.find("Pier 9")
        while at >= 0:
            sentence = bisect.bisect_right(starts, at) - 1
            found.append(Cue(kind="hedge", start=at, end=at + 6, text="Pier 9", sentence=sentence))
            at = draft.text.find("Pier 9", at + 1)
        return dataclasses.replace(draft, cues=draft.cues + tuple(found))


@hookimpl
def storyscope_analyzers():
    return [Watchwords()]
'''


def _install(site: Path, source: str, entry: str = f"watchwords = {MODULE}") -> None:
    site.mkdir(exist_ok=True)
    (site / f"{MODULE}.py").write_text(source, encoding="utf-8")
    info = site / "storyscope_watchwords-1.0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: storyscope-watchwords\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[storyscope]\n{entry}\n", encoding="utf-8")


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path for plugin distributions; plugins reload before and after."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delenv(plugins.NO_PLUGINS_ENV, raising=False)
    monkeypatch.setattr(api, "_PIPELINE", None)  # compare's shared pipeline: build a new one
    plugins.reset()
    yield folder
    plugins.reset()
    sys.modules.pop(MODULE, None)


@pytest.fixture()
def installed(site: Path) -> Path:
    _install(site, PLUGIN)
    return site


def _article(text: str) -> Article:
    return Article.create(
        text=text, source="pier.txt", outlet="ledger", published=dt.datetime(2026, 3, 12)
    )


TEXT = "A fire broke out on Pier 9 on Tuesday, officials said. Pier 9 stays closed.\n"


@pytest.mark.slow
def test_a_plugin_analyzer_runs_in_compare_and_reaches_the_report(
    installed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray ./storyscope.toml
    out = tmp_path / "story.json"
    result = CliRunner().invoke(cli, ["compare", str(EXAMPLE), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert len(set(sys.modules[MODULE].calls)) == 5  # every article of the example
    report = json.loads(out.read_text(encoding="utf-8"))
    texts = {a["id"]: a["text"] for a in report["articles"]}
    marked = [h for h in report["framing"]["hedges"] if h["text"] == "Pier 9"]
    assert marked
    for hedge in marked:
        assert texts[hedge["article"]][hedge["start"] : hedge["end"]] == "Pier 9"


def test_a_plugin_analyzer_runs_after_the_builtins_and_changes_the_version(
    installed: Path,
) -> None:
    from storyscope.analyze.nlp import get_nlp

    nlp, embedder = get_nlp(), FakeEmbedder(dim=8)
    with_plugin = Pipeline(nlp=nlp, embedder=embedder)
    without = Pipeline(nlp=nlp, embedder=embedder, load_plugins=False)
    assert [a.name for a in with_plugin.analyzers] == [
        *(a.name for a in without.analyzers),
        "watchwords.v1",
    ]
    assert with_plugin.version != without.version
    r = with_plugin.analyze(_article(TEXT))
    assert [(c.text, c.sentence) for c in r.cues if c.text == "Pier 9"] == [
        ("Pier 9", 0),
        ("Pier 9", 1),
    ]
    assert not any(c.text == "Pier 9" for c in without.analyze(_article(TEXT)).cues)
    # Named in the list, it runs there: before claims, whose hedged flags read the cues.
    placed = Pipeline(
        nlp=nlp,
        embedder=embedder,
        analyzers=["sentences", "entities", "quotes", "cues", "watchwords", "claims"],
    )
    assert [a.name for a in placed.analyzers][-2:] == ["watchwords.v1", "claims.v4"]
    assert all(c.hedged for c in placed.analyze(_article(TEXT)).claims)


def test_no_plugins_env_skips_entry_points(
    installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(plugins.NO_PLUGINS_ENV, "1")
    names = [a.name for _, a in plugins.registered_analyzers()]
    assert "watchwords.v1" not in names and names[0] == "sentences.v2"
    assert MODULE not in sys.modules
    monkeypatch.delenv(plugins.NO_PLUGINS_ENV)
    assert ("watchwords", "watchwords.v1") in [
        (p, a.name) for p, a in plugins.registered_analyzers()
    ]


def test_an_unknown_plugin_analyzer_name_in_settings_is_one_line(installed: Path) -> None:
    from storyscope.settings import resolve_settings

    settings = resolve_settings(
        None, env={}, overrides=["analyze.analyzers=sentences,cues,watchwords"]
    )
    assert settings.analyze.analyzers == ("sentences", "cues", "watchwords")
    with pytest.raises(ConfigError, match=r"unknown analyzer 'watchword' \(known: .*watchwords"):
        resolve_settings(None, env={}, overrides=["analyze.analyzers=sentences,watchword"])


@pytest.mark.parametrize(
    ("source", "entry", "message"),
    [
        (PLUGIN, "watchwords = storyscope_nowhere", "a storyscope plugin failed to load"),
        (
            PLUGIN.replace('"watchwords.v1"', '"watchwords"'),
            f"watchwords = {MODULE}",
            "plugin watchwords: analyzer name 'watchwords' lacks a version",
        ),
        (
            PLUGIN.replace("[Watchwords()]", "[Watchwords]"),  # the class, not an analyzer
            f"watchwords = {MODULE}",
            "plugin watchwords: storyscope_analyzers returned the class Watchwords",
        ),
        (
            PLUGIN.replace("[Watchwords()]", "[Watchwords(), len]"),
            f"watchwords = {MODULE}",
            "plugin watchwords: <built-in function len> is not an analyzer",
        ),
        (
            PLUGIN.replace('"watchwords.v1"', '"quotes.v9"'),
            f"watchwords = {MODULE}",
            "analyzer 'quotes' is registered twice: by storyscope.builtins and by watchwords",
        ),
        (
            PLUGIN.replace("def storyscope_analyzers", "def storyscope_analyser"),
            f"watchwords = {MODULE}",
            "unknown hook 'storyscope_analyser'",
        ),
    ],
)
def test_a_broken_plugin_is_one_clear_error(
    site: Path, source: str, entry: str, message: str
) -> None:
    _install(site, source, entry)
    with pytest.raises(ConfigError) as info:
        Pipeline(embedder=FakeEmbedder())
    assert message in str(info.value) and "\n" not in str(info.value)
