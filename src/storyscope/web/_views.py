"""Template data for the story and article pages, built from the public JSON report.

Article bodies are rendered by :func:`article_body`, through the static report's
highlighter (:mod:`storyscope.report._highlight`): the text is cut at every
span and paragraph boundary, each piece escaped on its own and wrapped in one
``<mark>`` carrying ``data-s``/``data-e`` (its offsets) and the class of the
strongest status covering it (conflict > agreed > single-source; ``cite`` marks a
span with no status, such as a summary citation or a hedge). A piece never
straddles a span boundary, so the page script can highlight any cited span
exactly by selecting the marks whose offsets fall inside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from markupsafe import Markup

from storyscope.model import Story
from storyscope.report import to_dict
from storyscope.report._highlight import Highlight, anchor_id, highlight
from storyscope.report._lean import lean_bar_html
from storyscope.report._links import Linker
from storyscope.report._view import (
    LIMITS,
    QUALITY,
    QUALITY_SOURCE,
    claims_by_outlet,
    counters,
    coverage,
    fact_numbers,
    multi_outlet_facts,
    outlet_figures,
    quotes_by_speaker,
    report_title,
)
from storyscope.report._view import word_diff as _word_diff
from storyscope.web.charts import Segment, StackedRow, stacked_chart, timeline_chart

__all__ = ["anchor_id", "article_body", "story_context", "word_diff"]

# Highlight kinds, strongest first; a piece gets the class of the strongest covering span.
_STATUS_ORDER = ("conflict", "agreed", "single")
_FACT_KIND = {"consensus": "agreed", "single_source": "single", "contested": "conflict"}


def _status_classes(active: Sequence[Highlight]) -> str | None:
    """``hl``, the strongest covering status and ``hl-quote``; None when nothing the page marks covers it."""
    kinds = {span.kind for span in active}
    status = next((k for k in _STATUS_ORDER if k in kinds), None)
    if status is None and "quote" not in kinds and "cite" not in kinds:
        return None
    css = ["hl"]
    if status is not None:
        css.append(f"hl-{status}")
    if "quote" in kinds:
        css.append("hl-quote")
    return " ".join(css)


def article_body(
    text: str, spans: Iterable[Highlight | tuple[int, int, str]], *, article: str
) -> Markup:
    r"""Article text as ``<p>`` paragraphs with spans marked, by the report's highlighter.

    Args:
        text: The article text (untrusted; every piece is escaped).
        spans: :class:`Highlight` records (a :class:`~storyscope.report._links.Linker`'s
            ``spans``) or ``(start, end, kind)`` tuples, with kind ``conflict``, ``agreed``,
            ``single``, ``quote`` or ``cite`` (marked, no status); spans may overlap;
            out-of-range spans are clipped.
        article: Article id, used in anchor ids.

    Returns:
        Safe HTML (:func:`storyscope.report._highlight.highlight` with the page's
        class rule, ``data-s``/``data-e`` on every ``<mark>``). Stripping the tags and
        unescaping gives ``text`` back exactly. Each distinct span gets an empty
        ``<span class="anchor">`` with id :func:`anchor_id` at its start.
    """
    return highlight(
        text,
        (span if isinstance(span, Highlight) else Highlight(*span) for span in spans),
        article=article,
        classes=_status_classes,
        offsets=True,
        ids_on_marks=False,
    )


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff: ``(op, words)`` with op ``equal``, ``del`` (only in old) or ``ins``.

    The static report's own (:func:`storyscope.report._view.word_diff`).
    """
    return _word_diff(old, new)


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

    The sections and their wording are the static HTML report's
    (:mod:`storyscope.report.html`), built from the same helpers
    (:mod:`storyscope.report._view`): counters that say *facts* for what several
    outlets state and *claims* for what one outlet states, the coverage grid, the
    single-source claims per outlet, the outlet comparison and the "what this
    report can and cannot see" note.

    Args:
        story: The aligned story.
        story_id: Its id (None for a compare result that is not stored).
        title: Display title (the story list's); the report's title when None.

    Returns:
        Template variables: ``report``, ``title``, ``counters``, ``limits``,
        ``quality``, ``summary``, ``contradictions``, ``variants``, ``grid``,
        ``facts``, ``claim_groups``, ``charts``, ``labels``, ``outlet_table``,
        ``hedges``, ``anonymous``, ``quote_groups``, ``articles`` (with their
        highlighted ``body``, ``republished_by`` and outlet ``meta``), ``lean_bar``
        (the coverage-by-lean figure, with an outlets file).
    """
    report = to_dict(story)
    citer = Linker(report)
    item = _cites
    summary = []
    for s in report["summary"]:
        links = [citer.cite(c, "cite") for c in s["citations"]]
        summary.append({**s, "links": links, "cites": item(links)})
    numbers = fact_numbers(report)
    contradictions = []
    for n, c in enumerate(report["contradictions"], start=1):
        a, b = citer.cite(c["a"], "conflict"), citer.cite(c["b"], "conflict")
        contradictions.append({**c, "number": n, "link_a": a, "link_b": b, "cites": item([a, b])})
    variants = []
    for n, v in enumerate(report["quote_variants"], start=1):
        members = [citer.cite(m, "quote") for m in v["members"]]
        diffs = [
            {"from": members[0], "to": m, "pieces": word_diff(members[0]["text"], m["text"])}
            for m in members[1:]
        ]
        variants.append(
            {**v, "number": n, "links": members, "diffs": diffs, "cites": item(members)}
        )
    facts = []
    for f in multi_outlet_facts(report):
        links = [citer.cite(c, _FACT_KIND.get(f["status"], "single")) for c in f["support"]]
        facts.append({**f, "number": numbers[f["id"]], "links": links, "cites": item(links)})
    claim_groups = []
    for outlet, items in claims_by_outlet(report):
        claims = []
        for f in items:
            links = [citer.cite(c, _FACT_KIND.get(f["status"], "single")) for c in f["support"]]
            claims.append({**f, "links": links, "cites": item(links)})
        claim_groups.append((outlet, claims))
    grid = coverage(report)
    for row in grid["rows"]:
        for cell in row["cells"]:
            record = cell["citation"]
            link = citer.cite(record, "cite") if record is not None else None
            cell["link"] = link if link is not None and link["ok"] else None
    framing = report["framing"]
    hedges = [citer.cite(c, "cite") for c in framing["hedges"]]
    anonymous = [citer.cite(c, "cite") for c in framing["anonymous_sources"]]
    outlet_table = _outlet_table(framing["outlets"], citer)
    quote_groups = []
    for speaker, quotes in quotes_by_speaker(report):
        rows = []
        for q in quotes:
            link = citer.cite(q, "quote")
            rows.append({**q, "link": link, "cites": item([link])})
        quote_groups.append((speaker, rows))
    articles = [
        {
            **{
                k: a[k]
                for k in ("id", "outlet", "title", "byline", "published", "url", "word_count")
            },
            "removed": a.get("removed") or [],
            "republished_by": a.get("republished_by") or [],
            "meta": (report.get("outlet_metadata") or {}).get(a["outlet"]),
            "column": n,
            "body": article_body(a["text"], citer.spans.get(a["id"], ()), article=a["id"]),
        }
        for n, a in enumerate(report["articles"], start=1)
    ]
    timeline: dict[str, list[dt.datetime]] = {}
    for a in report["articles"]:
        when = _published(a["published"])
        timeline.setdefault(a["outlet"], [])
        if when is not None:
            timeline[a["outlet"]].append(when)
    return {
        "story_id": story_id,
        "title": title or report_title(report),
        "report": report,
        "stats": report["stats"],
        "counters": counters(report),
        "limits": LIMITS,
        "quality": QUALITY,
        "quality_source": QUALITY_SOURCE,
        "summary": summary,
        "contradictions": contradictions,
        "variants": variants,
        "grid": grid,
        "facts": facts,
        "fact_ids": {f["id"] for f in report["facts"]},
        "claim_groups": claim_groups,
        "claim_count": sum(len(claims) for _, claims in claim_groups),
        "labels": framing["labels"],
        "outlet_table": outlet_table,
        "hedges": hedges,
        "anonymous": anonymous,
        "quote_groups": quote_groups,
        "articles": articles,
        "charts": _outlet_charts(report),
        "lean_bar": Markup(bar) if (bar := lean_bar_html(report)) else None,
        "timeline": timeline_chart(timeline, title="Coverage per outlet over time"),
    }


def _outlet_charts(report: dict[str, Any]) -> list[Markup]:
    """The static report's three per-outlet charts: coverage share, own voice, sources."""
    figures = outlet_figures(report)
    if not figures:
        return []
    total = figures[0]["facts_total"]
    most = max((f["named"] + f["unnamed"] for f in figures), default=0) or 1
    return [
        stacked_chart(
            [
                StackedRow(
                    label=f["outlet"],
                    segments=(
                        Segment(
                            kind="cov",
                            share=f["coverage"],
                            tip=f"{f['outlet']}: {f['facts']} of {total} facts",
                        ),
                    ),
                    value=f"{f['facts']} of {total} facts · {f['claims']} single-source claims",
                )
                for f in figures
            ],
            title="Coverage share",
            caption=f"share of the {total} facts several outlets state that each outlet states",
            legend=[("cov", "states the fact"), ("track", "does not (or was not matched)")],
        ),
        stacked_chart(
            [
                StackedRow(
                    label=f["outlet"],
                    segments=(
                        Segment(
                            kind="own",
                            share=f["own"],
                            tip=f"{f['outlet']}: {f['own']:.0%} own voice",
                        ),
                        Segment(
                            kind="quoted",
                            share=f["quoted"],
                            tip=f"{f['outlet']}: {f['quoted']:.0%} in quotes",
                        ),
                    ),
                    value=f"{f['own']:.0%} own voice · {f['quoted']:.0%} quoted",
                )
                for f in figures
            ],
            title="Own voice and attributed text",
            caption="share of each outlet's text in its own voice and inside quotes",
            legend=[("own", "own voice"), ("quoted", "in quotes (attributed)")],
        ),
        stacked_chart(
            [
                StackedRow(
                    label=f["outlet"],
                    segments=(
                        Segment(
                            kind="named",
                            share=f["named"] / most,
                            tip=f"{f['outlet']}: {f['named']} named",
                        ),
                        Segment(
                            kind="unnamed",
                            share=f["unnamed"] / most,
                            tip=f"{f['outlet']}: {f['unnamed']} unnamed",
                        ),
                    ),
                    value=f"{f['named']} named · {f['unnamed']} unnamed",
                )
                for f in figures
            ],
            title="Named and unnamed sources",
            caption="distinct sources each outlet quotes or cites, by whether it names them",
            legend=[("named", "named"), ("unnamed", "unnamed or anonymous")],
        ),
    ]


_KIND_TITLES = (
    ("official", "Officials"),
    ("ngo", "NGOs, unions, charities"),
    ("expert", "Experts"),
    ("adversary", "Adversaries"),
    ("ordinary", "Ordinary people"),
    ("media", "Other media quoted"),
    ("other", "Other sources"),
)


def _outlet_table(rows: dict[str, Any], citer: Linker) -> dict[str, Any]:
    """The outlet comparison of the static report: one column per outlet, one row per measure.

    Each cell holds its value and links to the spans behind it (registered for
    highlighting, so each link lights up a marked span in the article columns).
    Measure names are the static report's (a test compares the two pages).
    """
    outlets = list(rows)

    def cell(value: str, records: list[Any]) -> dict[str, Any]:
        links = []
        for record in records:
            record, shown = record if isinstance(record, tuple) else (record, None)
            link = citer.cite(record, "cite")
            links.append({**link, "shown": shown or f"“{record['text']}”"})
        return {"value": value, "links": links}

    def source_links(row: dict[str, Any], keep: Any) -> list[tuple[dict[str, Any], str]]:
        out = []
        for s in row["sources"]:
            record = s["evidence"] or (s["quotes"][0] if s["quotes"] else None)
            if keep(s) and record is not None:
                word = s["evidence"]["text"] if s["evidence"] else s["kind"]
                out.append((record, f"{s['name']} ({word})" if s["name"] else word))
        return out

    measures: list[tuple[str, list[dict[str, Any]]]] = []

    def add(title: str, make: Any) -> None:
        measures.append((title, [make(rows[o]) for o in outlets]))

    add("Words", lambda r: cell(str(r["words"]), []))
    add(
        "Named sources",
        lambda r: cell(str(r["named_sources"]), source_links(r, lambda s: s["name"])),
    )
    add(
        "Unnamed sources",
        lambda r: cell(
            f"{r['unnamed_sources']} ({r['anonymous_sources']} anonymous-source phrases)",
            source_links(r, lambda s: not s["name"]),
        ),
    )
    for kind, title in _KIND_TITLES:
        add(
            title,
            lambda r, k=kind: cell(
                f"{r['source_kinds'][k]} · {r['quoted_share_by_kind'][k]:.1%} of text quoted",
                source_links(r, lambda s: s["kind"] == k),
            ),
        )
    add("Text in quotes", lambda r: cell(f"{r['quoted_share']:.1%}", []))
    add(
        "Hedges",
        lambda r: cell(
            f"{r['hedges']} · {r['hedges_per_1000_words']:.2f} per 1000 words",
            [h["hedge"] for h in r["hedged_claims"] if h["kind"] == "hedge"],
        ),
    )
    add(
        "Scare quotes",
        lambda r: cell(
            str(r["scare_quotes"]),
            [h["hedge"] for h in r["hedged_claims"] if h["kind"] == "scare_quote"],
        ),
    )
    add("Reliance on other media", lambda r: cell(str(r["media_reliance"]), r["media"]))
    add(
        "Loaded language (own voice)",
        lambda r: cell(
            f"{r['loaded_terms']} · {r['loaded_terms_per_1000_words']:.2f} per 1000 words",
            [t["span"] for t in r["loaded"] if not t["quoted"]],
        ),
    )
    add(
        "Loaded language in quotes",
        lambda r: cell(
            str(sum(1 for t in r["loaded"] if t["quoted"])),
            [t["span"] for t in r["loaded"] if t["quoted"]],
        ),
    )
    add(
        "Labels used",
        lambda r: cell(
            ", ".join(f"{u['concept']}: {u['span']['text']}" for u in r["labels"]) or "—",
            [u["span"] for u in r["labels"]],
        ),
    )
    return {"outlets": outlets, "measures": measures}


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
    citer = Linker(report)
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
