"""The Markdown report: the JSON report laid out for people to read."""

from __future__ import annotations

import re
from typing import Any

from storyscope.model import Story
from storyscope.report._index import paragraph_ranges
from storyscope.report._view import quotes_by_speaker, report_title, word_diff
from storyscope.report.json import to_dict

__all__ = ["escape_markdown", "render_markdown"]

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^([#+\->=]|\d+[.)])")
_SPACE = re.compile(r"\s+")
_BLANK_RUN = re.compile(r"\n{3,}")

_STATUS_TITLES = {
    "consensus": "Agreed facts",
    "contested": "Contested facts",
    "single_source": "Single-source claims",
}


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


def render_markdown(story: Story) -> str:
    """Render a story as a Markdown report.

    Sections: articles, summary (with footnote citations), agreed, contested and
    single-source facts, contradictions, quotes by speaker, quote variants,
    framing, omissions, removed boilerplate, warnings and failures. Every
    statement taken from an article names the outlet, paragraph (¶) and
    character offsets it came from.

    Args:
        story: The aligned story.

    Returns:
        Markdown text ending with a newline.
    """
    report = to_dict(story)
    paragraphs = _paragraph_starts(report)
    out: list[str] = [f"# {escape_markdown(report_title(report))}", ""]
    outlets = ", ".join(escape_markdown(o) for o in report["outlets"]) or "none"
    stats = report["stats"]
    by_status = stats["facts_by_status"]
    out += [
        f"Outlets: {outlets}. {stats['articles']} articles, {stats['facts']} facts "
        f"({by_status['consensus']} agreed, {by_status['contested']} contested, "
        f"{by_status['single_source']} single-source), "
        f"{stats['contradictions']} contradictions.",
        "",
        f"<!-- storyscope report, schema {report['schema_version']}, "
        f"generator {report['generator']['version']} -->",
        "",
        "## Articles",
        "",
    ]
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

    out += ["", "## Summary", ""]
    notes: list[str] = []
    if not report["summary"]:
        out.append("_No summary._")
    for section, heading in (
        ("consensus", "What the outlets agree on"),
        ("differences", "Where they differ"),
    ):
        sentences = [s for s in report["summary"] if s["section"] == section]
        if not sentences:
            continue
        out += [f"### {heading}", ""]
        for sentence in sentences:
            markers = ""
            for citation in sentence["citations"]:
                notes.append(_cited(citation, paragraphs))
                markers += f"[^{len(notes)}]"
            out.append(f"- {escape_markdown(sentence['text'])} {markers}".rstrip())
        out.append("")
    others = [s for s in report["summary"] if s["section"] not in ("consensus", "differences")]
    for sentence in others:
        markers = ""
        for citation in sentence["citations"]:
            notes.append(_cited(citation, paragraphs))
            markers += f"[^{len(notes)}]"
        out.append(f"- {escape_markdown(sentence['text'])} {markers}".rstrip())
    if others:
        out.append("")
    out += [f"[^{n}]: {note}" for n, note in enumerate(notes, start=1)]

    for status in ("consensus", "contested", "single_source"):
        facts = [f for f in report["facts"] if f["status"] == status]
        out += ["", f"## {_STATUS_TITLES[status]}", ""]
        if not facts:
            out.append("_None._")
        for fact in facts:
            outlets_text = ", ".join(escape_markdown(o) for o in fact["outlets"])
            noun = "outlet" if fact["support_count"] == 1 else "outlets"
            out.append(
                f"- **{escape_markdown(fact['statement'])}** "
                f"({fact['support_count']} {noun}: {outlets_text})"
            )
            out += [f"  - {_cited(c, paragraphs)}" for c in fact["support"]]

    out += ["", "## Contradictions", ""]
    if not report["contradictions"]:
        out.append("_None found._")
    for number, c in enumerate(report["contradictions"], start=1):
        out += [
            f"### {number}. {escape_markdown(c['kind'])}: {escape_markdown(c['explanation'])}",
            "",
            f"> **{_where(c['a'], paragraphs)}:** {escape_markdown(c['a']['text'])}",
            ">",
            f"> **{_where(c['b'], paragraphs)}:** {escape_markdown(c['b']['text'])}",
            "",
        ]

    out += ["", "## Quotes by speaker", ""]
    groups = quotes_by_speaker(report)
    if not groups:
        out.append("_No quotes._")
    for speaker, quotes in groups:
        out += [f"### {escape_markdown(speaker)}", ""]
        for q in quotes:
            cue = f", {escape_markdown(q['cue'])}" if q["cue"] else ""
            out.append(
                f"- “{escape_markdown(q['text'])}” — {_where(q, paragraphs)}"
                f" ({escape_markdown(q['kind'])}{cue})"
            )
        out.append("")

    out += ["", "## Quote variants", ""]
    if not report["quote_variants"]:
        out.append("_None._")
    for variant in report["quote_variants"]:
        out += [f"### {escape_markdown(variant['speaker'] or 'Unattributed')}", ""]
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

    out += _framing(report, paragraphs)

    out += ["", "## Omissions", ""]
    if report["omissions"]:
        out += _table(
            ["Outlet", "Leaves out", "Fact"],
            [
                [
                    escape_markdown(o["outlet"] or o["article"]),
                    escape_markdown(o["statement"] or "(unknown fact)"),
                    escape_markdown(o["fact"]),
                ]
                for o in report["omissions"]
            ],
        )
    else:
        out.append("_None._")

    out += ["", "## Removed boilerplate", ""]
    removed = [(a, r) for a in report["articles"] for r in a["removed"]]
    if not removed:
        out.append("_Nothing removed._")
    for article, item in removed:
        out.append(
            f"- {escape_markdown(article['outlet'])} ({escape_markdown(item['reason'])}): "
            f"“{escape_markdown(item['text'])}”"
        )

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


def _framing(report: dict[str, Any], paragraphs: dict[str, list[int]]) -> list[str]:
    framing = report["framing"]
    out = ["", "## Framing", "", "### Labels", ""]
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
