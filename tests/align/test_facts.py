"""Grouping claims into facts."""

from __future__ import annotations

import numpy as np
from _align_articles import make_article

from storyscope.align import align
from storyscope.align._claims import build_table
from storyscope.align._pairs import pair_probability
from storyscope.align.facts import attach_support, group_claims


def test_paraphrases_from_three_outlets_form_one_consensus_fact() -> None:
    a = make_article(
        "Harbor Courier",
        ["Firefighters rescued 12 workers from the burning Velmora cannery on Friday night."],
    )
    b = make_article(
        "Daily Lantern",
        ["On Friday night firefighters rescued 12 workers from the Velmora cannery fire."],
    )
    c = make_article(
        "Coast Weekly", ["Twelve workers were rescued by firefighters from the Velmora cannery."]
    )
    story = align([a, b, c])
    top = story.facts[0]
    assert top.status == "consensus"
    assert set(top.outlets) == {"Harbor Courier", "Daily Lantern", "Coast Weekly"}
    assert len(top.claims) == 3
    assert {c.article for c in top.support} == {a.id, b.id, c.id}
    assert top.id.startswith("f-") and len(top.id) == 12


def test_unmatched_claims_become_single_source_facts_but_trivial_ones_are_dropped() -> None:
    a = make_article(
        "Harbor Courier",
        [
            "Firefighters rescued 12 workers from the burning Velmora cannery on Friday.",
            "It was cold.",
            "The cannery owner, Brisco Foods, has promised to rebuild by the autumn.",
        ],
    )
    b = make_article(
        "Daily Lantern",
        ["On Friday firefighters rescued 12 workers from the burning Velmora cannery."],
    )
    story = align([a, b])
    statements = [f.statement for f in story.facts]
    assert "It was cold." not in statements
    single = [f for f in story.facts if f.status == "single_source"]
    assert [f.statement for f in single] == [
        "The cannery owner, Brisco Foods, has promised to rebuild by the autumn."
    ]
    assert single[0].outlets == ("Harbor Courier",)
    # Most-supported facts come first.
    assert story.facts[0].status == "consensus"


def test_different_statements_about_the_same_event_stay_apart() -> None:
    a = make_article(
        "Harbor Courier",
        [
            "Firefighters rescued 12 workers from the burning Velmora cannery on Friday.",
            "The cannery owner, Brisco Foods, has promised to rebuild by the autumn.",
        ],
    )
    b = make_article(
        "Daily Lantern",
        [
            "Investigators are still searching the Velmora cannery for the cause of the fire.",
            "Union leaders called for a safety review of every cannery on the coast.",
        ],
    )
    story = align([a, b])
    assert all(f.status == "single_source" for f in story.facts)
    assert len(story.facts) == 4


def test_no_chaining_one_fact_holds_one_claim_per_article() -> None:
    a = make_article(
        "Harbor Courier",
        [
            "Firefighters rescued 12 workers from the Velmora cannery on Friday.",
            "Firefighters rescued 12 workers from the Velmora cannery, officials said.",
        ],
    )
    b = make_article(
        "Daily Lantern", ["Firefighters rescued 12 workers from the Velmora cannery on Friday."]
    )
    table = build_table([a, b])
    for rows in group_claims(table):
        docs = [table.refs[r].doc for r in rows]
        assert len(docs) == len(set(docs))
    # The Courier's second sentence states the fact too: it is cited as support
    # of the agreed fact, not reported as something only the Courier says.
    story = align([a, b])
    assert [f.status for f in story.facts] == ["consensus"]
    courier = [c for c in story.facts[0].support if c.article == a.id]
    assert len(courier) == 2


def test_fact_ids_are_stable_across_runs() -> None:
    a = make_article(
        "Harbor Courier", ["Firefighters rescued 12 workers from the Velmora cannery."]
    )
    b = make_article("Daily Lantern", ["Firefighters saved 12 workers from the Velmora cannery."])
    assert [f.id for f in align([a, b]).facts] == [f.id for f in align([a, b]).facts]


