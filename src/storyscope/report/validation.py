"""Validation of JSON reports against the shipped JSON Schema (draft 2020-12)."""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from storyscope.errors import ReportError

__all__ = ["load_schema", "validate"]

_SCHEMA_RESOURCE = "schema/report.schema.json"
_MAX_ERRORS = 5


@functools.cache
def _schema() -> dict[str, Any]:
    try:
        raw = resources.files("storyscope").joinpath(_SCHEMA_RESOURCE).read_text("utf-8")
        schema: dict[str, Any] = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise ReportError(f"cannot load report schema {_SCHEMA_RESOURCE}: {exc}") from exc
    return schema


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(_schema())


def load_schema() -> dict[str, Any]:
    """Load the JSON Schema of the report from package data.

    Returns:
        A fresh copy of ``storyscope/schema/report.schema.json``; callers may mutate it.

    Raises:
        ReportError: The schema file is missing or is not valid JSON.
    """
    return copy.deepcopy(_schema())


def _location(error: ValidationError) -> str:
    path = "report"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def validate(report: dict[str, Any]) -> None:
    """Check a report against the schema.

    Args:
        report: A report as plain data, e.g. from :func:`storyscope.report.to_dict`
            or ``json.loads`` of a JSON report.

    Raises:
        ReportError: The report does not validate. The message lists up to five
            problems, each as ``path: message`` (e.g.
            ``report.facts[0].status: 'agreed' is not one of [...]``).
    """
    errors = sorted(
        _validator().iter_errors(report),
        key=lambda e: ([str(p) for p in e.absolute_path], e.message),
    )
    if not errors:
        return
    lines = [f"{_location(e)}: {e.message}" for e in errors[:_MAX_ERRORS]]
    if len(errors) > _MAX_ERRORS:
        lines.append(f"... and {len(errors) - _MAX_ERRORS} more")
    noun = "problem" if len(errors) == 1 else "problems"
    raise ReportError(
        f"report does not match schema ({len(errors)} {noun}):\n  " + "\n  ".join(lines)
    )
