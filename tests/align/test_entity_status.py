"""Entity and status contradictions: found when concrete, silent on look-alikes."""

from __future__ import annotations

import dataclasses
import datetime as dt

from _align_articles import make_article

from storyscope.align import align
from storyscope.model import AnalyzedArticle, Story


def _kinds(story: Story) -> list[str]:
    return [c.kind for c in story.contradictions]


def _published(doc: AnalyzedArticle, day: str) -> AnalyzedArticle:
    art = dataclasses.replace(doc.article, published=dt.datetime.fromisoformat(day))
    return dataclasses.replace(doc, article=art)


# --- entity ------------------------------------------------------------------------------


def test_different_place_in_the_same_statement_is_an_entity_contradiction() -> None:
    a = make_article(
        "Harbor Courier",
        ["The fire started in a chemical warehouse in Kelsund."],
        entities=[("Kelsund", "GPE")],
    )
    b = make_article(
        "Daily Lantern",
        ["The fire started in a chemical warehouse in Dornby."],
        entities=[("Dornby", "GPE")],
    )
    story = align([a, b])
    assert _kinds(story) == ["entity"]
    con = story.contradictions[0]
    assert "Kelsund" in con.explanation and "Dornby" in con.explanation
    assert "Harbor Courier" in con.explanation and "Daily Lantern" in con.explanation
    assert "place" in con.explanation
    assert a.text[con.a.start : con.a.end] == con.a.text
    assert b.text[con.b.start : con.b.end] == con.b.text


def test_different_body_sharing_a_generic_word_is_an_entity_contradiction() -> None:
    a = make_article(
        "Harbor Courier",
        ["The rescued sailors were taken to St Brenna Hospital on Tuesday night."],
        entities=[("St Brenna Hospital", "ORG")],
    )
    b = make_article(
        "Daily Lantern",
        ["The rescued sailors were taken to Harrow General Hospital on Tuesday night."],
        entities=[("Harrow General Hospital", "ORG")],
    )
    assert _kinds(align([a, b])) == ["entity"]


def test_name_the_other_article_also_mentions_is_no_conflict() -> None:
    a = make_article(
        "Harbor Courier",
        ["The fire started in a chemical warehouse in Kelsund, in northern Port Aster."],
        entities=[("Kelsund", "GPE"), ("Port Aster", "GPE")],
    )
    b = make_article(
        "Daily Lantern",
        ["The fire started in a chemical warehouse in Port Aster."],
        entities=[("Port Aster", "GPE")],
    )
    assert _kinds(align([a, b])) == []


def test_surname_and_spelling_variants_are_no_conflict() -> None:
    a = make_article(
        "Harbor Courier",
        ["The harbour inquiry will be led by judge Marta Olsen.", "Smoke drifted over Kelsund."],
        entities=[("Marta Olsen", "PERSON"), ("Kelsund", "GPE")],
    )
    b = make_article(
        "Daily Lantern",
        [
            "The harbour inquiry will be led by Olsen, a retired judge.",
            "Smoke drifted over Kelsond.",
        ],
        entities=[("Olsen", "PERSON"), ("Kelsond", "GPE")],
    )
    assert _kinds(align([a, b])) == []


def test_speaker_of_a_statement_is_left_to_attribution() -> None:
    a = make_article(
        "Harbor Courier",
        ["Mayor Tomas Reyl said the harbour would reopen within a month."],
        entities=[("Tomas Reyl", "PERSON")],
    )
    b = make_article(
        "Daily Lantern",
        ["Councillor Bram Idris said the harbour would reopen within a month."],
        entities=[("Bram Idris", "PERSON")],
    )
    assert _kinds(align([a, b])) == []


def test_extra_name_in_one_claim_is_no_conflict() -> None:
    a = make_article(
        "Harbor Courier",
        ["Fire crews from Dornby helped fight the fire in Kelsund on Sunday."],
        entities=[("Dornby", "GPE"), ("Kelsund", "GPE")],
    )
    b = make_article(
        "Daily Lantern",
        ["Fire crews helped fight the fire in Kelsund on Sunday."],
        entities=[("Kelsund", "GPE")],
    )
    assert _kinds(align([a, b])) == []


# --- status ------------------------------------------------------------------------------


