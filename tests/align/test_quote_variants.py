"""Quote variants and attribution contradictions."""

from __future__ import annotations

from _align_articles import make_article

from storyscope.align import align


def _quote_article(
    outlet: str, quote: str, speaker: str | None, lead: str, *, person: bool = True
) -> object:
    entities = [(speaker, "PERSON")] if speaker and person and speaker in lead else []
    return make_article(
        outlet,
        ["The Tarn Street bridge will close for repairs next month.", f'"{quote}" {lead}'],
        quotes=[(quote, speaker)],
        entities=entities,
    )


def test_dropped_word_is_reported_as_a_variant() -> None:
    a = _quote_article(
        "Harbor Courier",
        "This bridge is the very heart of our town.",
        "Ana Ruiz",
        "said Mayor Ana Ruiz.",
    )
    b = _quote_article(
        "Daily Lantern", "This bridge is the heart of our town.", "Ana Ruiz", "said Ana Ruiz."
    )
    c = _quote_article(
        "Coast Weekly",
        "This bridge is the very heart of our town.",
        "Ana Ruiz",
        "Ruiz told reporters.",
    )
    story = align([a, b, c])  # type: ignore[list-item]
    assert len(story.quote_variants) == 1
    variant = story.quote_variants[0]
    assert variant.speaker == "Ana Ruiz"
    assert variant.differences == ("Daily Lantern drops 'very'",)
    assert len(variant.members) == 3
    for m in variant.members:
        doc = next(d for d in story.articles if d.id == m.article)
        assert doc.text[m.start : m.end] == m.text
    assert [c for c in story.contradictions if c.kind == "attribution"] == []


def test_identical_quotes_are_not_variants() -> None:
    a = _quote_article(
        "Harbor Courier", "We will rebuild it stone by stone.", "Ana Ruiz", "she said."
    )
    b = _quote_article(
        "Daily Lantern", "We will rebuild it stone by stone.", "Ana Ruiz", "Ruiz said."
    )
    story = align([a, b])  # type: ignore[list-item]
    assert len(story.articles) == 2
    assert story.quote_variants == ()


def test_word_change_and_truncation_are_described() -> None:
    a = _quote_article(
        "Harbor Courier",
        "We will rebuild it stone by stone, whatever it costs.",
        "Ana Ruiz",
        "she said.",
    )
    b = _quote_article(
        "Daily Lantern",
        "We would rebuild it stone by stone, whatever it costs.",
        "Ana Ruiz",
        "she said.",
    )
    c = _quote_article("Coast Weekly", "We will rebuild it stone by stone", "Ana Ruiz", "she said.")
    d = _quote_article(
        "Velmora Post",
        "We will rebuild it stone by stone, whatever it costs.",
        "Ana Ruiz",
        "the mayor said.",
    )
    story = align([a, b, c, d])  # type: ignore[list-item]
    diffs = story.quote_variants[0].differences
    assert "Daily Lantern: 'will' -> 'would'" in diffs
    assert any(d.startswith("Coast Weekly prints a shorter version (ends at") for d in diffs)


def test_same_quote_different_speakers_is_an_attribution_contradiction() -> None:
    a = _quote_article(
        "Harbor Courier",
        "The inspection was a formality and nothing more.",
        "Ana Ruiz",
        "said Mayor Ana Ruiz.",
    )
    b = _quote_article(
        "Daily Lantern",
        "The inspection was a formality and nothing more.",
        "Tomas Brel",
        "said councillor Tomas Brel.",
    )
    story = align([a, b])  # type: ignore[list-item]
    attributions = [c for c in story.contradictions if c.kind == "attribution"]
    assert len(attributions) == 1
    con = attributions[0]
    assert "Ana Ruiz" in con.explanation and "Tomas Brel" in con.explanation
    assert "Harbor Courier" in con.explanation and "Daily Lantern" in con.explanation
    assert a.text[con.a.start : con.a.end] == con.a.text  # type: ignore[attr-defined]


def test_a_person_and_their_office_are_not_an_attribution_conflict() -> None:
    a = _quote_article(
        "Harbor Courier",
        "The inspection was a formality and nothing more.",
        "Ana Ruiz",
        "said Mayor Ana Ruiz.",
    )
    b = _quote_article(
        "Daily Lantern",
        "The inspection was a formality and nothing more.",
        "City Hall",
        "City Hall said in a statement.",
        person=False,
    )
    story = align([a, b])  # type: ignore[list-item]
    assert [c for c in story.contradictions if c.kind == "attribution"] == []


def test_surname_only_is_the_same_speaker() -> None:
    a = _quote_article(
        "Harbor Courier",
        "The inspection was a formality and nothing more.",
        "Ana Ruiz",
        "she said.",
    )
    b = _quote_article(
        "Daily Lantern",
        "The inspection was a formality and nothing more.",
        "Mayor Ruiz",
        "said Mayor Ruiz.",
    )
    story = align([a, b])  # type: ignore[list-item]
    assert len(story.articles) == 2
    assert story.contradictions == ()


def test_heavy_rewording_is_flagged_as_a_possible_paraphrase() -> None:
    a = _quote_article(
        "Harbor Courier",
        "We will rebuild the old bridge stone by stone, whatever the final bill.",
        "Ana Ruiz",
        "said Ana Ruiz.",
    )
    b = _quote_article(
        "Daily Lantern",
        "We will restore the old bridge piece by piece, whatever the cost.",
        "Ana Ruiz",
        "said Ana Ruiz.",
    )
    story = align([a, b])  # type: ignore[list-item]
    (variant,) = story.quote_variants
    assert any("paraphrase" in d for d in variant.differences)
    assert any("'rebuild' -> 'restore'" in d for d in variant.differences)


def test_pipeline_groups_one_utterance_and_flags_a_misattribution() -> None:
    from storyscope.analyze import Pipeline
    from storyscope.model import Article
    from storyscope.testing import FakeEmbedder

    courier = (
        "The Tarn Street bridge will close for repairs next month, the city said.\n"
        "Councillor Peter Quill spoke after the council meeting on Tuesday.\n"
        '"The inspection found cracks in two of the main piers," Quill said.\n'
        'Critics mocked the "temporary" detour.'
    )
    lantern = (
        "The Tarn Street bridge will close next month for repairs.\n"
        "Councillor Tomas Brel spoke after the council meeting on Tuesday.\n"
        '"The inspection found cracks in two main piers," Brel said.\n'
        'Brel said the "temporary" detour would last a year.'
    )
    articles = [
        Article.create(text=courier, source="courier.txt", outlet="Harbor Courier"),
        Article.create(text=lantern, source="lantern.txt", outlet="Daily Lantern"),
    ]
    docs = Pipeline(embedder=FakeEmbedder()).analyze_many(articles)
    story = align(docs)
    (variant,) = story.quote_variants
    assert len(variant.members) == 2
    assert "Daily Lantern drops 'of the'" in variant.differences
    attributions = [c for c in story.contradictions if c.kind == "attribution"]
    assert len(attributions) == 1
    assert "Peter Quill" in attributions[0].explanation
    assert "Tomas Brel" in attributions[0].explanation
