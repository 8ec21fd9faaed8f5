from __future__ import annotations

from storyscope.analyze.claims import find_claims
from storyscope.analyze.cues import find_cues
from storyscope.analyze.quotes import find_quotes


def _claims(parse, text: str):
    doc, sentences, entities = parse(text)
    quotes = find_quotes(text, doc, sentences, entities)
    cues = find_cues(text, sentences)
    return find_claims("art1", text, doc, sentences, entities, quotes, cues)


def test_coordinated_main_clauses_become_two_claims(parse) -> None:
    text = "Exports rose 5% and imports fell 2%. The harbour in Velmar stayed open."
    claims = _claims(parse, text)
    assert [c.text for c in claims] == [
        "Exports rose 5%",
        "imports fell 2%.",
        "The harbour in Velmar stayed open.",
    ]
    assert [c.id for c in claims] == ["art1:0:0", "art1:0:1", "art1:1:0"]


def test_semicolon_splits_and_each_claim_points_into_text(parse) -> None:
    text = "The wall was weakened by repairs in 2019; the ministry denied that."
    claims = _claims(parse, text)
    assert [c.text for c in claims] == [
        "The wall was weakened by repairs in 2019",
        "the ministry denied that.",
    ]
    for c in claims:
        assert text[c.start : c.end] == c.text


def test_shared_subject_is_not_split(parse) -> None:
    text = "The captain radioed the port and waited for the tugs."
    assert len(_claims(parse, text)) == 1


def test_negation_hedge_and_speaker_flags(parse) -> None:
    text = (
        "Port director Ada Okafor spoke on Tuesday. "
        '"We will not reopen the terminal," Okafor said. '
        "The barrier reportedly failed, according to the Harbor Authority. "
        "Officials said the night shift was evacuated in time. "
        "The cranes, which were not insured, survived."
    )
    claims = _claims(parse, text)
    by_sentence = {c.sentence: c for c in claims}
    assert by_sentence[1].negated and by_sentence[1].speaker == "Ada Okafor"
    assert by_sentence[2].hedged and by_sentence[2].speaker == "Harbor Authority"
    assert not by_sentence[2].negated
    assert by_sentence[3].speaker == "Officials"
    assert not by_sentence[4].negated  # the negation sits in a relative clause


def test_refusal_counts_as_negation(parse) -> None:
    (claim,) = _claims(parse, "The ministry declined to comment on the report.")
    assert claim.negated and claim.denial


def test_a_denial_with_a_negation_word_is_a_plain_negation(parse) -> None:
    (denied,) = _claims(parse, "The ministry has denied the request for an inquiry.")
    assert denied.negated and denied.denial
    (both,) = _claims(parse, "The ministry has not denied the request for an inquiry.")
    assert both.negated and not both.denial
    (plain,) = _claims(parse, "The ministry has granted the request for an inquiry.")
    assert not plain.negated and not plain.denial


def test_a_curly_apostrophe_negates_like_a_straight_one(parse) -> None:
    for text in ("The port didn\u2019t reopen on Monday.", "The port didn't reopen on Monday."):
        (claim,) = _claims(parse, text)
        assert claim.negated and not claim.denial, text


def test_an_article_gives_at_most_max_claims_those_of_its_first_sentences(parse) -> None:
    from storyscope.analyze.claims import MAX_CLAIMS

    text = " ".join(f"Prices rose {k}%; wages fell." for k in range(MAX_CLAIMS))
    claims = _claims(parse, text)
    assert len(claims) == MAX_CLAIMS
    assert claims[0].text == "Prices rose 0%"
    assert [c.start for c in claims] == sorted(c.start for c in claims)
    assert all(text[c.start : c.end] == c.text for c in claims)
    assert claims[-1].sentence < MAX_CLAIMS  # two claims a sentence: the rest give none


def test_claim_speakers_are_those_of_the_first_overlapping_quote(parse) -> None:
    from pathlib import Path

    import storyscope

    example = Path(__file__).resolve().parents[2] / "examples" / "port-aster"
    for article in storyscope.read([str(example)]).articles:
        text = article.text
        doc, sentences, entities = parse(text)
        quotes = find_quotes(text, doc, sentences, entities)
        claims = find_claims(
            "a", text, doc, sentences, entities, quotes, find_cues(text, sentences)
        )
        for c in claims:
            first = next(
                (
                    q
                    for q in quotes
                    if q.start < c.end and c.start < q.end and (q.speaker or q.anonymous)
                ),
                None,
            )
            if first is not None:
                assert c.speaker == first.speaker
