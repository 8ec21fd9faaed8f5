"""Contradiction kinds, including the false alarms the issue lists."""

from __future__ import annotations

from _align_articles import make_article, money

from storyscope.align import align
from storyscope.model import AnalyzedArticle


def _kinds(story):  # type: ignore[no-untyped-def]
    return [c.kind for c in story.contradictions]


def test_different_money_amounts_are_a_number_contradiction() -> None:
    a = make_article(
        "Harbor Courier",
        ["The Velmora council approved a $40 million plan to rebuild the Tarn Street bridge."],
        quantities=[("$40 million", money(40e6))],
    )
    b = make_article(
        "Daily Lantern",
        ["The Velmora council approved a $52 million plan to rebuild the Tarn Street bridge."],
        quantities=[("$52 million", money(52e6))],
    )
    story = align([a, b])
    assert _kinds(story) == ["number"]
    con = story.contradictions[0]
    assert "Harbor Courier" in con.explanation and "Daily Lantern" in con.explanation
    assert "40,000,000 USD" in con.explanation and "52,000,000 USD" in con.explanation
    assert con.a.article == a.id and con.b.article == b.id
    assert a.text[con.a.start : con.a.end] == con.a.text
    assert story.facts[0].status == "contested"
    assert con.fact == story.facts[0].id


def test_same_amount_written_differently_is_not_a_contradiction() -> None:
    a = make_article(
        "Harbor Courier",
        ["The Velmora council approved a $40 million plan to rebuild the Tarn Street bridge."],
        quantities=[("$40 million", money(40e6))],
    )
    b = make_article(
        "Daily Lantern",
        ["The Velmora council approved some $40m to rebuild the Tarn Street bridge."],
        quantities=[("$40m", money(40e6, qualifier="some"))],
    )
    story = align([a, b])
    assert story.contradictions == ()
    assert story.facts[0].status == "consensus"


def test_lower_bound_and_approximate_counts_are_compatible() -> None:
    a = make_article(
        "Harbor Courier",
        ["More than 40 states signed the Orrin fishing accord in Velmora on Monday."],
        quantities=[
            (
                "More than 40 states",
                {
                    "value": 40,
                    "unit": "states",
                    "kind": "count",
                    "qualifier": "more than",
                    "low": 40.0,
                },
            )
        ],
    )
    b = make_article(
        "Daily Lantern",
        ["57 states signed the Orrin fishing accord in Velmora on Monday."],
        quantities=[("57 states", {"value": 57, "unit": "states", "kind": "count"})],
    )
    c = make_article(
        "Coast Weekly",
        ["About 55 states signed the Orrin fishing accord in Velmora on Monday."],
        quantities=[
            (
                "About 55 states",
                {"value": 55, "unit": "states", "kind": "count", "qualifier": "about"},
            )
        ],
    )
    assert align([a, b, c]).contradictions == ()


def test_different_units_are_never_compared() -> None:
    a = make_article(
        "Harbor Courier",
        ["More than 40 states signed the Orrin fishing accord last year."],
        quantities=[
            (
                "More than 40 states",
                {
                    "value": 40,
                    "unit": "states",
                    "kind": "count",
                    "qualifier": "more than",
                    "low": 40.0,
                },
            )
        ],
    )
    b = make_article(
        "Daily Lantern",
        ["57 countries ratified the Orrin fishing accord last year."],
        quantities=[("57 countries", {"value": 57, "unit": "countries", "kind": "count"})],
    )
    assert align([a, b]).contradictions == ()


def test_bound_exceeded_is_a_contradiction() -> None:
    a = make_article(
        "Harbor Courier",
        ["Fewer than 20 people were injured in the Tarn Street fire on Sunday."],
        quantities=[
            (
                "Fewer than 20 people",
                {"value": 20, "unit": "people", "kind": "count", "qualifier": "fewer than"},
            )
        ],
    )
    b = make_article(
        "Daily Lantern",
        ["35 people were injured in the Tarn Street fire on Sunday."],
        quantities=[("35 people", {"value": 35, "unit": "people", "kind": "count"})],
    )
    assert _kinds(align([a, b])) == ["number"]


def test_duration_within_a_range_is_not_a_contradiction() -> None:
    a = make_article(
        "Harbor Courier",
        ["Engineers expect the Tarn Street bridge to reopen within three days."],
        times=[("within three days", "duration", "P3D")],
    )
    b = make_article(
        "Daily Lantern",
        ["Engineers expect the Tarn Street bridge to reopen between 6 hours and 3 days."],
        times=[("between 6 hours and 3 days", "duration", "PT6H/P3D")],
    )
    assert align([a, b]).contradictions == ()


def test_different_dates_are_a_date_contradiction() -> None:
    a = make_article(
        "Harbor Courier",
        ["The Tarn Street bridge closed on March 3 after engineers found cracks."],
        times=[("March 3", "date", "2026-03-03")],
    )
    b = make_article(
        "Daily Lantern",
        ["The Tarn Street bridge closed on March 9 after engineers found cracks."],
        times=[("March 9", "date", "2026-03-09")],
    )
    story = align([a, b])
    assert _kinds(story) == ["date"]
    assert "2026-03-03" in story.contradictions[0].explanation
    assert "2026-03-09" in story.contradictions[0].explanation


