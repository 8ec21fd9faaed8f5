"""Sentences: spaCy's sentence boundaries, repaired for news text.

Repairs:

* a blank line (paragraph break) always ends a sentence; so does a single line
  break after sentence-final punctuation or after a short title-like line;
* no split inside a short quotation (``"We lost everything. It came too fast,"
  said ...`` stays one sentence), and none before a lower-case continuation
  (``"It was horrible." he said.``);
* a closing quote mark that spaCy put at the start of the next sentence is moved
  back to the sentence it closes;
* a fragment with no letters or digits (a stray quote mark) joins its neighbour;
* whitespace is stripped from sentence edges; offsets stay exact;
* a "sentence" longer than :data:`MAX_SENTENCE_CHARS` characters (text without
  sentence breaks) is cut into pieces of at most that length, after the last
  semicolon, else comma, else space of its second half (:func:`bound_span`), so
  that every later stage costs at most a constant per piece and an article costs
  time and memory linear in its length. News sentences stay far below the limit
  (BASIL's longest is 650 characters, PolNeAR's under 1,000).

Sentences never overlap, are in text order, and cover every non-whitespace character.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from storyscope.analyze._text import CLOSING_MARKS, STRAIGHT_MARK, find_quote_regions, strip_span
from storyscope.model import Sentence

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

__all__ = [
    "MAX_SENTENCE_CHARS",
    "SentenceSplitter",
    "bound_span",
    "find_sentences",
    "split_sentences",
]

#: Most characters in one sentence; longer runs are cut (:func:`bound_span`). The spaCy
#: pipeline cuts at the same length before its parser (:mod:`storyscope.analyze.nlp`).
MAX_SENTENCE_CHARS = 1000
_CUT_MARKS = (";", ",")

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_LINE_BREAK = re.compile(r"\n\s*")
_MAX_MERGED_QUOTE = 400
_TITLE_LINE_MAX = 80
_TERMINAL = ".!?:;\"'\u201d\u2019)"


def _hard_boundaries(text: str) -> set[int]:
    hard: set[int] = set()
    for match in _LINE_BREAK.finditer(text):
        end = match.end()
        if end >= len(text):
            continue
        if "\n" in match.group()[1:] or _BLANK_LINE.match(match.group()):
            hard.add(end)
            continue
        # A single line break: hard after sentence-final punctuation or a short title line.
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = text[line_start : match.start()].rstrip()
        title_like = len(line) <= _TITLE_LINE_MAX and not text[end].islower()
        if not line or line[-1] in _TERMINAL or title_like:
            hard.add(end)
    return hard


def bound_span(
    text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS
) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into stripped pieces of at most ``limit`` characters.

    A piece ends after the last semicolon in the second half of its window, else after
    the last comma there, else at the last whitespace there, else (a run of
    ``limit // 2`` characters without a space) exactly at ``limit``. The work is linear
    in ``end - start``.

    Args:
        text: The text the offsets index.
        start: Start of the span.
        end: End of the span.
        limit: Most characters in one piece (at least 2).

    Returns:
        Non-empty ``(start, end)`` pieces in order, inside ``[start, end)``, none
        starting or ending with whitespace, together covering every non-whitespace
        character of the span; one piece (the stripped span) when it is short enough.
    """
    if limit < 2:
        raise ValueError(f"limit must be at least 2, not {limit}")
    pieces: list[tuple[int, int]] = []
    s, e = strip_span(text, start, end)
    while e - s > limit:
        hi = s + limit
        lo = s + limit // 2
        cut = -1
        for mark in _CUT_MARKS:
            at = text.rfind(mark, lo, hi)
            if at >= 0:
                cut = at + 1
                break
        if cut < 0:
            cut = next((i for i in range(hi, lo, -1) if text[i].isspace()), hi)
        ps, pe = strip_span(text, s, cut)
        if pe > ps:
            pieces.append((ps, pe))
        s, e = strip_span(text, cut, e)
    if e > s:
        pieces.append((s, e))
    return pieces


def _has_word(text: str, start: int, end: int) -> bool:
    return any(c.isalnum() for c in text[start:end])


def split_sentences(
    text: str, starts: Iterable[int], *, max_chars: int = MAX_SENTENCE_CHARS
) -> list[Sentence]:
    """Build repaired sentences from candidate sentence-start offsets.

    Args:
        text: The article text.
        starts: Candidate sentence starts (character offsets), e.g. from spaCy.
        max_chars: Most characters in one sentence (:func:`bound_span` cuts longer ones).

    Returns:
        Sentences in order, stripped, non-overlapping, covering all non-whitespace text.
    """
    n = len(text)
    regions = [r for r in find_quote_regions(text) if r.closed]
    closing_at = {r.close for r in regions}
    short_quotes = [r for r in regions if r.close - r.open <= _MAX_MERGED_QUOTE]
    quote_opens = [r.open for r in short_quotes]  # in order, never overlapping

    def inside_short_quote(pos: int) -> bool:
        k = bisect.bisect_left(quote_opens, pos) - 1
        return k >= 0 and pos <= short_quotes[k].close

    soft: set[int] = set()
    for b in starts:
        if b <= 0 or b >= n:
            continue
        # Move a leading closing mark back to the sentence it closes.
        probe = b
        while probe < n and text[probe].isspace():
            probe += 1
        if probe < n and (
            text[probe] in CLOSING_MARKS or (text[probe] == STRAIGHT_MARK and probe in closing_at)
        ):
            b = probe + 1
            while b < n and text[b] in CLOSING_MARKS + STRAIGHT_MARK + ".,!?":
                b += 1
            probe = b
            while probe < n and text[probe].isspace():
                probe += 1
        if probe >= n:
            continue
        if text[probe].islower():
            continue
        if inside_short_quote(probe):
            continue
        soft.add(b)

    hard = _hard_boundaries(text)
    bounds = sorted(soft | hard | {0, n})
    pieces: list[tuple[int, int]] = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        s, e = strip_span(text, lo, hi)
        if s == e:
            continue
        if pieces and lo not in hard and "\n" not in text[pieces[-1][1] : s]:
            prev_s, prev_e = pieces[-1]
            if not _has_word(text, s, e) or not _has_word(text, prev_s, prev_e):
                pieces[-1] = (prev_s, e)  # a stray mark joins its neighbour
                continue
        pieces.append((s, e))
    bounded = [
        piece
        for s, e in pieces
        for piece in ([(s, e)] if e - s <= max_chars else bound_span(text, s, e, max_chars))
    ]
    return [Sentence(index=i, start=s, end=e, text=text[s:e]) for i, (s, e) in enumerate(bounded)]


def find_sentences(text: str, doc: Doc) -> list[Sentence]:
    """Sentences of ``text`` from a spaCy ``doc`` of the same text, repaired for news.

    Args:
        text: The article text.
        doc: spaCy document of ``text`` (needs sentence boundaries: a parser or senter).

    Returns:
        Repaired sentences (see module docstring).
    """
    if doc.has_annotation("SENT_START"):
        starts: Iterable[int] = (sent.start_char for sent in doc.sents)
    else:
        starts = ()
    return split_sentences(text, starts)


class SentenceSplitter:
    """Pipeline component: spaCy doc -> repaired sentences."""

    name = "sentences.v2"
    requires: frozenset[str] = frozenset({"doc"})
    assigns = frozenset({"sentences"})

    def __call__(self, text: str, doc: Doc) -> list[Sentence]:
        return find_sentences(text, doc)