def test_missing_embeddings_use_the_given_embedder() -> None:
    from storyscope.testing import FakeEmbedder

    a = make_article(
        "Harbor Courier", ["Firefighters rescued 12 workers from the Velmora cannery."], embed=False
    )
    b = make_article(
        "Daily Lantern", ["Firefighters saved 12 workers from the Velmora cannery."], embed=False
    )
    story = align([a, b], embedder=FakeEmbedder(dim=64))
    assert story.facts[0].status == "consensus"


def test_syndicated_copy_with_identical_text_is_compared_once() -> None:
    a = make_article(
        "Harbor Courier", ["Firefighters rescued 12 workers from the Velmora cannery."]
    )
    b = make_article("Daily Lantern", ["Firefighters rescued 12 workers from the Velmora cannery."])
    story = align([a, b])
    assert len(story.articles) == 1
    assert any("exactly the same text" in w for w in story.warnings)


_FILL_A = [
    "Mayor Ines Dravik will present the harbour budget to councillors on Thursday.",
    "Dock workers staged a two-hour walkout over unpaid overtime.",
]
_FILL_B = [
    "The ferry timetable will change in the spring.",
    "A new fish market is planned near the lighthouse beside the old customs house.",
]


def _consensus_pair(first: str, second: str) -> bool:
    a = make_article("Harbor Courier", [first, *_FILL_A])
    b = make_article("Daily Lantern", [second, *_FILL_B])
    story = align([a, b])
    return any(
        f.status == "consensus" and {c.text for c in f.support} == {first, second}
        for f in story.facts
    )


def test_loose_paraphrases_that_are_mutual_best_matches_and_share_rare_words_merge() -> None:
    # Loose paraphrases that share the rare words ("140", "cannery", "Feld", "tunnel").
    assert _consensus_pair(
        "The Brisco cannery will shed 140 jobs when its second line closes in March.",
        "Some 140 cannery workers at Brisco are set to lose their posts as a production "
        "line shuts in March.",
    )
    assert _consensus_pair(
        "Councillor Ada Feld accused the mayor of hiding the cost overruns on the Quay "
        "Street tunnel.",
        "Ada Feld said the mayor kept the tunnel's soaring costs from councillors.",
    )


def test_sharing_only_the_story_s_ubiquitous_words_does_not_link() -> None:
    a = make_article(
        "Harbor Courier",
        [
            "The Brisco cannery will shed 140 jobs when its second line closes in March.",
            "The Brisco cannery was founded by a family of Velmora fishermen.",
        ],
    )
    b = make_article(
        "Daily Lantern",
        [
            "Brisco cannery managers met union leaders on Monday evening.",
            "Brisco cannery tins are sold in every Velmora grocery.",
        ],
    )
    table = build_table([a, b])
    # Only "Brisco"/"cannery" are shared, and they are in every claim.
    assert float(pair_probability(table).max()) < 0.95
    assert all(len(f.outlets) == 1 for f in align([a, b]).facts)


def test_weighted_jaccard_counts_rare_words_more_than_ubiquitous_ones() -> None:
    a = make_article(
        "Harbor Courier",
        [
            "Velmora police closed the Quay Street tunnel.",
            "Velmora police arrested a smuggler.",
        ],
    )
    b = make_article(
        "Daily Lantern",
        ["The Quay Street tunnel was shut.", "Velmora police praised the harbour crews."],
    )
    table = build_table([a, b])
    rows = {r.claim.text: r.row for r in table.refs}
    tunnel = rows["Velmora police closed the Quay Street tunnel."]
    shut = rows["The Quay Street tunnel was shut."]
    praised = rows["Velmora police praised the harbour crews."]
    wj = table.weighted_jaccard
    assert wj[tunnel, shut] > wj[tunnel, praised]
    assert wj[tunnel, praised] < table.jaccard[tunnel, praised]
    assert np.allclose(wj, wj.T)


