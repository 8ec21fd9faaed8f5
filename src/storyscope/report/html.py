"""The HTML report: one self-contained page (inline CSS and SVG, no scripts, no external URLs).

Reading order: a note on what the report can and cannot see; the summary;
contradictions and quote variants; the coverage grid (facts several outlets
state x outlets); agreed and contested facts; single-source claims, folded per
outlet; framing and sourcing, with inline SVG charts; the articles side by
side; warnings.

Every citation is a link to ``#a-<article>-<start>-<end>``, the id of the
highlighted span in the article column at the bottom of the page. An item
with spans in several articles (a summary sentence, a fact, a contradiction,
a quote variant) links to ``#sel-<key>``, an empty anchor at the top of the
article columns; CSS written for that key (``:target`` and sibling selectors,
no script) then colours the item's spans, brings the columns that hold them to
the front and folds the paragraphs above the first of them, so that every
cited span is in view. Two columns can be pinned (radio buttons and CSS).
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2
from markupsafe import Markup

from storyscope.errors import ReportError
from storyscope.model import Story
from storyscope.report._highlight import highlight
from storyscope.report._lean import LEAN_CSS, lean_bar_html
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
    word_diff,
)
from storyscope.report.json import to_dict

__all__ = ["html_report", "render_html"]

_TEMPLATE = "report.html.j2"


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("storyscope.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _selection_css(items: dict[str, dict[str, int]], columns: dict[str, int]) -> Markup:
    """CSS that makes ``#sel-<key>`` light up an item's spans and line the columns up on them.

    Keys are generated here (``s1``, ``c2``...), never taken from the story, so the
    selectors hold no report text.
    """
    marks, front, fold, notes = [], [], [], []
    for key, firsts in items.items():
        target = f"#sel-{key}:target ~ "
        marks.append(f"{target}.col .hl-x-{key}")
        for article, first in firsts.items():
            column = f"{target}.col-n{columns[article]}"
            front.append(column)
            if first > 1:
                fold.append(f"{column} > .body > p:nth-of-type(-n+{first - 1})")
                notes.append(f"{column} .fold-note")
    rules = []
    for selectors, body in (
        (front, "order: -6; opacity: 1;"),
        (marks, "background: var(--sel-bg); box-shadow: 0 0 0 2px var(--sel-line);"),
        (
            fold,
            "max-height: 0; overflow: hidden; margin: 0 0 4px; border-top: 3px solid var(--line);",
        ),
        (notes, "display: block;"),
    ):
        if selectors:
            rules.append(",\n".join(selectors) + " { " + body + " }")
    return Markup("\n".join(rules))


def _pin_css(count: int) -> Markup:
    """CSS for the two pin slots: the column whose radio is checked moves first and sticks."""
    if not count:
        return Markup("")
    slots = (
        ("a", "order: -4; position: sticky; left: 0;"),
        ("b", "order: -3; position: sticky; left: calc(var(--colw) + var(--gap));"),
    )
    rules = []
    for slot, body in slots:
        selectors = [f"#pin-{slot}-{n}:checked ~ .cols > .col-n{n}" for n in range(1, count + 1)]
        rules.append(",\n".join(selectors) + " { " + body + " z-index: 3; }")
    pressed = [
        f"#pin-{slot}-{n}:checked ~ .cols label[for=pin-{slot}-{n}]"
        for slot, _ in slots
        for n in range(1, count + 1)
    ]
    rules.append(",\n".join(pressed) + " { background: var(--ink); color: #fff; }")
    return Markup("\n".join(rules))


_CHART_LABEL_X = 190
_CHART_BAR_X = 200
_CHART_BAR_W = 360
_CHART_ROW_H = 26
_CHART_WIDTH = 960


def _chart(
    key: str,
    title: str,
    caption: str,
    legend: list[tuple[str, str]],
    rows: list[tuple[str, list[tuple[str, float, str]], str]],
) -> dict[str, Any]:
    """Geometry of a horizontal bar chart: one bar per row, stacked segments, 0..1 of the width.

    Args:
        key: Chart id suffix.
        title: Chart title.
        caption: What the bars measure.
        legend: ``(css class, label)`` per segment kind.
        rows: ``(label, [(css class, fraction of the full width, tooltip)], value text)``.
    """
    drawn = []
    for i, (label, segments, value) in enumerate(rows):
        x = float(_CHART_BAR_X)
        parts = []
        for css, fraction, tip in segments:
            width = round(max(0.0, min(fraction, 1.0)) * _CHART_BAR_W, 1)
            if width > 0:
                parts.append({"cls": css, "x": round(x, 1), "w": width, "title": tip})
            x += width
        drawn.append({"y": 4 + i * _CHART_ROW_H, "label": label, "segments": parts, "value": value})
    return {
        "id": key,
        "title": title,
        "caption": caption,
        "legend": legend,
        "rows": drawn,
        "height": 8 + len(rows) * _CHART_ROW_H,
        "label_x": _CHART_LABEL_X,
        "bar_x": _CHART_BAR_X,
        "bar_w": _CHART_BAR_W,
        "value_x": _CHART_BAR_X + _CHART_BAR_W + 10,
        "width": _CHART_WIDTH,
    }


def _charts(report: dict[str, Any]) -> list[dict[str, Any]]:
    figures = outlet_figures(report)
    if not figures:
        return []
    total = figures[0]["facts_total"]
    most_sources = max((f["named"] + f["unnamed"] for f in figures), default=0) or 1
    return [
        _chart(
            "coverage",
            "Coverage share",
            f"share of the {total} facts several outlets state that each outlet states",
            [("bar-cov", "states the fact"), ("bar-track", "does not (or was not matched)")],
            [
                (
                    f["outlet"],
                    [("bar-cov", f["coverage"], f"{f['outlet']}: {f['facts']} of {total} facts")],
                    f"{f['facts']} of {total} facts · {f['claims']} single-source claims",
                )
                for f in figures
            ],
        ),
        _chart(
            "voice",
            "Own voice and attributed text",
            "share of each outlet's text in its own voice and inside quotes",
            [("bar-own", "own voice"), ("bar-quoted", "in quotes (attributed)")],
            [
                (
                    f["outlet"],
                    [
                        ("bar-own", f["own"], f"{f['outlet']}: {f['own']:.0%} own voice"),
                        ("bar-quoted", f["quoted"], f"{f['outlet']}: {f['quoted']:.0%} in quotes"),
                    ],
                    f"{f['own']:.0%} own voice · {f['quoted']:.0%} quoted",
                )
                for f in figures
            ],
        ),
        _chart(
            "sources",
            "Named and unnamed sources",
            "distinct sources each outlet quotes or cites, by whether it names them",
            [("bar-named", "named"), ("bar-unnamed", "unnamed or anonymous")],
            [
                (
                    f["outlet"],
                    [
                        (
                            "bar-named",
                            f["named"] / most_sources,
                            f"{f['outlet']}: {f['named']} named",
                        ),
                        (
                            "bar-unnamed",
                            f["unnamed"] / most_sources,
                            f"{f['outlet']}: {f['unnamed']} unnamed",
                        ),
                    ],
                    f"{f['named']} named · {f['unnamed']} unnamed",
                )
                for f in figures
            ],
        ),
    ]


def _context(report: dict[str, Any]) -> dict[str, Any]:
    linker = Linker(report)
    summary = []
    for n, s in enumerate(report["summary"], start=1):
        summary.append(
            {
                "text": s["text"],
                "section": s["section"],
                "select": linker.select(f"s{n}", s["citations"]),
                "citations": [linker.cite(c, "summary") for c in s["citations"]],
            }
        )
    numbers = fact_numbers(report)
    facts = []
    for f in multi_outlet_facts(report):
        number = numbers[f["id"]]
        facts.append(
            {
                **f,
                "number": number,
                "select": linker.select(number.lower(), f["support"]),
                "links": [linker.cite(c, f"fact-{f['status']}") for c in f["support"]],
            }
        )
    claim_groups = [
        (
            outlet,
            [
                {**f, "links": [linker.cite(c, f"fact-{f['status']}") for c in f["support"]]}
                for f in items
            ],
        )
        for outlet, items in claims_by_outlet(report)
    ]
    contradictions = []
    for n, c in enumerate(report["contradictions"], start=1):
        contradictions.append(
            {
                **c,
                "number": n,
                "select": linker.select(f"c{n}", [c["a"], c["b"]]),
                "link_a": linker.cite(c["a"], "contradiction"),
                "link_b": linker.cite(c["b"], "contradiction"),
            }
        )
    quote_groups = [
        (speaker, [{**q, "link": linker.cite(q, "quote")} for q in quotes])
        for speaker, quotes in quotes_by_speaker(report)
    ]
    variants = []
    for n, v in enumerate(report["quote_variants"], start=1):
        select = linker.select(f"v{n}", v["members"])
        members = [linker.cite(m, "variant") for m in v["members"]]
        diffs = [
            {
                "from": members[0],
                "to": member,
                "pieces": word_diff(v["members"][0]["text"], v["members"][i]["text"]),
            }
            for i, member in enumerate(members[1:], start=1)
        ]
        variants.append(
            {
                "number": n,
                "speaker": v["speaker"],
                "select": select,
                "members": members,
                "diffs": diffs,
                "differences": v["differences"],
            }
        )
    grid = coverage(report)
    for row in grid["rows"]:
        for cell in row["cells"]:
            record = cell["citation"]
            cell["href"] = linker.href(record) if record is not None else None
    framing = report["framing"]
    hedges = [linker.cite(c, "hedge") for c in framing["hedges"]]
    anonymous = [linker.cite(c, "anonymous") for c in framing["anonymous_sources"]]
    outlet_table = _outlet_table(framing["outlets"], linker)
    columns = {a["id"]: n for n, a in enumerate(report["articles"], start=1)}
    articles = [
        {
            **a,
            "column": columns[a["id"]],
            "body": highlight(a["text"], linker.spans[a["id"]], article=a["id"]),
        }
        for a in report["articles"]
    ]
    return {
        "title": report_title(report),
        "report": report,
        "counters": counters(report),
        "limits": LIMITS,
        "quality": QUALITY,
        "quality_source": QUALITY_SOURCE,
        "summary": summary,
        "facts": facts,
        "fact_ids": {f["id"] for f in report["facts"]},
        "claim_groups": claim_groups,
        "claim_count": sum(len(items) for _, items in claim_groups),
        "contradictions": contradictions,
        "quote_groups": quote_groups,
        "variants": variants,
        "grid": grid,
        "charts": _charts(report),
        "hedges": hedges,
        "anonymous": anonymous,
        "outlet_table": outlet_table,
        "articles": articles,
        "selectable": list(linker.items),
        "selection_css": _selection_css(linker.items, columns),
        "pin_css": _pin_css(len(articles)),
        "lean_bar": Markup(bar) if (bar := lean_bar_html(report)) else None,
        "lean_css": Markup(LEAN_CSS),
        "outlet_metadata": report.get("outlet_metadata") or {},
    }


_KIND_TITLES = (
    ("official", "Officials"),
    ("ngo", "NGOs, unions, charities"),
    ("expert", "Experts"),
    ("adversary", "Adversaries"),
    ("ordinary", "Ordinary people"),
    ("media", "Other media quoted"),
    ("other", "Other sources"),
)


def _outlet_table(rows: dict[str, Any], linker: Linker) -> dict[str, Any]:
    """The outlet comparison: one column per outlet, one row per measure.

    Each cell holds a value and links to the spans behind it (registered for
    highlighting, so every link lands on a marked span in the article).
    """
    outlets = list(rows)

    def cell(value: str, records: list[Any], kind: str) -> dict[str, Any]:
        links = []
        for record in records:
            record, shown = record if isinstance(record, tuple) else (record, None)
            link = linker.cite(record, kind)
            link["shown"] = shown or f"“{record['text']}”"
            links.append(link)
        return {"value": value, "links": links}

    def source_links(row: dict[str, Any], keep: Any) -> list[tuple[dict[str, Any], str]]:
        """Each source as (its describing word, else its first quote; a readable name)."""
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

    add("Words", lambda r: cell(str(r["words"]), [], "source"))
    add(
        "Named sources",
        lambda r: cell(str(r["named_sources"]), source_links(r, lambda s: s["name"]), "source"),
    )
    add(
        "Unnamed sources",
        lambda r: cell(
            f"{r['unnamed_sources']} ({r['anonymous_sources']} anonymous-source phrases)",
            source_links(r, lambda s: not s["name"]),
            "anonymous",
        ),
    )
    for kind, title in _KIND_TITLES:
        add(
            title,
            lambda r, k=kind: cell(
                f"{r['source_kinds'][k]} · {r['quoted_share_by_kind'][k]:.1%} of text quoted",
                source_links(r, lambda s: s["kind"] == k),
                "source",
            ),
        )
    add("Text in quotes", lambda r: cell(f"{r['quoted_share']:.1%}", [], "quote"))
    add(
        "Hedges",
        lambda r: cell(
            f"{r['hedges']} · {r['hedges_per_1000_words']:.2f} per 1000 words",
            [h["hedge"] for h in r["hedged_claims"] if h["kind"] == "hedge"],
            "hedge",
        ),
    )
    add(
        "Scare quotes",
        lambda r: cell(
            str(r["scare_quotes"]),
            [h["hedge"] for h in r["hedged_claims"] if h["kind"] == "scare_quote"],
            "hedge",
        ),
    )
    add("Reliance on other media", lambda r: cell(str(r["media_reliance"]), r["media"], "media"))
    add(
        "Loaded language (own voice)",
        lambda r: cell(
            f"{r['loaded_terms']} · {r['loaded_terms_per_1000_words']:.2f} per 1000 words",
            [t["span"] for t in r["loaded"] if not t["quoted"]],
            "loaded",
        ),
    )
    add(
        "Loaded language in quotes",
        lambda r: cell(
            str(sum(1 for t in r["loaded"] if t["quoted"])),
            [t["span"] for t in r["loaded"] if t["quoted"]],
            "loaded",
        ),
    )
    add(
        "Labels used",
        lambda r: cell(
            ", ".join(f"{u['concept']}: {u['span']['text']}" for u in r["labels"]) or "—",
            [u["span"] for u in r["labels"]],
            "label",
        ),
    )
    return {"outlets": outlets, "measures": measures}


def render_html(story: Story) -> str:
    """Render a story as one self-contained HTML page.

    All article text is escaped (Jinja2 autoescape, and :func:`markupsafe.escape`
    per highlighted segment). The page has no script (selection and pinning are
    CSS) and loads nothing from outside itself; the charts are inline SVG.

    Args:
        story: The aligned story.

    Returns:
        The HTML document.

    Raises:
        ReportError: The template is missing or fails to render.
    """
    return html_report(to_dict(story))


def html_report(report: dict[str, Any]) -> str:
    """:func:`render_html` of the story whose JSON report (:func:`to_dict`, or the same
    read back from JSON) is ``report``.

    Raises:
        ReportError: The template is missing or fails to render.
    """
    try:
        template = _environment().get_template(_TEMPLATE)
        return template.render(**_context(report))
    except jinja2.TemplateError as exc:
        raise ReportError(f"cannot render HTML report: {exc}") from exc
