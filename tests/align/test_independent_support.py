"""Independent support: outlets that only repeat one source are one line of evidence."""

from __future__ import annotations

from _align_articles import make_article

from storyscope.align import align
from storyscope.align.facts import independent_support, shared_sources, support_notes
from storyscope.model import Fact, Story

CLAIM = "The Kelsund ferry terminal will reopen to passengers on Monday morning"


def _fact(story: Story, words: str) -> Fact:
    (fact,) = [f for f in story.facts if words in f.statement]
    return fact


def test_outlets_citing_the_same_wire_agency_count_once() -> None:
    a = make_article("Harbor Courier", [f"{CLAIM}, according to a wire agency."])
    b = make_article("Daily Lantern", [f"{CLAIM}, a wire agency reported."])
    c = make_article("Coast Weekly", [f"{CLAIM}, the harbour master said."])
    story = align([a, b, c])
    fact = _fact(story, "ferry terminal")
    assert len(fact.outlets) == 3
    assert independent_support(fact, story) == 2
    assert shared_sources(fact, story) == {"wire agency": ("Harbor Courier", "Daily Lantern")}
    (note,) = support_notes(story)
    assert note.startswith("3 outlets but 2 independent sources for")
    assert "Harbor Courier and Daily Lantern both rely on wire agency" in note


def test_outlets_citing_an_outlet_of_the_story_count_with_it() -> None:
    wire = make_article("Coastline Wire", [f"{CLAIM}, officials said."])
    a = make_article("Harbor Courier", [f"{CLAIM}, according to Coastline Wire."])
    b = make_article("Daily Lantern", [f"{CLAIM}, Coastline Wire reported."])
    story = align([wire, a, b])
    fact = _fact(story, "ferry terminal")
    assert len(fact.outlets) == 3
    assert independent_support(fact, story) == 1
    assert shared_sources(fact, story) == {
        "Coastline Wire": ("Coastline Wire", "Harbor Courier", "Daily Lantern")
    }


def test_an_outlet_relayed_by_its_full_name_counts_with_it() -> None:
    # The story names the outlet by its initials; the relaying article spells it out.
    ledger = make_article("vt", [f"{CLAIM}, officials said."])
    a = make_article("Harbor Courier", [f"{CLAIM}, The Velmora Times reported."])
    story = align([ledger, a])
    fact = _fact(story, "ferry terminal")
    assert len(fact.outlets) == 2
    assert independent_support(fact, story) == 1
    assert shared_sources(fact, story) == {"vt": ("vt", "Harbor Courier")}


def test_different_named_agencies_are_independent() -> None:
    a = make_article("Harbor Courier", [f"{CLAIM}, according to Reuters."])
    b = make_article("Daily Lantern", [f"{CLAIM}, according to Bloomberg."])
    story = align([a, b])
    fact = _fact(story, "ferry terminal")
    assert independent_support(fact, story) == 2
    assert shared_sources(fact, story) == {}
    assert support_notes(story) == ()


def test_own_reporting_is_independent() -> None:
    a = make_article("Harbor Courier", [f"{CLAIM}, the harbour master said."])
    b = make_article("Daily Lantern", [f"{CLAIM}, the port authority said."])
    story = align([a, b])
    fact = _fact(story, "ferry terminal")
    assert independent_support(fact, story) == len(fact.outlets) == 2
