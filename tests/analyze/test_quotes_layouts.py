"""Quote layouts, speakers, scare quotes, indirect speech and bad input (issue #3).

All text is invented: invented outlets, people and places.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.analyze._text import MAX_QUOTE_CHARS
from storyscope.analyze.quotes import find_quotes
from storyscope.ingest.text import read_text
from storyscope.model import Quote

Parse = Callable[[str], tuple[Any, list[Any], list[Any]]]

LEVY = (
    "Finance Minister Ada Okafor defended the new levy on Monday in Velmar City.\n"
    '"We will not raise it again this year," Okafor said. "The budget is balanced."\n'
    'She added: "Nobody will pay more at the pump."\n'
    "Port authority spokesperson Jonas Brandt told AFP that the terminal would stay open.\n"
    '"The cranes are intact," Brandt told AFP.\n'
    '"Ships are already queuing," he added, "and the pilots are on duty."\n'
    'The minister wrote in a statement: "I take full responsibility for the delay."\n'
    'Critics called the so-called "temporary" tariffs a disguised tax.\n'
    "Okafor said the measure would end in June.\n"
    "A senior official who asked not to be named said: "
    '"The levy was never meant to be temporary."\n'
    'Opposition leader Marek Sohl called the levy "a grave step backwards for exporters."\n'
    "\"It was 'a calculated risk,' as the governor put it,\" Sohl said.\n"
)

STORM = (
    "Harbour master Lise Varn spoke to reporters after the storm.\n"
    "\u201cThe breakwater held,\u201d Varn said. \u201cThe inner basin did not.\u201d\n"
    '"We lost two tugs overnight and one crane, and it will take weeks to clear the channel.\n'
    '"Nobody was hurt, and that is what matters," she said.\n'
    "Varn later said the port would reopen on Friday.\n"
    'Mayor Teodor Brask, 61, was less hopeful. "It is too early to promise anything," '
    "Brask told reporters.\n"
    "The mayor added that the city had asked for federal help.\n"
    '"We need help now" -- Teodor Brask\n'
    "Local fishermen, who asked not to be named, said they had been warned too late.\n"
)


def _quotes(parse: Parse, text: str) -> list[Quote]:
    doc, sentences, entities = parse(text)
    return find_quotes(text, doc, sentences, entities)


def _by_start(parse: Parse, text: str) -> dict[str, Quote]:
    return {q.text: q for q in _quotes(parse, text)}


def _find(parse: Parse, text: str, fragment: str) -> Quote:
    return next(q for q in _quotes(parse, text) if fragment in q.text)


# --- direct quotations in every layout ------------------------------------------


def test_quote_before_and_after_the_cue(parse: Parse) -> None:
    before = _find(parse, LEVY, "not raise it")
    assert (before.kind, before.speaker, before.cue) == ("direct", "Ada Okafor", "said")
    after = _find(parse, LEVY, "pay more at the pump")
    assert (after.speaker, after.cue) == ("Ada Okafor", "added")


def test_quote_split_around_the_cue_keeps_its_speaker(parse: Parse) -> None:
    first = _find(parse, LEVY, "Ships are already queuing")
    second = _find(parse, LEVY, "pilots are on duty")
    assert first.speaker == second.speaker == "Jonas Brandt"
    assert second.kind == "direct"


def test_follow_on_sentence_after_the_attribution(parse: Parse) -> None:
    assert _find(parse, LEVY, "budget is balanced").speaker == "Ada Okafor"


def test_curly_quotes_and_a_multi_paragraph_quotation(parse: Parse) -> None:
    quotes = _by_start(parse, STORM)
    assert quotes["The breakwater held"].speaker == "Lise Varn"
    assert quotes["The inner basin did not."].speaker == "Lise Varn"
    # The first paragraph never closes its mark: the quotation runs on into the next.
    opening = _find(parse, STORM, "two tugs overnight")
    assert opening.speaker == "Lise Varn"
    assert "\n" not in opening.text


def test_told_afp_and_wrote_in_a_statement(parse: Parse) -> None:
    told = _find(parse, LEVY, "cranes are intact")
    assert (told.speaker, told.cue) == ("Jonas Brandt", "told")
    wrote = _find(parse, LEVY, "full responsibility")
    assert (wrote.speaker, wrote.cue) == ("Ada Okafor", "wrote")


def test_nested_single_quotes_stay_inside_the_quotation(parse: Parse) -> None:
    q = _find(parse, LEVY, "calculated risk")
    assert q.text == "It was 'a calculated risk,' as the governor put it"
    assert q.speaker == "Marek Sohl"


def test_partial_quote_inside_a_sentence(parse: Parse) -> None:
    q = _find(parse, LEVY, "grave step backwards")
    assert q.kind == "partial"
    assert q.speaker == "Marek Sohl"


def test_dash_attribution(parse: Parse) -> None:
    assert _find(parse, STORM, "We need help now").speaker == "Teodor Brask"


# --- scare quotes -------------------------------------------------------------------


def test_scare_quote_is_marked_and_has_no_speaker(parse: Parse) -> None:
    q = _find(parse, LEVY, "temporary")
    assert q.kind == "scare"
    assert q.speaker is None and q.cue is None


def test_quoted_title_is_a_term_not_a_statement(parse: Parse) -> None:
    text = 'Okafor appeared on the talk show "Morning at the Harbour" on Sunday, aides said.'
    q = _find(parse, text, "Morning at the Harbour")
    assert q.kind == "scare"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        # programme titles after "on" / "told", with "&", a single word or a long title
        ('"We will rebuild the quay," Mayor Ilse Varga told "Harbour & Friends."', "Harbour & Friends"),
        ('"Nobody was hurt," Varga said on "Outnumbered."', "Outnumbered"),
        (
            '"It is a grave step," Varga said on Coast TV\'s "Evening Edition with Lena Brook."',
            "Evening Edition with Lena Brook",
        ),
        # names and terms, even in a sentence with a speech verb
        ('Dock workers, known as "harbour hands," said they had not been paid.', "harbour hands"),
        ('Dubbed "Quaygate," the affair cost the mayor her majority, aides said.', "Quaygate"),
        ('Under the law the definition of "vessel" includes barges, Varga told reporters.', "vessel"),
        # headlines and titles after a title cue, whatever their case, length or mark
        (
            'Piet Olsen wrote on the site, under the headline "Harbour Wire Puts Mayor on Cover '
            'That Makes Her Look Odd."',
            "Harbour Wire Puts Mayor",
        ),
        (
            'The Coast Review ran a story about that cover called, simply, "How Creepy Is the '
            'Ghost on the Quay?"',
            "How Creepy Is the Ghost",
        ),
        ('The headline on the magazine\'s cover reads, "THE QUEEN OF HARBOURS."', "QUEEN OF HARBOURS"),
        # a word talked about
        ('"Quaygate" is a word that does not appear in the report, Varga told reporters.', "Quaygate"),
        # labels of a change of state
        ('His condition was upgraded from "critical" to "serious" on Thursday, a nurse said.', "critical"),
        ('His condition was upgraded from "critical" to "serious" on Thursday, a nurse said.', "serious"),
    ],
)
def test_titles_nicknames_and_terms_are_not_statements(parse: Parse, text: str, fragment: str) -> None:
    q = _find(parse, text, fragment)
    assert q.kind == "scare", q
    assert q.speaker is None


def test_a_nickname_credited_to_its_author_stays_a_quotation(parse: Parse) -> None:
    text = 'Her 300 fundraisers, dubbed "Quaykeepers" by the campaign, raised $2 million.'
    q = _find(parse, text, "Quaykeepers")
    assert q.kind != "scare"


# --- speakers across the article -------------------------------------------------


def test_titles_and_roles_are_kept_as_description(parse: Parse) -> None:
    assert _find(parse, LEVY, "not raise it").speaker_description == "Finance Minister"
    brandt = _find(parse, LEVY, "cranes are intact")
    assert brandt.speaker_description == "Port authority spokesperson"
    sohl = _find(parse, LEVY, "grave step")
    assert sohl.speaker_description == "Opposition leader"


def test_apposition_is_a_description(parse: Parse) -> None:
    text = (
        '"The quay will be rebuilt," said Okafor, the finance minister of Velmar.\n'
        "Ada Okafor has held the post since 2024."
    )
    q = _find(parse, text, "quay will be rebuilt")
    assert q.speaker == "Ada Okafor"
    assert q.speaker_description == "the finance minister of Velmar"


def test_pronoun_and_role_resolve_to_the_named_person(parse: Parse) -> None:
    assert _find(parse, LEVY, "Ships are already queuing").speaker == "Jonas Brandt"  # "he"
    assert _find(parse, LEVY, "full responsibility").speaker == "Ada Okafor"  # "the minister"
    assert _find(parse, STORM, "federal help").speaker == "Teodor Brask"  # "the mayor"


def test_pronoun_skips_a_person_of_the_other_gender(parse: Parse) -> None:
    text = (
        "Ms. Rina Duval, the harbour engineer, inspected the pier with Mr. Oskar Penn.\n"
        'Penn signed the report. "The piles are cracked," she said.'
    )
    assert _find(parse, text, "piles are cracked").speaker == "Rina Duval"


def test_anonymous_source_is_its_own_speaker(parse: Parse) -> None:
    q = _find(parse, LEVY, "never meant to be temporary")
    assert q.anonymous
    assert q.speaker is not None and "official" in q.speaker
    assert q.speaker != "Ada Okafor"


def test_body_named_by_role(parse: Parse) -> None:
    text = (
        "The Velmar Port Authority closed the north quay on Tuesday.\n"
        'The authority said: "Repairs will take a month."'
    )
    assert _find(parse, text, "Repairs will take").speaker == "Velmar Port Authority"


# --- indirect speech ------------------------------------------------------------------


def test_indirect_speech_has_speaker_and_cue(parse: Parse) -> None:
    q = _find(parse, LEVY, "measure would end in June")
    assert q.kind == "indirect"
    assert q.text == "the measure would end in June"
    assert (q.speaker, q.cue) == ("Ada Okafor", "said")
    assert q.cue_span is not None and LEVY[q.cue_span.start : q.cue_span.end] == "said"


def test_indirect_speech_from_told_and_from_anonymous_sources(parse: Parse) -> None:
    told = _find(parse, LEVY, "terminal would stay open")
    assert (told.kind, told.speaker) == ("indirect", "Jonas Brandt")
    anon = _find(parse, STORM, "warned too late")
    assert anon.kind == "indirect" and anon.anonymous


def test_negated_speech_is_not_reported_speech(parse: Parse) -> None:
    text = "Councillor Ivo Mert did not say that the budget was cut."
    assert not [q for q in _quotes(parse, text) if q.kind == "indirect"]


# --- bad input ----------------------------------------------------------------------------


def test_quote_running_to_the_end_of_the_article_is_cut_at_its_line(parse: Parse) -> None:
    text = 'Okafor spoke briefly.\nShe said: "We are not done here and we will be back'
    (q,) = [q for q in _quotes(parse, text) if q.kind != "indirect"]
    assert q.text == "We are not done here and we will be back"


def test_unbalanced_marks_never_make_a_runaway_span(parse: Parse) -> None:
    text = ('He said: "' + "more words here " * 200 + "\n") * 3 + 'Then " stray " marks "'
    for q in _quotes(parse, text):
        assert q.end - q.start <= MAX_QUOTE_CHARS
        assert text[q.start : q.end] == q.text


def test_quotes_in_removed_boilerplate_never_reach_the_article(parse: Parse) -> None:
    raw = (
        "Velmar harbour reopened on Friday after the storm.\n\n"
        '"The channel is clear," Harbour master Lise Varn said.\n\n'
        'As the Velmar government puts it, "a free press is a public good." '
        "If you value our reporting, please consider making a donation. "
        "Every contribution, big or small, keeps our newsroom going.\n"
    )
    article = read_text(raw, source="storm.txt", outlet="Velmar Tide")
    assert article.removed
    texts = {q.text for q in _quotes(parse, article.text)}
    assert "The channel is clear" in texts
    assert not any("free press" in t for t in texts)


_PIECES = [
    '"',
    "\u201c",
    "\u201d",
    "'",
    "\u2018",
    "\u2019",
    " said",
    " told AFP",
    " added",
    " that",
    " he",
    " she",
    " the minister",
    " Okafor",
    " Ada Okafor",
    " according to",
    " so-called",
    ",",
    ".",
    ":",
    "?",
    " --",
    "\n",
    "\n\n",
    " ",
    "We lost",
    " the port",
    " temporary",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
@settings(max_examples=60, deadline=None)
def test_every_record_points_at_its_exact_text(parse: Parse, text: str) -> None:
    for q in _quotes(parse, text):
        assert 0 <= q.start <= q.end <= len(text)
        assert text[q.start : q.end] == q.text
        assert q.end - q.start <= MAX_QUOTE_CHARS
        assert q.kind in ("direct", "partial", "indirect", "scare")
        for span in (q.speaker_mention, q.cue_span):
            assert span is None or 0 <= span.start <= span.end <= len(text)


@given(st.text(max_size=120))
@settings(max_examples=40, deadline=None)
def test_arbitrary_unicode_never_crashes(parse: Parse, text: str) -> None:
    for q in _quotes(parse, text):
        assert text[q.start : q.end] == q.text


def test_the_official_points_back_to_the_anonymous_source(parse: Parse) -> None:
    text = (
        "A senior port official, who was not authorised to speak publicly, said the "
        "sprinklers had been off for weeks.\n"
        'The official said: "We warned them twice."'
    )
    q = _find(parse, text, "We warned them twice")
    assert q.anonymous
    assert q.speaker == "A senior port official"
