"""Label kind: spellings of one name ("Kyiv" / "Kiev") apart from word choice ("Burma" / "Myanmar")."""

from __future__ import annotations

import pytest
from _align_articles import make_article

from storyscope.align import align
from storyscope.align.framing import _label_kind
from storyscope.model import Label
from storyscope.report import load_schema
from storyscope.report.json import to_dict


@pytest.mark.parametrize(
    "terms",
    [
        ["Kyiv", "Kiev"],  # transliteration
        ["Kim Jong Un", "Kim Jong-un"],  # hyphen
        ["Gaddafi", "Qaddafi"],
        ["Velmora", "Velmorra"],
        ["Bogotá", "Bogota"],  # accent
        ["al-Qaeda", "al Qaeda", "Al-Qaeda"],
    ],
)
def test_spellings_of_one_name_are_kind_spelling(terms: list[str]) -> None:
    assert _label_kind(terms) == "spelling"


@pytest.mark.parametrize(
    "terms",
    [
        ["Burma", "Myanmar"],
        ["illegal immigrants", "undocumented immigrants"],
        ["dictator", "director"],  # two lower-case words a letter or two apart: not names
        ["Democrat", "Democrats"],  # an inflection, not a spelling
        ["Velmora", "Tarnby"],
        ["Kiev"],  # one term: nothing to compare
    ],
)
def test_word_choice_is_kind_wording(terms: list[str]) -> None:
    assert _label_kind(terms) == "wording"


def test_a_label_is_wording_unless_told_otherwise() -> None:
    assert Label(concept="x", variants=()).kind == "wording"


def test_lexicon_labels_get_their_kind_in_the_story_and_the_report() -> None:
    a = make_article(
        "Harbor Courier", ["Officials in Kyiv said the talks on Burma resumed on Monday."]
    )
    b = make_article(
        "Daily Lantern", ["Officials in Kiev said the talks on Myanmar resumed on Monday."]
    )
    story = align([a, b])
    kinds = {lb.concept: lb.kind for lb in story.framing.labels}
    assert kinds["Kyiv"] == "spelling"
    assert kinds["Myanmar"] == "wording"
    report = to_dict(story)
    by_concept = {lb["concept"]: lb for lb in report["framing"]["labels"]}
    assert by_concept["Kyiv"]["kind"] == "spelling"
    assert by_concept["Myanmar"]["kind"] == "wording"
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(report, load_schema())


def test_entity_spelling_labels_are_kind_spelling() -> None:
    a = make_article(
        "Harbor Courier", ["The Velmora harbour reopened on Monday."], entities=[("Velmora", "GPE")]
    )
    b = make_article(
        "Daily Lantern",
        ["The Velmorra harbour reopened on Monday."],
        entities=[("Velmorra", "GPE")],
    )
    story = align([a, b])
    label = next(lb for lb in story.framing.labels if "Velmorra" in dict(lb.variants).values())
    assert label.kind == "spelling"


def test_a_swapped_phrase_is_kind_wording() -> None:
    a = make_article(
        "Harbor Courier",
        ["Officials said the quay guards blocked the north gate of the Tarnby terminal."],
    )
    b = make_article(
        "Daily Lantern",
        ["Officials said the harbour militia blocked the north gate of the Tarnby terminal."],
    )
    (label,) = [
        lb for lb in align([a, b]).framing.labels if "quay guards" in dict(lb.variants).values()
    ]
    assert label.kind == "wording"


def test_a_report_without_kind_still_validates() -> None:
    """1.2 reports (no `kind` on a label) stay valid: the field is optional."""
    a = make_article("Harbor Courier", ["Officials in Burma said the talks resumed on Monday."])
    b = make_article("Daily Lantern", ["Officials in Myanmar said the talks resumed on Monday."])
    report = to_dict(align([a, b]))
    for label in report["framing"]["labels"]:
        del label["kind"]
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(report, load_schema())
