"""RSS / Atom feeds and OPML feed lists -> articles: :func:`iter_feed`.

Feeds are parsed with feedparser, which reads RSS 0.9x/1.0/2.0 and Atom and
copes with much broken XML; a document it can make nothing of is one
:class:`~storyscope.errors.IngestError` ("broken feed XML (...)"). OPML files are
lists of feeds (``<outline xmlUrl=...>``, nested outlines allowed); broken OPML
is still searched for ``xmlUrl`` attributes.

Each entry gives the article's ``url`` (the entry link, also its ``source``),
``title``, ``published``, ``byline`` and outlet (the caller's, else the feed's
title, else the link's host). When the entry carries the full text (at least
:data:`FULL_TEXT_WORDS` words of ``content``), that text is the article;
otherwise the linked page is fetched with a polite
:class:`~storyscope.ingest.fetch.Fetcher` and read like any HTML page.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import logging
import os
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from storyscope.errors import IngestError
from storyscope.ingest._decode import check_size, read_regular
from storyscope.ingest._meta import outlet_from_url
from storyscope.ingest.fetch import Fetcher
from storyscope.ingest.html import build_html_article
from storyscope.ingest.text import build_text_article
from storyscope.model import Article, Failure

__all__ = [
    "FEED_SUFFIXES",
    "FULL_TEXT_WORDS",
    "Feed",
    "FeedEntry",
    "is_feed",
    "is_opml",
    "iter_feed",
    "parse_feed",
    "parse_opml",
]

logger = logging.getLogger(__name__)

FULL_TEXT_WORDS = 150
"""Words an entry's own content needs to be taken as the full article (else the link is fetched)."""

MIN_WORDS = 80
"""Fewest words of cleaned text for a fetched page to count as a news article."""

FEED_SUFFIXES = (".rss", ".atom", ".opml", ".xml")
"""File name endings read as feeds or feed lists (``.xml`` only when given by name)."""

