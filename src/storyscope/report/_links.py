"""Citation links: a report's citation records as link data, with the spans to highlight.

This is the one link builder: the static HTML report (:mod:`storyscope.report.html`)
and the web's story and article pages (:mod:`storyscope.web._views`) both turn every
citation into a link through :class:`Linker`, so a citation gets the same label
(``"<outlet> ¶<paragraph>"``), the same ``#a-<article>-<start>-<end>`` anchor and the
same check that its span is really in the article. What each page does with the
collected spans differs only in the kinds it registers (the report's CSS kinds, the
web's fact statuses) and in the highlighter's class rule (:mod:`._highlight`).
"""

from __future__ import annotations

from typing import Any

from storyscope.report._highlight import Highlight, anchor_id
from storyscope.report._index import paragraph_ranges

__all__ = ["Linker"]


class Linker:
    """Turns citation records into link data and collects the spans to highlight.

    Args:
        report: The JSON report (:func:`storyscope.report.to_dict`); its articles'
            texts are what citations are checked against.
    """

    def __init__(self, report: dict[str, Any]) -> None:
        self.texts = {a["id"]: a["text"] for a in report["articles"]}
        self.paragraphs = {
            a["id"]: [start for start, _, _ in paragraph_ranges(a["text"])]
            for a in report["articles"]
        }
        #: Article id -> the spans cited in it, each with the kind it was cited as.
        self.spans: dict[str, set[Highlight]] = {a["id"]: set() for a in report["articles"]}
        #: Selectable items: key -> {article id: first paragraph (1-based) holding one of its spans}.
        self.items: dict[str, dict[str, int]] = {}

    def resolves(self, record: dict[str, Any]) -> bool:
        """Whether the record's span is in its article and holds its text."""
        text = self.texts.get(record["article"])
        return (
            text is not None
            and 0 <= record["start"] <= record["end"] <= len(text)
            and text[record["start"] : record["end"]] == record["text"]
        )

    def href(self, record: dict[str, Any]) -> str | None:
        """``#<anchor id>`` of the record's span, None when it does not resolve (nothing registered)."""
        if not self.resolves(record):
            return None
        return "#" + anchor_id(record["article"], record["start"], record["end"])

    def _paragraph(self, record: dict[str, Any]) -> int:
        return sum(1 for s in self.paragraphs[record["article"]] if s <= record["start"]) or 1

    def cite(self, record: dict[str, Any], kind: str) -> dict[str, Any]:
        """Link data for a citation-like record, registering its span (as ``kind``) for highlighting.

        Returns:
            ``label`` ("<outlet> ¶<paragraph>", the outlet alone for a span that does not
            resolve), ``href`` (``#<anchor id>``, None when the span does not resolve),
            ``ok`` (whether it resolves), the record's ``text``, ``outlet``, ``article``,
            ``start`` and ``end``, the ``kind`` and ``token`` (``<article>:<start>:<end>``,
            what the web page's script selects spans by).
        """
        article, start, end = record["article"], record["start"], record["end"]
        outlet = record.get("outlet") or f"unknown article {article}"
        href = self.href(record)
        label = outlet
        if href is not None:
            self.spans[article].add(Highlight(start, end, kind))
            label = f"{outlet} ¶{self._paragraph(record)}"
        return {
            "label": label,
            "href": href,
            "ok": href is not None,
            "text": record["text"],
            "outlet": outlet,
            "article": article,
            "start": start,
            "end": end,
            "kind": kind,
            "token": f"{article}:{start}:{end}",
        }

    def select(self, key: str, records: list[dict[str, Any]]) -> str | None:
        """Make ``records`` one selectable item: ``#sel-<key>`` lights up all its spans.

        Args:
            key: A short id made of letters and digits only (it is written into CSS).
            records: The item's citation records; those that do not resolve are skipped.

        Returns:
            The item's link, or None when none of its spans resolves.
        """
        firsts: dict[str, int] = {}
        for record in records:
            if not self.resolves(record):
                continue
            article = record["article"]
            self.spans[article].add(Highlight(record["start"], record["end"], f"x-{key}"))
            number = self._paragraph(record)
            firsts[article] = min(firsts.get(article, number), number)
        if not firsts:
            return None
        self.items[key] = firsts
        return f"#sel-{key}"
