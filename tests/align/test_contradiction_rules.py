"""Rules added from the contradiction gold set: each found or avoided on invented text."""

from __future__ import annotations

import dataclasses

from _align_articles import make_article
from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.align import align
from storyscope.align.contradictions import STATUS_CONFLICTS, STATUS_WORDS
from storyscope.model import AnalyzedArticle, Quote, Story


def _kinds(story: Story) -> list[str]:
    return [c.kind for c in story.contradictions]


def test_intransitive_verb_negated_is_a_polarity_contradiction() -> None:
    a = make_article("Harbor Courier", ["The dock workers' strike in Port Merrow has ended."])
    b = make_article("Daily Lantern", ["The dock workers' strike in Port Merrow has not ended."])
    assert _kinds(align([a, b])) == ["polarity"]


def test_negated_verb_with_another_preposition_is_no_contradiction() -> None:
    a = make_article(
        "Harbor Courier", ["The fire did not spread to the neighbouring warehouses at Pier 9."]
    )
    b = make_article(
        "Daily Lantern", ["The fire spread quickly through the Greyling warehouse at Pier 9."]
    )
    assert _kinds(align([a, b])) == []


def test_conditional_refusal_is_no_contradiction() -> None:
    a = make_article(
        "Harbor Courier",
        ["The dockers' union said it would not accept the offer unless wages rose."],
    )
    b = make_article("Daily Lantern", ["The dockers' union accepted the offer after wages rose."])
    assert _kinds(align([a, b])) == []


def test_the_counted_noun_alone_does_not_make_numbers_comparable() -> None:
    a = make_article(
        "Harbor Courier",
        ["The Orla ferry carried 212 passengers when it ran aground off Kelsund."],
        quantities=[("212", {"value": 212, "unit": "passenger", "kind": "count"})],
    )
    b = make_article(
        "Daily Lantern",
        ["The Orla ferry, which is licensed for 400 passengers, ran aground off Kelsund."],
        quantities=[("400", {"value": 400, "unit": "passenger", "kind": "count"})],
    )
    c = make_article(
        "Coast Weekly",
        ["The Orla ferry carried 340 passengers when it ran aground off Kelsund."],
        quantities=[("340", {"value": 340, "unit": "passenger", "kind": "count"})],
    )
    assert _kinds(align([a, b])) == []
    assert _kinds(align([a, c])) == ["number"]


def test_numbers_in_indirect_speech_are_compared() -> None:
    a = make_article(
        "Harbor Courier",
        ["The port authority said that it had received 5,500 pages of safety records."],
        quantities=[("5,500", {"value": 5500, "unit": "page", "kind": "count"})],
    )
    b = make_article(
        "Daily Lantern",
        ["The port authority said that it had received 9,000 pages of safety records."],
        quantities=[("9,000", {"value": 9000, "unit": "page", "kind": "count"})],
    )
    span = "it had received 5,500 pages of safety records"
    start = a.text.index(span)
    indirect = Quote(
        start=start, end=start + len(span), text=span, speaker="port authority", kind="indirect"
    )
    a = dataclasses.replace(a, quotes=(indirect,))
    assert _kinds(align([a, b])) == ["number"]


def test_status_lexicon_is_consistent() -> None:
    stages = set(STATUS_WORDS)
    for pair, first in STATUS_CONFLICTS.items():
        assert len(pair) == 2 and pair <= stages
        assert first is None or first in pair
    phrases = [p for ps in STATUS_WORDS.values() for p in ps]
    assert len(phrases) == len(set(phrases))


_SUBJECTS = ["The Port Aster council", "The Velmora ministry", "Greyling Logistics"]
_OBJECTS = ["the new sea wall", "a permit for Pier 9", "the harbour budget"]


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(_SUBJECTS),
    st.sampled_from(sorted(STATUS_WORDS)),
    st.sampled_from(_OBJECTS),
)
def test_the_same_status_twice_never_conflicts_and_citations_are_exact(
    subject: str, stage: str, obj: str
) -> None:
    phrase = STATUS_WORDS[stage][0]
    a = make_article("Harbor Courier", [f"{subject} {phrase} {obj} on Tuesday."])
    b = make_article("Daily Lantern", [f"On Tuesday, {subject.lower()} {phrase} {obj}."])
    story = align([a, b])
    assert "status" not in _kinds(story)
    for con in story.contradictions:
        for cite, doc in ((con.a, a), (con.b, b)):
            assert doc.text[cite.start : cite.end] == cite.text


