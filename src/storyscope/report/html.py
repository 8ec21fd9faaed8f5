"""The HTML report: one self-contained page (inline CSS, no scripts, no external URLs).

Every citation is a link to ``#a-<article>-<start>-<end>``, the id of the
highlighted span in the article column at the bottom of the page.
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from storyscope.errors import ReportError
from storyscope.model import Story
from storyscope.report._highlight import Highlight, anchor_id, highlight
from storyscope.report._index import paragraph_ranges
from storyscope.report._view import quotes_by_speaker, report_title, word_diff
from storyscope.report.json import to_dict

__all__ = ["render_html"]

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


class _Linker:
    """Turns citation records into link data and collects the spans to highlight."""

    def __init__(self, report: dict[str, Any]) -> None:
        self.texts = {a["id"]: a["text"] for a in report["articles"]}
        self.paragraphs = {
            a["id"]: [start for start, _, _ in paragraph_ranges(a["text"])]
            for a in report["articles"]
        }
        self.spans: dict[str, set[Highlight]] = {a["id"]: set() for a in report["articles"]}

    def resolves(self, record: dict[str, Any]) -> bool:
        text = self.texts.get(record["article"])
        return (
            text is not None
            and 0 <= record["start"] <= record["end"] <= len(text)
            and text[record["start"] : record["end"]] == record["text"]
        )

    def cite(self, record: dict[str, Any], kind: str) -> dict[str, Any]:
        """Link data for a citation-like record, registering its span for highlighting."""
        article = record["article"]
        outlet = record.get("outlet") or f"unknown article {article}"
        href = None
        label = outlet
        if self.resolves(record):
            self.spans[article].add(Highlight(record["start"], record["end"], kind))
            href = "#" + anchor_id(article, record["start"], record["end"])
            number = sum(1 for s in self.paragraphs[article] if s <= record["start"]) or 1
            label = f"{outlet} ¶{number}"
        return {
            "label": label,
            "href": href,
            "text": record["text"],
            "start": record["start"],
            "end": record["end"],
            "kind": kind,
        }


def _context(report: dict[str, Any]) -> dict[str, Any]:
    linker = _Linker(report)
    summary = [
        {
            "text": s["text"],
            "section": s["section"],
            "citations": [linker.cite(c, "summary") for c in s["citations"]],
        }
        for s in report["summary"]
    ]
    facts = [
        {**f, "links": [linker.cite(c, f"fact-{f['status']}") for c in f["support"]]}
        for f in report["facts"]
    ]
    contradictions = [
        {
            **c,
            "link_a": linker.cite(c["a"], "contradiction"),
            "link_b": linker.cite(c["b"], "contradiction"),
        }
        for c in report["contradictions"]
    ]
    quote_groups = [
        (speaker, [{**q, "link": linker.cite(q, "quote")} for q in quotes])
        for speaker, quotes in quotes_by_speaker(report)
    ]
    variants = []
    for v in report["quote_variants"]:
        members = [linker.cite(m, "quote") for m in v["members"]]
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
                "speaker": v["speaker"],
                "members": members,
                "diffs": diffs,
                "differences": v["differences"],
            }
        )
    framing = report["framing"]
    hedges = [linker.cite(c, "hedge") for c in framing["hedges"]]
    anonymous = [linker.cite(c, "anonymous") for c in framing["anonymous_sources"]]
    outlet_table = _outlet_table(framing["outlets"], linker)
    articles = [
        {**a, "body": highlight(a["text"], linker.spans[a["id"]], article=a["id"])}
        for a in report["articles"]
    ]
    return {
        "title": report_title(report),
        "report": report,
        "summary": summary,
        "facts": facts,
        "fact_ids": {f["id"] for f in report["facts"]},
        "statuses": [
            ("consensus", "Agreed facts"),
            ("contested", "Contested facts"),
            ("single_source", "Single-source claims"),
        ],
        "contradictions": contradictions,
        "quote_groups": quote_groups,
        "variants": variants,
        "hedges": hedges,
        "anonymous": anonymous,
        "outlet_table": outlet_table,
        "articles": articles,
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


def _outlet_table(rows: dict[str, Any], linker: _Linker) -> dict[str, Any]:
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
    per highlighted segment). The page needs no JavaScript and loads nothing
    from outside itself.

    Args:
        story: The aligned story.

    Returns:
        The HTML document.

    Raises:
        ReportError: The template is missing or fails to render.
    """
    report = to_dict(story)
    try:
        template = _environment().get_template(_TEMPLATE)
        return template.render(**_context(report))
    except jinja2.TemplateError as exc:
        raise ReportError(f"cannot render HTML report: {exc}") from exc
