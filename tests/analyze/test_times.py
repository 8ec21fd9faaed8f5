from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.analyze.times import find_times, resolve_time

CASES = [
    ("The port closed on March 12.", "March 12", "date", "2026-03-12"),
    ("It reopened 12 March 2026.", "12 March 2026", "date", "2026-03-12"),
    ("The report is dated 2026-03-12.", "2026-03-12", "date", "2026-03-12"),
    ("The ferry sank on Jan. 20.", "Jan. 20", "date", "2026-01-20"),
    ("The crane fell on Dec. 28.", "Dec. 28", "date", "2025-12-28"),
    ("The crew left on Tuesday.", "Tuesday", "date", "2026-03-10"),
    ("The crew left on Thursday.", "Thursday", "date", "2026-03-12"),
    ("They met last Thursday.", "last Thursday", "date", "2026-03-05"),
    ("They return next Monday.", "next Monday", "date", "2026-03-16"),
    ("Yesterday the wall gave way.", "Yesterday", "date", "2026-03-11"),
    ("It rained last night.", "last night", "date", "2026-03-11"),
    ("Talks resume tomorrow.", "tomorrow", "date", "2026-03-13"),
    ("It happened two days ago.", "two days ago", "date", "2026-03-10"),
    ("Inspectors came last week.", "last week", "date", "2026-W10"),
    ("The vote is next month.", "next month", "date", "2026-04"),
    ("Profits fell last year.", "last year", "date", "2025"),
    ("The strike lasted three days.", "three days", "duration", "P3D"),
    ("A nine-day strike ended.", "nine-day", "duration", "P9D"),
    ("Power was out for 6 hours.", "6 hours", "duration", "PT6H"),
    (
        "Repairs take between 6 hours and 3 days.",
        "between 6 hours and 3 days",
        "duration",
        "PT6H/P3D",
    ),
    ("The ship docked at 3 p.m. sharp.", "3 p.m.", "time", "T15:00"),
    ("The ship docked at 15:30.", "15:30", "time", "T15:30"),
    ("Ferries run every Tuesday.", "every Tuesday", "set", "P1W"),
    ("The port opened in 2019.", "2019", "date", "2019"),
    ("Work started in May.", "May", "date", "2026-05"),
    # Month-day dates keep the day, whatever word precedes them.
    ("The inquiry is due to report by April 30.", "April 30", "date", "2026-04-30"),
    ("The inquiry reports on April 30th.", "April 30th", "date", "2026-04-30"),
    ("The inquiry reports 30 April.", "30 April", "date", "2026-04-30"),
    ("The inquiry reports by 30 April.", "30 April", "date", "2026-04-30"),
    ("The inquiry reports by Apr. 30.", "Apr. 30", "date", "2026-04-30"),
    ("The inquiry reports in April 2027.", "April 2027", "date", "2027-04"),
    ("The inquiry reports by April 2027.", "April 2027", "date", "2027-04"),
    ("The inquiry reports by April.", "April", "date", "2026-04"),
    # A weekday in a sentence about the future is the coming one.
    ("The council will vote on Tuesday.", "Tuesday", "date", "2026-03-17"),
    ("The mayor is expected to resign Monday evening.", "Monday evening", "date", "2026-03-16"),
    ("The board will meet Thursday.", "Thursday", "date", "2026-03-12"),
    ("The union said on Tuesday that it will strike.", "Tuesday", "date", "2026-03-10"),
    (
        "The bill will become law after the House voted to override it Wednesday.",
        "Wednesday",
        "date",
        "2026-03-11",
    ),
    (
        "The chairman is expected to disclose his plans on Monday evening.",
        "Monday evening",
        "date",
        "2026-03-16",
    ),
]


@pytest.mark.parametrize(("text", "span", "kind", "value"), CASES)
def test_time_expression_resolves_against_publication_date(
    parse, published, text: str, span: str, kind: str, value: str
) -> None:
    doc, sentences, _ = parse(text)
    found = {t.text: t for t in find_times(text, doc, sentences, published)}
    assert span in found, list(found)
    assert (found[span].kind, found[span].value) == (kind, value)


def test_relative_dates_are_unresolved_without_publication_date(parse) -> None:
    text = "The crew left on Tuesday, two days ago, and the strike lasted three days."
    doc, sentences, _ = parse(text)
    found = {t.text: t for t in find_times(text, doc, sentences, None)}
    assert found["Tuesday"].value is None
    assert found["two days ago"].value is None
    assert found["three days"].value == "P3D"


def test_month_day_without_publication_date_keeps_month_and_day() -> None:
    assert resolve_time("mdy", "March 12", None) == ("date", "--03-12")


def test_ages_and_modal_may_are_not_times(parse, published) -> None:
    text = "The 45-year-old captain, aged 45, said it may rain. May I ask?"
    doc, sentences, _ = parse(text)
    assert [t.text for t in find_times(text, doc, sentences, published)] == []


@given(
    st.lists(
        st.sampled_from(
            [
                "on ",
                "Tuesday",
                "March ",
                "12",
                " days",
                "three",
                "last ",
                "ago",
                "2026",
                "-",
                " p.m.",
                ":",
                "\n",
                '"',
                "week",
                " ",
            ]
        ),
        max_size=20,
    ).map("".join),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)),
)
@settings(max_examples=50, deadline=None)
def test_time_offsets_are_exact_for_arbitrary_text(parse, text: str, day: dt.date) -> None:
    doc, sentences, _ = parse(text)
    for t in find_times(text, doc, sentences, day):
        assert 0 <= t.start <= t.end <= len(text)
        assert text[t.start : t.end] == t.text
        assert t.kind in ("date", "time", "duration", "set")
