"""HTML page -> :class:`Article`: :func:`read_html`.

Main text and metadata come from trafilatura (precision mode, no comments).
When trafilatura finds nothing, a fallback keeps the text of ``<p>`` elements.
The extracted text then goes through :func:`~storyscope.ingest.clean_text`.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from typing import Any

from storyscope.errors import IngestError
from storyscope.ingest._budget import article_budget
from storyscope.ingest._decode import decode
from storyscope.ingest._meta import split_headline
from storyscope.ingest.text import make_article
from storyscope.model import Article

__all__ = ["read_html"]

logger = logging.getLogger(__name__)

_P_TAG = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_MIN_FALLBACK_CHARS = 40


def read_html(
    html: str | bytes, *, source: str, outlet: str | None = None, url: str | None = None
) -> Article:
    """Read one article from an HTML page.

    Args:
        html: The page, as text or bytes (decoded as UTF-8, declared charset,
            or a guessed encoding).
        source: Where it came from; names errors and is stored.
        outlet: Outlet name; beats the page's site name, URL host and file stem.
        url: The page URL, if known (helps extraction; used for the outlet).

    Returns:
        The article: cleaned main text plus title, author, date and site name.

    Raises:
        IngestError: empty, binary or too large input, or no article text found.
    """
    article, warnings = build_html_article(html, source=source, outlet=outlet, url=url)
    for warning in warnings:
        logger.warning("%s", warning)
    return article


def build_html_article(
    html: str | bytes,
    *,
    source: str,
    outlet: str | None = None,
    url: str | None = None,
    meta: dict[str, Any] | None = None,
) -> tuple[Article, list[str]]:
    """:func:`read_html`, returning warnings instead of logging them.

    ``meta`` (title, byline, published, url, language, outlet) from a JSON
    record beats what the page says. The whole read runs within the
    per-article time budget (:data:`storyscope.ingest._budget.MAX_ARTICLE_SECONDS`).
    """
    with article_budget(source):
        return _build_html_article(html, source=source, outlet=outlet, url=url, meta=meta)


def _build_html_article(
    html: str | bytes,
    *,
    source: str,
    outlet: str | None,
    url: str | None,
    meta: dict[str, Any] | None,
) -> tuple[Article, list[str]]:
    text, guessed = decode(html, source=source, html=True)
    warnings = [f"{source}: not valid UTF-8, decoded as {guessed}"] if guessed else []
    meta = {k: v for k, v in (meta or {}).items() if v not in (None, "")}
    found = _extract(text, source=source, url=url or meta.get("url"))
    if found is None:
        body = _fallback_paragraphs(text)
        if not body:
            raise IngestError(source, "no article text found")
        warnings.append(f"{source}: main-text extraction failed, kept <p> text only")
        found = {"text": body}
    page_url = url or meta.get("url") or found.get("url")
    title = meta.get("title") or found.get("title")
    body, title, _ = split_headline(found["text"], title=title, byline=None)
    article = make_article(
        body,
        source=source,
        outlet=outlet or meta.get("outlet") or found.get("sitename"),
        title=title,
        byline=meta.get("byline") or found.get("author"),
        published=meta.get("published") or found.get("date"),
        url=page_url,
        language=meta.get("language") or found.get("language"),
    )
    return article, warnings


def _extract(text: str, *, source: str, url: str | None) -> dict[str, Any] | None:
    """Run trafilatura; None when it finds no main text."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            text,
            url=url,
            with_metadata=True,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
        )
    except Exception as exc:  # trafilatura/lxml raise many types on broken input
        logger.debug("%s: trafilatura failed: %s", source, exc)
        return None
    if doc is None:
        return None
    found: dict[str, Any] = doc if isinstance(doc, dict) else doc.as_dict()
    body = found.get("text")
    if not isinstance(body, str) or not body.strip():
        return None
    # trafilatura puts one block per line; storyscope separates paragraphs with a blank line.
    paragraphs = [line.strip() for line in body.split("\n") if line.strip()]
    return {
        "text": "\n\n".join(paragraphs),
        "title": found.get("title"),
        "author": found.get("author"),
        "date": found.get("date"),
        "sitename": _site_name(found.get("sitename")),
        "url": found.get("url"),
        "language": found.get("language"),
    }


def _site_name(value: str | None) -> str | None:
    """trafilatura falls back to the host name; drop obviously empty values."""
    if not value or not value.strip():
        return None
    return value.strip()


def _fallback_paragraphs(text: str) -> str:
    """Text of ``<p>`` elements (lxml when it parses, a regex otherwise)."""
    paragraphs: list[str] = []
    try:
        import lxml.html

        tree = lxml.html.document_fromstring(text)
        for bad in tree.xpath("//script|//style|//noscript|//template"):
            bad.drop_tree()
        paragraphs = [" ".join(p.text_content().split()) for p in tree.iter("p")]
    except Exception as exc:  # lxml raises ParserError, ValueError, ... on broken input
        logger.debug("lxml could not parse the page: %s", exc)
        stripped = _SCRIPT.sub(" ", text)
        paragraphs = [
            " ".join(html_lib.unescape(_TAG.sub(" ", p)).split()) for p in _P_TAG.findall(stripped)
        ]
    paragraphs = [p for p in paragraphs if p]
    body = "\n\n".join(paragraphs)
    return body if len(body) >= _MIN_FALLBACK_CHARS else ""
