"""The coverage-by-lean bar (inline SVG, CSS classes only) of the HTML report and the web
story page, from the JSON report's ``lean_coverage`` (present with an outlets file)."""

from __future__ import annotations

from html import escape
from typing import Any

__all__ = ["LEAN_CSS", "LEAN_LABELS", "blindspot_note", "lean_bar_html", "lean_line"]

#: Display names, left to right, then the outlets the file does not rate.
LEAN_LABELS: dict[str, str] = {
    "left": "Left",
    "lean-left": "Lean left",
    "center": "Center",
    "lean-right": "Lean right",
    "right": "Right",
    "unrated": "Unrated",
}

#: The bar's colours (the static report inlines them; the web app has them in app.css).
LEAN_CSS = """
.lean-bar { margin: .6rem 0 1rem; }
.lean-bar svg { display: block; max-width: 100%; height: auto; }
.lean-bar .lean-left-end { fill: #1f4e8c; } .lean-bar .lean-lean-left { fill: #7ea6d8; }
.lean-bar .lean-center { fill: #a9a9a9; } .lean-bar .lean-lean-right { fill: #e19a8c; }
.lean-bar .lean-right-end { fill: #a3281e; } .lean-bar .lean-unrated { fill: #ececec; stroke: #bbb; }
.lean-bar .lean-n { font: 12px system-ui, sans-serif; fill: #fff; }
.lean-bar .lean-n.dark { fill: #222; }
.lean-bar ul.lean-legend { list-style: none; padding: 0; margin: .3rem 0; display: flex; flex-wrap: wrap; gap: .3rem 1rem; font-size: .9em; }
.lean-bar .blindspot { font-weight: 600; }
"""

_CLASSES = {
    "left": "lean-left-end",
    "lean-left": "lean-lean-left",
    "center": "lean-center",
    "lean-right": "lean-lean-right",
    "right": "lean-right-end",
    "unrated": "lean-unrated",
}
_DARK_TEXT = {"lean-left", "center", "lean-right", "unrated"}
_WIDTH, _HEIGHT = 600, 22


def blindspot_note(coverage: dict[str, Any]) -> str | None:
    """The blindspot sentence, or None."""
    side = coverage.get("blindspot")
    if side not in ("left", "right"):
        return None
    other = "right" if side == "left" else "left"
    return (
        f"Blindspot: outlets leaning {side} barely cover this story "
        f"(at most a fifth of the rated outlets on either side; most lean {other})."
    )


def lean_line(coverage: dict[str, Any]) -> str:
    """One plain line: ``Left 0 · Lean left 1 · ... outlets``."""
    parts = [
        f"{label} {len(coverage['outlets'][key])}"
        for key, label in LEAN_LABELS.items()
        if key != "unrated" or coverage["outlets"][key]
    ]
    return " · ".join(parts)


def lean_bar_html(report: dict[str, Any]) -> str | None:
    """The figure (escaped HTML) for a report with ``lean_coverage``, else None.

    One bar, left to right, a segment per lean as wide as its share of the story's
    outlets (unrated last), each with its count and a tooltip naming the outlets; the
    legend repeats it in text, and a blindspot is said in words. An outlet whose only
    part in the story is a reprint (``reprints[]``) is named "(republished)".
    """
    coverage = report.get("lean_coverage")
    if not coverage:
        return None
    own = {a.get("outlet") for a in report.get("articles") or [] if isinstance(a, dict)}
    copied = {r.get("outlet") for r in report.get("reprints") or [] if isinstance(r, dict)}
    marked = {name: f"{name} (republished)" for name in copied - own if isinstance(name, str)}
    outlets: dict[str, list[str]] = {
        key: [marked.get(name, name) for name in names]
        for key, names in coverage["outlets"].items()
    }
    total = sum(len(names) for names in outlets.values())
    if total == 0:
        return None
    rects = []
    x = 0.0
    for key, label in LEAN_LABELS.items():
        names = outlets.get(key) or []
        if not names:
            continue
        width = _WIDTH * len(names) / total
        tip = f"{label}: {', '.join(names)}"
        rects.append(
            f'<rect x="{x:.1f}" y="0" width="{width:.1f}" height="{_HEIGHT}" '
            f'class="{_CLASSES[key]}"><title>{escape(tip)}</title></rect>'
        )
        if width >= 14:
            dark = " dark" if key in _DARK_TEXT else ""
            rects.append(
                f'<text x="{x + width / 2:.1f}" y="15" text-anchor="middle" '
                f'class="lean-n{dark}">{len(names)}</text>'
            )
        x += width
    summary = lean_line({**coverage, "outlets": outlets})
    legend = "".join(
        f'<li><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" '
        f'class="{_CLASSES[key]}"/></svg> {escape(label)}: '
        f"{escape(', '.join(outlets[key])) or '—'}</li>"
        for key, label in LEAN_LABELS.items()
        if outlets.get(key) or key != "unrated"
    )
    note = blindspot_note(coverage)
    return (
        '<figure class="lean-bar" id="lean-coverage">'
        f"<figcaption><strong>Coverage by lean</strong> "
        f'<span class="muted">{total} outlet{"s" if total != 1 else ""}, as your outlets '
        "file rates them (storyscope ships no ratings)</span></figcaption>"
        f'<svg viewBox="0 0 {_WIDTH} {_HEIGHT}" width="{_WIDTH}" height="{_HEIGHT}" '
        f'role="img" aria-label="Coverage by lean: {escape(summary)}">{"".join(rects)}</svg>'
        f'<ul class="lean-legend">{legend}</ul>'
        + (f'<p class="blindspot">{escape(note)}</p>' if note else "")
        + "</figure>"
    )
