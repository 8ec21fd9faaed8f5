"""Quotation spans that real articles write loosely (issue #16): a paragraph of a
multi-paragraph quotation without its opening mark, a single mark closed by a double
one, an excerpt opening on two marks, and text set off as a block after a colon
(a post, a list of points) with no marks at all.

All text is invented: invented outlets, people and places.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storyscope.analyze._text import find_quote_regions
from storyscope.analyze.quotes import find_quotes
from storyscope.model import Quote

Parse = Callable[[str], tuple[Any, list[Any], list[Any]]]


def _quotes(parse: Parse, text: str) -> list[Quote]:
    doc, sentences, entities = parse(text)
    return [q for q in find_quotes(text, doc, sentences, entities) if q.kind != "indirect"]


def _holding(quotes: list[Quote], words: str) -> Quote:
    for q in quotes:
        if words in q.text:
            return q
    raise AssertionError(f"no quote holding {words!r}: {[q.text for q in quotes]}")


def test_a_paragraph_missing_its_opening_mark_continues_the_quotation(parse: Parse) -> None:
    text = (
        "Ferry tribunal ends\n\n"
        "On Monday, Marta Pellinen left the tribunal in good spirits, saying she holds "
        "no grudge against the ferry company.\n\n"
        '"The ferry line may be a giant and nobody disputes that.\n\n'
        "But it is not so large that it cannot be answered in a courtroom. If you cheat "
        'people, you should pay for it."\n\n'
        "The company declined to comment.\n"
    )
    quotes = _quotes(parse, text)
    first = _holding(quotes, "may be a giant")
    rest = _holding(quotes, "answered in a courtroom")
    assert "should pay for it" in rest.text
    assert first.speaker == rest.speaker == "Marta Pellinen"
    assert all("declined" not in q.text for q in quotes)


def test_a_closing_mark_without_an_unclosed_paragraph_before_opens_nothing() -> None:
    text = 'The harbour reopened on Friday.\n\nNobody expected the cranes to hold."\n'
    assert find_quote_regions(text) == []


def test_a_single_mark_closed_by_a_double_one_is_a_quotation(parse: Parse) -> None:
    text = (
        "Budget rally in Kessel\n\n"
        '"We will tax and borrow," Orrin Delacroix said at one point. '
        "'The others won't tax and will still borrow. They are one party in two coats.\"\n\n"
        "The hall applauded.\n"
    )
    quote = _holding(_quotes(parse, text), "one party in two coats")
    assert quote.text.startswith("The others won't tax")
    assert quote.speaker == "Orrin Delacroix"


def test_an_excerpt_that_opens_on_two_marks_keeps_the_inner_quotation(parse: Parse) -> None:
    text = (
        "Here is a passage from the Velmar Tribune's report:\n\n"
        '""Nobody on this council ever took a bribe," Mr. Sandor told the dock workers in '
        "Ostrava Falls in May.\n"
    )
    quote = _holding(_quotes(parse, text), "ever took a bribe")
    assert quote.text == "Nobody on this council ever took a bribe"
    assert quote.speaker is not None and "Sandor" in quote.speaker


def test_a_post_set_off_after_a_colon_is_quoted(parse: Parse) -> None:
    text = (
        "Councillor answers the Tribune\n\n"
        "Councillor Ines Marrow hit back on Twitter, saying:\n\n"
        "The Velmar Tribune has embarrassed itself with a silly story about me. "
        "Retract it now!\n\n"
        "The newspaper did not reply.\n"
    )
    quotes = _quotes(parse, text)
    quote = _holding(quotes, "embarrassed itself")
    assert "Retract it now!" in quote.text
    assert quote.speaker == "Ines Marrow"
    assert all("did not reply" not in q.text for q in quotes)


def test_a_list_of_points_after_a_colon_is_quoted_item_by_item(parse: Parse) -> None:
    text = (
        "Pier dispute\n\n"
        "On Wednesday, a list of talking points was circulated by the Reinholt campaign:\n\n"
        "-The facts are simple: the mayor approved the pier budget in 2019. Nobody gave "
        "him special favours.\n\n"
        '-At a dock meeting in March, Tomas Reinholt said "the pier comes first, then '
        'everything else."\n\n'
        "-His rival's team admits it leaked the memo.\n\n"
        "UPDATE: Reinholt spoke to reporters on Thursday.\n"
    )
    quotes = _quotes(parse, text)
    for words in ("The facts are simple", "special favours", "leaked the memo"):
        quote = _holding(quotes, words)
        assert quote.speaker is not None and "Reinholt campaign" in quote.speaker
    inner = _holding(quotes, "the pier comes first")
    assert inner.speaker == "Tomas Reinholt"
    assert all("spoke to reporters" not in q.text for q in quotes)


def test_a_colon_with_nobody_speaking_sets_off_no_block(parse: Parse) -> None:
    text = (
        "Pier plan\n\n"
        "Here are the main points of the plan:\n\n"
        "The pier will be rebuilt by 2030 at a cost of 40 million crowns.\n"
    )
    assert _quotes(parse, text) == []


def test_a_pull_quote_byline_is_not_the_next_paragraph_of_the_quotation() -> None:
    for byline in ("Ada Okafor, port director, on the strike.", "Former port director Ada Okafor."):
        text = f'The strike\n\n"Nobody wins a strike like this one.\n{byline}"\n\nTalks resume on Monday.\n'
        regions = find_quote_regions(text)
        assert len(regions) == 1 and not regions[0].closed, byline


def test_a_lead_in_that_says_something_itself_sets_off_no_block(parse: Parse) -> None:
    for intro in (
        "The Velmar Tribune noted the thin crowd at the rally:",
        "There are four harbour registers, according to the Kessel port board:",
    ):
        text = (
            f"Harbour news\n\n{intro}\n\n"
            "Only a few hundred people stood near the stage in the rain.\n"
        )
        assert all("stood near the stage" not in q.text for q in _quotes(parse, text)), intro
