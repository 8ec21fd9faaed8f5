"""Template data for the story and article pages, built from the public JSON report.

Article bodies are rendered by :func:`article_body`: the text is cut at every
span and paragraph boundary, each piece escaped on its own and wrapped in one
``<mark>`` carrying ``data-s``/``data-e`` (its offsets) and the class of the
strongest status covering it (conflict > agreed > single-source). A piece never
straddles a span boundary, so the page script can highlight any cited span
exactly by selecting the marks whose offsets fall inside it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from storyscope.model import Story
from storyscope.report import to_dict
from storyscope.web.charts import Bar, bar_chart, timeline_chart

__all__ = ["anchor_id", "article_body", "story_context", "word_diff"]

_PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]*\n)+")
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]")
_TOKEN = re.compile(r"\S+")

# Highlight kinds, strongest first; a piece gets the class of the strongest covering span.
_STATUS_ORDER = ("conflict", "agreed", "single")
_FACT_KIND = {"consensus": "agreed", "single_source": "single", "contested": "conflict"}
_MAX_CHART_FACTS = 15


def anchor_id(article: str, start: int, end: int) -> str:
    """HTML id of a span: ``a-<article>-<start>-<end>`` (unsafe id characters become ``_``)."""
    return f"a-{_UNSAFE_ID.sub('_', article)}-{start}-{end}"


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph and of each break between them, tiling the text."""
    out: list[tuple[int, int]] = []
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        out.append((position, match.start()))
        out.append((match.start(), -match.end()))  # negative end marks a break
        position = match.end()
    out.append((position, len(text)))
    return out


def article_body(text: str, spans: Iterable[tuple[int, int, str]], *, article: str) -> Markup:
    """Article text as ``<p>`` paragraphs with spans marked.

    Args:
        text: The article text (untrusted; every piece is escaped).
        spans: ``(start, end, kind)`` with kind ``conflict``, ``agreed``, ``single``
            or ``quote``; spans may overlap; out-of-range spans are clipped.
        article: Article id, used in anchor ids.

    Returns:
        Safe HTML. Stripping the tags and unescaping gives ``text`` back exactly.
        Each distinct span gets an empty ``<span class="anchor">`` with id
        :func:`anchor_id` at its start.
    """
    size = len(text)
    clean: set[tuple[int, int, str]] = set()
    for start, end, kind in spans:
        s, e = max(0, min(start, size)), max(0, min(end, size))
        if s < e:
            clean.add((s, e, kind))
    events: dict[int, list[tuple[str, int]]] = defaultdict(list)
    anchors_at: dict[int, set[tuple[int, int]]] = defaultdict(set)
    cuts: set[int] = set()
    for s, e, kind in clean:
        events[s].append((kind, 1))
        events[e].append((kind, -1))
        anchors_at[s].add((s, e))
        cuts.update((s, e))
    positions = sorted(events)
    applied = 0
    live: dict[str, int] = defaultdict(int)
    out: list[str] = []

    def advance(to: int) -> None:
        nonlocal applied
        while applied < len(positions) and positions[applied] <= to:
            for kind, delta in events[positions[applied]]:
                live[kind] += delta
            applied += 1

    def emit(lo: int, hi: int, *, marks: bool) -> None:
        points = sorted({lo, hi} | {c for c in cuts if lo < c < hi})
        for a, b in zip(points, points[1:], strict=False):
            for key in sorted(anchors_at.pop(a, ())):
                out.append(f'<span class="anchor" id="{anchor_id(article, *key)}"></span>')
            advance(a)
            piece = str(escape(text[a:b]))
            kinds = [k for k in _STATUS_ORDER if live.get(k)] if marks else []
            quote = marks and bool(live.get("quote"))
            if not kinds and not quote:
                out.append(piece)
                continue
            css = ["hl"]
            if kinds:
                css.append(f"hl-{kinds[0]}")
            if quote:
                css.append("hl-quote")
            out.append(f'<mark class="{" ".join(css)}" data-s="{a}" data-e="{b}">{piece}</mark>')

    for start, end in _paragraphs(text):
        if end < 0:  # a paragraph break: its whitespace stays between the <p> elements
            emit(start, -end, marks=False)
            continue
        out.append("<p>")
        emit(start, end, marks=True)
        out.append("</p>")
    return Markup("".join(out))


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff: ``(op, words)`` with op ``equal``, ``del`` (only in old) or ``ins``."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    pieces: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(("equal", " ".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            pieces.append(("del", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            pieces.append(("ins", " ".join(b[j1:j2])))
    return pieces


class _Citer:
    """Citation link data; collects the spans to highlight per article."""

    def __init__(self, report: dict[str, Any], *, local: bool) -> None:
        self.texts = {a["id"]: a["text"] for a in report["articles"]}
        self.breaks = {
            a["id"]: [m.end() for m in _PARAGRAPH_BREAK.finditer(a["text"])]
            for a in report["articles"]
        }
        self.spans: dict[str, set[tuple[int, int, str]]] = defaultdict(set)
        self.local = local

    def cite(self, record: dict[str, Any], kind: str | None) -> dict[str, Any]:
        article, start, end = record["article"], record["start"], record["end"]
        text = self.texts.get(article)
        ok = (
            text is not None
            and 0 <= start <= end <= len(text)
            and text[start:end] == record["text"]
        )
        outlet = record.get("outlet") or f"article {article}"
        label, href = outlet, None
        if ok:
            if kind is not None:
                self.spans[article].add((start, end, kind))
            paragraph = 1 + sum(1 for b in self.breaks[article] if b <= start)
            label = f"{outlet} ¶{paragraph}"
            anchor = anchor_id(article, start, end)
            href = f"#{anchor}" if self.local else f"/articles/{article}#{anchor}"
        return {
            "label": label,
            "href": href,
            "text": record["text"],
            "outlet": outlet,
            "article": article,
            "start": start,
            "end": end,
            "ok": ok,
            "token": f"{article}:{start}:{end}",
        }


