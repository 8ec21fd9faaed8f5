"""Facts robust to paraphrase (issue #4 item 2): lexicon, folded terms, slot swaps."""

from __future__ import annotations

from pathlib import Path

import pytest
from _align_articles import make_article
from hypothesis import given
from hypothesis import strategies as st

from storyscope.align import align
from storyscope.align._claims import build_table
from storyscope.align._pairs import pair_probability
from storyscope.align._text import load_paraphrases, paraphrase_terms
from storyscope.align.facts import group_claims, slot_swap
from storyscope.errors import ConfigError


def test_paraphrase_terms_fold_predicates_and_institutions() -> None:
    a = paraphrase_terms("The city has long funded the shelter, which houses 60 people.")
    b = paraphrase_terms("The council already pays for the shelter, which has 60 beds.")
    assert {"~fund", "~city_government", "shelter", "60"} <= a & b
    assert "long" not in a and "already" not in b


def test_phrases_fold_only_as_whole_phrases() -> None:
    assert "~reject" in paraphrase_terms("Councillors voted down the plan.")
    # "vote" alone is not "vote down"; "pay" alone is not "pay for".
    assert "~reject" not in paraphrase_terms("Councillors will vote on the plan.")
    assert "~fund" not in paraphrase_terms("Workers want better pay.")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The city funds the shelter on Elm Street.", "The city funds the library on Elm Street."),
        ("Police closed the bridge on Monday.", "Police closed the tunnel on Monday."),
        (
            "The board cut the school budget by a third.",
            "The board cut the road budget by a third.",
        ),
    ],
)
def test_slot_swaps_are_detected(a: str, b: str) -> None:
    assert slot_swap(a, b) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A different figure or name is a contradiction to report, not a different fact.
        ("The city pays 40 staff at the shelter.", "The city pays 52 staff at the shelter."),
        ("The Velmora council approved the plan.", "The Tarnby council approved the plan."),
        # Verbs (status words) are for the contradiction detector.
        ("The city requested the money.", "The city obtained the money."),
        # Paraphrases and inflections are the same word.
        ("The mayor thanked the council.", "The mayor thanked the city."),
        ("The city funds the shelter.", "The city funds the shelters."),
        ("The city funds the shelter.", "The city funds the shelter."),
        ("The city funds the shelter on Elm Street.", "The city funds a new shelter."),
    ],
)
def test_non_swaps_are_not_flagged(a: str, b: str) -> None:
    assert slot_swap(a, b) is None


@given(st.text(max_size=80))
def test_slot_swap_of_a_text_with_itself_is_none(text: str) -> None:
    assert slot_swap(text, text) is None


@given(st.text(max_size=120))
def test_paraphrase_terms_never_fail(text: str) -> None:
    out = paraphrase_terms(text)
    assert all(t and t == t.lower() for t in out)


def _grouped(a: str, b: str) -> bool:
    lead = (
        "The Millbrook city council voted 7-2 on Tuesday to expand the downtown homeless shelter."
    )
    x = make_article("Riverton Ledger", [lead, a])
    y = make_article("Valley Post", [lead, b])
    table = build_table([x, y])
    rows = {r.claim.text: r.row for r in table.refs}
    return any(rows[a] in g and rows[b] in g for g in group_claims(table))


def test_lookalike_pair_never_groups_even_when_embeddings_agree() -> None:
    assert not _grouped(
        "The city funds the shelter on Elm Street.", "The city funds the library on Elm Street."
    )


def test_lookalike_pair_is_held_below_member_score() -> None:
    lead = "The Millbrook council voted on Tuesday."
    x = make_article("Riverton Ledger", [lead, "The city funds the shelter on Elm Street."])
    y = make_article("Valley Post", [lead, "The city funds the library on Elm Street."])
    table = build_table([x, y])
    a, b = 1, 3
    assert table.refs[a].doc != table.refs[b].doc
    assert table.score[a, b] > 0.55  # every plain measure calls them alike
    groups = group_claims(table, prob=pair_probability(table))
    assert not any(a in g and b in g for g in groups)


def test_paraphrase_overlap_lifts_lexical_score() -> None:
    x = make_article(
        "Riverton Ledger", ["The city has long funded the shelter, which houses 60 people."]
    )
    y = make_article(
        "Valley Post", ["The council already pays for the shelter, which has 60 beds."]
    )
    table = build_table([x, y])
    assert table.paraphrase_jaccard[0, 1] > table.jaccard[0, 1] + 0.3


def test_custom_lexicon_file(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        'ignore = ["sadly"]\n[[group]]\nname = "ferry"\nterms = ["ferry", "boat service"]\n',
        encoding="utf-8",
    )
    lex = load_paraphrases(path)
    assert "~ferry" in paraphrase_terms("Sadly the boat service stopped.", lex)
    assert "sadly" not in paraphrase_terms("Sadly the ferry stopped.", lex)


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ('[[group]]\nname = "x"\nterms = ["one"]\n', 1),
        ('ignore = "long"\n', 1),
        ('x = 1\n\n[[group]]\nterms = ["a", "b"]\n', 3),
        ("[[group]\n", 1),
    ],
)
def test_bad_lexicon_is_a_one_line_config_error(tmp_path: Path, body: str, line: int) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_paraphrases(path)
    msg = str(err.value)
    assert "\n" not in msg and str(path) in msg and f"line {line}" in msg


@pytest.mark.slow
def test_issue_example_groups_with_the_real_pipeline() -> None:
    try:
        from storyscope.analyze import analyze
        from storyscope.ingest.text import read_text
    except Exception as exc:  # pragma: no cover
        pytest.skip(f"analyze unavailable: {exc}")
    lead = (
        "The Millbrook city council voted 7-2 on Tuesday to expand the downtown homeless shelter."
    )
    pairs = [
        (
            "The city has long funded the shelter, which houses 60 people.",
            "The council already pays for the shelter, which has 60 beds.",
        ),
        (
            "The council approved the budget on Tuesday.",
            "Councillors passed the spending plan on Tuesday.",
        ),
    ]
    arts = []
    for k, (a, b) in enumerate(pairs):
        arts.append(read_text(f"{lead} {a}", source=f"a{k}.txt", outlet="Riverton Ledger"))
        arts.append(read_text(f"{lead} {b}", source=f"b{k}.txt", outlet="Valley Post"))
    arts.append(
        read_text(
            f"{lead} The city funds the shelter on Elm Street.",
            source="c.txt",
            outlet="Riverton Ledger",
        )
    )
    arts.append(
        read_text(
            f"{lead} The city funds the library on Elm Street.",
            source="d.txt",
            outlet="Valley Post",
        )
    )
    docs = analyze(arts)
    for k, (a, b) in enumerate(pairs):
        story = align(docs[2 * k : 2 * k + 2])
        fact = next(f for f in story.facts if f.statement in (a, b))
        assert fact.status == "consensus", story.facts
        assert {c.text for c in fact.support} == {a, b}
    story = align(docs[4:6])
    swapped = [f for f in story.facts if "Elm Street" in f.statement]
    assert len(swapped) == 2 and all(len(f.outlets) == 1 for f in swapped)


def test_accented_and_plain_spellings_are_one_word() -> None:
    from storyscope.align._text import norm_words, same_given_name, words

    assert words("Linda T. Sánchez") == ["Linda", "T", "Sánchez"]
    assert norm_words("Sánchez met Peña") == ["sanchez", "met", "pena"]
    assert same_given_name("Jim", "James") and same_given_name("bill", "William")
    assert same_given_name("J.", "James") and not same_given_name("Loretta", "Linda")
