"""Report stage: :class:`~storyscope.model.Story` -> JSON, Markdown or HTML.

The JSON report is a public, versioned contract (``SCHEMA_VERSION``), checked
by the JSON Schema shipped as ``storyscope/schema/report.schema.json`` and
documented in ``docs/report.md``. Markdown and HTML are built from the same
data, so the three formats always agree.
"""

from __future__ import annotations

import typing as _typing

from storyscope.errors import ReportError
from storyscope.model import Story
from storyscope.report.json import SCHEMA_VERSION, render_json, to_dict

if _typing.TYPE_CHECKING:  # pragma: no cover
    from storyscope.report.html import render_html
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
    "render_report",
    "to_dict",
    "validate",
]

FORMATS: tuple[str, ...] = ("json", "markdown", "md", "html")
"""Format names :func:`render` accepts (``md`` is an alias of ``markdown``)."""

# Imported on first use (PEP 562): a JSON report needs neither jinja2 (HTML) nor
# jsonschema (validation). Name -> its module.
_LAZY: dict[str, str] = {
    "render_html": "storyscope.report.html",
    "render_markdown": "storyscope.report.markdown",
    "load_schema": "storyscope.report.validation",
    "validate": "storyscope.report.validation",
}


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def _format_name(format: str) -> str:  # noqa: A002
    name = format.strip().lower() if isinstance(format, str) else format
    if name in ("json", "markdown", "html"):
        return name
    if name == "md":
        return "markdown"
    raise ReportError(f"unknown report format {format!r}; expected one of: {', '.join(FORMATS)}")


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
    name = _format_name(format)
    if name == "json":
        return render_json(story)
    return render_report(to_dict(story), name)


def render_report(report: dict[str, _typing.Any], format: str) -> str:  # noqa: A002 - as render's
    """Render a JSON report (:func:`to_dict` of a story, or the same read back from JSON,
    such as the report a store caches) in one of :data:`FORMATS`: the text
    :func:`render` gives for that story, without the story.

    Raises:
        ReportError: Unknown format, or the report could not be rendered.
    """
    name = _format_name(format)
    if name == "json":
        from storyscope.report.json import dumps_report

        return dumps_report(report)
    if name == "markdown":
        from storyscope.report.markdown import markdown_report

        return markdown_report(report)
    from storyscope.report.html import html_report

    return html_report(report)
