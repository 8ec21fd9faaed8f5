"""Which ids a route looks up: one spelling per id, so no alias can cost a fresh analysis.

A store's story ids are integers; a path segment is accepted as one only in its
canonical spelling (ASCII digits, no sign, no leading zero, at most ``2**63 - 1``).
``0105``, ``١`` (Arabic-Indic one), ``¹`` or ``1 `` are other strings, not story 1:
they answer 404 like any unknown id, so one story has one cache key. Other ids
(article content hashes, in-memory story slugs) are matched exactly; a segment
that cannot be an id at all (too long, control characters) is refused before any
lookup.
"""

from __future__ import annotations

import re

__all__ = ["INT64_MAX", "MAX_ID_LENGTH", "canonical_int", "plausible_id"]

INT64_MAX = 2**63 - 1
MAX_ID_LENGTH = 200

_CANONICAL = re.compile(r"0|[1-9][0-9]{0,18}", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def canonical_int(value: str) -> int | None:
    """``value`` as an int64 when it is that int's canonical decimal spelling, else None."""
    if _CANONICAL.fullmatch(value) is None:
        return None
    number = int(value)
    return number if number <= INT64_MAX else None


def plausible_id(value: str) -> bool:
    """Whether ``value`` is worth looking up: 1..200 characters, no control characters,
    no lone surrogates (undecodable bytes in the URL)."""
    if not value or len(value) > MAX_ID_LENGTH or _CONTROL.search(value):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
