"""Report stage: :class:`~storyscope.model.Story` -> JSON, Markdown or HTML.

The JSON report is a public, versioned contract (``SCHEMA_VERSION``), checked
by the JSON Schema shipped as ``storyscope/schema/report.schema.json`` and
documented in ``docs/report.md``. Markdown and HTML are built from the same
data, so the three formats always agree.
"""

from __future__ import annotations

from storyscope.errors import ReportError
from storyscope.model import Story
from storyscope.report.html import render_html
from storyscope.report.json import SCHEMA_VERSION, render_json, to_dict
from storyscope.report.markdown import render_markdown
from storyscope.report.validation import load_schema, validate

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "load_schema",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "to_dict",
    "validate",
]

FORMATS: tuple[str, ...] = ("json", "markdown", "md", "html")
"""Format names :func:`render` accepts (``md`` is an alias of ``markdown``)."""


def render(story: Story, format: str) -> str:  # noqa: A002 - public name fixed by the API
    """Render a story in one of :data:`FORMATS`.

    Args:
        story: The aligned story.
        format: ``json``, ``markdown`` (or ``md``) or ``html``; case-insensitive.

    Returns:
        The report text.

    Raises:
        ReportError: Unknown format, or the report could not be rendered.
    """
    name = format.strip().lower() if isinstance(format, str) else format
    if name == "json":
        return render_json(story)
    if name in ("markdown", "md"):
        return render_markdown(story)
    if name == "html":
        return render_html(story)
    raise ReportError(f"unknown report format {format!r}; expected one of: {', '.join(FORMATS)}")