def test_an_article_that_states_a_fact_twice_cites_both_sentences() -> None:
    """A headline and a lead (or a dense lead and a later sentence) both state one fact."""
    a = make_article(
        "Harbor Courier",
        [
            "Firefighters rescued 12 workers from the burning Velmora cannery on Friday night.",
            "The cannery owner, Brisco Foods, has promised to rebuild by the autumn.",
            "Firefighters rescued 12 workers from the burning Velmora cannery on Friday night, "
            "the fire chief said.",
        ],
    )
    b = make_article(
        "Daily Lantern",
        ["On Friday night firefighters rescued 12 workers from the burning Velmora cannery."],
    )
    table = build_table([a, b])
    prob = pair_probability(table)
    rows = [i for i, ref in enumerate(table.refs) if "rescued" in ref.claim.text]
    groups = [rows[:1] + rows[2:], rows[1:2]] + [
        [i] for i in range(len(table.refs)) if i not in rows
    ]
    # The second "rescued" sentence of the Courier, judged against the Lantern only.
    prob = prob.copy()
    prob[rows[1], rows[2]] = prob[rows[2], rows[1]] = 0.995
    attached = attach_support(table, groups, prob)
    assert attached[0] == [rows[1]]
    assert attach_support(table, groups, prob, same_article=False)[0] == []
    # Below the threshold, or a sentence about something else: not cited.
    prob[rows[1], rows[2]] = prob[rows[2], rows[1]] = 0.98
    assert attach_support(table, groups, prob)[0] == []
    owner = next(i for i, ref in enumerate(table.refs) if "Brisco" in ref.claim.text)
    assert owner not in [r for extra in attach_support(table, groups, prob) for r in extra]


def _fragmented() -> tuple[object, list[list[int]], np.ndarray, dict[str, int]]:
    """Three outlets; the Lantern tells one fact in two sentences (the vote, then its tally)."""
    a = make_article(
        "Harbor Courier", ["The Velmora council voted 7-2 on Tuesday to close the cannery pier."]
    )
    b = make_article(
        "Daily Lantern",
        [
            "The Velmora council voted on Tuesday to close the cannery pier.",
            "Seven members backed the closure of the pier and two opposed it.",
        ],
    )
    c = make_article(
        "Coast Weekly", ["Seven council members backed closing the Velmora pier, two opposed it."]
    )
    d = make_article("Daily Lantern", ["Brisco Foods has promised to rebuild by the autumn."])
    e = make_article("Bay Herald", ["The pier at the Velmora cannery will close, the council decided."])
    table = build_table([a, b, c, d, e])
    row = {ref.claim.text.split()[0] + str(ref.doc): i for i, ref in enumerate(table.refs)}
    courier, lantern_vote, lantern_tally = row["The0"], row["The1"], row["Seven1"]
    weekly, other, herald = row["Seven2"], row["Brisco3"], row["The4"]
    prob = np.zeros((len(table.refs),) * 2, dtype=np.float32)

    def link(x: int, y: int, p: float) -> None:
        prob[x, y] = prob[y, x] = p

    # Grouping's view: {Courier, Lantern's vote} and {Lantern's tally, Weekly}, one claim
    # per article each; the Courier's sentence holds the tally too (its strongest link).
    link(courier, lantern_vote, 0.99)
    link(lantern_tally, weekly, 0.99)
    link(courier, weekly, 0.985)
    link(courier, lantern_tally, 0.7)
    link(lantern_vote, weekly, 0.4)
    groups = [[courier, lantern_vote], [lantern_tally, weekly], [other], [herald]]
    names = {"courier": courier, "vote": lantern_vote, "tally": lantern_tally, "weekly": weekly}
    return table, groups, prob, names


def test_one_fact_told_in_fragments_is_joined() -> None:
    from storyscope.align.facts import merge_fragments

    table, groups, prob, rows = _fragmented()
    merged = merge_fragments(table, groups, prob)  # type: ignore[arg-type]
    assert sorted(map(sorted, merged)) == sorted([sorted(rows.values()), groups[2], groups[3]])
    # The joined fact cites both of the Lantern's sentences.
    lantern = [r for r in merged[0] if table.refs[r].doc == 1]  # type: ignore[attr-defined]
    assert len(lantern) == 2