_XML_URL = re.compile(r"""xmlUrl\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_HTML_HINT = re.compile(r"<(p|div|br|span|a|em|strong|h\d)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedEntry:
    """One item of a feed.

    Attributes:
        url: The entry's link (absolute), if any.
        title: Its title.
        published: Publication (or update) time, UTC.
        byline: Author(s).
        content: The longest body the entry carries (``content``, else ``summary``).
        content_is_html: Whether ``content`` is HTML.
    """

    url: str | None
    title: str | None = None
    published: dt.datetime | None = None
    byline: str | None = None
    content: str | None = None
    content_is_html: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Feed:
    """A parsed RSS/Atom document.

    Attributes:
        source: Where it was read from.
        title: The feed's (channel's) title.
        link: The site it belongs to.
        language: Declared language, if any.
        entries: Its items, in document order.
        warnings: Notes, e.g. the XML was broken but entries could be recovered.
    """

    source: str
    title: str | None
    link: str | None
    language: str | None
    entries: tuple[FeedEntry, ...]
    warnings: tuple[str, ...] = ()


def is_opml(raw: bytes | str) -> bool:
    """Whether a document looks like OPML (an ``<opml`` root near the top)."""
    head = raw[:2048].lower() if isinstance(raw, bytes) else raw[:2048].lower().encode()
    return b"<opml" in head


def is_feed(raw: bytes | str) -> bool:
    """Whether a document looks like RSS, RDF or Atom (by its first element)."""
    head = raw[:2048].lower() if isinstance(raw, bytes) else raw[:2048].lower().encode()
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf", b"<channel"))


def parse_feed(raw: bytes | str, *, source: str) -> Feed:
    """Parse an RSS or Atom document.

    Args:
        raw: The document.
        source: Where it came from (names errors).

    Returns:
        The feed; when the XML is broken but entries could be recovered, a
        warning says so.

    Raises:
        IngestError: too large, empty, or not a feed at all (broken beyond
            recovery, or some other kind of document).
    """
    import feedparser

    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    check_size(len(data), source)
    if not data.strip():
        raise IngestError(source, "empty file")
    try:
        parsed: Any = feedparser.parse(io.BytesIO(data), sanitize_html=True)
    except Exception as exc:  # feedparser wraps most errors in bozo, but not all
        raise IngestError(source, f"broken feed XML ({_one_line(exc)})") from exc
    warnings: list[str] = []
    bozo = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries:
        if bozo is not None:
            raise IngestError(source, f"broken feed XML ({_one_line(bozo)})")
        if not parsed.get("version"):
            raise IngestError(source, "not an RSS or Atom feed")
    if bozo is not None:
        warnings.append(f"{source}: broken feed XML ({_one_line(bozo)}); entries recovered")
    info = parsed.feed
    base = info.get("link") or None
    entries = tuple(_entry(item, base=base) for item in parsed.entries)
    return Feed(
        source=source,
        title=_text(info.get("title")),
        link=base,
        language=_text(info.get("language")),
        entries=entries,
        warnings=tuple(warnings),
    )


def parse_opml(raw: bytes | str, *, source: str) -> list[str]:
    """The feed URLs an OPML document lists (``xmlUrl`` of every outline, nested too).

    Broken XML is searched for ``xmlUrl="..."`` attributes instead.

    Raises:
        IngestError: no feed URL found.
    """
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    check_size(len(data), source)
    urls: list[str] = []
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        logger.info("%s: broken OPML (%s); searching for xmlUrl attributes", source, exc)
        text = data.decode("utf-8", errors="replace")
        import html

        urls = [html.unescape(u).strip() for u in _XML_URL.findall(text)]
    else:
        for outline in root.iter("outline"):
            for key, value in outline.attrib.items():
                if key.lower() == "xmlurl" and value.strip():
                    urls.append(value.strip())
    urls = list(dict.fromkeys(u for u in urls if u))
    if not urls:
        raise IngestError(source, "no feeds listed in OPML")
    return urls


def iter_feed(
    source: str | os.PathLike[str],
    *,
    raw: bytes | None = None,
    outlet: str | None = None,
    fetcher: Fetcher | None = None,
    fetch_pages: bool = True,
    min_words: int = MIN_WORDS,
    full_text_words: int = FULL_TEXT_WORDS,
) -> Iterator[Article | Failure]:
    """Stream the articles of a feed or of every feed an OPML file lists.

    Args:
        source: A file path or an ``http(s)`` URL of an RSS/Atom feed or OPML list.
        raw: The document's bytes when already read (then ``source`` only names it).
        outlet: Outlet for every article (default: the feed title, else the host).
        fetcher: Fetcher for feeds and pages given by URL (default: a new
            polite :class:`Fetcher`, closed at the end).
        fetch_pages: Fetch the linked page of entries without full text; when
            False such entries become failures.
        min_words: Fetched pages with less cleaned text are skipped as non-news.
        full_text_words: Entry content at least this long is used as the article.

    Yields:
        Articles, and one :class:`Failure` per feed or entry that gave none.
    """
    name = os.fspath(source)
    own = fetcher is None
    state = fetcher or Fetcher()  # creates its HTTP client only when first used
    try:
        try:
            data = raw if raw is not None else _load(name, state)
        except IngestError as exc:
            yield _failure(exc)
            return
        if is_opml(data):
            try:
                feeds = parse_opml(data, source=name)
            except IngestError as exc:
                yield _failure(exc)
                return
            for feed_url in feeds:
                target = _resolve(feed_url, name)
                try:
                    feed_data = _load(target, state)
                except IngestError as exc:
                    yield _failure(exc)
                    continue
                yield from _feed_items(
                    feed_data,
                    source=target,
                    outlet=outlet,
                    state=state,
                    fetch_pages=fetch_pages,
                    min_words=min_words,
                    full_text_words=full_text_words,
                )
            return
        yield from _feed_items(
            data,
            source=name,
            outlet=outlet,
            state=state,
            fetch_pages=fetch_pages,
            min_words=min_words,
            full_text_words=full_text_words,
        )
    finally:
        if own:
            state.close()


def _feed_items(
    data: bytes,
    *,
    source: str,
    outlet: str | None,
    state: Fetcher,
    fetch_pages: bool,
    min_words: int,
    full_text_words: int,
) -> Iterator[Article | Failure]:
    try:
        feed = parse_feed(data, source=source)
    except IngestError as exc:
        yield _failure(exc)
        return
    for warning in feed.warnings:
        logger.warning("%s", warning)
    feed_outlet = outlet or feed.title
    for number, entry in enumerate(feed.entries, start=1):
        where = entry.url or f"{source}#{number}"
        try:
            article = _entry_article(
                entry,
                source=where,
                outlet=feed_outlet,
                language=feed.language,
                state=state,
                fetch_pages=fetch_pages,
                min_words=min_words,
                full_text_words=full_text_words,
            )
        except IngestError as exc:
            yield _failure(exc)
            continue
        yield article


def _entry_article(
    entry: FeedEntry,
    *,
    source: str,
    outlet: str | None,
    language: str | None,
    state: Fetcher,
    fetch_pages: bool,
    min_words: int,
    full_text_words: int,
) -> Article:
    meta: dict[str, Any] = {
        "title": entry.title,
        "byline": entry.byline,
        "published": entry.published,
        "url": entry.url,
        "language": language,
    }
    outlet = outlet or outlet_from_url(entry.url)
    if entry.content and entry.content.strip():
        try:
            if entry.content_is_html or _HTML_HINT.search(entry.content):
                article, _ = build_html_article(
                    f"<html><body>{entry.content}</body></html>",
                    source=source,
                    outlet=outlet,
                    url=entry.url,
                    meta=meta,
                )
            else:
                article, _ = build_text_article(
                    entry.content, source=source, outlet=outlet, meta=meta
                )
        except IngestError:
            article = None
        if article is not None and article.word_count >= full_text_words:
            return article
    if not entry.url:
        raise IngestError(source, "entry has no link and no full text")
    if not fetch_pages:
        raise IngestError(source, "entry has only a summary (fetching pages is off)")
    if urlsplit(entry.url).scheme.lower() not in ("http", "https"):
        raise IngestError(source, "entry link is not an http(s) URL")
    page = state.fetch(entry.url)
    if "html" not in page.content_type and page.content_type not in ("", "text/plain"):
        raise IngestError(source, f"linked page is not HTML ({page.content_type})")
    body: str | bytes = page.content
    if page.charset:
        try:
            body = page.content.decode(page.charset)
        except (LookupError, UnicodeDecodeError):
            body = page.content
    article, warnings = build_html_article(
        body, source=source, outlet=outlet, url=page.final_url, meta=meta
    )
    for warning in warnings:
        logger.info("%s", warning)
    if article.word_count < min_words:
        raise IngestError(
            source,
            f"too little text for a news article ({article.word_count} words < {min_words})",
        )
    return article


def _load(target: str, state: Fetcher) -> bytes:
    if urlsplit(target).scheme.lower() in ("http", "https"):
        result = state.fetch(target)
        return result.content
    return read_regular(target, target)


def _resolve(feed_url: str, opml_source: str) -> str:
    """An OPML entry as a URL or path (relative ones resolved against the OPML's location)."""
    if urlsplit(feed_url).scheme.lower() in ("http", "https"):
        return feed_url
    if urlsplit(opml_source).scheme.lower() in ("http", "https"):
        return urljoin(opml_source, feed_url)
    if feed_url.startswith("file://"):
        return feed_url[len("file://") :]
    return os.path.join(os.path.dirname(opml_source), feed_url)


def _entry(item: Any, *, base: str | None) -> FeedEntry:
    link = _text(item.get("link"))
    if link and base and not urlsplit(link).scheme:
        link = urljoin(base, link)
    bodies: list[tuple[str, bool]] = []
    for content in item.get("content") or []:
        value = content.get("value")
        if isinstance(value, str) and value.strip():
            bodies.append((value, "html" in (content.get("type") or "")))
    summary = item.get("summary")
    if isinstance(summary, str) and summary.strip():
        detail = item.get("summary_detail") or {}
        bodies.append((summary, "html" in (detail.get("type") or "")))
    body, is_html = max(bodies, key=lambda b: len(b[0])) if bodies else (None, False)
    return FeedEntry(
        url=link,
        title=_text(item.get("title")),
        published=_when(item.get("published_parsed") or item.get("updated_parsed")),
        byline=_text(item.get("author")),
        content=body,
        content_is_html=is_html,
    )


def _when(value: Any) -> dt.datetime | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _one_line(exc: BaseException | Any) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _failure(exc: IngestError) -> Failure:
    logger.warning("%s", exc)
    return Failure(stage="ingest", source=exc.source, error=str(exc))
