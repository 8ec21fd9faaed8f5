"""Loaded language: the editable lexicon, whole-word matching, targets, quoted words."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from _align_articles import make_article
from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.align.loaded_language import (
    find_loaded_language,
    load_loaded_lexicon,
    parse_loaded_lexicon,
)
from storyscope.errors import ConfigError
from storyscope.model import Quote

LEXICON = parse_loaded_lexicon(
    """
[emotive]
terms = ["furious", "slam*", "lash out", "toxic"]

[evaluative]
terms = ["so-called", "blank cheque", "radical", "mother-of-*"]

[intensifier]
terms = ["very", "utterly"]
""",
    "test.toml",
)


def _hits(text: str) -> list[tuple[str, str]]:
    doc = make_article("Harbor Courier", [text], embed=False)
    return [(t.citation.text, t.category) for t in find_loaded_language(doc, LEXICON)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Residents were furious.", [("furious", "emotive")]),
        ("Critics slammed the plan.", [("slammed", "emotive")]),
        ("She lashed out; they lash   out again.", [("lash   out", "emotive")]),
        ("The so-called reform passed.", [("so-called", "evaluative")]),
        ("The so called reform passed.", [("so called", "evaluative")]),
        (
            "A very, utterly radical idea.",
            [("very", "intensifier"), ("utterly", "intensifier"), ("radical", "evaluative")],
        ),
        ("It was a BLANK CHEQUE.", [("BLANK CHEQUE", "evaluative")]),
        ("A mother-of-two spoke.", [("mother-of-two", "evaluative")]),
    ],
)
def test_terms_match_whole_words_case_insensitively(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert _hits(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A non-toxic paint.",  # part of a hyphenated word
        "Toxic-free paint.",
        "The furiousness of it.",  # longer word, no star
    ],
)
def test_parts_of_longer_words_do_not_match(text: str) -> None:
    assert _hits(text) == []


def test_words_inside_a_quotation_are_flagged_as_the_speakers() -> None:
    doc = make_article(
        "Harbor Courier",
        ['"This is a blank cheque," said Bram Idris.', "Critics were furious."],
        embed=False,
    )
    start = doc.text.index("This is a blank cheque,")
    quote = Quote(
        start=start, end=start + 23, text=doc.text[start : start + 23], speaker="Bram Idris"
    )
    doc = dataclasses.replace(doc, quotes=(quote,))
    terms = {t.citation.text: t for t in find_loaded_language(doc, LEXICON)}
    assert terms["blank cheque"].quoted
    assert not terms["furious"].quoted


def test_target_is_the_nearest_entity_of_the_sentence() -> None:
    doc = make_article(
        "Harbor Courier",
        ["Tallow Shipping slammed Mayor Ilsa Moravec.", "Critics were furious."],
        entities=[("Tallow Shipping", "ORG"), ("Ilsa Moravec", "PERSON")],
        embed=False,
    )
    terms = {t.citation.text: t for t in find_loaded_language(doc, LEXICON)}
    assert terms["slammed"].target in {"Tallow Shipping", "Ilsa Moravec"}
    assert terms["furious"].target is None  # no entity in its sentence


_WORDS = st.sampled_from(
    [
        "furious",
        "slams",
        "lash",
        "out",
        "so-called",
        "blank",
        "cheque",
        "very",
        "non-toxic",
        "the",
        " ",
        "  ",
        "\n",
        "-",
        ",",
        '"',
    ]
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_WORDS, max_size=30).map(" ".join))
def test_hits_are_exact_disjoint_and_in_order(text: str) -> None:
    doc = make_article("Harbor Courier", [text or "x"], embed=False)
    terms = find_loaded_language(doc, LEXICON)
    for term in terms:
        c = term.citation
        assert doc.text[c.start : c.end] == c.text and c.end > c.start
    for a, b in zip(terms, terms[1:], strict=False):
        assert a.citation.end <= b.citation.start


def test_packaged_lexicon_loads_with_three_categories() -> None:
    lex = load_loaded_lexicon()
    assert lex.categories == ("emotive", "evaluative", "intensifier")
    assert lex.size > 300


@pytest.mark.parametrize(
    ("raw", "line", "fragment"),
    [
        ('[emotive]\nterms = ["furious"\n', 2, "invalid TOML"),
        ('[emotive]\nterms = ["furious",\n  "bad|term"]\n', 3, "bad term"),
        ('[emotive]\nterms = ["furious"]\n\n[evaluative]\nwords = ["x"]\n', 5, "unknown key"),
        ('[emotive]\nterms = "furious"\n', 1, "list of strings"),
        ('emotive = ["furious"]\n', 1, "must be a table"),
        ('[emotive]\nterms = ["*"]\n', 2, "bad term"),
    ],
)
def test_lexicon_errors_name_the_file_and_line(raw: str, line: int, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_loaded_lexicon(raw, "my-loaded.toml")
    message = str(info.value)
    assert message.startswith(f"my-loaded.toml: line {line}: "), message
    assert fragment in message and "\n" not in message


def test_lexicon_file_with_an_error_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "loaded.toml"
    path.write_text('[emotive]\nterms = ["ok"]\n[intensifier]\nterms = ["very", "x|y"]\n', "utf-8")
    with pytest.raises(ConfigError, match=r"loaded\.toml: line 4: bad term"):
        load_loaded_lexicon(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_loaded_lexicon(tmp_path / "missing.toml")
