"""A compact HTML summary of a story for Jupyter (:meth:`Story._repr_html_`).

Built from the JSON report (:func:`storyscope.report.to_dict`): the headline
counts, the cited summary sentences and the contradictions with both sentences.
Every value from an article is escaped (:meth:`markupsafe.Markup.format`), so an
article's markup shows as text and never runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

__all__ = ["story_html"]

#: At most this many contradictions are listed (the rest are counted).
MAX_CONTRADICTIONS = 20


def _cite(citation: Mapping[str, Any]) -> Markup:
    outlet = citation.get("outlet") or citation.get("article") or ""
    return Markup(
        '<li><b>{outlet}</b> <span style="opacity:.7">[{start}, {end})</span>: '
        "\u201c{text}\u201d</li>"
    ).format(outlet=outlet, start=citation["start"], end=citation["end"], text=citation["text"])


def story_html(report: Mapping[str, Any]) -> str:
    """The HTML summary of one JSON report (a ``<div>``, no script, no external resource)."""
    stats = report.get("stats", {})
    by_status = stats.get("facts_by_status", {})
    parts: list[Markup] = [Markup('<div class="storyscope-story">')]
    parts.append(
        Markup(
            "<p><b>storyscope story</b>: {articles} articles from {outlets} outlets "
            "({names}); {facts} facts ({agreed} agreed, {single} single-source, "
            "{contested} contested); {contradictions} contradictions; {quotes} quotes; "
            "{omissions} omissions.</p>"
        ).format(
            articles=stats.get("articles", 0),
            outlets=stats.get("outlets", 0),
            names=", ".join(report.get("outlets", [])),
            facts=stats.get("facts", 0),
            agreed=by_status.get("consensus", 0),
            single=by_status.get("single_source", 0),
            contested=by_status.get("contested", 0),
            contradictions=stats.get("contradictions", 0),
            quotes=stats.get("quotes", 0),
            omissions=stats.get("omissions", 0),
        )
    )
    summary = report.get("summary", [])
    if summary:
        parts.append(Markup("<p><b>Summary</b></p><ol>"))
        for sentence in summary:
            cites = Markup("").join(_cite(c) for c in sentence.get("citations", []))
            parts.append(
                Markup(
                    '<li>{text} <i style="opacity:.7">({section})</i><ul>{cites}</ul></li>'
                ).format(
                    text=sentence.get("text", ""), section=sentence.get("section", ""), cites=cites
                )
            )
        parts.append(Markup("</ol>"))
    contradictions = report.get("contradictions", [])
    if contradictions:
        parts.append(Markup("<p><b>Contradictions</b></p><ol>"))
        for contradiction in contradictions[:MAX_CONTRADICTIONS]:
            cites = _cite(contradiction["a"]) + _cite(contradiction["b"])
            parts.append(
                Markup("<li><code>{kind}</code> {explanation}<ul>{cites}</ul></li>").format(
                    kind=contradiction.get("kind", ""),
                    explanation=contradiction.get("explanation", ""),
                    cites=cites,
                )
            )
        parts.append(Markup("</ol>"))
        if len(contradictions) > MAX_CONTRADICTIONS:
            parts.append(
                Markup(
                    "<p>... and {more} more (see <code>story.contradictions</code>).</p>"
                ).format(more=len(contradictions) - MAX_CONTRADICTIONS)
            )
    warnings = report.get("warnings", [])
    failures = report.get("failures", [])
    if warnings or failures:
        parts.append(
            Markup(
                "<p>{w} warnings, {f} failures (see <code>story.warnings</code>, "
                "<code>story.failures</code>).</p>"
            ).format(w=len(warnings), f=len(failures))
        )
    parts.append(Markup("</div>"))
    return str(Markup("").join(parts))
