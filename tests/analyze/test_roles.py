"""Claim roles (subject, predicate, object, status, attribution) from the parse: invented sentences."""

from __future__ import annotations

import pytest

from storyscope.analyze.claims import find_claims
from storyscope.analyze.cues import find_cues
from storyscope.analyze.quotes import find_quotes


def _claim(parse, text: str):
    doc, sentences, entities = parse(text)
    quotes = find_quotes(text, doc, sentences, entities)
    cues = find_cues(text, sentences)
    claims = find_claims("art1", text, doc, sentences, entities, quotes, cues)
    return claims[-1]


@pytest.mark.parametrize(
    ("text", "predicate", "status"),
    [
        ("The Velmar council is expected to approve the harbour levy on Thursday.", "approve", "expected"),
        ("The Velmar council approved the harbour levy on Thursday.", "approve", "done"),
        ("The Velmar council has approved the harbour levy.", "approve", "done"),
        ("The harbour levy was approved by the Velmar council.", "approve", "done"),
        ("Mayor Ilse Varga will sign the harbour levy on Friday.", "sign", "planned"),
        ("Mayor Ilse Varga plans to veto the harbour levy.", "veto", "planned"),
        ("Councillors are set to vote on the harbour levy next week.", "vote", "expected"),
        ("The final vote on the levy is scheduled for Tuesday.", "schedule", "expected"),
        ("The harbour levy is likely to pass the council.", "pass", "expected"),
        ("The levy could cost shippers millions of kroner.", "cost", "possible"),
        ("Dock workers are marching toward the town hall.", "march", "ongoing"),
        ("The harbour levy costs shippers two kroner a tonne.", "cost", None),
    ],
)
def test_status_tells_done_from_planned_and_expected(parse, text, predicate, status) -> None:
    claim = _claim(parse, text)
    assert claim.predicate == predicate
    assert claim.status == status


def test_a_reported_claim_takes_the_roles_of_what_is_reported(parse) -> None:
    claim = _claim(parse, "Mayor Ilse Varga said the port authority had closed the north quay.")
    assert claim.subject == "port authority"
    assert claim.predicate == "close"
    assert claim.object == "north quay"
    assert claim.status == "done"
    assert claim.speaker is not None and "Varga" in claim.speaker
    assert claim.attribution == "named"


def test_future_in_reported_speech_is_planned_and_the_particle_is_kept(parse) -> None:
    claim = _claim(parse, "Harbour master Jonas Brede said he would not take up the proposal.")
    assert claim.predicate == "take up"
    assert claim.status == "planned"
    assert claim.negated


def test_subject_is_the_compact_name_not_the_clause(parse) -> None:
    claim = _claim(
        parse, "Port Commissioner Ilse Varga, who took office in May, closed the north quay on Monday."
    )
    assert claim.subject == "Port Commissioner Ilse Varga"
    assert claim.object == "north quay"


def test_attribution_own_named_and_anonymous(parse) -> None:
    assert _claim(parse, "The north quay closed on Monday.").attribution == "own"
    named = _claim(parse, "The north quay closed on Monday, according to Mayor Ilse Varga.")
    assert named.attribution == "named"
    anonymous = _claim(
        parse, "The north quay closed on Monday, according to officials familiar with the plan."
    )
    assert anonymous.attribution == "anonymous"


def test_a_claim_without_a_verb_has_no_roles(parse) -> None:
    claim = _claim(parse, "Velmar harbour, Monday.")
    assert (claim.predicate, claim.status) == (None, None)
