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
* whitespace is stripped from sentence edges; offsets stay exact.

Sentences never overlap, are in text order, and cover every non-whitespace character.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from storyscope.analyze._text import CLOSING_MARKS, STRAIGHT_MARK, find_quote_regions, strip_span
from storyscope.model import Sentence

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

__all__ = ["SentenceSplitter", "find_sentences", "split_sentences"]

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


def _has_word(text: str, start: int, end: int) -> bool:
    return any(c.isalnum() for c in text[start:end])


def split_sentences(text: str, starts: Iterable[int]) -> list[Sentence]:
    """Build repaired sentences from candidate sentence-start offsets.

    Args:
        text: The article text.
        starts: Candidate sentence starts (character offsets), e.g. from spaCy.

    Returns:
        Sentences in order, stripped, non-overlapping, covering all non-whitespace text.
    """
    n = len(text)
    regions = [r for r in find_quote_regions(text) if r.closed]
    closing_at = {r.close for r in regions}
    short_quotes = [r for r in regions if r.close - r.open <= _MAX_MERGED_QUOTE]

    def inside_short_quote(pos: int) -> bool:
        return any(r.open < pos <= r.close for r in short_quotes)

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
    return [Sentence(index=i, start=s, end=e, text=text[s:e]) for i, (s, e) in enumerate(pieces)]


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

    name = "sentences.v1"
    requires: frozenset[str] = frozenset({"doc"})
    assigns = frozenset({"sentences"})

    def __call__(self, text: str, doc: Doc) -> list[Sentence]:
        return find_sentences(text, doc)