def test_answer_no_at_the_start_negates_nothing() -> None:
    a = make_article(
        "Harbor Courier", ['No, Velmora has not banned the "tempting eyes" of Kelsund.']
    )
    b = make_article(
        "Daily Lantern", ["Velmora could sponsor a contest of the most tempting eyes of Kelsund."]
    )
    c = make_article("Coast Weekly", ["Velmora has banned the tempting eyes of Kelsund."])
    assert _kinds(align([a, b])) == []
    assert _kinds(align([a, c])) == ["polarity"]


def test_negation_in_a_purpose_clause_is_no_denial() -> None:
    a = make_article(
        "Harbor Courier",
        ["The Kelsund mayor adopts a stray dog so it won't turn into a harbour nuisance."],
    )
    b = make_article(
        "Daily Lantern",
        ["The Kelsund mayor adopted a stray dog to stop it turning into a harbour nuisance."],
    )
    assert _kinds(align([a, b])) == []


def test_an_amount_in_a_trailing_phrase_is_read_with_the_phrase_before_it() -> None:
    """ "..., to the tune of $3.5 billion": the phrase holding the amount says nothing about
    what it counts, so the words before the comma do ("military construction")."""
    a = make_article(
        "Harbor Courier",
        [
            "The order would unlock money from the navy's military construction budget, "
            "to the tune of $3.5 billion."
        ],
        quantities=[("$3.5 billion", {"value": 3.5e9, "unit": "USD", "kind": "money"})],
    )
    b = make_article(
        "Daily Lantern",
        ["The order lets the admiral divert $3.6 billion from military construction projects."],
        quantities=[("$3.6 billion", {"value": 3.6e9, "unit": "USD", "kind": "money"})],
    )
    story = align([a, b])
    numbers = [c for c in story.contradictions if c.kind == "number"]
    assert len(numbers) == 1
    assert "$3.5 billion" in numbers[0].explanation and "$3.6 billion" in numbers[0].explanation


def _titled(outlet: str, sentences: list[str], people: list[str]) -> AnalyzedArticle:
    return make_article(outlet, sentences, entities=[(p, "PERSON") for p in people])


def test_a_current_title_against_a_former_one_is_a_status_contradiction() -> None:
    a = _titled(
        "Harbor Courier",
        ["PAM official Marta Quell said the cranes would stay idle until Monday."],
        ["Marta Quell"],
    )
    b = _titled(
        "Daily Lantern",
        ["Marta Quell, a former senior official at the P.A.M., said the cranes would stay idle."],
        ["Marta Quell"],
    )
    # Another organisation (the Port Authority is not the PAM): compared with nobody.
    c = _titled(
        "Coast Weekly",
        [
            "Marta Quell, who worked at the Port Authority for 20 years before retiring as deputy "
            "director in 2019, said the cranes would stay idle.",
        ],
        ["Marta Quell"],
    )
    status = [x for x in align([a, b, c]).contradictions if x.kind == "status"]
    assert len(status) == 1
    (found,) = status
    assert {found.a.article, found.b.article} == {a.id, b.id}
    assert "PAM official" in found.explanation
    assert "a former senior official at the P.A.M" in found.explanation
    assert found.fact is None
    # "who ... before retiring as" is a former title too.
    d = _titled(
        "Harbor Courier",
        ["Port Authority official Marta Quell said the cranes would stay idle until Monday."],
        ["Marta Quell"],
    )
    status = [x for x in align([d, c]).contradictions if x.kind == "status"]
    assert [(x.a.article, x.b.article) for x in status] == [(d.id, c.id)]


def test_titles_of_other_roles_or_both_tenses_in_one_article_are_no_contradiction() -> None:
    # The same article tells a current and a former role with one organisation: no conflict.
    a = _titled(
        "Harbor Courier",
        [
            "Harbor Board chair Ines Varga, a former Harbor Board treasurer, opened the hearing.",
        ],
        ["Ines Varga"],
    )
    b = _titled(
        "Daily Lantern",
        ["Ines Varga, a former Harbor Board treasurer, opened the hearing on Monday."],
        ["Ines Varga"],
    )
    assert [x.kind for x in align([a, b]).contradictions if x.kind == "status"] == []
    # A former role with another organisation, a role to come ("incoming"), a namesake.
    c = _titled(
        "Harbor Courier",
        ["Velmora Port chief Tomas Reyl, a former Kelsund mayor, opened the hearing."],
        ["Tomas Reyl"],
    )
    d = _titled(
        "Daily Lantern",
        ["Tomas Reyl, the incoming Velmora Port chief, opened the hearing on Monday."],
        ["Tomas Reyl"],
    )
    e = _titled(
        "Coast Weekly",
        ["Former Velmora Port chief Anna Reyl watched the hearing."],
        ["Anna Reyl"],
    )
    assert [x.kind for x in align([c, d, e]).contradictions if x.kind == "status"] == []
