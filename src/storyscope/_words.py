"""Small closed word lists shared by the analyze and align stages (lower-case).

One place for each list, so that a date word or a negation recognised in one
stage is recognised in the others.
"""

from __future__ import annotations

__all__ = ["DAY_WORDS", "DENYING_VERBS", "MONTHS", "NEGATIONS", "WEEKDAYS"]

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
"""Month names and abbreviations -> month number."""

WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
"""Weekday names -> ``datetime.weekday()`` number."""

DAY_WORDS: frozenset[str] = frozenset({"today", "yesterday", "tomorrow", "tonight"})
"""Deictic day words resolved against the publication date."""

NEGATIONS: frozenset[str] = frozenset(
    {"not", "no", "never", "n't", "nt", "neither", "nor", "none", "nobody", "nothing", "cannot"}
)
"""Words that flip the polarity of a clause."""

DENYING_VERBS: frozenset[str] = frozenset({"deny", "decline", "refuse"})
"""Verb lemmas that negate their clause without a negation word ("denied the report")."""