def test_requested_and_obtained_are_a_status_contradiction() -> None:
    a = make_article(
        "Harbor Courier",
        ["The city of Port Aster requested $5 million in national disaster aid."],
    )
    b = make_article(
        "Daily Lantern",
        ["The city of Port Aster obtained $5 million in national disaster aid."],
    )
    story = align([a, b])
    assert _kinds(story) == ["status"]
    con = story.contradictions[0]
    assert "requested" in con.explanation and "obtained" in con.explanation
    assert "Harbor Courier" in con.explanation and "Daily Lantern" in con.explanation


def test_planned_and_done_conflict_and_a_later_deed_is_labelled_publication_timing() -> None:
    plan = make_article(
        "Harbor Courier", ["Mayor Tomas Reyl plans to sign the emergency order for Kelsund."]
    )
    done = make_article(
        "Daily Lantern", ["Mayor Tomas Reyl signed the emergency order for Kelsund."]
    )
    same_day = align([_published(plan, "2026-03-10"), _published(done, "2026-03-10")])
    assert _kinds(same_day) == ["status"]
    assert "publication timing" not in same_day.contradictions[0].explanation
    # Planned when one outlet wrote, done by the time the other did: still shown
    # (a reader of the earlier article holds a stale fact), with the reason.
    later = align([_published(plan, "2026-03-09"), _published(done, "2026-03-12")])
    assert _kinds(later) == ["status"]
    why = later.contradictions[0].explanation
    assert "Likely publication timing" in why
    assert "Harbor Courier was published 2026-03-09" in why and "Daily Lantern 2026-03-12" in why
    # The plan reported after the deed is still a conflict.
    backwards = align([_published(plan, "2026-03-12"), _published(done, "2026-03-09")])
    assert _kinds(backwards) == ["status"]


def test_a_cue_under_a_speech_verb_previews_the_deed_another_outlet_reports() -> None:
    # The main verb is "said" (done); "prepared to sign" is what still lies ahead.
    ahead = make_article(
        "Harbor Courier",
        ["Mayor Tomas Reyl said he is prepared to sign the emergency order for Kelsund."],
    )
    done = make_article(
        "Daily Lantern",
        ["Mayor Tomas Reyl signed the emergency order for Kelsund on Friday night."],
    )
    story = align([ahead, done])
    assert _kinds(story) == ["status"]
    why = story.contradictions[0].explanation
    assert "\u201csign\u201d as still to come" in why and "Daily Lantern reports it done" in why
    # The cue inside the mayor's own words is what he said, not the outlet's report of a plan.
    quote = "I am prepared to sign the emergency order for Kelsund"
    quoted = make_article(
        "Harbor Courier",
        [f'"{quote}," Mayor Tomas Reyl said.'],
        quotes=[(quote, "Tomas Reyl")],
    )
    assert "status" not in _kinds(align([quoted, done]))


def test_rejected_and_accepted_conflict_even_with_a_lexical_negation_free_verb() -> None:
    a = make_article(
        "Harbor Courier", ["The Velmora ministry has denied the request for an inquiry."]
    )
    b = make_article(
        "Daily Lantern", ["The Velmora ministry has granted the request for an inquiry."]
    )
    assert _kinds(align([a, b])) == ["status"]


def _negation(doc: AnalyzedArticle, *, denial: bool) -> AnalyzedArticle:
    """The article as the analyze stage gives it: its claims negated (by a denying verb alone)."""
    claims = tuple(dataclasses.replace(c, negated=True, denial=denial) for c in doc.claims)
    return dataclasses.replace(doc, claims=claims)


def test_status_reads_the_analysed_negation_a_denying_verb_is_a_stage() -> None:
    a = make_article(
        "Harbor Courier", ["The Velmora ministry has denied the request for an inquiry."]
    )
    b = make_article(
        "Daily Lantern", ["The Velmora ministry has granted the request for an inquiry."]
    )
    assert _kinds(align([_negation(a, denial=True), b])) == ["status"]
    assert "status" not in _kinds(align([_negation(a, denial=False), b]))


def test_claim_holding_both_stages_is_no_conflict() -> None:
    a = make_article(
        "Harbor Courier",
        ["The Port Aster council approved the new sea wall proposed by the mayor."],
    )
    b = make_article("Daily Lantern", ["The Port Aster council approved the new sea wall."])
    c = make_article("Coast Weekly", ["The Port Aster council has proposed a new sea wall."])
    assert "status" not in _kinds(align([a, b]))
    assert _kinds(align([b, c])) == ["status"]


