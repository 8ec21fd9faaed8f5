"""Typed response schemas for the OpenAPI document of ``/api/``.

The story data the API returns is made of the records of the JSON report, so its
schemas come from the shipped JSON Schema (``storyscope/schema/report.schema.json``,
the one ``storyscope schema`` prints): its root becomes ``components/schemas/Report``
and each of its ``$defs`` a ``Report...`` component (``citation`` -> ``ReportCitation``,
``quote_variant`` -> ``ReportQuoteVariant``), with every ``$ref`` rewritten to point
there. The API's own envelopes (story list rows, lists, outlet totals, health, the
API index and the one error shape) are written out here.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ERROR_SCHEMA", "api_components", "ok", "ref", "report_components"]

_PREFIX = "#/components/schemas/"


def ref(name: str) -> dict[str, str]:
    """A ``$ref`` to the component ``name``."""
    return {"$ref": _PREFIX + name}


def ok(description: str, schema: str, *, media_type: str = "application/json") -> dict[str, Any]:
    """A 200 response document whose body is the component ``schema``."""
    return {"description": description, "content": {media_type: {"schema": ref(schema)}}}


def _component_name(def_name: str) -> str:
    return "Report" + "".join(part[:1].upper() + part[1:] for part in def_name.split("_"))


def _rewrite(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                if value == "#":
                    out[key] = _PREFIX + "Report"
                elif value.startswith("#/$defs/"):
                    target = value.removeprefix("#/$defs/")
                    out[key] = _PREFIX + names.get(target, _component_name(target))
                else:
                    out[key] = value
            else:
                out[key] = _rewrite(value, names)
        return out
    if isinstance(node, list):
        return [_rewrite(item, names) for item in node]
    return node


def report_components() -> dict[str, Any]:
    """The JSON report's schema as OpenAPI components: ``Report`` and one per ``$defs`` entry."""
    from storyscope.report import load_schema

    schema = load_schema()
    defs: dict[str, Any] = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    names = {name: _component_name(name) for name in defs}
    components = {"Report": _rewrite(schema, names)}
    for name, body in defs.items():
        components[names[name]] = _rewrite(body, names)
    return components


_NULLABLE_STRING = {"type": ["string", "null"]}
_NULLABLE_INT = {"type": ["integer", "null"]}
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error under /api/: one line in `error`; field problems of a 422 in `errors`.",
    "required": ["ok", "status", "code", "error", "errors"],
    "properties": {
        "ok": {"const": False},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "code": {
            "type": "string",
            "description": "not_found, invalid_input, payload_too_large, too_many_requests, "
            "unavailable, internal_error, ...",
        },
        "error": {"type": "string", "description": "What went wrong, on one line."},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"type": "string"}},
                    "message": {"type": "string"},
                },
            },
        },
    },
}

_STORY_INFO: dict[str, Any] = {
    "type": "object",
    "description": "One row of the story list.",
    "required": ["id", "title", "article_count", "outlets", "republished_by", "url"],
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "article_count": {"type": "integer", "minimum": 0},
        "outlets": {"type": "array", "items": {"type": "string"}},
        "first_published": _NULLABLE_TIME,
        "last_published": _NULLABLE_TIME,
        "fact_count": {**_NULLABLE_INT, "description": "null when unknown without aligning"},
        "contradiction_count": _NULLABLE_INT,
        "consensus_count": _NULLABLE_INT,
        "republished_by": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Outlets that republished one of its articles (a reprint) without "
            "an article of their own in it; they count for its coverage by lean and blindspot.",
        },
        "url": {"type": "string", "description": "This story's /api/ address."},
    },
}

_OUTLET_ARTICLE: dict[str, Any] = {
    "type": "object",
    "required": ["article_id", "words", "quotes", "named_sources", "anonymous_sources", "hedges"],
    "properties": {
        "story_id": _NULLABLE_STRING,
        "story_title": _NULLABLE_STRING,
        "article_id": {"type": "string"},
        "title": _NULLABLE_STRING,
        "published": _NULLABLE_TIME,
        "words": {"type": "integer"},
        "quotes": {"type": "integer"},
        "named_sources": {"type": "integer"},
        "anonymous_sources": {"type": "integer"},
        "hedges": {"type": "integer"},
    },
}

_OUTLET_REPRINT: dict[str, Any] = {
    "type": "object",
    "description": "A story the outlet republished: its copy of another outlet's article, "
    "left out of the comparison (docs/outlets.md, Reprints).",
    "required": ["story_id", "article_id", "source", "kind"],
    "properties": {
        "story_id": {"type": "string"},
        "story_title": _NULLABLE_STRING,
        "article_id": {"type": "string", "description": "The article it copies."},
        "original_outlet": _NULLABLE_STRING,
        "title": _NULLABLE_STRING,
        "url": _NULLABLE_STRING,
        "source": {"type": "string"},
        "kind": {"type": "string", "enum": ["identical", "near_duplicate"]},
    },
}

