"""Row conversions and small helpers the parts of the store share (no SQL runs here)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any

from storyscope.model import Article, Removed

from ._schema import articles

CHUNK = 500  # ids per IN (...) clause
_INT64 = 2**63 - 1


def sort_title(story_id: int, title: str | None) -> str:
    """The key the story list orders titles by: the display title, casefolded."""
    return (title or f"Story {story_id}").casefold()


def is_key(value: int) -> bool:
    """Whether ``value`` can be a row id on both backends (a 64-bit signed integer)."""
    return isinstance(value, int) and not isinstance(value, bool) and -_INT64 - 1 <= value <= _INT64


def utcnow() -> dt.datetime:
    """Now, as the naive UTC value the store keeps."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def to_db(value: dt.datetime | None) -> dt.datetime | None:
    """Naive UTC for storage; a naive input is taken to be UTC already."""
    if value is None:
        return None
    if value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def from_db(value: dt.datetime | None) -> dt.datetime | None:
    """An aware UTC datetime from a stored naive one."""
    return None if value is None else value.replace(tzinfo=dt.UTC)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """``items`` in slices of ``size`` (one ``IN (...)`` list each)."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def article_row(article: Article, now: dt.datetime) -> dict[str, Any]:
    """The ``articles`` row of a new article ingested at ``now``."""
    return {
        "id": article.id,
        "source": article.source,
        "outlet": article.outlet,
        "title": article.title,
        "byline": article.byline,
        "published": article.published.isoformat() if article.published else None,
        "published_at": to_db(article.published),
        "language": article.language,
        "url": article.url,
        "text": article.text,
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        "ingested_at": now,
    }


ARTICLE_COLUMNS = (
    articles.c.id,
    articles.c.source,
    articles.c.outlet,
    articles.c.title,
    articles.c.byline,
    articles.c.published,
    articles.c.language,
    articles.c.url,
    articles.c.text,
    articles.c.removed,
)
"""The columns :func:`article` reads."""


def article(row: Any) -> Article:
    """The :class:`Article` of a row selected with :data:`ARTICLE_COLUMNS`."""
    removed = row.removed if not isinstance(row.removed, str) else json.loads(row.removed)
    return Article(
        id=row.id,
        source=row.source,
        outlet=row.outlet,
        title=row.title,
        byline=row.byline,
        published=dt.datetime.fromisoformat(row.published) if row.published else None,
        language=row.language,
        url=row.url,
        text=row.text,
        removed=tuple(Removed(text=r["text"], reason=r["reason"]) for r in removed or ()),
    )
