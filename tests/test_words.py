"""The shared word lists (storyscope._words): one home for the speech verbs, data/speech_verbs.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyscope._words import (
    ATTRIBUTION_SPEECH_FORMS,
    LOADED_SPEECH_FORMS,
    SPEECH_VERBS,
    _regular_forms,
    load_speech_verbs,
)
from storyscope.errors import ConfigError


def test_speech_verbs_are_the_packaged_lemmas() -> None:
    assert {"say", "tell", "deny", "testify", "criticise", "criticize"} <= SPEECH_VERBS
    assert "said" not in SPEECH_VERBS  # lemmas, as the parse gives them


def test_the_named_subsets_keep_the_forms_their_readers_were_built_with() -> None:
    # align.framing's attribution swaps and the loaded-language scorer's training set: narrower
    # on purpose, so a change here is a change of behaviour (and, for the scorer, of its input).
    attribution = {
        "said", "says", "told", "added", "stated", "announced", "explained", "noted", "claimed",
        "insisted", "argued", "warned", "confirmed", "reported", "wrote", "asked", "replied",
    }
    loaded = {
        "said", "says", "say", "told", "tells", "stated", "added", "wrote", "writes", "argued",
        "claimed", "asserted", "insisted", "declared", "tweeted",
    }
    assert attribution == ATTRIBUTION_SPEECH_FORMS
    assert loaded == LOADED_SPEECH_FORMS


def test_the_loaded_language_speech_pattern_is_built_from_the_list() -> None:
    from storyscope.align.loaded_language import _SPEECH

    for text in ("She SAID it", "according  to police", "he tweeted", "she writes"):
        assert _SPEECH.search(text), text
    for text in ("the sayings", "claims were made", "the United States", "a tweet"):
        assert not _SPEECH.search(text), text


@pytest.mark.parametrize(
    ("lemma", "forms"),
    [
        ("deny", {"denies", "denied", "denying"}),
        ("stress", {"stresses", "stressed", "stressing"}),
        ("argue", {"argues", "argued", "arguing"}),
        ("warn", {"warns", "warned", "warning"}),
        ("vow", {"vows", "vowed", "vowing"}),
    ],
)
def test_regular_forms_follow_the_spelling_rules(lemma: str, forms: set[str]) -> None:
    assert _regular_forms(lemma) == forms


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ('verbs = ["say"]\n[subsets]\nx = ["says", "sez"]\n', 3, "'sez' is not a form of a verb"),
        ('verbs = ["say"]\n[irregular]\ntell = ["told"]\n', 3, "tell is not one of the verbs"),
        ('verbs = "say"\n', 1, "verbs must be a list of words"),
        ('verbs = ["say"]\nnouns = ["x"]\n', 2, "unknown key 'nouns'"),
        ('verbs = ["say"\n', 1, "invalid TOML"),
    ],
)
def test_a_bad_speech_verb_list_is_one_line_naming_file_and_line(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = tmp_path / "speech.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_speech_verbs(path)
    message = str(info.value)
    assert message.startswith(f"{path}: line {line}: ") and problem in message, message
    assert "\n" not in message


def test_irregular_forms_replace_the_rules(tmp_path: Path) -> None:
    path = tmp_path / "speech.toml"
    path.write_text('verbs = ["say"]\n[irregular]\nsay = ["said"]\n[subsets]\nx = ["said", "say"]\n')
    assert load_speech_verbs(path) == ({"say"}, {"x": {"said", "say"}})
    path.write_text('verbs = ["say"]\n[irregular]\nsay = ["said"]\n[subsets]\nx = ["says"]\n')
    with pytest.raises(ConfigError, match="'says' is not a form of a verb"):
        load_speech_verbs(path)
