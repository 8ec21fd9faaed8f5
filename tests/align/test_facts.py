"""Grouping claims into facts."""

from __future__ import annotations

from _align_articles import make_article

from storyscope.align import align


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
    story = align([a, b])
    for fact in story.facts:
        arts = [c.split(":")[0] for c in fact.claims]
        assert len(arts) == len(set(arts))


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
