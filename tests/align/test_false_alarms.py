"""False alarms seen on real multi-outlet news, reproduced with invented text.

Each test holds a pattern that made the align stage report a contradiction,
an omission or a summary sentence that a fact-checker would reject.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from _align_articles import make_article
from hypothesis import given
from hypothesis import strategies as st

from storyscope.align import align
from storyscope.align._text import quoted_share, strip_dateline
from storyscope.align.summary import MAX_CONSENSUS, build_summary
from storyscope.model import AnalyzedArticle, Citation, Fact


def _kinds(story: object) -> list[str]:
    return [c.kind for c in story.contradictions]  # type: ignore[attr-defined]


def _published(doc: AnalyzedArticle, day: str) -> AnalyzedArticle:
    art = dataclasses.replace(doc.article, published=dt.datetime.fromisoformat(day))
    return dataclasses.replace(doc, article=art)


# --- dates -----------------------------------------------------------------------------


def test_relative_date_inside_a_quote_is_not_compared() -> None:
    quote = "As I said yesterday, the Kelmar pier must close at once"
    a = make_article(
        "Harbor Courier",
        [f'Governor Ilsa Varn said in a statement on Tuesday: "{quote}."'],
        times=[("Tuesday", "date", "2026-03-10"), ("yesterday", "date", "2026-03-11")],
        quotes=[(quote, "Ilsa Varn")],
        claims=[f'Governor Ilsa Varn said in a statement on Tuesday: "{quote}."'],
    )
    b = make_article(
        "Daily Lantern",
        [f'Governor Ilsa Varn said in a statement: "{quote}."'],
        times=[("yesterday", "date", "2026-03-11")],
        quotes=[(quote, "Ilsa Varn")],
    )
    b2 = make_article(
        "Daily Lantern",
        [f'Governor Ilsa Varn said in a statement: "{quote}."'],
        times=[("yesterday", "date", "2026-03-09")],
        quotes=[(quote, "Ilsa Varn")],
    )
    assert _kinds(align([a, b])) == []
    assert _kinds(align([a, b2])) == []


def test_weekday_and_month_are_not_compared() -> None:
    a = make_article(
        "Harbor Courier",
        ["The Velmora ethics panel opened an inquiry into Senator Oda Fenn on Monday."],
        times=[("Monday", "date", "2026-03-09")],
    )
    b = make_article(
        "Daily Lantern",
        ["The Velmora ethics panel opened an inquiry into Senator Oda Fenn in November."],
        times=[("November", "date", "2025-11")],
    )
    assert _kinds(align([a, b])) == []


def test_date_that_names_something_else_is_not_compared() -> None:
    a = make_article(
        "Harbor Courier",
        [
            "The Velmora senate voted to override the veto of a bill letting families of "
            "those killed in the March 4 flood sue Kelmar Port."
        ],
        times=[("March 4", "date", "2026-03-04")],
    )
    b = make_article(
        "Daily Lantern",
        ["The Velmora senate voted Wednesday to override the veto of the Kelmar flood bill."],
        times=[("Wednesday", "date", "2026-03-11")],
    )
    assert _kinds(align([a, b])) == []


def test_planned_and_past_dates_are_not_compared() -> None:
    a = _published(
        make_article(
            "Harbor Courier",
            ["Chairman Edo Marsh sent the committee members a note on Saturday night."],
            times=[("Saturday night", "date", "2026-03-07")],
        ),
        "2026-03-08",
    )
    b = _published(
        make_article(
            "Daily Lantern",
            ["Chairman Edo Marsh will speak to the committee members on Monday evening."],
            times=[("Monday evening", "date", "2026-03-09")],
        ),
        "2026-03-08",
    )
    assert _kinds(align([a, b])) == []


def test_same_role_dates_still_conflict() -> None:
    a = make_article(
        "Harbor Courier",
        ["The Kelmar pier inquiry is due to report by April 30, officials said."],
        times=[("April 30", "date", "2026-04-30")],
    )
    b = make_article(
        "Daily Lantern",
        ["The Kelmar pier inquiry is due to report by May 15, officials said."],
        times=[("May 15", "date", "2026-05-15")],
    )
    assert _kinds(align([a, b])) == ["date"]


# --- polarity --------------------------------------------------------------------------


def test_longer_version_of_a_quote_with_a_not_is_not_polarity() -> None:
    short = "It matters to me that the right candidate wins the Velmora seat"
    long = (
        "It matters to me that the right candidate wins the Velmora seat, but if that "
        "candidate is not the right one, I will run myself"
    )
    a = make_article(
        "Harbor Courier",
        [f'"{short}," Edo Marsh said in his statement.'],
        quotes=[(short, "Edo Marsh")],
    )
    b = make_article(
        "Daily Lantern",
        [f'"{long}," Edo Marsh said in his statement.'],
        quotes=[(long, "Edo Marsh")],
    )
    assert _kinds(align([a, b])) == []


def test_open_question_is_not_an_affirmation() -> None:
    a = make_article(
        "Harbor Courier",
        ["Chairman Edo Marsh will announce on Monday whether he will seek a second term."],
    )
    b = make_article(
        "Daily Lantern",
        ["Chairman Edo Marsh will announce that he will not seek a second term."],
    )
    assert _kinds(align([a, b])) == []


def test_reported_negation_is_still_polarity() -> None:
    a = make_article("Harbor Courier", ["The Velmora council approved the harbour dredging plan."])
    b = make_article(
        "Daily Lantern", ["The Velmora council did not approve the harbour dredging plan."]
    )
    assert _kinds(align([a, b])) == ["polarity"]


# --- attribution -----------------------------------------------------------------------


def _said(outlet: str, quote: str, speaker: str, lead: str, names: list[str]) -> AnalyzedArticle:
    return make_article(
        outlet,
        ["The Tarn Street bridge will close for repairs next month.", f'"{quote}" {lead}'],
        quotes=[(quote, speaker)],
        entities=[(n, "PERSON") for n in names],
    )


def test_speaker_resolved_from_a_pronoun_is_no_attribution_conflict() -> None:
    quote = "I look forward to being cleared of every charge."
    a = _said("Harbor Courier", quote, "Oda Fenn", "Oda Fenn said outside court.", ["Oda Fenn"])
    b = make_article(
        "Daily Lantern",
        [
            "Lawyer Pia Stroud spoke first, and Oda Fenn followed her.",
            f'"{quote}" he said, while onlookers booed.',
        ],
        quotes=[(quote, "Pia Stroud")],
        entities=[("Pia Stroud", "PERSON"), ("Oda Fenn", "PERSON")],
    )
    assert _kinds(align([a, b])) == []


def test_explicit_different_speakers_are_still_an_attribution_conflict() -> None:
    quote = "I look forward to being cleared of every charge."
    a = _said("Harbor Courier", quote, "Oda Fenn", "Oda Fenn said outside court.", ["Oda Fenn"])
    b = _said(
        "Daily Lantern", quote, "Pia Stroud", "Pia Stroud said outside court.", ["Pia Stroud"]
    )
    assert _kinds(align([a, b])) == ["attribution"]


# --- facts, omissions, summary ---------------------------------------------------------

_REPORT = "The Velmora port authority closed the Kelmar pier on Friday after a crane collapsed."
_QUOTE = (
    '"We will not reopen the pier until every crane has been inspected by engineers," '
    "harbour master Ivo Dent said."
)
_RECORD = "The collapsed crane had failed a safety inspection in January, port records show."


def test_a_quote_most_outlets_print_is_an_omission_but_a_bare_attribution_is_no_fact() -> None:
    a = make_article("Harbor Courier", [_REPORT, _QUOTE, _RECORD, "Ivo Dent said."])
    b = make_article(
        "Daily Lantern", [_REPORT, _QUOTE, _RECORD, "Ivo Dent said.", "Divers searched the bay."]
    )
    c = make_article(
        "Bay Chronicle",
        [_REPORT, "Fishermen in Kelmar said the fish market would stay open all weekend."],
    )
    story = align([a, b, c])
    assert not any(f.statement == "Ivo Dent said." for f in story.facts)
    statement = {f.id: f.statement for f in story.facts}
    assert sorted((o.article, statement[o.fact]) for o in story.omissions) == sorted(
        [(c.id, _RECORD), (c.id, _QUOTE)]
    )


def test_summary_prefers_reported_facts_to_quotations() -> None:
    def fact(k: int, text: str) -> Fact:
        cites = tuple(
            Citation(article=art, start=100 * k, end=100 * k + len(text), text=text)
            for art in ("a1", "b2")
        )
        return Fact(
            id=f"f-{k}", statement=text, status="consensus", support=cites, outlets=("A", "B")
        )

    quotes = [
        fact(k, f'"We will rebuild pier number {k} by summer," Ivo Dent said.') for k in range(9)
    ]
    report = fact(9, _RECORD)
    summary = build_summary([*quotes, report], [], article_lengths={"a1": 2000, "b2": 2000})
    texts = [s.text for s in summary]
    assert len(texts) == MAX_CONSENSUS
    assert _RECORD in texts


@given(st.text(alphabet="ab \"'\u201c\u201d.", max_size=40))
def test_quoted_share_is_a_share(text: str) -> None:
    assert 0.0 <= quoted_share(text) <= 1.0


def test_quoted_share_of_quotes_and_reports() -> None:
    assert quoted_share('"We will rebuild," she said.') == 0.6
    assert quoted_share("The pier closed on Friday.") == 0.0
    assert quoted_share("\u201cWe will rebuild the pier and the quay") == 1.0


# --- numbers ---------------------------------------------------------------------------


def _pct(value: float) -> dict[str, object]:
    return {"value": value, "unit": "percent", "kind": "percent"}


def test_one_of_several_amounts_in_a_sentence_is_compared_by_its_words() -> None:
    a = make_article(
        "Harbor Courier",
        ["In the Velmora poll, Ana Ruiz leads with 21 percent, and Tomas Brel has 14 percent."],
        quantities=[("21 percent", _pct(21)), ("14 percent", _pct(14))],
        claims=["In the Velmora poll, Ana Ruiz leads with 21 percent", "Tomas Brel has 14 percent"],
    )
    b = make_article(
        "Daily Lantern",
        ["In the Velmora poll, Tomas Brel placed second with 14 percent."],
        quantities=[("14 percent", _pct(14))],
    )
    b2 = make_article(
        "Daily Lantern",
        ["In the Velmora poll, Ana Ruiz leads with 29 percent."],
        quantities=[("29 percent", _pct(29))],
    )
    # Brel's 14 percent is in the first outlet's sentence too: nothing to report.
    assert _kinds(align([a, b])) == []
    # Ruiz's share: the claim that holds 21 percent is the one "29 percent" is compared with.
    story = align([a, b2])
    assert _kinds(story) == ["number"]
    assert "21 percent" in story.contradictions[0].explanation
    assert "29 percent" in story.contradictions[0].explanation


def test_rounded_figure_against_another_round_figure() -> None:
    a = make_article(
        "Harbor Courier",
        [
            "The emergency order lets the port authority move $3.6 billion from the harbour "
            "construction budget, along with another $1.2 billion from the ferry fund."
        ],
        quantities=[
            ("$3.6 billion", {"value": 3.6e9, "unit": "USD", "kind": "money"}),
            ("$1.2 billion", {"value": 1.2e9, "unit": "USD", "kind": "money"}),
        ],
    )
    b = make_article(
        "Daily Lantern",
        [
            "The emergency order lets the port authority move about $3.5 billion from the "
            "harbour construction budget."
        ],
        quantities=[
            (
                "about $3.5 billion",
                {"value": 3.5e9, "unit": "USD", "kind": "money", "qualifier": "about",
                 "low": 3.15e9, "high": 3.85e9},
            )
        ],
    )
    story = align([a, b])
    assert _kinds(story) == ["number"]
    assert "$3.6 billion" in story.contradictions[0].explanation
    # A figure far from every amount of the sentence counts something else.
    c = make_article(
        "Daily Lantern",
        [
            "The emergency order lets the port authority move $9.5 billion from the "
            "harbour construction budget."
        ],
        quantities=[("$9.5 billion", {"value": 9.5e9, "unit": "USD", "kind": "money"})],
    )
    assert _kinds(align([a, c])) == []
    # "About 19" against 19: the same figure, hedged.
    d = make_article(
        "Harbor Courier",
        ["About 1,900 dock workers joined the strike at the harbour on Monday."],
        quantities=[
            (
                "About 1,900",
                {"value": 1900, "unit": "worker", "kind": "count", "qualifier": "about",
                 "low": 1710, "high": 2090},
            )
        ],
    )
    e = make_article(
        "Daily Lantern",
        ["Some 1,900 dock workers joined the strike at the harbour on Monday."],
        quantities=[
            (
                "Some 1,900",
                {"value": 1900, "unit": "worker", "kind": "count", "qualifier": "some",
                 "low": 1710, "high": 2090},
            )
        ],
    )
    assert _kinds(align([d, e])) == []


def test_single_amounts_that_differ_still_conflict() -> None:
    a = make_article(
        "Harbor Courier",
        ["In the Velmora poll, Ana Ruiz leads with 21 percent of likely voters."],
        quantities=[("21 percent", _pct(21))],
    )
    b = make_article(
        "Daily Lantern",
        ["In the Velmora poll, Ana Ruiz leads with 29 percent of likely voters."],
        quantities=[("29 percent", _pct(29))],
    )
    assert _kinds(align([a, b])) == ["number"]


# --- labels ----------------------------------------------------------------------------


def test_editorial_bracket_and_word_forms_are_not_labels() -> None:
    a = make_article(
        "Harbor Courier",
        ["Senator Ilsabet] Fenn and the Democrats of Velmora backed the harbour bill."],
        entities=[("Ilsabet] Fenn", "PERSON"), ("Democrats", "NORP")],
    )
    b = make_article(
        "Daily Lantern",
        ["Senator Ilsabet Fenn and the Democratic caucus of Velmora backed the harbour bill."],
        entities=[("Ilsabet Fenn", "PERSON"), ("Democratic", "NORP")],
    )
    assert align([a, b]).framing.labels == ()


def test_misspelt_name_is_still_a_label() -> None:
    a = make_article(
        "Harbor Courier",
        ["Colonel Muammer Oskar led the harbour guard."],
        entities=[("Muammer Oskar", "PERSON")],
    )
    b = make_article(
        "Daily Lantern",
        ["Colonel Moammer Oskar led the harbour guard."],
        entities=[("Moammer Oskar", "PERSON")],
    )
    labels = align([a, b]).framing.labels
    assert [sorted(t for _, t in lb.variants) for lb in labels] == [
        ["Moammer Oskar", "Muammer Oskar"]
    ]


def _usd(value: float, **extra: object) -> dict[str, object]:
    return {"value": value, "unit": "USD", "kind": "money", **extra}


def test_round_figure_covers_the_exact_one() -> None:
    a = make_article(
        "Harbor Courier",
        ["The returns show the Ruiz family paid $43 million in federal taxes since 2016."],
        quantities=[("$43 million", _usd(43_000_000, low=43_000_000, high=43_000_000))],
    )
    b = make_article(
        "Daily Lantern",
        ["The returns show the Ruiz family paid $43,885,310 in federal taxes since 2016."],
        quantities=[("$43,885,310", _usd(43_885_310))],
    )
    c = make_article(
        "Daily Lantern",
        ["The returns show the Ruiz family paid $52 million in federal taxes since 2016."],
        quantities=[("$52 million", _usd(52_000_000))],
    )
    assert _kinds(align([a, b])) == []
    assert _kinds(align([a, c])) == ["number"]


def test_amounts_of_different_things_are_not_compared() -> None:
    a = make_article(
        "Harbor Courier",
        ["Ana Ruiz paid $43 million in federal taxes since 2016, her tax returns show."],
        quantities=[("$43 million", _usd(43_000_000))],
    )
    b = make_article(
        "Daily Lantern",
        ["Ana Ruiz earned $139 million in adjusted gross income, her tax returns show."],
        quantities=[("$139 million", _usd(139_000_000))],
    )
    assert _kinds(align([a, b])) == []


def test_quoted_amounts_ranks_and_odds_are_not_compared() -> None:
    q1 = "Mayor Ruiz has cut $716 million from the harbour fund"
    q2 = "Mayor Ruiz has cut $700 million from the harbour fund"
    a = make_article(
        "Harbor Courier",
        [f'The ad says: "{q1}."'],
        quantities=[("$716 million", _usd(716_000_000))],
        quotes=[(q1, None)],
    )
    b = make_article(
        "Daily Lantern",
        [f'The ad says: "{q2}."'],
        quantities=[("$700 million", _usd(700_000_000))],
        quotes=[(q2, None)],
    )
    assert _kinds(align([a, b])) == []
    rank_a = make_article(
        "Harbor Courier",
        ["Tomas Brel kept the No. 3 position of assistant leader in the Velmora caucus."],
        quantities=[("3 position", {"value": 3, "unit": "position", "kind": "count"})],
    )
    rank_b = make_article(
        "Daily Lantern",
        ["Tomas Brel kept the No. 2 position of assistant leader in the Velmora caucus."],
        quantities=[("2 position", {"value": 2, "unit": "position", "kind": "count"})],
    )
    assert _kinds(align([rank_a, rank_b])) == []
    odds_a = make_article(
        "Harbor Courier",
        ["Speaker Ana Ruiz gave her party a two-in-three chance of holding the Velmora house."],
        quantities=[("two", {"value": 2, "unit": "chance", "kind": "count"})],
    )
    odds_b = make_article(
        "Daily Lantern",
        ["Speaker Ana Ruiz gave her party a one-in-three chance of losing the Velmora house."],
        quantities=[("one", {"value": 1, "unit": "chance", "kind": "count"})],
    )
    assert _kinds(align([odds_a, odds_b])) == []


def test_one_end_of_a_date_range_is_not_compared() -> None:
    a = make_article(
        "Harbor Courier",
        ["The Velmora seal population shrank sharply in 2016, the survey found."],
        times=[("2016", "date", "2016")],
    )
    b = make_article(
        "Daily Lantern",
        ["The Velmora seal population shrank sharply from 2007 to 2014, the survey found."],
        times=[("2007", "date", "2007")],
    )
    assert _kinds(align([a, b])) == []


def test_same_weekday_resolved_differently_is_not_a_conflict() -> None:
    a = make_article(
        "Harbor Courier",
        ["The Velmora house voted to override the harbour veto on Wednesday afternoon."],
        times=[("Wednesday afternoon", "date", "2026-03-18")],
    )
    b = make_article(
        "Daily Lantern",
        ["The Velmora house voted to override the harbour veto on Wednesday."],
        times=[("Wednesday", "date", "2026-03-11")],
    )
    assert _kinds(align([a, b])) == []


def test_not_only_is_no_negation() -> None:
    a = make_article(
        "Harbor Courier",
        [
            "The inspector general report not only criticized Brel for the texts but also "
            "for his use of personal email."
        ],
    )
    b = make_article(
        "Daily Lantern",
        ["The inspector general report also criticized Brel for his use of personal email."],
    )
    assert _kinds(align([a, b])) == []


def test_relayed_or_detached_speaker_is_no_attribution_conflict() -> None:
    quote = "You cannot close the harbour with a decree."
    a = _said("Harbor Courier", quote, "Ana Ruiz", "Ana Ruiz said on Tuesday.", ["Ana Ruiz"])
    relayed = make_article(
        "Daily Lantern",
        [
            "The Tarn Street bridge will close for repairs next month.",
            f'"{quote}" the speaker said, according to reporter Ivo Dent.',
        ],
        quotes=[(quote, "Ivo Dent")],
        entities=[("Ivo Dent", "PERSON")],
    )
    relayed = dataclasses.replace(
        relayed,
        quotes=tuple(dataclasses.replace(q, cue="according to") for q in relayed.quotes),
    )
    assert _kinds(align([a, relayed])) == []


# --- off-topic warnings and hedges -----------------------------------------------------


def _with_vectors(doc: AnalyzedArticle, direction: np.ndarray) -> AnalyzedArticle:
    vecs = np.tile(direction / np.linalg.norm(direction), (len(doc.sentences), 1))
    return dataclasses.replace(doc, embeddings=vecs.astype(np.float32))


_ANGLE_A = [
    "Governor Ilsa Varn asked the Velmora assembly to amend the harbour licensing bill.",
    "Shipping companies had warned that the bill would drive freight to other ports.",
]
_ANGLE_B = [
    "Teo Varn, the governor's son, signed a petition against the harbour licensing bill.",
    "He said he loves his mother but disagrees with her on most political questions.",
]


def test_same_event_from_another_angle_gets_no_different_events_warning() -> None:
    base = np.ones(16)
    a = _with_vectors(make_article("Harbor Courier", _ANGLE_A, embed=False), base)
    b = _with_vectors(make_article("Daily Lantern", _ANGLE_B, embed=False), base + 0.3)
    story = align([a, b])
    assert not any("different events" in w for w in story.warnings)


def test_unrelated_articles_still_get_the_different_events_warning() -> None:
    x, y = np.zeros(16), np.zeros(16)
    x[0], y[1] = 1.0, 1.0
    a = _with_vectors(make_article("Harbor Courier", _ANGLE_A, embed=False), x)
    b = _with_vectors(make_article("Daily Lantern", _ANGLE_B, embed=False), y)
    story = align([a, b])
    assert any(w.startswith("articles may be about different events") for w in story.warnings)


def test_hedge_inside_a_quote_is_the_speaker_s_not_the_outlet_s() -> None:
    quote = "It seems to me that the pier was never safe"
    a = make_article(
        "Harbor Courier",
        [f'"{quote}," Ivo Dent said.', "The pier reportedly failed two inspections."],
        quotes=[(quote, "Ivo Dent")],
        cues=[("seems to", "hedge"), ("reportedly", "hedge")],
    )
    b = make_article("Daily Lantern", ["The Kelmar pier closed on Friday after a crane fell."])
    hedges = [c.text for c in align([a, b]).framing.hedges]
    assert hedges == ["reportedly"]


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("WASHINGTON — The council voted.", "The council voted."),
        ("LIVINGSTON, N.J. — Gov. Ana Ruiz spoke.", "Gov. Ana Ruiz spoke."),
        ("VELMORA (Lantern Wire) -- Divers searched the bay.", "Divers searched the bay."),
        ("US - China talks resumed.", "US - China talks resumed."),
        ("NATO — the alliance said so.", "NATO — the alliance said so."),
        ("The Tarn Street bridge reopened.", "The Tarn Street bridge reopened."),
    ],
)
def test_strip_dateline_cuts_only_a_dateline(text: str, rest: str) -> None:
    cut, out = strip_dateline(text)
    assert out == rest
    assert text[cut:] == out


def test_summary_tells_a_sentence_once_and_leads_with_the_widest_earliest_fact() -> None:
    sentence = "The Velmora port authority closed the Kelmar pier on Friday and fined the crane firm."

    def fact(k: int, text: str, outlets: tuple[str, ...], start: int) -> Fact:
        cites = tuple(
            Citation(article=f"a{n}", start=start, end=start + len(text), text=text)
            for n in range(len(outlets))
        )
        return Fact(id=f"f-{k}", statement=text, status="consensus", support=cites, outlets=outlets)

    facts = [
        fact(0, "Divers searched the bay on Saturday.", ("A", "B", "C"), 900),
        fact(1, "WASHINGTON — " + sentence, ("A", "B", "C"), 10),
        fact(2, "WASHINGTON — " + sentence, ("A", "B"), 10),  # the same sentence, a second fact
        fact(3, _RECORD, ("A", "B"), 400),
    ]
    summary = build_summary(facts, [], article_lengths={"a0": 2000, "a1": 2000, "a2": 2000})
    texts = [s.text for s in summary]
    assert texts == [sentence, _RECORD, "Divers searched the bay on Saturday."]
    first = summary[0].citations[0]
    assert first.start == 10 + len("WASHINGTON — ") and first.text == sentence


def test_summary_differences_may_take_every_sentence() -> None:
    from storyscope.model import Contradiction

    cite = Citation(article="a0", start=0, end=len(_RECORD), text=_RECORD)
    fact = Fact(id="f-1", statement=_RECORD, status="consensus", support=(cite,), outlets=("A", "B"))
    cons = [
        Contradiction(kind="number", explanation=f"A says {k}; B says {k + 1}.", a=cite, b=cite, fact=f"f-{k}")
        for k in range(3)
    ]
    summary = build_summary(
        [fact], cons, article_lengths={"a0": 2000}, max_sentences=2, max_differences=2
    )
    assert [s.section for s in summary] == ["differences", "differences"]
