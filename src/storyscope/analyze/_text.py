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
#: A single mark opening a sentence ("... point. 'One party ...") and one closing a word.
_SINGLE_OPENING = re.compile(r"(?:(?<=\s)|(?<=^))['\u2018](?=[A-Z])", re.MULTILINE)
_SINGLE_CLOSING = re.compile(r"\w[.,!?]?['\u2019](?![\w])")
#: A line opening on a name and a comma: the pull quote's byline ("Ada Okafor, mayor."),
#: not the quotation's next paragraph.
_BYLINE = re.compile(r"[ \t]*(?:[A-Z][\w.'\u2019-]*[ \t]+){1,3}[A-Z][\w.'\u2019-]*,")
#: A short line ending on a name: "Former port director Ada Okafor."
_BYLINE_END = re.compile(
    r"[ \t]*(?:[\w.'\u2019-]+[ \t]+){0,5}[A-Z][\w'\u2019-]+[ \t]+[A-Z][\w'\u2019-]+\.?"
)


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
    or punctuation) but has no opening partner is ignored, with two exceptions. After
    a single mark that opens a sentence since the line's last quotation and is not
    closed (``... point. 'We will ..."``, a mismatched pair) it closes the quotation
    that single mark opens. As the first mark of a line after a line that ends inside
    an unclosed quotation it closes the quotation's next paragraph, whose opening mark
    the writer left out (the region then opens at the line break before the
    paragraph), unless the line is a pull quote's byline: it opens on a name and a
    comma (``Ada Okafor, mayor, on the port."``) or is a few words ending on a name
    (``Former port director Ada Okafor."``). Two opening marks in a row before a word
    (``""We ...``, an excerpt that starts with a quotation) open one quotation, at
    the second mark.

    Args:
        text: Any text.

    Returns:
        Regions in text order; they never overlap.
    """
    regions: list[QuoteRegion] = []
    open_at: int | None = None
    n = len(text)
    line_start = 0
    first_on_line = True  # no mark seen yet on the current line
    # The last line with any text ended inside an unclosed quotation.
    prev_unclosed = False

    def flush(end: int) -> bool:
        nonlocal open_at
        cut_short = False
        if open_at is not None:
            cut = min(end, open_at + MAX_QUOTE_CHARS)
            if cut > open_at + 1:
                regions.append(QuoteRegion(open_at, cut, False))
                cut_short = cut == end
            open_at = None
        return cut_short

    def orphan_opening(i: int) -> int | None:
        """Where the quotation closed by an unpaired mark at ``i`` opened, if anywhere."""
        since = regions[-1].close + 1 if regions and regions[-1].close >= line_start else line_start
        if i - since > MAX_QUOTE_CHARS:
            return None
        single = _SINGLE_OPENING.search(text, since, i)
        if single is not None and _SINGLE_CLOSING.search(text, single.end(), i) is None:
            return single.start()
        if (
            first_on_line
            and prev_unclosed
            and line_start > 0
            and text[line_start:i].strip()
            and _BYLINE.match(text, line_start) is None
            and _BYLINE_END.fullmatch(text, line_start, i) is None
        ):
            return line_start - 1
        return None

    def close_orphan(i: int) -> None:
        opened = orphan_opening(i)
        if opened is not None:
            regions.append(QuoteRegion(opened, i, True))

    for match in _MARK_RE.finditer(text):
        i = match.start()
        ch = text[i]
        if ch == "\n":
            unclosed = flush(i)
            if text[line_start:i].strip():
                prev_unclosed = unclosed
            line_start, first_on_line = i + 1, True
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
            else:
                close_orphan(i)
        elif open_at is not None:
            if open_at == i - 1 and i + 1 < n and text[i + 1].isalnum():
                open_at = i  # '""We ...': an excerpt opening on a quotation
            else:
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
            else:
                close_orphan(i)
        first_on_line = False
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
