"""Short quoted words that are mentioned, not said (issue #16): things counted under a
name and a single word written on something are kept as ``scare`` records, even in a
sentence with a speech cue; words someone is said to use stay quotations.

All text is invented: invented outlets, people and places.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from storyscope.analyze.quotes import find_quotes
from storyscope.model import Quote

Parse = Callable[[str], tuple[Any, list[Any], list[Any]]]


def _quote(parse: Parse, text: str, words: str) -> Quote:
    doc, sentences, entities = parse(text)
    for q in find_quotes(text, doc, sentences, entities):
        if q.kind != "indirect" and words in q.text:
            return q
    raise AssertionError(f"no quote holding {words!r}")


@pytest.mark.parametrize(
    "text",
    [
        "According to the Kessel port board, there are at least 12 \u201cpriority berths\u201d "
        "in use, including two for ferries.\n",
        "Harbour master Lise Varn said the port now runs three \u201cgreen corridors\u201d "
        "to Velmar City.\n",
    ],
)
def test_things_counted_under_a_name_are_a_term(parse: Parse, text: str) -> None:
    words = "priority berths" if "berths" in text else "green corridors"
    quote = _quote(parse, text, words)
    assert quote.kind == "scare" and quote.speaker is None


def test_counted_words_someone_is_said_to_use_stay_a_quotation(parse: Parse) -> None:
    text = (
        "Councillor Ines Marrow spoke at the harbour hearing on Tuesday.\n"
        "The four \u201cloopholes\u201d she cited were never closed, Marrow said.\n"
    )
    assert _quote(parse, text, "loopholes").kind != "scare"


def test_a_year_before_a_short_quotation_is_no_count(parse: Parse) -> None:
    text = (
        "Mayor Tomas Reinholt promised in 2019 \u201cno new levies\u201d and said so again "
        "on Monday.\n"
    )
    quote = _quote(parse, text, "no new levies")
    assert quote.kind != "scare"
    assert quote.speaker == "Tomas Reinholt"


def test_one_word_written_on_a_board_is_a_term(parse: Parse) -> None:
    text = (
        "Commentator Orrin Delacroix rolled out a blackboard at the Kessel rally.\n"
        "Delacroix wrote \u201cCentralism\u201d on it to show what he thinks ails the "
        "country, he told the crowd.\n"
    )
    quote = _quote(parse, text, "Centralism")
    assert quote.kind == "scare" and quote.speaker is None


@pytest.mark.parametrize(
    "text",
    [
        # A phrase written on something is a message.
        "Students wrote \u201cMarrow for mayor\u201d on the pier steps, the campaign said.\n",
        # One word written on a feed is a post.
        "Ines Marrow wrote \u201cShameful\u201d on Twitter after the vote, the Velmar "
        "Tribune reported.\n",
    ],
)
def test_a_message_or_a_post_written_stays_a_quotation(parse: Parse, text: str) -> None:
    words = "Marrow for mayor" if "mayor" in text else "Shameful"
    assert _quote(parse, text, words).kind != "scare"
