"""Unnamed sources beyond the cue phrases, relayed reports, and claims by voice per outlet."""

from __future__ import annotations

import dataclasses

import pytest
from _align_articles import make_article

from storyscope.align import align
from storyscope.align.sourcing import (
    find_anonymous_mentions,
    find_media_reliance,
    find_sources,
    load_source_rules,
    parse_source_rules,
    relayed_outlet,
)
from storyscope.errors import ConfigError
from storyscope.model import Claim
from storyscope.report.json import to_dict


def _mentions(sentence: str) -> list[tuple[str, bool]]:
    doc = make_article("Harbor Courier", [sentence], embed=False)
    return [(c.text, definite) for c, definite in find_anonymous_mentions(doc)]


@pytest.mark.parametrize(
    ("sentence", "mention"),
    [
        ("The quay will close, people familiar with the matter said.", "people familiar with"),
        (
            "A source within the harbour board told the Courier that the vote failed.",
            "A source within",
        ),
        (
            "Two officials, who spoke on condition of anonymity, said the pumps failed.",
            "on condition of anonymity",
        ),
        (
            "The ferry firm was fined, the Lantern reported, citing unnamed officials.",
            "citing unnamed",
        ),
        (
            "The mayor will resign, according to two people with knowledge of the case.",
            "two people with knowledge of",
        ),
        (
            "The vote was delayed, said a senior port aide close to the mayor.",
            "a senior port aide close to",
        ),
        ("The plan was shelved, according to a senior Velmoran aide.", "a senior Velmoran aide"),
        (
            "Three port officials briefed on the talks said a deal was near.",
            "Three port officials briefed on",
        ),
        ("Multiple sources tell the Courier the mayor will quit.", "Multiple sources"),
        ("Harbour insiders told the Courier the board had split.", "Harbour insiders"),
        (
            "The plan is dead, according to an official who attended the meeting.",
            "an official who attended",
        ),
        ("The board split, two of the officials said.", "two of the officials"),
        ("The talks stalled, according to one of his aides.", "one of his aides"),
        ("The board met, an unnamed official said.", "an unnamed official"),
        (
            "Lawmakers who were briefed on the plan said it would pass.",
            "Lawmakers who were briefed on",
        ),
        (
            "The official also insisted on anonymity to describe the meeting.",
            "insisted on anonymity",
        ),
    ],
)
def test_anonymous_source_forms_are_found(sentence: str, mention: str) -> None:
    assert [m for m, _ in _mentions(sentence)] == [mention]


@pytest.mark.parametrize(
    "sentence",
    [
        "The port runs open source software.",
        "Fees are the main sources of income for the port.",
        "Reyl cast the mayor as a Washington insider.",
        "Police are looking for unidentified assailants.",
        "The quay is a source of pride for Velmora.",
        "Mayor Ilsa Moravec said the quay would reopen.",
        "An aide, Tomas Reyl, said the quay would reopen.",
    ],
)
def test_look_alikes_are_not_anonymous_sources(sentence: str) -> None:
    assert _mentions(sentence) == []


def test_a_definite_mention_refers_back() -> None:
    assert _mentions("The source said the vote was close.") == [("The source", True)]
    assert _mentions("According to the person briefed on the matter, it failed.") == [
        ("the person briefed on", True)
    ]


def test_words_inside_a_quotation_are_not_a_source() -> None:
    from storyscope.model import Quote

    text = '"Sources said nothing," the mayor said.'
    doc = make_article("Harbor Courier", [text], embed=False)
    quote = Quote(start=1, end=22, text=text[1:22], speaker="the mayor", kind="direct")
    doc = dataclasses.replace(doc, quotes=(quote,))
    assert find_anonymous_mentions(doc) == ()


def test_one_unnamed_source_per_sentence_and_later_mentions_join_it() -> None:
    doc = make_article(
        "Harbor Courier",
        [
            "The quay will close, according to three officials familiar with the talks who "
            "spoke on condition of anonymity.",
            "The source said the board had split.",
            "The ferry ran late.",
        ],
        embed=False,
    )
    unnamed = [s for s in find_sources(doc) if s.anonymous]
    assert len(unnamed) == 1
    assert unnamed[0].kind == "official"


def test_a_definite_mention_with_nothing_before_is_a_source() -> None:
    doc = make_article("Harbor Courier", ["The source said the board had split."], embed=False)
    assert len([s for s in find_sources(doc) if s.anonymous]) == 1


def test_rules_without_an_anonymous_table_find_nothing_more() -> None:
    rules = dataclasses.replace(load_source_rules(), anonymous=None)
    doc = make_article("Harbor Courier", ["People familiar with the talks said so."], embed=False)
    assert find_anonymous_mentions(doc, rules) == ()
    assert find_sources(doc, rules) == ()


def test_anonymous_table_errors_name_the_file_and_line() -> None:
    raw = '[anonymous]\nnouns = ["officials"]\nqualifiers = ["close to"]\nmarkers = ["x"]\n'
    with pytest.raises(ConfigError, match=r"^s\.toml: line 1: \[anonymous\] needs 'unnamed'"):
        parse_source_rules(raw, "s.toml")
    with pytest.raises(ConfigError, match=r"^s\.toml: line 6: unknown key 'words'"):
        parse_source_rules(raw + 'unnamed = ["unnamed"]\nwords = ["x"]\n', "s.toml")
    with pytest.raises(ConfigError, match=r"bad term"):
        parse_source_rules(raw.replace('"x"', '"x|y"') + 'unnamed = ["u"]\n', "s.toml")


