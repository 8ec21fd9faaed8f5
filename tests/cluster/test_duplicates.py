"""Near-duplicate detection on invented wire stories."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.cluster import DuplicateIndex, MinHasher
from storyscope.model import Article

WIRE = (
    "HARBOUR VALE, Norland (Meridian Wire) -- A cargo ferry ran aground on a sandbar outside "
    "Harbour Vale early on Tuesday, stranding 214 passengers for nearly six hours before tugboats "
    "from the port authority pulled it free, officials said.\n\n"
    "Nobody was hurt, said Ilse Marrow, a spokeswoman for the Norland Coast Guard. The ferry, the "
    "Saint Oda, had left the island of Kestrel at 4 a.m. and was due in Harbour Vale two hours "
    "later. Fog had settled over the channel overnight, and the vessel strayed about 300 meters "
    "east of the marked route, Marrow said.\n\n"
    '"The captain followed every procedure once the hull touched bottom," she said. Passengers '
    "were given water and blankets while the crew waited for the tide to rise. The operator, "
    "Kestrel Lines, said it would refund every ticket and had opened an internal review.\n\n"
    "The same sandbar caught a fishing trawler in March. Local councillors have asked the port "
    "authority for years to dredge the channel, which has narrowed as silt builds up."
)

REPRINT = (
    WIRE.replace("HARBOUR VALE, Norland (Meridian Wire) -- ", "")
    .replace("officials said.", "officials said on Tuesday.")
    .replace("Passengers were given", "Passengers, some of them children, were given")
    .rsplit("\n\n", 1)[0]
    + "\n\nThe Vale Courier will update this story as more details emerge."
)

SAME_EVENT_OTHER_OUTLET = (
    "More than two hundred people spent a cold morning stuck at sea on Tuesday when the Saint Oda "
    "ferry grounded near Harbour Vale in thick fog.\n\n"
    "Kestrel Lines, which runs the daily crossing from Kestrel island, apologised and promised "
    "refunds. Passenger Tomas Feld told the Evening Lantern that the lights flickered and the boat "
    'lurched sideways. "We sat there for hours with no idea what was happening," Feld said.\n\n'
    "The coast guard said nobody was injured. Councillors renewed calls to dredge the channel, "
    "which they say has become dangerous for larger vessels after years of neglect."
)


def _article(text: str, outlet: str) -> Article:
    return Article.create(text=text, source=f"{outlet}.txt", outlet=outlet)


def test_lightly_edited_reprint_is_linked_to_the_wire_story() -> None:
    index = DuplicateIndex()
    wire = _article(WIRE, "Meridian Wire")
    assert index.add(wire) is None
    assert index.add(_article(REPRINT, "Vale Courier")) == wire.id


def test_other_article_on_the_same_event_is_not_a_duplicate() -> None:
    index = DuplicateIndex()
    index.add(_article(WIRE, "Meridian Wire"))
    assert index.add(_article(SAME_EVENT_OTHER_OUTLET, "Evening Lantern")) is None


def test_reprint_of_a_reprint_points_at_the_first_original() -> None:
    index = DuplicateIndex()
    wire = _article(WIRE, "Meridian Wire")
    index.add(wire)
    first = _article(REPRINT, "Vale Courier")
    index.add(first)
    second = _article(REPRINT.replace("cold", "chilly") + " Updated at noon.", "Kestrel Daily")
    assert index.add(second) == wire.id
    assert index.original_of(first.id) == wire.id
    assert index.original_of(wire.id) is None


def test_adding_the_same_article_twice_is_idempotent() -> None:
    index = DuplicateIndex()
    wire, copy = _article(WIRE, "Meridian Wire"), _article(REPRINT, "Vale Courier")
    index.add(wire)
    assert index.add(copy) == wire.id
    assert index.add(copy) == wire.id
    assert len(index) == 2


def test_short_texts_are_never_linked() -> None:
    index = DuplicateIndex()
    index.add(_article("Ferry aground near Harbour Vale.", "a"))
    assert index.add(_article("Ferry aground near Harbour Vale!", "b")) is None


def test_state_round_trip_keeps_links_and_matching() -> None:
    index = DuplicateIndex()
    wire = _article(WIRE, "Meridian Wire")
    index.add(wire)
    index.add(_article(SAME_EVENT_OTHER_OUTLET, "Evening Lantern"))
    restored = DuplicateIndex.from_state(index.to_state())
    assert len(restored) == 2
    assert restored.add(_article(REPRINT, "Vale Courier")) == wire.id


def test_find_ranks_matches_without_adding() -> None:
    index = DuplicateIndex()
    wire = _article(WIRE, "Meridian Wire")
    index.add(wire)
    hits = index.find(REPRINT)
    assert hits and hits[0][0] == wire.id and 0.5 <= hits[0][1] <= 1.0
    assert len(index) == 1


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=400))
def test_signature_of_any_text_is_well_formed(text: str) -> None:
    hasher = MinHasher(num_perm=64)
    sig = hasher.signature(text)
    assert sig.values.shape == (64,) and sig.values.dtype == np.uint32
    assert sig.jaccard(hasher.signature(text)) == (1.0 if sig.size else 0.0)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.sampled_from(["ferry", "tide", "fog", "harbour", "pilot", "crew", "dock"]),
        min_size=30,
        max_size=120,
    )
)
def test_identical_word_sequences_are_always_duplicates(tokens: list[str]) -> None:
    text = " ".join(tokens)
    index = DuplicateIndex(min_shingles=1)
    first = _article(text, "a")
    index.add(first)
    assert index.add(_article(text + " ", "b")) == first.id