def _cites(links: Iterable[dict[str, Any]]) -> str:
    return " ".join(link["token"] for link in links if link["ok"])


def _published(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def story_context(
    story: Story, *, story_id: str | None, title: str | None = None
) -> dict[str, Any]:
    """Everything the story template shows, from the story's JSON report.

    Args:
        story: The aligned story.
        story_id: Its id (None for a compare result that is not stored).
        title: Display title; the first article title when None.

    Returns:
        Template variables: ``report``, ``summary``, ``facts``, ``contradictions``,
        ``quote_groups``, ``variants``, ``labels``, ``outlet_rows``, ``articles``
        (with highlighted ``body``), ``charts``.
    """
    report = to_dict(story)
    citer = _Citer(report, local=True)
    contradictions = []
    for c in report["contradictions"]:
        a, b = citer.cite(c["a"], "conflict"), citer.cite(c["b"], "conflict")
        contradictions.append({**c, "link_a": a, "link_b": b, "cites": _cites([a, b])})
    facts = []
    for f in report["facts"]:
        links = [citer.cite(c, _FACT_KIND.get(f["status"], "single")) for c in f["support"]]
        facts.append({**f, "links": links, "cites": _cites(links)})
    summary = []
    for s in report["summary"]:
        links = [citer.cite(c, None) for c in s["citations"]]
        summary.append({**s, "links": links, "cites": _cites(links)})
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in report["quotes"]:
        link = citer.cite(q, "quote")
        speaker = q["speaker"] or ("Anonymous source" if q["anonymous"] else "Unattributed")
        groups[speaker].append({**q, "link": link, "cites": _cites([link])})
    quote_groups = sorted(
        groups.items(), key=lambda item: (item[0] in ("Unattributed",), item[0].casefold())
    )
    variants = []
    for v in report["quote_variants"]:
        members = [citer.cite(m, "quote") for m in v["members"]]
        diffs = [
            {"from": members[0], "to": m, "pieces": word_diff(members[0]["text"], m["text"])}
            for m in members[1:]
        ]
        variants.append({**v, "links": members, "diffs": diffs, "cites": _cites(members)})
    articles = [
        {
            **{
                k: a[k]
                for k in ("id", "outlet", "title", "byline", "published", "url", "word_count")
            },
            "body": article_body(a["text"], citer.spans.get(a["id"], ()), article=a["id"]),
        }
        for a in report["articles"]
    ]
    ranked = sorted(
        report["facts"], key=lambda f: (-f["support_count"], f["status"] != "contested")
    )
    support_bars = [
        Bar(
            label=f["statement"],
            value=f["support_count"],
            kind=f["status"],
            href=f"#fact-{f['id']}",
        )
        for f in ranked[:_MAX_CHART_FACTS]
    ]
    timeline: dict[str, list[dt.datetime]] = {}
    for a in report["articles"]:
        when = _published(a["published"])
        timeline.setdefault(a["outlet"], [])
        if when is not None:
            timeline[a["outlet"]].append(when)
    return {
        "story_id": story_id,
        "title": title or next((a["title"] for a in report["articles"] if a["title"]), "Story"),
        "report": report,
        "stats": report["stats"],
        "summary": summary,
        "facts": facts,
        "fact_ids": {f["id"] for f in report["facts"]},
        "contradictions": contradictions,
        "quote_groups": quote_groups,
        "variants": variants,
        "labels": report["framing"]["labels"],
        "outlet_rows": report["framing"]["outlets"],
        "articles": articles,
        "charts": {
            "support": bar_chart(support_bars, title="Support per fact (outlets)", unit="outlets"),
            "coverage": timeline_chart(timeline, title="Coverage per outlet over time"),
        },
    }


def article_context(story: Story | None, article_id: str, fallback: Story) -> dict[str, Any]:
    """Template data for one article: its highlighted body plus the facts and quotes citing it.

    Args:
        story: The article's story, if it has one (for fact statuses).
        article_id: The article id.
        fallback: A one-article story holding the article (used when ``story`` is None).

    Returns:
        Template variables ``article`` (report record with ``body``), ``facts``,
        ``contradictions`` and ``quotes`` that cite this article.
    """
    if story is None or all(a.id != article_id for a in story.articles):
        story = fallback
    report = to_dict(story)
    citer = _Citer(report, local=True)
    facts = []
    for f in report["facts"]:
        links = [
            citer.cite(c, _FACT_KIND.get(f["status"], "single"))
            for c in f["support"]
            if c["article"] == article_id
        ]
        if links:
            facts.append({**f, "links": links, "cites": _cites(links)})
    contradictions = []
    for c in report["contradictions"]:
        if article_id in (c["a"]["article"], c["b"]["article"]):
            a, b = citer.cite(c["a"], "conflict"), citer.cite(c["b"], "conflict")
            contradictions.append({**c, "link_a": a, "link_b": b, "cites": _cites([a, b])})
    quotes = []
    for q in report["quotes"]:
        if q["article"] == article_id:
            link = citer.cite(q, "quote")
            quotes.append({**q, "link": link, "cites": _cites([link])})
    record = next(a for a in report["articles"] if a["id"] == article_id)
    body = article_body(record["text"], citer.spans.get(article_id, ()), article=article_id)
    return {
        "article": {**record, "body": body},
        "facts": facts,
        "contradictions": contradictions,
        "quotes": quotes,
    }
