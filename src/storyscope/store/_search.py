"""Full-text query translation and exact-span snippets, shared by both backends.

User queries use web-search syntax on both backends: words are ANDed, ``"a phrase"``
matches words in sequence, ``OR`` between two terms matches either, ``-word`` excludes.
PostgreSQL parses that itself (``websearch_to_tsquery``); for SQLite FTS5 the query is
translated here into a safe FTS5 expression, so no user input can raise a syntax error.

Snippets are exact spans of the article text: the backend returns the whole text with
match markers, :func:`match_spans` turns the markers into offsets and checks that the
unmarked text is the article text, and :func:`snippet_span` picks a window around the
first match on word boundaries.
"""

from __future__ import annotations

import re

from storyscope.model import Span

START_MARK = "\ue000"
STOP_MARK = "\ue001"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_ALNUM = re.compile(r"\w", re.UNICODE)


def clean_query(query: str) -> str:
    """``query`` without NUL and other control characters (tab and newline become spaces).

    FTS5 reads its expression as a C string (a NUL ends it mid-phrase: a syntax
    error) and PostgreSQL text cannot hold NUL at all, so neither backend may see one.
    """
    return _CONTROL.sub(" ", query).replace("\t", " ").replace("\n", " ")


def _phrase(text: str) -> str | None:
    text = text.replace('"', " ").strip()
    if not _ALNUM.search(text):
        return None
    return '"' + text + '"'


def fts5_query(query: str) -> str | None:
    """Translate a web-search style query into an FTS5 expression.

    Args:
        query: What the user typed.

    Returns:
        The FTS5 MATCH expression, or None when the query has no positive term (it
        then matches nothing).
    """
    groups: list[list[str]] = []
    negatives: list[str] = []
    pending_or = False
    for match in _TOKEN.finditer(clean_query(query)):
        negated_phrase, phrase_text, word = match.groups()
        if word is not None and word == "OR":
            pending_or = bool(groups)
            continue
        negated = bool(negated_phrase) if word is None else word.startswith("-") and len(word) > 1
        raw = phrase_text if word is None else (word[1:] if negated else word)
        phrase = _phrase(raw)
        if phrase is None:
            pending_or = False
            continue
        if negated:
            negatives.append(phrase)
        elif pending_or:
            groups[-1].append(phrase)
        else:
            groups.append([phrase])
        pending_or = False
    if not groups:
        return None
    positive = " AND ".join("(" + " OR ".join(group) + ")" for group in groups)
    if negatives:
        return f"({positive}) NOT ({' OR '.join(negatives)})"
    return positive


def match_spans(marked: str | None, text: str) -> tuple[Span, ...]:
    """Offsets of the marked matches in ``text``, or () when ``marked`` is not ``text`` plus marks."""
    if not marked:
        return ()
    spans: list[Span] = []
    plain: list[str] = []
    position = 0
    opened: int | None = None
    for piece in re.split(f"([{START_MARK}{STOP_MARK}])", marked):
        if piece == START_MARK:
            opened = position
        elif piece == STOP_MARK:
            if opened is not None and position > opened:
                spans.append(Span(opened, position))
            opened = None
        else:
            plain.append(piece)
            position += len(piece)
    if "".join(plain) != text:
        return ()
    return tuple(spans)


def snippet_span(text: str, matches: tuple[Span, ...], width: int = 200) -> Span:
    """A window of about ``width`` characters around the first match, on word boundaries."""
    if len(text) <= width:
        return Span(0, len(text))
    anchor = matches[0].start if matches else 0
    start = max(0, anchor - width // 4)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    if start > 0:
        space = text.find(" ", start, anchor if matches else start + width // 4)
        if space != -1:
            start = space + 1
    if end < len(text):
        space = text.rfind(" ", max(start, matches[0].end if matches else start), end)
        if space > start:
            end = space
    return Span(start, end)
