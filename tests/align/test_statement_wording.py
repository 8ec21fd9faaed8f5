"""Which member's wording states a fact, and what the summary tells of it."""

from __future__ import annotations

from _align_articles import make_article

from storyscope.align._claims import build_table
from storyscope.align.facts import representative, wording_flaws
from storyscope.align.summary import build_summary
from storyscope.model import Citation, Fact

OPINION = "The people of Kelsund deserved better than a council that waited for a fire."
STANDFIRST = "Council rushes cash to poisoned port as furious families demand answers"
NEWS = "The Port Aster council on Tuesday approved $40 million for the harbour clean-up."


def _table():
    return build_table(
        [
            make_article("Northern Tribune", [OPINION]),
            make_article("Velmora Daily Post", [STANDFIRST]),
            make_article("The Aster Ledger", [NEWS]),
        ]
    )


def _row(table, text: str) -> int:
    return next(i for i, r in enumerate(table.refs) if r.claim.text == text)


def test_a_judgement_in_the_outlets_own_voice_is_a_wording_flaw() -> None:
    table = _table()
    rows = [_row(table, OPINION), _row(table, NEWS)]
    assert wording_flaws(table, rows[0], rows) >= 1.0
    assert wording_flaws(table, rows[1], rows) == 0.0


def test_an_attached_claim_states_the_fact_when_its_own_members_are_flawed() -> None:
    table = _table()
    own = [_row(table, OPINION), _row(table, STANDFIRST)]
    news = _row(table, NEWS)
    assert representative(table, own) in own
    assert representative(table, own, [news]) == news
    # At equal wording the fact's own members win.
    assert representative(table, [news], [_row(table, OPINION)]) == news


def _cite(article: str, text: str, start: int = 0) -> Citation:
    return Citation(article=article, start=start, end=start + len(text), text=text)


def test_summary_skips_questions_and_cites_both_facts_of_one_sentence() -> None:
    lead = _cite("a1", NEWS)
    other = _cite("a2", "Port Aster's councillors voted 9-2 for the $40 million package.")
    extra = _cite("a3", "The council released the money on Tuesday.")
    question = _cite("a4", "And who, exactly, will pay for the next fire?")
    facts = [
        Fact(id="f1", statement=NEWS, status="consensus", support=(lead, other),
             outlets=("A", "B"), claims=("c1", "c2")),
        Fact(id="f2", statement=NEWS, status="consensus", support=(lead, extra),
             outlets=("A", "C"), claims=("c1", "c3")),
        Fact(id="f3", statement=question.text, status="consensus", support=(question, other),
             outlets=("D", "B"), claims=("c4", "c2")),
    ]
    summary = build_summary(facts, (), article_lengths={"a1": 100, "a2": 100, "a3": 100, "a4": 100})
    texts = [s.text for s in summary]
    assert texts == [NEWS]
    assert {c.article for c in summary[0].citations} == {"a1", "a2", "a3"}


def test_the_summary_does_not_open_with_a_sentence_that_leans_on_another() -> None:
    leaning = "But it shows that a third of the council voted against the plan in secret."
    lead_a = _cite("a1", leaning, 0)
    lead_b = _cite("a2", leaning, 0)
    vote_a = _cite("a1", NEWS, 200)
    vote_b = _cite("a2", "Port Aster's council voted on Tuesday to spend $40 million on the harbour.", 300)
    facts = [
        Fact(id="f1", statement=leaning, status="consensus", support=(lead_a, lead_b),
             outlets=("A", "B"), claims=("c1", "c2")),
        Fact(id="f2", statement=NEWS, status="consensus", support=(vote_a, vote_b),
             outlets=("A", "B"), claims=("c3", "c4")),
    ]
    summary = build_summary(facts, (), article_lengths={"a1": 1000, "a2": 1000})
    # The earlier fact is told second: the vote, which stands alone, leads.
    assert [s.text for s in summary] == [NEWS, leaning]


def test_what_stands_alone_as_a_summary_lead() -> None:
    from storyscope.align.summary import _stands_alone

    leaning = ["But it reveals a split.", "It\u2019s over, she said.", "That bill passed.", "His aides said no."]
    alone = [
        "There were 12 dead.",
        "This week the council voted 7-2.",
        "So far, 12 people have left.",
        "\u201cIt is over,\u201d the mayor said.",
        "Then-President Ames signed it.",
        "Pelosi won the vote.",
    ]
    assert [s for s in leaning if _stands_alone(s)] == []
    assert [s for s in alone if not _stands_alone(s)] == []


def test_an_article_cited_twice_counts_once_at_its_first_citation() -> None:
    from storyscope.align.omissions import centrality

    a = make_article("Harbor Courier", ["The council voted on Tuesday.", "Filler.", "Filler again.", "The council voted, again."])
    b = make_article("Daily Lantern", ["The council voted on Tuesday to close it."])
    top_a = _cite(a.id, "The council voted on Tuesday.", 0)
    tail_a = _cite(a.id, "The council voted, again.", len(a.text) - len("The council voted, again."))
    top_b = _cite(b.id, "The council voted on Tuesday to close it.", 0)

    def fact(*support: Citation) -> Fact:
        return Fact(id="f1", statement="The council voted on Tuesday.", status="consensus",
                    support=support, outlets=("Harbor Courier", "Daily Lantern"), claims=("c1", "c2"))

    # Both outlets state it first thing: the Courier's second, late sentence does not make it later.
    assert centrality(fact(top_a, tail_a, top_b), [a, b], main_names=[]) == centrality(
        fact(top_a, top_b), [a, b], main_names=[]
    )
