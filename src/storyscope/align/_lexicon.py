"""Shared helpers for the editable TOML lexicons of the align stage.

Reading and parsing a lexicon is ``storyscope._toml`` (the one TOML loader); these
helpers find the line a later problem is on and compile terms. Every problem
becomes a one-line :class:`~storyscope.errors.ConfigError` naming the file and the line.
"""

from __future__ import annotations

import re

from storyscope._toml import line_of

__all__ = ["line_of", "table_line", "term_regex"]

_TERM_OK = re.compile(r"^[\w' ’-]+\*?$")


def table_line(raw: str, name: str) -> int:
    """Line of the ``[name]`` header (1 if absent)."""
    pattern = re.compile(rf"^\s*\[\s*{re.escape(name)}\s*\]")
    for number, text in enumerate(raw.splitlines(), start=1):
        if pattern.match(text):
            return number
    return 1


def term_regex(term: str) -> str | None:
    """Regular expression for one lexicon term, or None when the term is malformed.

    Whole words, case-insensitive by the caller; spaces match any whitespace, a
    hyphen also matches whitespace, an apostrophe matches a curly one, and a
    trailing ``*`` matches any word ending.
    """
    term = term.strip()
    if not term or not _TERM_OK.match(term) or term == "*":
        return None
    star = term.endswith("*")
    words = term.rstrip("*").replace("’", "'").split()
    parts = []
    for word in words:
        pieces = [re.escape(p) for p in re.split(r"-", word)]
        body = r"[-\s]+".join(pieces)
        parts.append(body.replace("'", "['’]"))
    body = r"\s+".join(parts) + (r"\w*" if star else "")
    return rf"(?<![\w-]){body}(?![\w-])"
