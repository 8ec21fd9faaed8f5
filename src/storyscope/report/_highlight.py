"""Article text as HTML paragraphs with cited spans wrapped in ``<mark>``.

Spans may overlap. The text is cut at every span boundary and every paragraph
boundary; each piece is escaped on its own with :func:`markupsafe.escape` and
wrapped in one ``<mark>`` carrying the classes of every span covering it. So
the text is never searched or string-replaced, and stripping the tags and
unescaping the result gives the article text back exactly.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from storyscope.report._index import paragraph_ranges

__all__ = ["Highlight", "anchor_id", "highlight"]

logger = logging.getLogger(__name__)

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]")


def anchor_id(article: str, start: int, end: int) -> str:
    """HTML id of a highlighted span: ``a-<article>-<start>-<end>``.

    Characters other than letters, digits, ``_`` and ``-`` in the article id
    become ``_`` so that the id is safe in a URL fragment.
    """
    return f"a-{_UNSAFE_ID.sub('_', article)}-{start}-{end}"


@dataclass(frozen=True, slots=True, order=True)
class Highlight:
    """A span to mark: half-open offsets into the text and a kind used as CSS class."""

    start: int
    end: int
    kind: str


def _mark_class(kinds: Iterable[str], count: int) -> str:
    classes = ["hl", *(f"hl-{kind}" for kind in sorted(set(kinds)))]
    if count > 1:
        classes.append("hl-multi")
    return " ".join(classes)


def highlight(text: str, spans: Iterable[Highlight], *, article: str) -> Markup:
    """Render ``text`` as ``<p>`` paragraphs with ``spans`` marked.

    Args:
        text: The article text.
        spans: Spans to mark; they may overlap, repeat or be empty. Spans
            reaching past the text are clipped (and logged).
        article: Article id, used to build each span's anchor id.

    Returns:
        Safe HTML. Paragraphs are split at blank lines; the blank-line text
        itself is kept between the ``<p>`` elements. Every distinct
        ``(start, end)`` gets one element whose id is
        :func:`anchor_id` ``(article, start, end)``: the first ``<mark>`` of the
        span when it has one, otherwise an empty ``<span class="anchor">``.
    """
    size = len(text)
    clean: set[Highlight] = set()
    for span in spans:
        start, end = max(0, min(span.start, size)), max(0, min(span.end, size))
        if (start, end) != (span.start, span.end):
            logger.warning("span [%d, %d) clipped to article %s", span.start, span.end, article)
        clean.add(Highlight(min(start, end), end, span.kind))
    marked = sorted(clean)

    starts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for span in marked:
        key = (span.start, span.end)
        if key not in starts[span.start]:
            starts[span.start].append(key)
    for keys in starts.values():
        keys.sort(key=lambda key: (-(key[1] - key[0]), key))  # longest first gets the mark id
    cuts = {0, size}
    for span in marked:
        cuts.update((span.start, span.end))

    anchored: set[tuple[int, int]] = set()
    out: list[str] = []

    def anchors(
        position: int, *, keep: tuple[int, int] | None = None, empty_only: bool = False
    ) -> None:
        for key in starts.get(position, ()):
            if key in anchored or key == keep or (empty_only and key[0] != key[1]):
                continue
            anchored.add(key)
            out.append(f'<span class="anchor" id="{anchor_id(article, *key)}"></span>')

    def pieces(lo: int, hi: int) -> list[tuple[int, int]]:
        points = sorted({lo, hi} | {c for c in cuts if lo < c < hi})
        return list(zip(points, points[1:], strict=False))

    # Sweep: spans enter the active set at their start and leave it at their end.
    enter: dict[int, list[Highlight]] = defaultdict(list)
    leave: dict[int, list[Highlight]] = defaultdict(list)
    for span in marked:
        if span.start < span.end:
            enter[span.start].append(span)
            leave[span.end].append(span)
    events = sorted(set(enter) | set(leave))
    live: set[Highlight] = set()
    done = 0

    def active_at(position: int) -> list[Highlight]:
        nonlocal done
        while done < len(events) and events[done] <= position:
            live.difference_update(leave.get(events[done], ()))
            live.update(enter.get(events[done], ()))
            done += 1
        return sorted(live)

    for p_start, p_end, sep_end in paragraph_ranges(text):
        out.append("<p>")
        for a, b in pieces(p_start, p_end):
            active = active_at(a)
            segment = str(escape(text[a:b]))
            if not active:
                anchors(a)
                out.append(segment)
                continue
            owner = next(
                (k for k in starts.get(a, ()) if k not in anchored and k[1] >= b and k[0] < k[1]),
                None,
            )
            anchors(a, keep=owner)
            id_attr = ""
            if owner is not None:
                anchored.add(owner)
                id_attr = f' id="{anchor_id(article, *owner)}"'
            distinct = {(s.start, s.end) for s in active}
            css = _mark_class((s.kind for s in active), len(distinct))
            out.append(f'<mark{id_attr} class="{css}">{segment}</mark>')
        anchors(p_end, empty_only=True)
        out.append("</p>")
        for a, b in pieces(p_end, sep_end):
            anchors(a)
            out.append(str(escape(text[a:b])))
    anchors(size)
    return Markup("".join(out))
