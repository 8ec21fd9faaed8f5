"""Server-rendered SVG charts: bars (conflicts per story), stacked shares per outlet, a timeline.

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

__all__ = ["Bar", "Segment", "StackedRow", "bar_chart", "stacked_chart", "timeline_chart"]

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


@dataclass(frozen=True, slots=True, kw_only=True)
class Segment:
    """One piece of a stacked bar: ``share`` of the full width (0..1), CSS class ``seg-<kind>``."""

    kind: str
    share: float
    tip: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StackedRow:
    """One row of a stacked chart: a label, its segments left to right, the value text."""

    label: str
    segments: tuple[Segment, ...]
    value: str


_STACK_LABEL_W = 190
_STACK_BAR_W = 360
_STACK_VALUE_W = 330
_STACK_ROW = 26


def stacked_chart(
    rows: Sequence[StackedRow], *, title: str, caption: str, legend: Sequence[tuple[str, str]]
) -> Markup:
    """Horizontal stacked bars on a 0..1 scale, one row per outlet, with a legend.

    The figures are those of the static HTML report's charts
    (:func:`storyscope.report._view.outlet_figures`); the drawing is this app's own,
    coloured by CSS classes only (no ``style`` attribute: the page's CSP forbids them).

    Args:
        rows: The rows, in order; shares are clipped to 0..1.
        title: Chart title (the SVG's accessible name, with ``caption``).
        caption: What the bars measure.
        legend: ``(kind, label)`` per segment kind.

    Returns:
        Safe markup: a ``<figure>`` with caption, SVG and legend (an empty-state
        paragraph when there are no rows).
    """
    if not rows:
        return Markup('<p class="muted chart-empty">{}: nothing to show.</p>').format(title)
    width = _STACK_LABEL_W + 10 + _STACK_BAR_W + 10 + _STACK_VALUE_W
    height = _STACK_ROW * len(rows) + 8
    name = f"{title}: {caption}"
    out = [
        '<figure class="chart-box">',
        f"<figcaption><strong>{escape(title)}</strong> "
        f'<span class="muted">{escape(caption)}</span></figcaption>',
        f'<svg class="chart chart-stacked" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(name)}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(name)}</title>",
    ]
    bar_x = _STACK_LABEL_W + 10
    for i, row in enumerate(rows):
        y = 4 + i * _STACK_ROW
        out.append(
            f'<g class="chart-row"><text class="chart-label" x="{_STACK_LABEL_W}" y="{y + 13}" '
            f'text-anchor="end">{escape(_short(row.label, 28))}</text>'
            f'<rect class="seg-track" x="{bar_x}" y="{y + 1}" width="{_STACK_BAR_W}" '
            'height="16"></rect>'
        )
        x = float(bar_x)
        for seg in row.segments:
            w = round(max(0.0, min(seg.share, 1.0)) * _STACK_BAR_W, 1)
            if w > 0:
                out.append(
                    f'<rect class="seg seg-{_css(seg.kind)}" x="{x:.1f}" y="{y + 1}" '
                    f'width="{w}" height="16"><title>{escape(seg.tip)}</title></rect>'
                )
            x += w
        out.append(
            f'<text class="chart-value" x="{bar_x + _STACK_BAR_W + 10}" y="{y + 13}">'
            f"{escape(row.value)}</text></g>"
        )
    out.append("</svg>")
    out.append('<p class="chart-legend muted">')
    for kind, label in legend:
        out.append(f'<span class="swatch seg-{_css(kind)}"></span> {escape(label)} ')
    out.append("</p></figure>")
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