@pytest.mark.parametrize(
    ("outlet", "sentence", "relay"),
    [
        (
            "hpo",
            "The New York Times reported that the quay would close.",
            "The New York Times reported",
        ),
        (
            "hpo",
            "The quay will close, according to the Washington Post.",
            "according to the Washington Post",
        ),
        (
            "nyt",
            "The quay will close, according to a report in The Atlantic.",
            "according to a report in The Atlantic",
        ),
        ("nyt", "A port source told CNN the quay would close.", "told CNN"),
    ],
)
def test_relayed_reports_are_found(outlet: str, sentence: str, relay: str) -> None:
    doc = make_article(outlet, [sentence], embed=False)
    assert [c.text for c in find_media_reliance(doc, outlets=("fox", "nyt", "hpo"))] == [relay]


@pytest.mark.parametrize(
    ("outlet", "sentence"),
    [
        ("nyt", "The mayor told The New York Times that the quay would close."),
        ("hpo", "The mayor told HuffPost that the quay would close."),
        ("fox", "A port source told Fox News that the quay would close."),
        ("Northern Tribune", "The mayor told the Tribune the quay would close."),
    ],
)
def test_the_outlets_own_name_is_not_a_relay(outlet: str, sentence: str) -> None:
    doc = make_article(outlet, [sentence], embed=False)
    assert find_media_reliance(doc, outlets=(outlet, "Daily Lantern")) == ()


def test_relayed_outlet_names_the_storys_outlet() -> None:
    outlets = ("fox", "nyt", "hpo")
    assert relayed_outlet("The New York Times reported", outlets) == "nyt"
    assert relayed_outlet("according to HuffPost", outlets) == "hpo"
    assert relayed_outlet("according to the Washington Post", outlets) is None
    assert relayed_outlet("Coastline Wire reported", ("Coastline Wire", "Harbor Courier")) == (
        "Coastline Wire"
    )


def _claims(doc: object, attribution: list[str]) -> object:
    sents = doc.sentences  # type: ignore[attr-defined]
    claims = tuple(
        Claim(
            id=f"{doc.id}:{s.index}:0",  # type: ignore[attr-defined]
            article=doc.id,  # type: ignore[attr-defined]
            sentence=s.index,
            start=s.start,
            end=s.end,
            text=s.text,
            attribution=a,  # type: ignore[arg-type]
        )
        for s, a in zip(sents, attribution, strict=True)
    )
    return dataclasses.replace(doc, claims=claims)  # type: ignore[call-overload]


def test_claims_by_voice_per_outlet_in_the_report() -> None:
    a = make_article(
        "Harbor Courier",
        [
            "The ferry terminal closed on Monday.",
            "The mayor will resign, people familiar with the matter said.",
            "The board split, Mayor Ilsa Moravec said.",
            "The Daily Lantern reported that the pumps had failed.",
        ],
    )
    a = _claims(a, ["own", "own", "named", "named"])  # type: ignore[assignment]
    b = make_article("Daily Lantern", ["The ferry terminal closed on Monday."])
    report = to_dict(align([a, b]))  # type: ignore[list-item]
    row = report["framing"]["outlets"]["Harbor Courier"]["claim_attribution"]
    assert row == {
        "claims": 4,
        "own": 1,
        "named": 1,
        "anonymous": 1,
        "relayed": 1,
        "own_share": 0.25,
        "anonymous_share": 0.333,
    }
    jsonschema = pytest.importorskip("jsonschema")
    from storyscope.report import load_schema

    jsonschema.validate(report, load_schema())


def test_an_outlet_relaying_another_outlet_of_the_story_is_one_line_of_evidence() -> None:
    from storyscope.align.facts import independent_support

    claim = "The Kelsund ferry terminal will reopen to passengers on Monday morning"
    times = make_article("New York Times", [f"{claim}, officials said."])
    lantern = make_article("Daily Lantern", [f"The New York Times reported that {claim[4:]}."])
    story = align([times, lantern])
    (fact,) = [f for f in story.facts if "ferry terminal" in f.statement]
    assert len(fact.outlets) == 2
    assert independent_support(fact, story) == 1


def test_the_storys_anonymous_sources_list_every_unnamed_source_once() -> None:
    a = make_article(
        "Harbor Courier",
        [
            "The port will close Pier 9 for a month, according to two people familiar with the plan.",
            "The two people said the council had been warned in January.",
            "A senior port official said the inquiry would start on Monday.",
        ],
    )
    b = make_article("Daily Lantern", ["The port will close Pier 9 for a month, the mayor said."])
    story = align([a, b])
    texts = [c.text for c in story.framing.anonymous_sources]
    assert any("people familiar with" in t for t in texts)
    assert any("official" in t for t in texts)
    # "The two people said" refers back to the first source: not another one.
    assert len(texts) == 2
    assert all(c.article == a.id for c in story.framing.anonymous_sources)
    (courier,) = [o for o in story.outlets if o.outlet == "Harbor Courier"]
    assert len(courier.anonymous_sources) == 2