def test_month_and_day_in_that_month_are_compatible() -> None:
    a = make_article(
        "Harbor Courier",
        ["The Tarn Street bridge closed in March after engineers found cracks."],
        times=[("in March", "date", "2026-03")],
    )
    b = make_article(
        "Daily Lantern",
        ["The Tarn Street bridge closed on March 9 after engineers found cracks."],
        times=[("March 9", "date", "2026-03-09")],
    )
    assert align([a, b]).contradictions == ()


def test_negated_claim_is_a_polarity_contradiction() -> None:
    a = make_article("Harbor Courier", ["The Velmora budget includes the Tarn Street bridge."])
    b = make_article(
        "Daily Lantern", ["The Velmora budget did not include the Tarn Street bridge."]
    )
    story = align([a, b])
    assert _kinds(story) == ["polarity"]
    assert "did not include" in story.contradictions[0].explanation


def test_approved_versus_did_not_approve_is_polarity() -> None:
    a = make_article("Harbor Courier", ["The Velmora council approved the harbour dredging plan."])
    b = make_article(
        "Daily Lantern", ["The Velmora council did not approve the harbour dredging plan."]
    )
    assert _kinds(align([a, b])) == ["polarity"]


def test_negation_about_something_else_is_not_polarity() -> None:
    a = make_article(
        "Harbor Courier", ["Mayor Ana Ruiz said the Tarn Street bridge would reopen in May."]
    )
    b = make_article(
        "Daily Lantern",
        ["Mayor Ana Ruiz said the Tarn Street bridge would reopen but did not say when."],
    )
    assert align([a, b]).contradictions == ()


def test_unrelated_sentences_with_numbers_are_not_compared() -> None:
    a = make_article(
        "Harbor Courier",
        ["The harbour authority spent $3 million on new cranes last spring."],
        quantities=[("$3 million", money(3e6))],
    )
    b = make_article(
        "Daily Lantern",
        ["Velmora's school board raised teacher salaries by $9 million."],
        quantities=[("$9 million", money(9e6))],
    )
    assert align([a, b]).contradictions == ()


def test_contradictions_are_deduplicated_per_outlet_pair() -> None:
    sentence = "The Velmora council approved a {} plan to rebuild the Tarn Street bridge."
    a = make_article(
        "Harbor Courier",
        [sentence.format("$40 million"), "Council members approved a $40 million plan for it."],
        quantities=[("$40 million", money(40e6))],
    )
    b = make_article(
        "Daily Lantern", [sentence.format("$52 million")], quantities=[("$52 million", money(52e6))]
    )
    story = align([a, b])
    keys = {(c.fact, c.kind, c.explanation) for c in story.contradictions}
    assert len(keys) == len(story.contradictions)


def _ceiling(outlet: str, qualifier: str, value: float, millions: str) -> AnalyzedArticle:
    """One outlet's class-action sentence giving its size as a ceiling ("up to 1.6 million")."""
    phrase = f"{qualifier} {millions} million former cashiers"
    quantity = {
        "value": value,
        "unit": "cashier",
        "kind": "count",
        "qualifier": qualifier,
        "low": 0.0,
        "high": value,
    }
    return make_article(
        outlet,
        [f"The Orrin class action covers {phrase} in Velmora."],
        quantities=[(phrase, quantity)],
    )


def _diverted(outlet: str, text: str, value: float) -> AnalyzedArticle:
    """One outlet's sentence on the money an emergency order diverts."""
    return make_article(
        outlet,
        [f"The emergency order lets the Velmora governor divert {text} from harbour works."],
        quantities=[(text, money(value))],
    )


def test_two_ceilings_that_differ_are_a_number_contradiction() -> None:
    """ "as many as 1.5 million" / "up to 1.6 million": the intervals overlap, the limit does not."""
    a = _ceiling("Harbor Courier", "as many as", 1.5e6, "1.5")
    b = _ceiling("Daily Lantern", "up to", 1.6e6, "1.6")
    story = align([a, b])
    assert _kinds(story) == ["number"]
    assert "1,500,000" in story.contradictions[0].explanation
    assert "1,600,000" in story.contradictions[0].explanation


def test_one_ceiling_in_two_wordings_is_no_contradiction() -> None:
    a = _ceiling("Harbor Courier", "as many as", 1.5e6, "1.5")
    b = _ceiling("Daily Lantern", "up to", 1.5e6, "1.5")
    assert _kinds(align([a, b])) == []


def test_round_figures_at_one_granularity_that_differ_conflict() -> None:
    """ "$3.5 billion" / "$3.6 billion": rounding slack covers a round figure against a precise one only."""
    a = _diverted("Harbor Courier", "$3.5 billion", 3.5e9)
    b = _diverted("Daily Lantern", "$3.6 billion", 3.6e9)
    assert _kinds(align([a, b])) == ["number"]


def test_round_figure_against_a_precise_one_is_compatible() -> None:
    a = _diverted("Harbor Courier", "$43 million", 43e6)
    b = _diverted("Daily Lantern", "$43.2 million", 43.2e6)
    assert _kinds(align([a, b])) == []