_COUNTS = ("words", "quotes", "named_sources", "anonymous_sources", "hedges")


def _story_section(**properties: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["story", *properties],
        "properties": {"story": {"type": "string", "description": "The story id."}, **properties},
    }


def api_components() -> dict[str, Any]:
    """Every response schema of the API, keyed by component name (the report's included)."""
    return {
        **report_components(),
        "Error": ERROR_SCHEMA,
        "StoryInfo": _STORY_INFO,
        "StoryList": {
            "type": "object",
            "required": ["stories", "total", "limit", "offset", "sorts"],
            "properties": {
                "stories": {"type": "array", "items": ref("StoryInfo")},
                "total": {"type": "integer", "description": "Matches in all (not only this page)."},
                "limit": {"type": "integer"},
                "offset": {"type": "integer"},
                "sorts": {"type": "array", "items": {"type": "string"}},
            },
        },
        "StoryReport": {
            "type": "object",
            "required": ["story", "report"],
            "properties": {"story": ref("StoryInfo"), "report": ref("Report")},
        },
        "RelatedStory": {
            "type": "object",
            "required": ["id", "title", "score", "article_count", "outlets", "url"],
            "properties": {
                "id": {"type": "string"},
                "title": {"type": "string"},
                "score": {
                    "type": "number",
                    "maximum": 1,
                    "description": "Cosine of the two story vectors (three decimals), "
                    "at least `floor`.",
                },
                "article_count": {"type": "integer", "minimum": 0},
                "outlets": {"type": "array", "items": {"type": "string"}},
                "last_published": _NULLABLE_TIME,
                "url": {"type": "string", "description": "That story's /api/ address."},
            },
        },
        "StoryRelated": _story_section(
            rule={"type": "string", "description": "How stories are related, in one line."},
            floor={"type": "number", "description": "The lowest score listed."},
            related={
                "type": "array",
                "items": ref("RelatedStory"),
                "description": "Nearest first; empty when no story scores at least the floor.",
            },
        ),
        "StoryFacts": _story_section(facts={"type": "array", "items": ref("ReportFact")}),
        "StoryContradictions": _story_section(
            contradictions={"type": "array", "items": ref("ReportContradiction")}
        ),
        "StoryQuotes": _story_section(
            quotes={"type": "array", "items": ref("ReportQuote")},
            quote_variants={"type": "array", "items": ref("ReportQuoteVariant")},
        ),
        "ArticleReport": {
            "type": "object",
            "required": ["story", "article"],
            "properties": {
                "story": {**_NULLABLE_STRING, "description": "Its story, or null when in none."},
                "article": ref("ReportArticle"),
            },
        },
        "OutletArticle": _OUTLET_ARTICLE,
        "OutletReprint": _OUTLET_REPRINT,
        "Outlet": {
            "type": "object",
            "required": ["outlet", "metadata", "totals", "articles", "republished"],
            "properties": {
                "outlet": {"type": "string"},
                "metadata": {
                    "anyOf": [ref("ReportOutletMeta"), {"type": "null"}],
                    "description": "The outlets file's entry (docs/outlets.md); null without one.",
                },
                "totals": {
                    "type": "object",
                    "required": [*_COUNTS],
                    "properties": {
                        **{key: {"type": "integer"} for key in _COUNTS},
                        "hedges_per_1000_words": {"type": "number"},
                        "anonymous_sources_per_1000_words": {"type": "number"},
                    },
                },
                "articles": {"type": "array", "items": ref("OutletArticle")},
                "republished": {
                    "type": "array",
                    "items": ref("OutletReprint"),
                    "description": "The stories it republished, apart from its own articles.",
                },
            },
        },
        "CompareResult": {
            "type": "object",
            "required": ["report"],
            "properties": {"report": ref("Report")},
        },
        "Health": {
            "type": "object",
            "required": ["ok", "analyses", "comparisons"],
            "properties": {
                "ok": {"const": True},
                "analyses": {
                    "type": "integer",
                    "description": "Story analyses running or waiting.",
                },
                "comparisons": {
                    "type": "integer",
                    "description": "Comparisons running or waiting.",
                },
            },
        },
        "ApiIndex": {
            "type": "object",
            "required": ["name", "version", "openapi", "endpoints"],
            "properties": {
                "name": {"type": "string"},
                "version": {"type": "string"},
                "openapi": {"type": "string", "description": "Address of the OpenAPI document."},
                "endpoints": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["method", "path", "summary"],
                        "properties": {
                            "method": {"type": "string"},
                            "path": {"type": "string"},
                            "summary": {"type": "string"},
                        },
                    },
                },
            },
        },
    }
