"""Plain text (``.txt``/``.md``) -> :class:`Article`: :func:`read_text`."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from storyscope.errors import IngestError
from storyscope.ingest._budget import article_budget
from storyscope.ingest._decode import MAX_CHARS, decode, one_line, strip_controls
from storyscope.ingest._meta import (
    FrontMatterError,
    detect_language,
    outlet_from_source,
    outlet_from_url,
    parse_date,
    split_front_matter,
    split_headline,
)
from storyscope.ingest.boilerplate import clean_text
from storyscope.model import Article

__all__ = ["read_text"]

logger = logging.getLogger(__name__)

_META_KEYS = frozenset({"title", "byline", "published", "url", "language"})


def read_text(raw: str | bytes, *, source: str, outlet: str | None = None, **meta: Any) -> Article:
    """Read one plain-text article.

    Bytes are decoded as UTF-8 (a BOM is honoured) or, failing that, with a
    guessed legacy encoding (logged as a warning). Optional ``---`` front
    matter, parsed as YAML, gives metadata; otherwise a headline-like first line
    becomes the title and a ``By ...`` line after it the byline. The body then goes
    through :func:`~storyscope.ingest.clean_text`.

    Args:
        raw: The text or its bytes.
        source: Where it came from (a path); names errors and is stored.
        outlet: Outlet name; beats front matter, URL host and file stem.
        **meta: ``title``, ``byline``, ``published`` (str or datetime),
            ``url``, ``language``; these beat front matter.

    Returns:
        The article.

    Raises:
        IngestError: empty, binary, too large, malformed front matter, or nothing
            left after cleaning.
    """
    article, warnings = build_text_article(raw, source=source, outlet=outlet, meta=meta)
    for warning in warnings:
        logger.warning("%s", warning)
    return article


def build_text_article(
    raw: str | bytes,
    *,
    source: str,
    outlet: str | None = None,
    meta: dict[str, Any] | None = None,
) -> tuple[Article, list[str]]:
    """:func:`read_text`, returning the warnings instead of logging them (within the
    per-article time budget, :data:`storyscope.ingest._budget.MAX_ARTICLE_SECONDS`)."""
    with article_budget(source):
        return _build_text_article(raw, source=source, outlet=outlet, meta=meta)


def _build_text_article(
    raw: str | bytes, *, source: str, outlet: str | None, meta: dict[str, Any] | None
) -> tuple[Article, list[str]]:
    meta = {k: v for k, v in (meta or {}).items() if v not in (None, "")}
    unknown = set(meta) - _META_KEYS
    if unknown:
        raise TypeError(f"unexpected metadata: {', '.join(sorted(unknown))}")
    text, guessed = decode(raw, source=source)
    warnings = [f"{source}: not valid UTF-8, decoded as {guessed}"] if guessed else []
    try:
        front, body = split_front_matter(text)
    except FrontMatterError as exc:
        raise IngestError(source, f"malformed front matter: {exc}") from None
    fields = {k: front[k] for k in ("outlet", *_META_KEYS) if k in front}
    fields.update({k: str(v) if k != "published" else v for k, v in meta.items()})
    return (
        make_article(
            body,
            source=source,
            outlet=outlet or fields.get("outlet"),
            title=fields.get("title"),
            byline=fields.get("byline"),
            published=fields.get("published"),
            url=fields.get("url"),
            language=fields.get("language"),
        ),
        warnings,
    )


def make_article(
    body: str,
    *,
    source: str,
    outlet: str | None,
    title: str | None = None,
    byline: str | None = None,
    published: object = None,
    url: str | None = None,
    language: str | None = None,
) -> Article:
    """Split the headline off a body, clean it and build the :class:`Article`.

    Every article passes here: control characters are removed from the body
    and every field before anything else (:func:`~storyscope.ingest._decode.strip_controls`;
    HTML entities such as ``&#0;`` can bring them back after decoding), and
    shown as escapes in ``source``.

    Raises:
        IngestError: nothing is left after cleaning.
    """
    source = one_line(source)
    body = strip_controls(body)
    if not body.strip():
        raise IngestError(source, "empty file")
    title = _clean_field(title)
    byline = _clean_field(byline)
    url = _clean_field(url)
    body, title, byline = split_headline(body, title=title, byline=byline)
    cleaned, removed = clean_text(body)
    if not cleaned:
        problem = "no article text found"
        if removed:
            problem += " (only boilerplate)"
        raise IngestError(source, problem)
    if len(cleaned) > MAX_CHARS:
        raise IngestError(
            source,
            f"article too long ({len(cleaned):,} characters after cleaning; the limit is {MAX_CHARS:,})",
        )
    date = published if isinstance(published, dt.datetime) else parse_date(published)
    return Article.create(
        text=cleaned,
        source=source,
        outlet=_clean_field(outlet) or outlet_from_url(url) or outlet_from_source(source),
        title=title,
        byline=byline,
        published=date,
        language=_clean_field(language) or detect_language(cleaned),
        url=url,
        removed=removed,
    )


def _clean_field(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(strip_controls(str(value)).split())
    return value or None
