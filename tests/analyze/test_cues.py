from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.analyze.cues import find_cues, load_lexicon, parse_lexicon
from storyscope.errors import ConfigError

TEXT = (
    "The minister reportedly resigned, a senior official who asked not to be named said. "
    "People familiar with the matter say the sea wall may have been unsafe. "
    "It is understood that the captain is said to be ill; he allegedly ignored warnings."
)


def test_hedges_and_anonymous_sources_are_found_with_exact_spans() -> None:
    cues = find_cues(TEXT, [])
    got = [(c.kind, c.text) for c in cues]
    assert ("hedge", "reportedly") in got
    assert ("anonymous_source", "a senior official who asked not to be named") in got
    assert ("anonymous_source", "People familiar with the matter") in got
    assert ("hedge", "may have") in got
    assert ("hedge", "It is understood") in got
    assert ("hedge", "is said to") in got
    assert ("hedge", "allegedly") in got
    for c in cues:
        assert TEXT[c.start : c.end] == c.text


def test_cues_do_not_match_inside_words() -> None:
    assert find_cues("The mayhem may haveli.", []) == []


def test_malformed_lexicon_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "cues.toml"
    bad.write_text('[hedge]\nphrases = ["reportedly",\n  "allegedly"\nbroken = 1\n')
    with pytest.raises(ConfigError, match=r"cues\.toml: line \d+"):
        load_lexicon(bad)


def test_bad_regex_and_wrong_types_raise_config_error() -> None:
    with pytest.raises(ConfigError, match="line 3"):
        parse_lexicon('[hedge]\nphrases = ["a"]\npatterns = ["(unclosed"]\n', "x.toml")
    with pytest.raises(ConfigError, match="must be a list of strings"):
        parse_lexicon("[hedge]\nphrases = [1, 2]\n", "x.toml")
    with pytest.raises(ConfigError, match="unknown key"):
        parse_lexicon('[hedge]\nwords = ["a"]\n', "x.toml")


def test_custom_lexicon_file_is_used(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[spin]\nphrases = ["so-called"]\n')
    cues = find_cues("The so-called reform passed.", [], load_lexicon(path))
    assert [(c.kind, c.text) for c in cues] == [("spin", "so-called")]


@given(st.text(max_size=200))
@settings(max_examples=100)
def test_cue_offsets_are_exact_for_arbitrary_text(text: str) -> None:
    for c in find_cues(text, []):
        assert text[c.start : c.end] == c.text and c.start < c.end
