"""Settings: shipped defaults < settings file < STORYSCOPE_* < --set, validated, shown, and used."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyscope.align import contradictions as contra
from storyscope.align import facts, summary
from storyscope.cli import cli
from storyscope.errors import ConfigError
from storyscope.settings import default_settings, resolve_settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "port-aster"


def test_the_shipped_defaults_are_the_modules_constants() -> None:
    align = default_settings().align
    assert align.group_threshold == facts.GROUP_THRESHOLD
    assert align.member_floor == facts.GROUP_MEMBER_FLOOR
    assert align.attach_threshold == facts.ATTACH_THRESHOLD
    assert align.attach_same_threshold == facts.ATTACH_SAME_THRESHOLD
    assert align.cover_threshold == facts.COVER_THRESHOLD
    assert align.cover_words == facts.COVER_WORDS
    assert align.candidate_prob == contra.CANDIDATE_PROB
    assert align.summary_sentences == summary.MAX_SENTENCES
    assert align.summary_differences == summary.MAX_DIFFERENCES


def test_precedence_file_then_environment_then_flags(tmp_path: Path) -> None:
    path = tmp_path / "storyscope.toml"
    path.write_text("[align]\ngroup_threshold = 0.9\ncover_words = 0.3\n", encoding="utf-8")
    env = {"STORYSCOPE_ALIGN__COVER_WORDS": "0.4", "STORYSCOPE_DB": "ignored.db"}
    settings = resolve_settings(path, env=env, overrides=["align.summary_sentences=5"])
    assert settings.align.group_threshold == 0.9
    assert settings.align.cover_words == 0.4
    assert settings.align.summary_sentences == 5
    assert settings.sources == {
        "align.group_threshold": str(path),
        "align.cover_words": "STORYSCOPE_ALIGN__COVER_WORDS",
        "align.summary_sentences": "--set align.summary_sentences",
    }
    flagged = resolve_settings(path, env=env, overrides=["align.cover_words=0.2"])
    assert flagged.align.cover_words == 0.2
    assert flagged.digest != settings.digest


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[align]\nnope = 1\n", "unknown setting align.nope"),
        ("[aling]\ngroup_threshold = 0.9\n", "unknown settings table [aling]"),
        ("[align]\ngroup_threshold = 'high'\n", "align.group_threshold must be a number"),
        ("[align]\ngroup_threshold = 1.5\n", "outside 0..1"),
        ("[align]\nsummary_sentences = 2.5\n", "must be an integer"),
        ("[align\n", "line 1: invalid TOML"),
    ],
)
def test_a_bad_settings_file_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        resolve_settings(path, env={})
    assert str(path) in str(info.value)


def test_bad_environment_and_flags_are_named() -> None:
    with pytest.raises(ConfigError, match="STORYSCOPE_ALIGN__MEMBER_FLOOR"):
        resolve_settings(None, env={"STORYSCOPE_ALIGN__MEMBER_FLOOR": "lots"})
    with pytest.raises(ConfigError, match="expected SECTION.KEY=VALUE"):
        resolve_settings(None, env={}, overrides=["group_threshold=0.9"])


def test_config_show_prints_values_and_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "storyscope.toml").write_text("[align]\nmember_floor = 0.5\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["config", "show", "--json", "--set", "align.cover_words=0.25"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["align.member_floor"] == {"value": 0.5, "source": "storyscope.toml"}
    assert shown["align.cover_words"] == {"value": 0.25, "source": "--set align.cover_words"}
    assert shown["align.group_threshold"] == {"value": 0.95, "source": "default"}
    bad = CliRunner().invoke(cli, ["config", "show", "--set", "align.cover_words=7"])
    assert bad.exit_code == 1 and "outside 0..1" in bad.output and "Traceback" not in bad.output


@pytest.mark.slow
def test_a_threshold_in_the_settings_file_changes_the_report(tmp_path: Path) -> None:
    pair = [str(EXAMPLE / "aster-ledger.txt"), str(EXAMPLE / "harbour-watch.txt")]
    base = CliRunner().invoke(cli, ["compare", *pair, "-q"])
    assert base.exit_code == 0, base.output
    loose = tmp_path / "loose.toml"
    loose.write_text("[align]\ngroup_threshold = 0.6\nsummary_sentences = 2\n", encoding="utf-8")
    changed = CliRunner().invoke(cli, ["--config", str(loose), "compare", *pair, "-q"])
    assert changed.exit_code == 0, changed.output
    before, after = json.loads(base.output), json.loads(changed.output)
    agreed = lambda r: r["stats"]["facts_by_status"].get("consensus", 0)  # noqa: E731
    assert agreed(after) > agreed(before)
    assert len(after["summary"]) <= 2 < len(before["summary"])
