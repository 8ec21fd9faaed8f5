"""Server-rendered SVG charts: bars (support per fact, conflicts per story) and a timeline.

Charts are inline ``<svg>`` markup with no scripts and no ``style`` attributes (the
page's Content-Security-Policy forbids inline styles); colours come from CSS
classes in ``static/app.css``. Every label is escaped, and each chart carries a
``<title>``/``aria-label`` so that it reads without the picture.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Bar", "bar_chart", "timeline_chart"]

_ROW = 22
_LABEL_W = 260
_BAR_W = 300
_VALUE_W = 40
_MAX_LABEL = 42


@dataclass(frozen=True, slots=True, kw_only=True)
class Bar:
    """One bar: ``kind`` becomes the CSS class ``bar-<kind>``; ``href`` makes it a link."""

    label: str
    value: float
    kind: str = "default"
    href: str | None = None


def _short(label: str, limit: int = _MAX_LABEL) -> str:
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _css(kind: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in kind)


def bar_chart(bars: Sequence[Bar], *, title: str, unit: str = "") -> Markup:
    """Horizontal bar chart, one row per bar, in the given order.

    Args:
        bars: The bars; values below zero are drawn as zero.
        title: Accessible title of the chart.
        unit: Word appended to each value in the tooltips ("outlets").

    Returns:
        Safe SVG markup (an empty-state paragraph when there are no bars).
    """
    if not bars:
        return Markup('<p class="muted chart-empty">{}: nothing to show.</p>').format(title)
    top = max((max(b.value, 0.0) for b in bars), default=0.0) or 1.0
    width = _LABEL_W + _BAR_W + _VALUE_W
    height = _ROW * len(bars) + 4
    out = [
        f'<svg class="chart chart-bars" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for row, bar in enumerate(bars):
        y = row * _ROW + 2
        value = max(bar.value, 0.0)
        length = max(value / top * _BAR_W, 1.0 if value else 0.0)
        shown = f"{value:g}"
        tip = f"{bar.label}: {shown}{' ' + unit if unit else ''}"
        parts = [
            f"<title>{escape(tip)}</title>",
            f'<text class="chart-label" x="{_LABEL_W - 6}" y="{y + 15}" text-anchor="end">'
            f"{escape(_short(bar.label))}</text>",
            f'<rect class="bar bar-{_css(bar.kind)}" x="{_LABEL_W}" y="{y + 3}" '
            f'width="{length:.1f}" height="{_ROW - 6}" rx="2"></rect>',
            f'<text class="chart-value" x="{_LABEL_W + length + 4:.1f}" y="{y + 15}">'
            f"{escape(shown)}</text>",
        ]
        if bar.href:
            out.append(
                f'<a href="{escape(bar.href)}"><g class="chart-row">{"".join(parts)}</g></a>'
            )
        else:
            out.append(f'<g class="chart-row">{"".join(parts)}</g>')
    out.append("</svg>")
    return Markup("".join(out))


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def timeline_chart(rows: Mapping[str, Sequence[dt.datetime]], *, title: str) -> Markup:
    """Dots on a time axis, one row per key (coverage per outlet over time).

    Args:
        rows: Row label (an outlet) -> publication times; rows keep their order.
        title: Accessible title of the chart.

    Returns:
        Safe SVG markup (an empty-state paragraph when no row has a time).
    """
    times = [_utc(t) for values in rows.values() for t in values]
    if not times:
        return Markup('<p class="muted chart-empty">{}: no publication dates.</p>').format(title)
    lo, hi = min(times), max(times)
    span = (hi - lo).total_seconds() or 1.0
    width = _LABEL_W + _BAR_W + _VALUE_W
    height = _ROW * len(rows) + 24
    axis_y = _ROW * len(rows) + 4
    out = [
        f'<svg class="chart chart-timeline" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for row, (label, values) in enumerate(rows.items()):
        y = row * _ROW + 2
        out.append(
            f'<text class="chart-label" x="{_LABEL_W - 6}" y="{y + 15}" text-anchor="end">'
            f"{escape(_short(label, 34))}</text>"
            f'<line class="chart-grid" x1="{_LABEL_W}" x2="{_LABEL_W + _BAR_W}" '
            f'y1="{y + 11}" y2="{y + 11}"></line>'
        )
        for value in values:
            x = _LABEL_W + (_utc(value) - lo).total_seconds() / span * _BAR_W
            tip = f"{label}: {_utc(value).isoformat(timespec='minutes')}"
            out.append(
                f'<circle class="dot" cx="{x:.1f}" cy="{y + 11}" r="5">'
                f"<title>{escape(tip)}</title></circle>"
            )
    out.append(
        f'<text class="chart-axis" x="{_LABEL_W}" y="{axis_y + 14}">'
        f"{escape(lo.date().isoformat())}</text>"
        f'<text class="chart-axis" x="{_LABEL_W + _BAR_W}" y="{axis_y + 14}" '
        f'text-anchor="end">{escape(hi.date().isoformat())}</text>'
    )
    out.append("</svg>")
    return Markup("".join(out))