def test_same_stage_in_other_words_is_no_conflict() -> None:
    a = make_article(
        "Harbor Courier", ["The city of Port Aster requested $5 million in national disaster aid."]
    )
    b = make_article(
        "Daily Lantern",
        ["The city of Port Aster has asked for $5 million in national disaster aid."],
    )
    assert _kinds(align([a, b])) == []


def test_status_words_inside_a_quote_are_not_compared() -> None:
    quote = "The council approved the sea wall"
    a = make_article(
        "Harbor Courier",
        [f'"{quote}," said Mayor Tomas Reyl of the Port Aster sea wall.'],
        quotes=[(quote, "Tomas Reyl")],
    )
    b = make_article(
        "Daily Lantern",
        ['"The council proposed the sea wall," said Mayor Tomas Reyl of the Port Aster sea wall.'],
        quotes=[("The council proposed the sea wall", "Tomas Reyl")],
    )
    assert "status" not in _kinds(align([a, b]))


def test_speaker_named_after_the_verb_is_left_to_attribution() -> None:
    a = make_article(
        "Harbor Courier",
        ["The harbour will reopen within a month, said Mayor Tomas Reyl on Tuesday."],
        entities=[("Tomas Reyl", "PERSON")],
    )
    b = make_article(
        "Daily Lantern",
        ["The harbour will reopen within a month, according to Councillor Bram Idris on Tuesday."],
        entities=[("Bram Idris", "PERSON")],
    )
    assert _kinds(align([a, b])) == []


def test_different_proposer_is_an_entity_contradiction() -> None:
    a = make_article(
        "Harbor Courier",
        ["The emergency funding package was proposed by Mayor Tomas Reyl."],
        entities=[("Tomas Reyl", "PERSON")],
    )
    b = make_article(
        "Daily Lantern",
        ["The emergency funding package was proposed by Councillor Bram Idris."],
        entities=[("Bram Idris", "PERSON")],
    )
    story = align([a, b])
    assert _kinds(story) == ["entity"]
    assert "person" in story.contradictions[0].explanation


# --- namesakes -------------------------------------------------------------------------


def _namesake(outlet: str, sentence: str, name: str, other: str = "Ivo Brand") -> AnalyzedArticle:
    return make_article(outlet, [sentence], entities=[(name, "PERSON"), (other, "PERSON")])


def test_a_namesake_in_the_same_statement_is_an_entity_contradiction() -> None:
    a = _namesake(
        "Harbor Courier",
        "Councillor Marta Olsen won the vote for deputy chair, defeating Ivo Brand.",
        "Marta Olsen",
    )
    b = _namesake(
        "Daily Lantern",
        "Councillor Greta Olsen won the vote for deputy chair, defeating Ivo Brand.",
        "Greta Olsen",
    )
    cons = align([a, b]).contradictions
    assert [c.kind for c in cons] == ["entity"]
    assert "Marta Olsen" in cons[0].explanation and "Greta Olsen" in cons[0].explanation


def test_a_short_form_or_an_initial_of_one_given_name_is_no_namesake() -> None:
    base = "Councillor {} won the vote for deputy chair, defeating Ivo Brand."
    for left, right in (
        ("James Olsen", "Jim Olsen"),
        ("William Olsen", "Bill Olsen"),
        ("Marta Olsen", "M. Olsen"),
        ("Dan Olsen", "Daniel Olsen"),
    ):
        a = _namesake("Harbor Courier", base.format(left), left)
        b = _namesake("Daily Lantern", base.format(right), right)
        assert not align([a, b]).contradictions, (left, right)


def test_two_relatives_both_named_in_one_article_are_no_namesake_swap() -> None:
    a = make_article(
        "Harbor Courier",
        [
            "Marta Olsen won the vote for deputy chair, defeating Ivo Brand.",
            "Her brother Tomas Olsen was not a candidate.",
        ],
        entities=[("Marta Olsen", "PERSON"), ("Ivo Brand", "PERSON"), ("Tomas Olsen", "PERSON")],
    )
    b = _namesake(
        "Daily Lantern",
        "Tomas Olsen won the vote for deputy chair, defeating Ivo Brand.",
        "Tomas Olsen",
    )
    assert "entity" not in _kinds(align([a, b]))
