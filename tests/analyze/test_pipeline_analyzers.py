"""The declared pipeline: analyzers by name from the settings, checked when it is built."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyscope.analyze import Analyzer, Draft, Pipeline
from storyscope.analyze.pipeline import MAX_ANALYSED_CHARS, builtin_analyzers
from storyscope.errors import AnalysisError, ConfigError
from storyscope.model import Article, Cue
from storyscope.settings import default_settings, resolve_settings
from storyscope.testing import FakeEmbedder

BUILTINS = [
    "sentences", "entities", "quantities", "times", "quotes", "cues", "claims",
    "sources", "anonymous", "media", "loaded", "hedges",
]
TEXT = (
    "PORT ASTER \u2014 The terminal will stay closed for at least three days after a storm "
    "flooded the quay on Tuesday, port director Ada Okafor said.\n\n"
    '"We will not reopen until it is safe," Okafor said. Losses reportedly reached $40 million.\n'
)


def _article(text: str = TEXT) -> Article:
    return Article.create(
        text=text, source="ledger.txt", outlet="ledger", published=dt.datetime(2026, 3, 12, 8)
    )


def _pipeline(nlp: Any, **kwargs: Any) -> Pipeline:
    return Pipeline(nlp=nlp, embedder=FakeEmbedder(dim=8), load_plugins=False, **kwargs)


def test_the_builtins_are_analyzers_in_the_shipped_order() -> None:
    assert list(default_settings().analyze.analyzers) == BUILTINS
    analyzers = Pipeline(load_plugins=False).analyzers
    assert [a.name.partition(".v")[0] for a in analyzers] == BUILTINS
    assert all(isinstance(a, Analyzer) for a in analyzers)
    for a in analyzers:
        assert re.fullmatch(r"[a-z]+\.v\d+", a.name) and a.assigns == {a.name.partition(".")[0]}


def test_the_default_version_is_the_one_stored_analyses_are_keyed_on() -> None:
    """The version of the default pipeline is computed as before analyzers were declared."""
    from storyscope._version import __version__
    from storyscope.analyze.claims import MAX_CLAIMS
    from storyscope.analyze.quotes import MAX_QUOTES

    parts = [f"storyscope {__version__}", *(a.name for a in builtin_analyzers())]
    parts += ["spacy:default", "embedder:default", "cues:packaged"]
    parts.append(f"budget:{MAX_ANALYSED_CHARS}:{MAX_CLAIMS}:{MAX_QUOTES}")
    legacy = "analysis-" + hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]
    assert Pipeline(load_plugins=False).version == legacy
    assert Pipeline(analyzers=BUILTINS, load_plugins=False).version == legacy
    shipped_claims = [*BUILTINS[:6], "claims.v4", *BUILTINS[7:]]
    assert Pipeline(analyzers=shipped_claims, load_plugins=False).version == legacy


def test_an_analyzer_removed_in_the_settings_does_not_run(nlp: Any, tmp_path: Path) -> None:
    path = tmp_path / "storyscope.toml"
    kept = [n for n in BUILTINS if n != "times"]
    path.write_text(f"[analyze]\nanalyzers = {kept!r}\n".replace("'", '"'), encoding="utf-8")
    settings = resolve_settings(path, env={})
    assert settings.sources["analyze.analyzers"] == str(path)
    assert settings.digest != default_settings().digest  # cached reports are not reused
    pipeline = Pipeline.from_config(settings.analyze, nlp=nlp, embedder=FakeEmbedder(dim=8))
    assert "times.v1" not in [a.name for a in pipeline.analyzers]
    assert pipeline.version != _pipeline(nlp).version
    full, without = _pipeline(nlp).analyze(_article()), pipeline.analyze(_article())
    assert full.times and without.times == ()
    assert dataclasses.replace(without, times=full.times) == full


def test_the_environment_and_flags_set_the_list_as_one_string(nlp: Any) -> None:
    env = {"STORYSCOPE_ANALYZE__ANALYZERS": "sentences, entities"}
    assert resolve_settings(None, env=env).analyze.analyzers == ("sentences", "entities")
    flagged = resolve_settings(None, env=env, overrides=["analyze.analyzers=sentences"])
    assert flagged.analyze.analyzers == ("sentences",)
    r = Pipeline.from_config(flagged.analyze, nlp=nlp, embedder=FakeEmbedder(dim=8)).analyze(
        _article()
    )
    assert r.sentences and r.entities == () and r.claims == ()


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["sentences", "qoutes"], "unknown analyzer 'qoutes' (known: sentences, entities,"),
        (["sentences", "sentences"], "analyzer 'sentences' is listed twice"),
        (["sentences.v1"], "analyzer sentences.v1 is not available (sentences.v2 is installed)"),
        (
            [n for n in BUILTINS if n != "cues"],
            "analyzer claims.v4 requires cues, which no analyzer before it assigns "
            "(cues.v1 assigns it but is not in the pipeline)",
        ),
        (
            ["entities", "sentences"],
            "analyzer entities.v1 requires sentences, which no analyzer before it assigns "
            "(sentences.v2 assigns it, after it)",
        ),
    ],
)
def test_a_bad_list_is_one_error_at_build_time(names: list[str], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        Pipeline(analyzers=names, load_plugins=False)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_bad_list_in_the_settings_names_where_it_was_set(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[analyze]\nanalyzers = ["sentences", "quotes"]\n', encoding="utf-8")
    with pytest.raises(
        ConfigError,
        match=re.escape(f"{path}: analyze.analyzers: analyzer quotes.v1 requires entities"),
    ):
        resolve_settings(path, env={})
    with pytest.raises(ConfigError, match=r"^--set analyze.analyzers: .*unknown analyzer 'nope'"):
        resolve_settings(None, env={}, overrides=["analyze.analyzers=sentences,nope"])
    path.write_text("[analyze]\nanalyzers = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="analyze.analyzers must be a list of names"):
        resolve_settings(path, env={})


def test_config_show_prints_the_list(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from storyscope.cli import cli

    monkeypatch.chdir(tmp_path)
    shown = CliRunner().invoke(cli, ["config", "show", "--set", "analyze.analyzers=sentences"])
    assert shown.exit_code == 0, shown.output
    assert re.search(
        r"^analyze\.analyzers\s+sentences\s+--set analyze\.analyzers$", shown.output, re.M
    )
    bad = CliRunner().invoke(cli, ["config", "show", "--set", "analyze.analyzers=sentences,x"])
    assert bad.exit_code == 1 and "unknown analyzer 'x'" in bad.output
    assert "Traceback" not in bad.output and len(bad.output.strip().splitlines()) == 1


class _Shout:
    """Swaps the cues analyzer: every "!" is a hedge."""

    name = "cues.v99"
    requires = frozenset({"text", "sentences"})
    assigns = frozenset({"cues"})

    def __call__(self, draft: Draft, /) -> Draft:
        found = tuple(
            Cue(kind="hedge", start=i, end=i + 1, text="!", sentence=0)
            for i, ch in enumerate(draft.text)
            if ch == "!"
        )
        return dataclasses.replace(draft, cues=found)


def test_an_analyzer_object_swaps_a_builtin(nlp: Any) -> None:
    names: list[str | Analyzer] = [n if n != "cues" else _Shout() for n in BUILTINS]
    pipeline = _pipeline(nlp, analyzers=names)
    assert [a.name for a in pipeline.analyzers][5:7] == ["cues.v99", "claims.v4"]
    assert pipeline.version != _pipeline(nlp).version
    r = pipeline.analyze(_article("Stop! The port is closed.\n"))
    assert [(c.text, c.start) for c in r.cues] == [("!", 4)]
    assert r.claims[0].hedged


def test_a_failing_or_wrong_analyzer_is_an_analysis_error_naming_it(nlp: Any) -> None:
    class Broken(_Shout):
        name = "broken.v1"
        assigns = frozenset()

        def __call__(self, draft: Draft, /) -> Draft:
            raise ValueError("boom")

    class Wrong(Broken):
        name = "wrong.v1"

        def __call__(self, draft: Draft, /) -> Draft:
            return draft.analyzed()  # type: ignore[return-value]

    with pytest.raises(AnalysisError, match=r"^ledger.txt: analysis failed in broken.v1: boom$"):
        _pipeline(nlp, analyzers=["sentences", Broken()]).analyze(_article())
    with pytest.raises(
        AnalysisError, match="analyzer wrong.v1 returned AnalyzedArticle, not a Draft"
    ):
        _pipeline(nlp, analyzers=["sentences", Wrong()]).analyze(_article())
    with pytest.raises(ConfigError, match="is not an analyzer"):
        _pipeline(nlp, analyzers=["sentences", len])  # type: ignore[list-item]
