"""Sourcing: source kinds from describing words, unnamed sources, quote shares, other media."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from _align_articles import make_article
from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.align.sourcing import (
    SOURCE_KINDS,
    classify_source,
    find_media_reliance,
    find_sources,
    load_source_rules,
    parse_source_rules,
)
from storyscope.errors import ConfigError
from storyscope.model import AnalyzedArticle, Cue, Quote, Span


def _quote(
    doc: AnalyzedArticle, quoted: str, speaker: str | None, mention: str | None, **kw: object
) -> Quote:
    text = doc.text
    start = text.index(quoted)
    m = text.index(mention) if mention else None
    return Quote(
        start=start,
        end=start + len(quoted),
        text=quoted,
        speaker=speaker,
        speaker_mention=Span(m, m + len(mention)) if mention and m is not None else None,
        **kw,  # type: ignore[arg-type]
    )


def _with_quotes(
    doc: AnalyzedArticle, *quotes: Quote, cues: tuple[Cue, ...] = ()
) -> AnalyzedArticle:
    return dataclasses.replace(doc, quotes=quotes, cues=cues or doc.cues)


SENTENCES = [
    '"We will reopen the quay by June," said Mayor Ilsa Moravec.',
    "Petra Lind, the dockers' union general secretary, said members would stay out.",
    '"The smoke was everywhere," said Oskar Brandt, a ferry mechanic who lives nearby.',
    '"Samples show no lasting damage," said Professor Hanna Kell of Brennmark University.',
    '"We regret the disruption," Tallow Shipping said in a statement.',
    "A senior port official who asked not to be named said the pumps had failed.",
]


def _story_article() -> AnalyzedArticle:
    doc = make_article("Harbor Courier", SENTENCES, embed=False)
    cue_text = "who asked not to be named"
    c = doc.text.index(cue_text)
    cue = Cue(kind="anonymous_source", start=c, end=c + len(cue_text), text=cue_text, sentence=5)
    return _with_quotes(
        doc,
        _quote(doc, "We will reopen the quay by June,", "Ilsa Moravec", "Ilsa Moravec"),
        _quote(doc, "members would stay out", "Petra Lind", "Petra Lind", kind="indirect"),
        _quote(doc, "The smoke was everywhere,", "Oskar Brandt", "Oskar Brandt"),
        _quote(doc, "Samples show no lasting damage,", "Hanna Kell", "Hanna Kell"),
        _quote(doc, "We regret the disruption,", "Tallow Shipping", "Tallow Shipping"),
        _quote(doc, "the pumps had failed", None, None, kind="indirect", anonymous=True),
        cues=(cue,),
    )


def test_each_source_gets_the_kind_of_its_nearest_describing_word() -> None:
    sources = {s.name: s for s in find_sources(_story_article())}
    assert sources["Ilsa Moravec"].kind == "official"
    assert sources["Ilsa Moravec"].evidence is not None
    assert sources["Ilsa Moravec"].evidence.text == "Mayor"
    assert sources["Petra Lind"].kind == "ngo"
    assert sources["Oskar Brandt"].kind == "ordinary"
    assert sources["Hanna Kell"].kind == "expert"
    assert sources["Tallow Shipping"].kind == "other"


def test_anonymous_official_is_one_unnamed_source_with_its_quote() -> None:
    doc = _story_article()
    unnamed = [s for s in find_sources(doc) if s.name is None]
    assert len(unnamed) == 1
    (source,) = unnamed
    assert source.anonymous and source.kind == "official"
    assert [q.text for q in source.quotes] == ["the pumps had failed"]
    assert source.quoted_chars == len("the pumps had failed")


def test_every_source_citation_is_an_exact_span() -> None:
    doc = _story_article()
    for source in find_sources(doc):
        cites = [*source.quotes, *([source.evidence] if source.evidence else [])]
        for c in cites:
            assert doc.text[c.start : c.end] == c.text
        assert source.kind in SOURCE_KINDS
        assert source.quoted_chars == sum(c.end - c.start for c in source.quotes)


def test_a_description_used_as_speaker_is_an_unnamed_source() -> None:
    doc = make_article(
        "Harbor Courier",
        ["The company said the plant was safe, a spokesperson added."],
        embed=False,
    )
    doc = _with_quotes(
        doc, _quote(doc, "the plant was safe", "The company", "The company", kind="indirect")
    )
    (source,) = find_sources(doc)
    assert source.name is None and source.anonymous


def test_organisation_is_typed_by_its_own_name_not_its_neighbours() -> None:
    doc = make_article(
        "Harbor Courier",
        ["The council met.", "Tallow Shipping said the ship was sound."],
        entities=[("Tallow Shipping", "ORG")],
        embed=False,
    )
    doc = _with_quotes(
        doc,
        _quote(doc, "the ship was sound", "Tallow Shipping", "Tallow Shipping", kind="indirect"),
    )
    (source,) = find_sources(doc)
    assert source.kind == "other" and source.evidence is None


def test_scare_quotes_are_not_sources() -> None:
    doc = make_article("Harbor Courier", ['The "temporary" closure began.'], embed=False)
    doc = _with_quotes(doc, _quote(doc, "temporary", None, None, kind="scare"))
    assert find_sources(doc) == ()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The mayor resigned, according to a wire agency.", "according to a wire agency"),
        ("Reuters reported on Monday that the quay closed.", "Reuters reported"),
        ("The quay closed, the Valdmark Ledger said.", "the Valdmark Ledger said"),
        ("He told the Eastwick Sentinel the quay was shut.", "told the Eastwick Sentinel"),
        ("According to local media, two ferries sank.", "According to local media"),
    ],
)
def test_reliance_on_other_media_is_cited(sentence: str, expected: str) -> None:
    doc = make_article("Harbor Courier", [sentence], embed=False)
    cites = find_media_reliance(doc, outlets=["Valdmark Ledger", "Harbor Courier"])
    assert [c.text for c in cites] == [expected]
    assert all(doc.text[c.start : c.end] == c.text for c in cites)


@pytest.mark.parametrize(
    "sentence",
    [
        '"No," he told the Courier on Wednesday.',  # the outlet's own reporting
        "He told reporters the quay was shut.",
        "The mayor said the quay was shut.",
    ],
)
def test_own_outlet_and_plain_attribution_are_not_media_reliance(sentence: str) -> None:
    doc = make_article("The Harbor Courier", [sentence], embed=False)
    assert find_media_reliance(doc, outlets=["Valdmark Ledger"]) == ()


_PIECES = st.sampled_from(
    ["a", "b", " ", ",", ".", "'", '"', "-", "\n", "Reuters", " said ", "according to ", "the Post"]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_media_citations_are_exact_and_disjoint(text: str) -> None:
    doc = make_article("Harbor Courier", [text or "x"], embed=False)
    cites = find_media_reliance(doc)
    for c in cites:
        assert doc.text[c.start : c.end] == c.text
    for a, b in zip(cites, cites[1:], strict=False):
        assert a.end <= b.start


def test_classify_source_without_a_describing_word_is_other() -> None:
    doc = make_article("Harbor Courier", ["Ilsa Moravec spoke."], embed=False)
    assert classify_source(doc, [(0, 12)]) == ("other", None)


def test_packaged_rules_load_and_cover_every_kind_but_other() -> None:
    rules = load_source_rules()
    assert set(rules.kinds.categories) == set(SOURCE_KINDS) - {"other"}


@pytest.mark.parametrize(
    ("raw", "line", "fragment"),
    [
        ('[kinds]\nofficial = ["mayor"\n', 2, "invalid TOML"),
        ('[kinds]\nofficial = ["mayor"]\nwizard = ["mage"]\n', 3, "unknown source kind"),
        ('[kinds]\nofficial = ["mayor", "bad|term"]\n', 2, "bad term"),
        ("[kinds]\nofficial = []\n", 2, "non-empty list"),
        ('[media]\nnames = ["Reuters"]\nlogos = ["x"]\n', 3, "unknown key"),
        ("\n\n[extra]\nx = 1\n", 3, "unknown entry"),
    ],
)
def test_bad_rules_name_the_file_and_line(raw: str, line: int, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_source_rules(raw, "my-sources.toml")
    message = str(info.value)
    assert message.startswith(f"my-sources.toml: line {line}: "), message
    assert fragment in message and "\n" not in message


def test_missing_rules_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nothere.toml"):
        load_source_rules(tmp_path / "nothere.toml")


def test_a_news_organisation_quoted_as_a_source_is_media() -> None:
    doc = make_article("Harbor Courier", ["Reuters said the quay was shut."], embed=False)
    doc = _with_quotes(doc, _quote(doc, "the quay was shut", "Reuters", "Reuters", kind="indirect"))
    (source,) = find_sources(doc)
    assert source.kind == "media" and source.evidence is not None
    assert source.evidence.text == "Reuters"
