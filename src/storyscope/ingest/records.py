"""JSON / JSONL files of article records -> :class:`Article` list.

A file holds one record (an object), an array of records, an object with an
``articles``/``items``/``records``/``data`` array, or one record per line
(JSONL). A record has ``text`` or ``html`` (or ``content``/``body``) plus
optional ``title``, ``outlet``/``source``/``site_name``, ``url``,
``published``/``date``, ``author``/``byline`` and ``language``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from storyscope.errors import IngestError
from storyscope.ingest._decode import decode
from storyscope.ingest.html import build_html_article
from storyscope.ingest.text import build_text_article
from storyscope.model import Article

__all__ = ["RecordsResult", "read_record", "read_records"]

_MAX_BAD_LINES = 100  # as storyscope.ingest.stream.MAX_BAD_LINES: past them a mostly bad file is abandoned
_TEXT_KEYS = ("text", "content", "body", "article", "articleBody")
_HTML_KEYS = ("html", "raw_html")
_LIST_KEYS = ("articles", "items", "records", "data", "documents")
_FIELDS = {
    "title": ("title", "headline"),
    "outlet": ("outlet", "source", "site_name", "sitename", "publisher"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at", "datePublished"),
    "byline": ("author", "byline", "authors"),
    "language": ("language", "lang"),
}


@dataclass(slots=True)
class RecordsResult:
    """What one JSON/JSONL file gave: articles plus per-record errors and warnings."""

    articles: list[Article] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_records(
    raw: bytes | str, *, source: str, outlet: str | None = None, jsonl: bool | None = None
) -> RecordsResult:
    """Read article records from JSON or JSONL content.

    Args:
        raw: File content.
        source: The file path; record sources are ``path#L<line>`` (JSONL) or
            ``path#<n>`` (n-th record of a JSON array, from 1).
        outlet: Outlet for every record (beats the records' own fields).
        jsonl: Force JSONL (True) or JSON (False); None sniffs.

    Returns:
        The articles read and one :class:`IngestError` per bad record.

    Raises:
        IngestError: the whole file is unreadable (empty, binary, not JSON).
    """
    text, guessed = decode(raw, source=source)
    result = RecordsResult()
    if guessed:
        result.warnings.append(f"{source}: not valid UTF-8, decoded as {guessed}")
    items: list[tuple[str, Any]]
    where_error: dict[str, str] = {}  # JSONL errors name file:line
    if jsonl is not True:
        try:
            items = _document_items(_loads(text, source), source)
        except json.JSONDecodeError as exc:
            if jsonl is False or not _maybe_jsonl(text):
                raise IngestError(source, f"invalid JSON (line {exc.lineno}: {exc.msg})") from exc
            items = []
            jsonl = True
    if jsonl is True:
        items = []
        for lineno, line in enumerate(text.split("\n"), start=1):
            if len(result.errors) >= _MAX_BAD_LINES and len(result.errors) > len(items):
                result.errors.append(
                    IngestError(
                        source,
                        f"file abandoned: too many bad lines ({len(result.errors)} bad lines "
                        f"in the first {lineno - 1} lines)",
                    )
                )
                break
            if not line.strip():
                continue
            where = f"{source}#L{lineno}"
            try:
                items.append((where, _loads(line, f"{source}:{lineno}")))
                where_error[where] = f"{source}:{lineno}"
            except json.JSONDecodeError as exc:
                result.errors.append(
                    IngestError(
                        f"{source}:{lineno}", f"invalid JSON ({exc.msg}, column {exc.colno})"
                    )
                )
            except IngestError as exc:
                result.errors.append(exc)
    for where, item in items:
        try:
            article, warnings = _record_article(item, source=where, outlet=outlet)
        except IngestError as exc:
            if where in where_error and exc.source == where:
                exc = IngestError(where_error[where], exc.problem)
            result.errors.append(exc)
            continue
        result.articles.append(article)
        result.warnings.extend(warnings)
    if not result.articles and not result.errors:
        raise IngestError(source, "no articles found")
    return result


def read_record(raw: bytes | str, *, source: str, outlet: str | None = None) -> RecordsResult:
    """Read one record: a JSONL line, whose JSON value must be an object.

    Args:
        raw: The line.
        source: The record's source (``path#L<line>``).
        outlet: Outlet for the record (beats its own fields).

    Returns:
        The article and its warnings.

    Raises:
        IngestError: The line is not JSON (naming the column), or not a usable
            record ("record is a JSON list, not an object").
    """
    text, guessed = decode(raw, source=source)
    result = RecordsResult()
    if guessed:
        result.warnings.append(f"{source}: not valid UTF-8, decoded as {guessed}")
    try:
        item = _loads(text, source)
    except json.JSONDecodeError as exc:
        raise IngestError(source, f"invalid JSON ({exc.msg}, column {exc.colno})") from exc
    article, warnings = _record_article(item, source=source, outlet=outlet)
    result.articles.append(article)
    result.warnings.extend(warnings)
    return result


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
"""JSON may escape half a surrogate pair ("\\ud800"); such text cannot be encoded, so it is replaced."""


def _loads(text: str, where: str) -> Any:
    """``json.loads`` whose only other failure is a one-line :class:`IngestError`."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise IngestError(where, "JSON nested too deeply") from None
    except ValueError as exc:  # e.g. integers too long to convert
        raise IngestError(where, f"invalid JSON ({exc})") from None


def _maybe_jsonl(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    return len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines[:3])


def _document_items(data: Any, source: str) -> list[tuple[str, Any]]:
    if isinstance(data, dict):
        for key in _LIST_KEYS:
            if isinstance(data.get(key), list) and not _has_body(data):
                data = data[key]
                break
        else:
            return [(source, data)]
    if isinstance(data, list):
        return [(f"{source}#{n}", item) for n, item in enumerate(data, start=1)]
    raise IngestError(source, f"expected a JSON object or array, got {type(data).__name__}")


def _has_body(record: dict[str, Any]) -> bool:
    return any(isinstance(record.get(k), str) for k in (*_TEXT_KEYS, *_HTML_KEYS))


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = record.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if isinstance(v, str | int | float))
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str):
            value = _LONE_SURROGATE.sub("\ufffd", value)
        if value not in (None, ""):
            return value
    return None


def _record_article(record: Any, *, source: str, outlet: str | None) -> tuple[Article, list[str]]:
    if not isinstance(record, dict):
        raise IngestError(source, f"record is a JSON {type(record).__name__}, not an object")
    meta = {name: _first(record, keys) for name, keys in _FIELDS.items()}
    meta = {k: (v if k == "published" else str(v)) for k, v in meta.items() if v is not None}
    own_outlet = meta.pop("outlet", None)
    record_outlet = outlet or own_outlet
    html = _first(record, _HTML_KEYS)
    if isinstance(html, str) and html.strip():
        return build_html_article(html, source=source, outlet=record_outlet, meta=meta)
    body = _first(record, _TEXT_KEYS)
    if not isinstance(body, str):
        raise IngestError(source, "record has no text, html, content or body field")
    if _looks_like_html(body):
        return build_html_article(body, source=source, outlet=record_outlet, meta=meta)
    return build_text_article(body, source=source, outlet=record_outlet, meta=meta)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or (
        head.startswith("<") and ("</p>" in text.lower() or "</div>" in text.lower())
    )
