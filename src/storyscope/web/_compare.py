"""Compare requests: pasted texts and uploaded files -> articles -> a story, off the event loop."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import anyio
from pydantic import BaseModel, ConfigDict, Field

from storyscope.errors import IngestError, StoryscopeError
from storyscope.model import Article, Story
from storyscope.web._errors import WebError
from storyscope.web._pool import WorkPool
from storyscope.web._settings import WebSettings

__all__ = ["ArticleIn", "CompareIn", "Pasted", "build_articles", "prepare_articles", "run_compare"]

logger = logging.getLogger(__name__)


class ArticleIn(BaseModel):
    """One article in a ``POST /api/compare`` body. ``url`` is recorded, never fetched."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="Plain text, or an HTML page when format is html.")
    outlet: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=1000)
    published: dt.datetime | None = None
    url: str | None = Field(default=None, max_length=2000)
    format: Literal["text", "html"] = "text"


class CompareIn(BaseModel):
    """Body of ``POST /api/compare``."""

    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(description="Two or more articles about one event.")


@dataclass(frozen=True, slots=True, kw_only=True)
class Pasted:
    """One article as it arrived: text or bytes, a source name and optional metadata."""

    raw: str | bytes
    source: str
    outlet: str | None = None
    title: str | None = None
    published: dt.datetime | None = None
    url: str | None = None
    html: bool = False


def _looks_html(item: Pasted) -> bool:
    from storyscope.ingest.stream import HTML_SUFFIXES

    if item.html or item.source.lower().endswith(HTML_SUFFIXES):
        return True
    head = item.raw[:512]
    probe = head.decode("latin-1") if isinstance(head, bytes) else head
    probe = probe.lstrip().lower()
    return probe.startswith(("<!doctype html", "<html"))


def build_articles(items: Sequence[Pasted], settings: WebSettings) -> list[Article]:
    """Read pasted or uploaded items into articles, enforcing the article limits.

    Args:
        items: The non-empty inputs, in order.
        settings: Limits (article count and size).

    Returns:
        Articles, identical texts kept once.

    Raises:
        WebError: 422 for too few or too many articles, one too long, more characters
            to analyse in all than ``settings.max_compare_chars``, or one that cannot be
            read (the message names it).
    """
    from storyscope.ingest import read_html, read_text

    if len(items) > settings.max_articles:
        raise WebError(422, f"too many articles: {len(items)} (at most {settings.max_articles})")
    articles: list[Article] = []
    seen: set[str] = set()
    for item in items:
        if len(item.raw) > settings.max_article_chars:
            raise WebError(
                422,
                f"{item.source}: article is longer than {settings.max_article_chars} characters",
            )
        try:
            if _looks_html(item):
                article = read_html(item.raw, source=item.source, outlet=item.outlet, url=item.url)
            else:
                meta = {"title": item.title, "published": item.published, "url": item.url}
                article = read_text(
                    item.raw,
                    source=item.source,
                    outlet=item.outlet,
                    **{k: v for k, v in meta.items() if v is not None},
                )
        except IngestError as exc:
            raise WebError(422, str(exc)) from exc
        if item.title and not article.title:
            from dataclasses import replace

            article = replace(article, title=item.title)
        if article.id in seen:
            logger.info("compare: %s repeats an earlier article; kept once", item.source)
            continue
        seen.add(article.id)
        articles.append(article)
    if len(articles) < settings.min_articles:
        raise WebError(
            422,
            f"need at least {settings.min_articles} different articles to compare, got {len(articles)}",
        )
    from storyscope.api import refuse_past_chars

    try:
        refuse_past_chars(
            articles,
            settings.max_compare_chars,
            advice="for a corpus, `storyscope ingest` it into a store and `storyscope serve --db` it",
        )
    except StoryscopeError as exc:
        raise WebError(422, str(exc)) from exc
    return articles


async def prepare_articles(
    items: Sequence[Pasted], settings: WebSettings, pool: WorkPool
) -> list[Article]:
    """:func:`build_articles` in a worker thread, after checking that ``pool`` has room.

    Reading and cleaning the articles (HTML extraction, boilerplate removal, language
    detection) costs tens of milliseconds a request: off the event loop, and not at all
    for a request the full pool refuses anyway, so a flood of comparisons does not hold
    up the pages.

    Raises:
        WebError: 503 (``Retry-After``) when the pool's queue is full; as
            :func:`build_articles` otherwise.
    """
    pool.check_room()
    return await anyio.to_thread.run_sync(build_articles, items, settings)


async def run_compare(articles: Sequence[Article], settings: WebSettings, pool: WorkPool) -> Story:
    """Analyze and align in a worker thread of ``pool`` (``settings.compare_workers`` at once).

    Raises:
        WebError: 422 when the pipeline rejects the input; 503 when ``pool``'s queue is full.
    """
    comparer = settings.comparer
    if comparer is None:
        from storyscope.api import compare_articles

        comparer = compare_articles
    chosen = comparer
    try:
        return await pool.run(lambda: chosen(list(articles)))
    except StoryscopeError as exc:
        raise WebError(422, f"cannot compare these articles: {exc}") from exc
