"""Private text helpers shared by the analyze components: offsets, quote marks, lookups."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from storyscope.model import Sentence

OPENING_MARKS = "\u201c\u201e"  # “ „
CLOSING_MARKS = "\u201d"  # ”
STRAIGHT_MARK = '"'
ALL_MARKS = OPENING_MARKS + CLOSING_MARKS + STRAIGHT_MARK
MAX_QUOTE_CHARS = 1500

_MARK_RE = re.compile(r'[\u201c\u201e\u201d"\n]')


@dataclass(frozen=True, slots=True)
class QuoteRegion:
    """A pair of double quote marks: ``open`` and ``close`` index the marks themselves.

    ``closed`` is False when no closing mark was found before the end of the line
    (or :data:`MAX_QUOTE_CHARS`); ``close`` is then where the region was cut.
    """

    open: int
    close: int
    closed: bool

    @property
    def inner_start(self) -> int:
        return self.open + 1

    @property
    def inner_end(self) -> int:
        return self.close


def find_quote_regions(text: str) -> list[QuoteRegion]:
    """Pair double quote marks (straight and curly) within each line of ``text``.

    A line break always ends a quotation; an unclosed quotation runs to the end of
    its line but never more than :data:`MAX_QUOTE_CHARS` characters. A straight mark
    that looks like a closing one (glued to the word before it, followed by a space
    or punctuation) but has no opening partner is ignored.

    Args:
        text: Any text.

    Returns:
        Regions in text order; they never overlap.
    """
    regions: list[QuoteRegion] = []
    open_at: int | None = None
    n = len(text)

    def flush(end: int) -> None:
        nonlocal open_at
        if open_at is not None:
            cut = min(end, open_at + MAX_QUOTE_CHARS)
            if cut > open_at + 1:
                regions.append(QuoteRegion(open_at, cut, False))
            open_at = None

    for match in _MARK_RE.finditer(text):
        i = match.start()
        ch = text[i]
        if ch == "\n":
            flush(i)
            continue
        if open_at is not None and i - open_at > MAX_QUOTE_CHARS:
            flush(i)
        if ch in OPENING_MARKS:
            if open_at is not None:
                flush(i)  # previous quotation never closed
            open_at = i
        elif ch in CLOSING_MARKS:
            if open_at is not None:
                regions.append(QuoteRegion(open_at, i, True))
                open_at = None
        elif open_at is not None:
            regions.append(QuoteRegion(open_at, i, True))
            open_at = None
        else:
            before = text[i - 1] if i > 0 else " "
            after = text[i + 1] if i + 1 < n else " "
            looks_closing = (
                not before.isspace()
                and before not in "([{-\u2014"
                and (after.isspace() or (not after.isalnum() and after not in "'\u2018"))
            )
            if not looks_closing:
                open_at = i
    flush(n)
    return regions


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so that it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class SentenceLookup:
    """Map character offsets to sentence indices (binary search)."""

    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self._starts = [s.start for s in sentences]
        self._sentences = sentences

    def index_at(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (or the last one starting before it).

        Returns:
            The sentence index, or -1 when there are no sentences.
        """
        if not self._starts:
            return -1
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    def sentence(self, index: int) -> Sentence:
        return self._sentences[index]
