"""Concept-anchored word choice: one person or thing, described differently by two outlets.

Invented fixtures only (Velmora, Tarnby): the descriptors an outlet puts beside a name, definite
descriptions that fit one person of the story, and the nouns of one [[concept]] in aligned
claims; never words inside a quotation, never a spelling, plural or title difference.
"""

from __future__ import annotations

from _align_articles import make_article

from storyscope.align import align
from storyscope.align.framing import (
    _phrase_swap,
    _same_head,
    _spelling_variant,
    load_concepts,
)


def _labels(story: object) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    outlet = {d.id: d.article.outlet for d in story.articles}  # type: ignore[attr-defined]
    for lb in story.framing.labels:  # type: ignore[attr-defined]
        out[lb.concept] = {outlet[a]: t for a, t in lb.variants}
    return out


_ENTS = [("Arvo Dask", "PERSON"), ("Velmoran", "NORP"), ("Tarnby", "GPE")]


def test_descriptors_of_one_named_person_differ_across_outlets() -> None:
    a = make_article(
        "Harbor Courier",
        ["Velmoran strongman Arvo Dask met the Tarnby envoys on Tuesday.", "Talks went on."],
        entities=_ENTS,
    )
    b = make_article(
        "Daily Lantern",
        ["Velmoran leader Arvo Dask met the Tarnby envoys on Tuesday.", "Talks ended."],
        entities=_ENTS,
    )
    labels = _labels(align([a, b]))
    assert labels["Arvo Dask"] == {
        "Harbor Courier": "Velmoran strongman",
        "Daily Lantern": "Velmoran leader",
    }


def test_an_apposition_and_a_definite_description_name_the_same_person() -> None:
    a = make_article(
        "Harbor Courier",
        [
            "Arvo Dask, the Velmoran leader, met the Tarnby envoys on Tuesday.",
            "The envoys left the harbour at noon.",
        ],
        entities=_ENTS,
    )
    b = make_article(
        "Daily Lantern",
        [
            "Velmoran leader Arvo Dask met the Tarnby envoys on Tuesday.",
            "Later the reclusive Velmoran tyrant refused to take questions.",
        ],
        entities=_ENTS,
    )
    labels = _labels(align([a, b]))
    assert labels["Arvo Dask"] == {
        "Harbor Courier": "Velmoran leader",
        "Daily Lantern": "reclusive Velmoran tyrant",
    }


def test_titles_neutral_words_and_quotations_are_not_word_choice() -> None:
    # two formal titles ("Councillor" / "Mayor"): which title is printed is not framing
    a = make_article(
        "Harbor Courier", ["Councillor Arvo Dask opened the Tarnby ferry route."], entities=_ENTS
    )
    b = make_article(
        "Daily Lantern", ["Mayor Arvo Dask opened the Tarnby ferry route."], entities=_ENTS
    )
    assert "Arvo Dask" not in _labels(align([a, b]))
    # "former" is neutral: "former harbour director" / "harbour director" name one role
    a = make_article(
        "Harbor Courier",
        ["Former harbour director Arvo Dask opened the Tarnby ferry route."],
        entities=_ENTS,
    )
    b = make_article(
        "Daily Lantern",
        ["Harbour director Arvo Dask opened the Tarnby ferry route."],
        entities=_ENTS,
    )
    assert "Arvo Dask" not in _labels(align([a, b]))
    # the only "tyrant" is the speaker's, inside a quotation
    quote = "the Velmoran tyrant Arvo Dask must go"
    a = make_article(
        "Harbor Courier",
        ["Velmoran leader Arvo Dask opened the Tarnby ferry route."],
        entities=_ENTS,
    )
    b = make_article(
        "Daily Lantern",
        [f'Protesters shouted "{quote}" as the Tarnby ferry route opened.'],
        entities=_ENTS,
        quotes=[(quote, "Protesters")],
    )
    assert "Arvo Dask" not in _labels(align([a, b]))


def test_nouns_of_one_concept_in_aligned_claims_are_a_label() -> None:
    a = make_article(
        "Harbor Courier",
        ["The Tarnby port authority filed a lawsuit against the ferry operator on Monday."],
        entities=_ENTS,
    )
    b = make_article(
        "Daily Lantern",
        ["The Tarnby port authority filed a complaint against the ferry operator on Monday."],
        entities=_ENTS,
    )
    labels = _labels(align([a, b]))
    assert sorted(labels["lawsuit"].values()) == [
        "complaint against the ferry operator",
        "lawsuit against the ferry operator",
    ]


def test_a_judging_modifier_on_the_same_noun_is_a_label_a_clipped_form_is_not() -> None:
    a = make_article(
        "Harbor Courier", ["The council opened a sham inquiry into the Tarnby ferry contract."]
    )
    b = make_article(
        "Daily Lantern", ["The council opened an inquiry into the Tarnby ferry contract."]
    )
    labels = _labels(align([a, b]))
    assert labels["investigation"] == {
        "Harbor Courier": "sham inquiry into the Tarnby ferry contract",
        "Daily Lantern": "inquiry into the Tarnby ferry contract",
    }
    a = make_article("Harbor Courier", ["The council filed a suit over the Tarnby ferry contract."])
    b = make_article(
        "Daily Lantern", ["The council filed a lawsuit over the Tarnby ferry contract."]
    )
    assert align([a, b]).framing.labels == ()


def test_spelling_and_plural_forms_are_not_word_choice() -> None:
    assert _same_head("suit", "lawsuit")
    assert _same_head("memoranda", "memorandums")
    assert not _same_head("probe", "inquiry")
    assert not _phrase_swap(["memoranda"], ["memorandums", "to", "congress"])
    assert not _spelling_variant("Worker's Party of Velmora", "Workers' Party of Velmora")
    assert _spelling_variant("Velmora", "Velmorra")


def test_the_concept_lexicon_loads_with_roles_and_groups() -> None:
    lex = load_concepts()
    assert "dictator" in lex.roles and "former" in lex.neutral
    assert any(g.concept == "lawsuit" and "litigation" in g.terms for g in lex.groups)