def test_fragments_linked_below_the_threshold_stay_apart() -> None:
    from storyscope.align.facts import merge_fragments

    table, groups, prob, rows = _fragmented()
    prob[rows["courier"], rows["weekly"]] = prob[rows["weekly"], rows["courier"]] = 0.97
    merged = merge_fragments(table, groups, prob)  # type: ignore[arg-type]
    assert sorted(map(sorted, merged)) == sorted(map(sorted, groups))
    # One outlet's own claim never joins a fact that already has the outlet, however strong
    # its link (the Lantern's other article), nor another lone claim.
    prob[rows["courier"], rows["weekly"]] = prob[rows["weekly"], rows["courier"]] = 0.985
    other, herald = groups[2][0], groups[3][0]
    prob[rows["courier"], other] = prob[other, rows["courier"]] = 0.999
    prob[other, herald] = prob[herald, other] = 0.999
    merged = merge_fragments(table, groups, prob)  # type: ignore[arg-type]
    assert [other] in merged and [herald] in merged
    assert merge_fragments(table, groups, prob, threshold=0.99) == [  # type: ignore[arg-type]
        sorted(g, key=lambda r: (table.refs[r].doc, table.refs[r].claim.start))  # type: ignore[attr-defined]
        for g in groups
    ]


def test_a_lone_claim_of_an_outlet_the_fact_lacks_joins_it() -> None:
    from storyscope.align.facts import merge_fragments

    table, groups, prob, rows = _fragmented()
    herald = groups[3][0]
    prob[rows["vote"], herald] = prob[herald, rows["vote"]] = 0.99
    merged = merge_fragments(table, groups, prob)  # type: ignore[arg-type]
    (fact,) = [g for g in merged if herald in g]
    assert set(fact) == {*rows.values(), herald}
    # Pinned (a contradiction points at it), a fact stays as it is.
    merged = merge_fragments(table, groups, prob, pinned=[3])  # type: ignore[arg-type]
    assert [herald] in merged


def test_one_outlets_fact_in_two_articles_joins_no_fact_that_has_the_outlet() -> None:
    from storyscope.align.facts import merge_fragments

    fox1 = make_article(
        "Harbor Courier",
        [
            "The Velmora council voted on Tuesday to close the cannery pier.",
            "Seven members backed the closure and two opposed it.",
        ],
    )
    fox2 = make_article(
        "Harbor Courier", ["Velmora's council decided on Tuesday the cannery pier will close."]
    )
    lantern = make_article(
        "Daily Lantern", ["Seven council members backed closing the pier, two opposed it."]
    )
    table = build_table([fox1, fox2, lantern])
    prob = np.zeros((4, 4), dtype=np.float32)
    for x, y, p in ((0, 2, 0.99), (1, 3, 0.99), (2, 3, 0.985)):
        prob[x, y] = prob[y, x] = p
    groups = [[0, 2], [1, 3]]  # the Courier's vote, twice; the tally by both outlets
    assert merge_fragments(table, groups, prob) == groups


def test_a_swapped_noun_never_joins_a_fact_by_fragments_or_attachment() -> None:
    lead = "The Millbrook city council voted 7-2 on Tuesday to expand the downtown homeless shelter."
    arts = [
        make_article("Riverton Ledger", [lead, "The city funds the shelter on Elm Street."]),
        make_article(
            "Valley Post",
            [
                "The Millbrook council voted 7-2 on Tuesday to expand the homeless shelter downtown.",
                "The city funds the shelter on Elm Street.",
            ],
        ),
        make_article("Coast Weekly", [lead, "The city funds the library on Elm Street."]),
    ]
    story = align(arts)
    (funds,) = [f for f in story.facts if "shelter on Elm" in f.statement]
    assert not any("library" in c.text for c in funds.support)
    assert set(funds.outlets) == {"Riverton Ledger", "Valley Post"}
