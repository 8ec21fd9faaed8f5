"""Article text as HTML paragraphs with cited spans wrapped in ``<mark>``.

Spans may overlap. The text is cut at every span boundary and every paragraph
boundary; each piece is escaped on its own with :func:`markupsafe.escape` and
wrapped in one ``<mark>`` whose classes say which spans cover it. So the text
is never searched or string-replaced, and stripping the tags and unescaping
the result gives the article text back exactly.

This is the one highlighter: the static report uses it as it is (every covering
span's kind as a class, the span's id on its first ``<mark>``), and the web's
article bodies (:func:`storyscope.web._views.article_body`) pass their own class
rule (the strongest fact status), ``offsets=True`` (each ``<mark>`` carries
``data-s``/``data-e``, which the page script selects by) and
``ids_on_marks=False`` (every span's id on an empty anchor at its start).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from storyscope.report._index import paragraph_ranges

__all__ = ["Highlight", "MarkClasses", "anchor_id", "highlight", "kind_classes"]

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


MarkClasses = Callable[[Sequence[Highlight]], str | None]
"""The ``class`` of a piece's ``<mark>`` from the spans covering it, or None for no mark."""


def kind_classes(active: Sequence[Highlight]) -> str:
    """The report's rule: ``hl``, ``hl-<kind>`` for every covering kind, ``hl-multi`` for two spans."""
    classes = ["hl", *(f"hl-{kind}" for kind in sorted({s.kind for s in active}))]
    if len({(s.start, s.end) for s in active}) > 1:
        classes.append("hl-multi")
    return " ".join(classes)


def highlight(
    text: str,
    spans: Iterable[Highlight],
    *,
    article: str,
    classes: MarkClasses = kind_classes,
    offsets: bool = False,
    ids_on_marks: bool = True,
) -> Markup:
    """Render ``text`` as ``<p>`` paragraphs with ``spans`` marked.

    Args:
        text: The article text (untrusted: every piece is escaped).
        spans: Spans to mark; they may overlap, repeat or be empty. Spans
            reaching past the text are clipped (and logged).
        article: Article id, used to build each span's anchor id.
        classes: The ``class`` of a piece's ``<mark>`` from the spans covering
            it (sorted); None leaves the piece unmarked. :func:`kind_classes`
            by default.
        offsets: Give each ``<mark>`` ``data-s``/``data-e``, the piece's offsets.
        ids_on_marks: Put a span's id on its first ``<mark>`` where it has one;
            when False every span's id is on an empty anchor.

    Returns:
        Safe HTML. Paragraphs are split at blank lines; the blank-line text
        itself is kept between the ``<p>`` elements, unmarked. Every distinct
        ``(start, end)`` gets one element whose id is
        :func:`anchor_id` ``(article, start, end)``: the first ``<mark>`` of the
        span when it has one (and ``ids_on_marks``), otherwise an empty
        ``<span class="anchor">`` at its start.
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
            css = classes(active) if active else None
            if css is None:
                anchors(a)
                out.append(segment)
                continue
            owner = None
            if ids_on_marks:
                owner = next(
                    (
                        k
                        for k in starts.get(a, ())
                        if k not in anchored and k[1] >= b and k[0] < k[1]
                    ),
                    None,
                )
            anchors(a, keep=owner)
            attrs = ""
            if owner is not None:
                anchored.add(owner)
                attrs = f' id="{anchor_id(article, *owner)}"'
            attrs += f' class="{css}"'
            if offsets:
                attrs += f' data-s="{a}" data-e="{b}"'
            out.append(f"<mark{attrs}>{segment}</mark>")
        anchors(p_end, empty_only=True)
        out.append("</p>")
        for a, b in pieces(p_end, sep_end):
            anchors(a)
            out.append(str(escape(text[a:b])))
    anchors(size)
    return Markup("".join(out))
