"""The Markdown report: the JSON report laid out for people to read."""

from __future__ import annotations

import re
from typing import Any

from storyscope.model import Story
from storyscope.report._index import paragraph_ranges
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
    plural,
    quotes_by_speaker,
    report_title,
    word_diff,
)
from storyscope.report.json import to_dict

__all__ = ["escape_markdown", "markdown_report", "render_markdown"]

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^([#+\->=]|\d+[.)])")
_SPACE = re.compile(r"\s+")
_BLANK_RUN = re.compile(r"\n{3,}")


def escape_markdown(text: str) -> str:
    """Escape text for inline use in Markdown, tables and block quotes.

    Whitespace runs (newlines included) become one space, so the text stays on
    one line; characters with inline meaning (``* _ ` [ ] < > | ~ \\``) and
    entity-like ``&`` are backslash-escaped, as is a leading ``#``, ``-``,
    ``+``, ``>``, ``=`` or list number.

    Args:
        text: Plain text, e.g. from an article.

    Returns:
        Markdown source that renders as ``text``.
    """
    flat = _SPACE.sub(" ", text).strip()
    flat = _INLINE_SPECIAL.sub(r"\\\1", flat)
    flat = _ENTITY_LIKE.sub(r"\\&", flat)
    return _LINE_START.sub(r"\\\1", flat)


def _where(citation: dict[str, Any], paragraphs: dict[str, list[int]]) -> str:
    outlet = citation["outlet"] or f"unknown article {citation['article']}"
    starts = paragraphs.get(citation["article"])
    if starts is None:
        return escape_markdown(outlet)
    number = sum(1 for start in starts if start <= citation["start"]) or 1
    return f"{escape_markdown(outlet)} ¶{number}"


def _cited(citation: dict[str, Any], paragraphs: dict[str, list[int]]) -> str:
    return (
        f"{_where(citation, paragraphs)} (chars {citation['start']}–{citation['end']}): "
        f"“{escape_markdown(citation['text'])}”"
    )


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(cell or " " for cell in row) + " |" for row in rows)
    return lines


def _paragraph_starts(report: dict[str, Any]) -> dict[str, list[int]]:
    return {
        a["id"]: [start for start, _, _ in paragraph_ranges(a["text"])] for a in report["articles"]
    }


def _bar(share: float, width: int = 20) -> str:
    """A text bar: ``share`` (0..1) of ``width`` cells filled."""
    filled = round(max(0.0, min(share, 1.0)) * width)
    return "█" * filled + "░" * (width - filled)


def _limits() -> list[str]:
    lines = ["> **What this report can and cannot see.**"]
    for line in LIMITS:
        lines += [">", f"> {escape_markdown(line)}"]
    figures = "; ".join(f"{what}: {figure}" for what, figure in QUALITY)
    lines += [">", f"> Measured on the dev gold, {escape_markdown(QUALITY_SOURCE)}: {figures}."]
    return lines


def render_markdown(story: Story) -> str:
    """Render a story as a Markdown report.

    Reading order: counters and a note on what the report can and cannot see;
    Summary (with footnote citations); Contradictions and quote variants;
    Coverage (facts several outlets state x outlets); Agreed facts (then
    contested ones); Single-source claims, per outlet; Framing and sourcing
    (text bar charts, labels, outlets compared with the evidence behind each
    figure, hedges, anonymous sources, quotes by speaker); Articles (with
    removed boilerplate); Warnings and failures. Every statement taken from an
    article names the outlet, paragraph (¶) and character offsets it came from.

    Args:
        story: The aligned story.

    Returns:
        Markdown text ending with a newline.
    """
    return markdown_report(to_dict(story))


def markdown_report(report: dict[str, Any]) -> str:
    """:func:`render_markdown` of the story whose JSON report (:func:`to_dict`, or the
    same read back from JSON) is ``report``."""
    paragraphs = _paragraph_starts(report)
    out: list[str] = [f"# {escape_markdown(report_title(report))}", ""]
    outlets = ", ".join(escape_markdown(o) for o in report["outlets"]) or "none"
    out += [
        " · ".join(counters(report)) + ".",
        "",
        f"Outlets: {outlets}.",
        "",
        *_limits(),
        "",
        f"<!-- storyscope report, schema {report['schema_version']}, "
        f"generator {report['generator']['version']} -->",
    ]
    out += _summary(report, paragraphs)
    out += _contradictions(report, paragraphs)
    out += _coverage(report)
    out += _facts(report, paragraphs)
    out += _claims(report, paragraphs)
    out += _framing(report, paragraphs)
    out += _articles(report)

    out += ["", "## Warnings and failures", ""]
    if not report["warnings"] and not report["failures"]:
        out.append("_None._")
    out += [f"- Warning: {escape_markdown(w)}" for w in report["warnings"]]
    out += [
        f"- Failure ({escape_markdown(f['stage'])}) {escape_markdown(f['source'])}: "
        f"{escape_markdown(f['error'])}"
        for f in report["failures"]
    ]
    return _BLANK_RUN.sub("\n\n", "\n".join(out)).rstrip() + "\n"


def _summary(report: dict[str, Any], paragraphs: dict[str, list[int]]) -> list[str]:
    out = ["", "## Summary", ""]
    notes: list[str] = []
    if not report["summary"]:
        out.append("_No summary._")

    def line(sentence: dict[str, Any]) -> str:
        markers = ""
        for citation in sentence["citations"]:
            notes.append(_cited(citation, paragraphs))
            markers += f"[^{len(notes)}]"
        return f"- {escape_markdown(sentence['text'])} {markers}".rstrip()

    for section, heading in (
        ("consensus", "What the outlets agree on"),
        ("differences", "Where they differ"),
    ):
        sentences = [s for s in report["summary"] if s["section"] == section]
        if sentences:
            out += [f"### {heading}", "", *(line(s) for s in sentences), ""]
    others = [s for s in report["summary"] if s["section"] not in ("consensus", "differences")]
    out += [line(s) for s in others]
    if others:
        out.append("")
    out += [f"[^{n}]: {note}" for n, note in enumerate(notes, start=1)]
    return out


def _contradictions(report: dict[str, Any], paragraphs: dict[str, list[int]]) -> list[str]:
    out = ["", "## Contradictions and quote variants", "", "### Contradictions", ""]
    if not report["contradictions"]:
        out.append(
            "_None found._ That does not mean the outlets agree, only that none were found "
            "(see the note at the top)."
        )
    for number, c in enumerate(report["contradictions"], start=1):
        out += [
            f"#### {number}. {escape_markdown(c['kind'])}: {escape_markdown(c['explanation'])}",
            "",
            f"> **{_where(c['a'], paragraphs)}:** {escape_markdown(c['a']['text'])}",
            ">",
            f"> **{_where(c['b'], paragraphs)}:** {escape_markdown(c['b']['text'])}",
            "",
        ]
    out += ["", "### Quote variants", ""]
    if not report["quote_variants"]:
        out.append("_None._")
    for variant in report["quote_variants"]:
        out += [f"#### {escape_markdown(variant['speaker'] or 'Unattributed')}", ""]
        members = variant["members"]
        out += [f"- {_cited(m, paragraphs)}" for m in members]
        for member in members[1:]:
            pieces = word_diff(members[0]["text"], member["text"])
            rendered = " ".join(
                f"~~{escape_markdown(t)}~~"
                if op == "del"
                else f"**{escape_markdown(t)}**"
                if op == "ins"
                else escape_markdown(t)
                for op, t in pieces
                if t
            )
            out.append(
                f"- Word diff, {_where(members[0], paragraphs)} → "
                f"{_where(member, paragraphs)}: {rendered}"
            )
        out += [f"- Difference: {escape_markdown(d)}" for d in variant["differences"]]
        out.append("")
    return out


_CELL = {"states": "✓", "omits": "omits", "none": "·"}


def _short(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _coverage(report: dict[str, Any]) -> list[str]:
    grid = coverage(report)
    out = [
        "",
        "## Coverage",
        "",
        "One row per fact that several outlets state: ✓ states it, ≠ C*n* states it but "
        "contradicts another outlet (contradiction *n*), omits: reported as leaving it out, "
        "·: not matched either way.",
        "",
    ]
    lean = report.get("lean_coverage")
    if lean:
        from storyscope.report._lean import blindspot_note, lean_line

        out += [f"**Coverage by lean** (outlets, as your outlets file rates them): {lean_line(lean)}", ""]
        note = blindspot_note(lean)
        if note:
            out += [f"**{note}**", ""]
    if grid["rows"]:
        out += _table(
            ["Fact", *(escape_markdown(o) for o in grid["outlets"])],
            [
                [
                    f"{row['number']} {escape_markdown(_short(row['fact']['statement']))}",
                    *(
                        "≠ " + ", ".join(f"C{n}" for n in cell["contradictions"])
                        if cell["state"] == "contradicts"
                        else _CELL[cell["state"]]
                        for cell in row["cells"]
                    ),
                ]
                for row in grid["rows"]
            ],
        )
    else:
        out.append("_No fact is stated by more than one outlet._")
    if grid["other_omissions"]:
        out += ["", "### Other omissions", ""]
        out += _table(
            ["Outlet", "Leaves out", "Fact"],
            [
                [
                    escape_markdown(o["outlet"] or o["article"]),
                    escape_markdown(o["statement"] or "(unknown fact)"),
                    escape_markdown(o["fact"]),
                ]
                for o in grid["other_omissions"]
            ],
        )
    return out


def _fact_lines(fact: dict[str, Any], number: str, paragraphs: dict[str, list[int]]) -> list[str]:
    outlets_text = ", ".join(escape_markdown(o) for o in fact["outlets"])
    noun = "outlet" if fact["support_count"] == 1 else "outlets"
    return [
        f"- {number} **{escape_markdown(fact['statement'])}** "
        f"({fact['support_count']} {noun}: {outlets_text})",
        *(f"  - {_cited(c, paragraphs)}" for c in fact["support"]),
    ]


def _facts(report: dict[str, Any], paragraphs: dict[str, list[int]]) -> list[str]:
    numbers = fact_numbers(report)
    facts = multi_outlet_facts(report)
    agreed = [f for f in facts if f["status"] != "contested"]
    contested = [f for f in facts if f["status"] == "contested"]
    out = ["", "## Agreed facts", ""]
    if not agreed:
        out.append("_None._")
    for fact in agreed:
        out += _fact_lines(fact, numbers[fact["id"]], paragraphs)
    out += ["", "### Contested facts", ""]
    if not contested:
        out.append("_None._")
    for fact in contested:
        out += _fact_lines(fact, numbers[fact["id"]], paragraphs)
    return out


def _claims(report: dict[str, Any], paragraphs: dict[str, list[int]]) -> list[str]:
    groups = claims_by_outlet(report)
    total = sum(len(items) for _, items in groups)
    out = [
        "",
        "## Single-source claims",
        "",
        f"{plural(total, 'statement')} only one outlet makes. One source does not make a claim "
        "false, nor does several make a fact true.",
    ]
    for outlet, items in groups:
        out += ["", f"### {escape_markdown(outlet)} ({plural(len(items), 'claim')})", ""]
        for fact in items:
            where = ", ".join(
                f"{_where(c, paragraphs).removeprefix(escape_markdown(outlet)).strip() or '?'} "
                f"(chars {c['start']}–{c['end']})"
                for c in fact["support"]
            )
            tag = "**contested** " if fact["status"] == "contested" else ""
            out.append(f"- {tag}{escape_markdown(fact['statement'])} — {where}".rstrip(" —"))
    return out


def _articles(report: dict[str, Any]) -> list[str]:
    out = ["", "## Articles", ""]
    out += _table(
        ["Outlet", "Title", "Published", "Words", "Removed boilerplate"],
        [
            [
                escape_markdown(a["outlet"]),
                escape_markdown(a["title"] or "(untitled)"),
                escape_markdown(a["published"] or "unknown"),
                str(a["word_count"]),
                str(len(a["removed"])),
            ]
            for a in report["articles"]
        ],
    )
    reprints = report.get("reprints") or []
    if reprints:
        out += ["", "### Reprints", ""]
        out += [
            f"- Republished by {escape_markdown(r['outlet'])}: "
            f"{escape_markdown(r['original_outlet'] or r['original'])}'s article "
            f"({escape_markdown(r['source'])}; {r['kind'].replace('_', '-')} copy, left out)"
            for r in reprints
        ]
    out += ["", "### Removed boilerplate", ""]
    removed = [(a, r) for a in report["articles"] for r in a["removed"]]
    if not removed:
        out.append("_Nothing removed._")
    for article, item in removed:
        out.append(
            f"- {escape_markdown(article['outlet'])} ({escape_markdown(item['reason'])}): "
            f"“{escape_markdown(item['text'])}”"
        )
    return out


def _charts(report: dict[str, Any]) -> list[str]:
    figures = outlet_figures(report)
    if not figures:
        return []
    total = figures[0]["facts_total"]
    most = max((f["named"] + f["unnamed"] for f in figures), default=0) or 1
    out = [
        "",
        "### Coverage share",
        "",
        f"Share of the {total} facts several outlets state that each outlet states.",
        "",
    ]
    out += _table(
        ["Outlet", "Facts stated", "Single-source claims", ""],
        [
            [
                escape_markdown(f["outlet"]),
                f"{f['facts']} of {total}",
                str(f["claims"]),
                _bar(f["coverage"]),
            ]
            for f in figures
        ],
    )
    out += ["", "### Own voice and attributed text", "", "█ own voice, ░ inside quotes.", ""]
    out += _table(
        ["Outlet", "Own voice", "In quotes", ""],
        [
            [escape_markdown(f["outlet"]), f"{f['own']:.0%}", f"{f['quoted']:.0%}", _bar(f["own"])]
            for f in figures
        ],
    )
    out += ["", "### Named and unnamed sources", "", "█ named, ▒ unnamed or anonymous.", ""]
    rows = []
    for f in figures:
        named = round(f["named"] / most * 20)
        unnamed = round(f["unnamed"] / most * 20)
        bar = "█" * named + "▒" * unnamed + "░" * max(0, 20 - named - unnamed)
        rows.append([escape_markdown(f["outlet"]), str(f["named"]), str(f["unnamed"]), bar])
    out += _table(["Outlet", "Named", "Unnamed", ""], rows)
    return out


def _framing(report: dict[str, Any], paragraphs: dict[str, list[int]]) -> list[str]:
    framing = report["framing"]
    out = ["", "## Framing and sourcing", *_charts(report), "", "### Labels", ""]
    articles = report["articles"]
    if framing["labels"]:
        out += _table(
            ["Concept", *(escape_markdown(a["outlet"]) for a in articles)],
            [
                [
                    escape_markdown(label["concept"]),
                    *(escape_markdown(label["variants"].get(a["id"], "—")) for a in articles),
                ]
                for label in framing["labels"]
            ],
        )
    else:
        out.append("_No differing labels._")
    for key, heading in (("hedges", "Hedges"), ("anonymous_sources", "Anonymous sources")):
        out += ["", f"### {heading}", ""]
        if not framing[key]:
            out.append("_None._")
        out += [f"- {_cited(c, paragraphs)}" for c in framing[key]]
    out += ["", "### Outlets compared", ""]
    out += _table(
        [
            "Outlet",
            "Words",
            "Quotes",
            "Named sources",
            "Anonymous sources",
            "Hedges",
            "Hedges / 1000 words",
            "Unnamed sources",
            "Source kinds",
            "Quoted share",
            "Scare quotes",
            "Other media",
            "Loaded terms",
            "Loaded / 1000 words",
        ],
        [
            [
                escape_markdown(outlet),
                str(row["words"]),
                str(row["quotes"]),
                str(row["named_sources"]),
                str(row["anonymous_sources"]),
                str(row["hedges"]),
                f"{row['hedges_per_1000_words']:.2f}",
                str(row["unnamed_sources"]),
                _kinds(row["source_kinds"]),
                f"{row['quoted_share']:.0%}",
                str(row["scare_quotes"]),
                str(row["media_reliance"]),
                str(row["loaded_terms"]),
                f"{row['loaded_terms_per_1000_words']:.2f}",
            ]
            for outlet, row in framing["outlets"].items()
        ],
    )
    for outlet, row in framing["outlets"].items():
        out += _outlet_evidence(outlet, row, paragraphs)
    out += ["", "### Quotes by speaker", ""]
    groups = quotes_by_speaker(report)
    if not groups:
        out.append("_No quotes._")
    for speaker, quotes in groups:
        out += ["", f"#### {escape_markdown(speaker)}", ""]
        for q in quotes:
            cue = f", {escape_markdown(q['cue'])}" if q["cue"] else ""
            out.append(
                f"- “{escape_markdown(q['text'])}” — {_where(q, paragraphs)}"
                f" ({escape_markdown(q['kind'])}{cue})"
            )
    return out


def _kinds(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in counts.items() if n) or "—"


def _outlet_evidence(
    outlet: str, row: dict[str, Any], paragraphs: dict[str, list[int]]
) -> list[str]:
    """Evidence behind one outlet's figures: every span, with paragraph and offsets."""
    lines: list[str] = []
    for h in row["hedged_claims"]:
        what = "scare quote" if h["kind"] == "scare_quote" else "hedge"
        lines.append(
            f"- {what} “{escape_markdown(h['hedge']['text'])}” in: {_cited(h['claim'], paragraphs)}"
        )
    for source in row["sources"]:
        name = source["name"] or "unnamed source"
        because = (
            f" (“{escape_markdown(source['evidence']['text'])}”, "
            f"{_where(source['evidence'], paragraphs)}, chars "
            f"{source['evidence']['start']}–{source['evidence']['end']})"
            if source["evidence"]
            else ""
        )
        lines.append(
            f"- source: {escape_markdown(name)}, {source['kind']}{because}; "
            f"{len(source['quotes'])} quotes, {source['share']:.1%} of the text"
        )
    lines += [f"- other media: {_cited(c, paragraphs)}" for c in row["media"]]
    for term in row["loaded"]:
        notes = [term["category"]]
        if term["target"]:
            notes.append(f"near {escape_markdown(term['target'])}")
        if term["quoted"]:
            notes.append("in a quote")
        lines.append(f"- loaded ({', '.join(notes)}): {_cited(term['span'], paragraphs)}")
    lines += [
        f"- label for {escape_markdown(u['concept'])}: {_cited(u['span'], paragraphs)}"
        for u in row["labels"]
    ]
    if not lines:
        return []
    return ["", f"#### Evidence: {escape_markdown(outlet)}", "", *lines]
