"""Labels: short phrases swapped between aligned sentences name one thing differently."""

from __future__ import annotations

from _align_articles import make_article

from storyscope.align import align
from storyscope.align.framing import _phrase_swap


def _terms(story_labels: object) -> list[list[str]]:
    return [sorted(t for _, t in lb.variants) for lb in story_labels]  # type: ignore[attr-defined]


def test_a_two_word_name_swapped_for_another_is_a_label() -> None:
    a = make_article(
        "Harbor Courier",
        ["Officials said the quay guards blocked the north gate of the Tarnby terminal."],
    )
    b = make_article(
        "Daily Lantern",
        ["Officials said the harbour militia blocked the north gate of the Tarnby terminal."],
    )
    story = align([a, b])
    assert ["harbour militia", "quay guards"] in _terms(story.framing.labels)
    uses = {p.outlet: [u.citation.text for u in p.labels] for p in story.outlets}
    assert uses == {"Harbor Courier": ["quay guards"], "Daily Lantern": ["harbour militia"]}


def test_an_added_modifier_or_a_word_form_is_not_a_label() -> None:
    assert not _phrase_swap(["striking", "workers"], ["workers"])
    assert not _phrase_swap(["democrats"], ["democratic", "caucus"])
    assert not _phrase_swap(["two", "guards"], ["three", "wardens"])  # numbers
    assert not _phrase_swap(["guards", "said"], ["wardens", "told"])  # speech verbs
    assert not _phrase_swap(["the", "guards"], ["the", "wardens"])  # shared word
    assert _phrase_swap(["striking", "dock", "workers"], ["union", "militants"])


def test_sentences_that_differ_in_more_than_a_phrase_give_no_label() -> None:
    a = make_article("Harbor Courier", ["The quay guards blocked the gate."])
    b = make_article("Daily Lantern", ["A storm closed the Tarnby ferry route at dawn."])
    assert align([a, b]).framing.labels == ()


def test_one_outlets_own_two_wordings_are_no_label() -> None:
    from storyscope.align._claims import build_table
    from storyscope.align.framing import _substitution_labels

    a = make_article(
        "Harbor Courier",
        [
            "Officials said the quay guards blocked the north gate of the Tarnby terminal.",
            "Officials said the harbour militia blocked the north gate of the Tarnby terminal.",
        ],
    )
    b = make_article("Harbor Courier", ["Officials said the quay guards blocked the north gate."])
    table = build_table([a, b])
    rows = list(range(len(table.refs)))
    # One fact citing the Courier's two sentences (as a joined fact may): nothing between outlets.
    assert _substitution_labels(table, [rows]) == []
