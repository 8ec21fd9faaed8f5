"""Ingest: sources (files, directories, globs) -> :class:`~storyscope.model.Article` records.

The common path is :func:`read`, which never stops on one bad source: it
returns the articles it could read plus a :class:`~storyscope.model.Failure`
per source it could not. The single-item readers (:func:`read_path`,
:func:`read_text`, :func:`read_html`) raise :class:`~storyscope.errors.IngestError`.

Outlet names, by precedence: the ``outlets`` mapping given by the caller >
metadata in the file (front matter, the page's site name, a JSON field) >
the URL host (``www.dailyharbor.com`` -> ``dailyharbor.com``) > the file stem.
"""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from storyscope.errors import IngestError, displayable
from storyscope.ingest._decode import one_line, read_regular
from storyscope.ingest._meta import lookup_outlet
from storyscope.ingest.boilerplate import clean_text
from storyscope.ingest.html import build_html_article, read_html
from storyscope.ingest.records import read_records
from storyscope.ingest.stream import iter_sources
from storyscope.ingest.text import build_text_article, read_text
from storyscope.model import Article, Failure

__all__ = [
    "ARTICLE_SUFFIXES",
    "ReadResult",
    "clean_text",
    "iter_sources",
    "read",
    "read_html",
    "read_path",
    "read_text",
]

logger = logging.getLogger(__name__)

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".text", ".html", ".htm", ".json", ".jsonl"})
"""File suffixes picked up when a directory is read."""

_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_JSON_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadResult:
    """What :func:`read` produced.

    Attributes:
        articles: Articles read, in source order, duplicates removed.
        failures: One per source (or JSONL line) that could not be read.
        warnings: One-line notes: duplicates skipped, encodings guessed, ...
    """

    articles: tuple[Article, ...]
    failures: tuple[Failure, ...]
    warnings: tuple[str, ...]


def read(
    sources: Iterable[str | os.PathLike[str]],
    *,
    outlets: Mapping[str, str] | None = None,
    fail_fast: bool = False,
) -> ReadResult:
    """Read articles from files, directories and glob patterns.

    Directories are searched recursively for ``*.txt *.md *.text *.html *.htm
    *.json *.jsonl`` (sorted; hidden files skipped). An identical article
    (same content id) read twice is kept once, with a warning.

    Args:
        sources: Paths, directories or glob patterns (``**`` allowed).
        outlets: Outlet names by source path as given, file name or stem.
        fail_fast: Raise on the first problem instead of recording a failure.

    Returns:
        Articles, failures and warnings.

    Raises:
        IngestError: only with ``fail_fast``, for the first bad source.
    """
    articles: list[Article] = []
    failures: list[Failure] = []
    warnings: list[str] = []
    seen_ids: dict[str, str] = {}
    seen_paths: set[str] = set()

    def fail(exc: IngestError) -> None:
        if fail_fast:
            raise exc
        error = one_line(str(exc))  # a newline in a file name does not split the line
        logger.warning("%s", error)
        failures.append(Failure(stage="ingest", source=one_line(exc.source), error=error))

    for item in sources:
        given = os.fspath(item)
        try:
            paths = list(_expand(given))
        except IngestError as exc:
            fail(exc)
            continue
        for path in paths:
            key = os.path.realpath(path)
            if key in seen_paths:
                continue
            seen_paths.add(key)
            outlet = lookup_outlet(outlets, path, given) if path != given else None
            if outlet is None:
                outlet = lookup_outlet(outlets, path)
            try:
                found, errors, notes = _read_file(path, outlet=outlet, outlets=outlets)
            except IngestError as exc:
                fail(exc)
                continue
            except MemoryError:
                fail(IngestError(displayable(path), "out of memory while reading"))
                continue
            except Exception as exc:  # a reader bug must not cost the rest of the batch
                logger.debug("unexpected error reading %s", path, exc_info=True)
                fail(IngestError(displayable(path), f"could not be read ({type(exc).__name__}: {exc})"))
                continue
            warnings.extend(notes)
            for error in errors:
                fail(error)
            for article in found:
                first = seen_ids.get(article.id)
                if first is not None:
                    warnings.append(f"{article.source}: identical to {first}, skipped")
                    continue
                seen_ids[article.id] = article.source
                articles.append(article)
    for warning in warnings:
        logger.info("%s", warning)
    return ReadResult(articles=tuple(articles), failures=tuple(failures), warnings=tuple(warnings))


def read_path(path: str | os.PathLike[str], *, outlet: str | None = None) -> list[Article]:
    """Read every article in one file (text, HTML, JSON or JSONL).

    Args:
        path: The file.
        outlet: Outlet name for its articles (beats metadata in the file).

    Returns:
        The articles (one for text/HTML, one per record for JSON/JSONL).

    Raises:
        IngestError: the file is missing, unreadable or holds no article, or
            (JSON/JSONL) any record is bad.
    """
    source = os.fspath(path)
    if not os.path.exists(source):
        raise IngestError(source, "file not found")
    articles, errors, warnings = _read_file(source, outlet=outlet, outlets=None)
    for warning in warnings:
        logger.warning("%s", warning)
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more bad records)" if len(errors) > 1 else ""
        raise IngestError(first.source, first.problem + more)
    return articles


def _expand(given: str) -> Iterator[str]:
    """Files named by one source: a file, a directory (recursive) or a glob."""
    if os.path.exists(given) and not os.path.isdir(given):
        yield given  # _read_file rejects what is not a regular file
        return
    if os.path.isdir(given):
        found = _walk(given)
    elif glob.has_magic(given):
        found = []
        for match in sorted(glob.glob(given, recursive=True)):
            if os.path.isdir(match):
                found.extend(_walk(match))
            elif os.path.isfile(match):
                found.append(match)
    else:
        raise IngestError(displayable(given), "file not found")
    if not found:
        raise IngestError(displayable(given), "no articles found")
    yield from found


def _walk(directory: str) -> list[str]:
    found: list[str] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES:
                found.append(os.path.join(root, name))
    return sorted(found)


def _read_file(
    path: str, *, outlet: str | None, outlets: Mapping[str, str] | None
) -> tuple[list[Article], list[IngestError], list[str]]:
    """Read one file; whole-file problems raise, per-record ones are returned."""
    source = displayable(path)
    raw = read_regular(path, source)
    suffix = os.path.splitext(path)[1].lower()
    if suffix in _JSON_SUFFIXES:
        result = read_records(
            raw, source=source, outlet=outlet, jsonl=True if suffix != ".json" else None
        )
        articles = result.articles
        if outlets and outlet is None:
            articles = [_with_mapped_outlet(a, outlets) for a in articles]
        return articles, result.errors, result.warnings
    if suffix in _HTML_SUFFIXES or (suffix not in ARTICLE_SUFFIXES and _sniff_html(raw)):
        article, warnings = build_html_article(raw, source=source, outlet=outlet)
    else:
        article, warnings = build_text_article(raw, source=source, outlet=outlet)
    return [article], [], warnings


def _with_mapped_outlet(article: Article, outlets: Mapping[str, str]) -> Article:
    from dataclasses import replace

    mapped = lookup_outlet(outlets, article.source)
    return replace(article, outlet=mapped) if mapped and mapped != article.outlet else article


def _sniff_html(raw: bytes) -> bool:
    head = raw[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head
