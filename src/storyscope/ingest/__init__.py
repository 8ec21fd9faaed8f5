"""Ingest: sources (files, directories, globs, JSONL, WARC, feeds, URLs) -> :class:`~storyscope.model.Article` records.

The common path is :func:`read`, which never stops on one bad source: it
returns the articles it could read plus a :class:`~storyscope.model.Failure`
per source it could not. :func:`iter_sources` streams the same sources (corpus
ingest); both dispatch through :func:`storyscope.ingest.stream.read_sources`, so
``compare`` and ``ingest`` accept the same sources. The single-item readers
(:func:`read_path`, :func:`read_text`, :func:`read_html`) raise
:class:`~storyscope.errors.IngestError`.

Outlet names, by precedence: the ``outlets`` mapping given by the caller >
metadata in the file (front matter, the page's site name, a JSON field) >
the URL host (``www.dailyharbor.com`` -> ``dailyharbor.com``) > the file stem.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyscope.errors import IngestError
from storyscope.ingest.boilerplate import clean_text
from storyscope.ingest.html import read_html
from storyscope.ingest.stream import (
    STREAM_SUFFIXES,
    _iter_file,
    _one_line_failure,
    failure_error,
    iter_sources,
    read_sources,
)
from storyscope.ingest.text import read_text
from storyscope.model import Article, Failure, Reprint, reprint_of

if TYPE_CHECKING:  # pragma: no cover
    from storyscope.ingest.fetch import Fetcher

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

ARTICLE_SUFFIXES = frozenset(STREAM_SUFFIXES)
"""File name endings picked up when a directory is read (``.warc.gz`` among them): the
same as :data:`storyscope.ingest.stream.STREAM_SUFFIXES`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadResult:
    """What :func:`read` produced.

    Attributes:
        articles: Articles read, in source order, duplicates removed.
        failures: One per source (or JSONL line) that could not be read.
        warnings: One-line notes: duplicates skipped, encodings guessed, ...
        reprints: The identical copies skipped that another outlet republished
            (a second file of the same outlet is only a warning).
    """

    articles: tuple[Article, ...]
    failures: tuple[Failure, ...]
    warnings: tuple[str, ...]
    reprints: tuple[Reprint, ...] = ()


def read(
    sources: Iterable[str | os.PathLike[str]],
    *,
    outlets: Mapping[str, str] | None = None,
    fail_fast: bool = False,
    fetcher: Fetcher | None = None,
    fetch_pages: bool = True,
) -> ReadResult:
    """Read articles from files, directories, globs, JSONL, WARC, feeds and URLs.

    The sources :func:`iter_sources` streams, dispatched the same way (the table
    in :mod:`storyscope.ingest.stream`): directories are searched recursively for
    :data:`ARTICLE_SUFFIXES` (sorted; hidden files skipped), ``http(s)`` URLs are
    fetched politely (non-public addresses refused unless ``fetcher`` allows
    them). An identical article (same content id) read twice is kept once, with a
    warning.

    Args:
        sources: Paths, directories, glob patterns (``**`` allowed) and URLs.
        outlets: Outlet names by source path as given, file name or stem.
        fail_fast: Raise on the first problem instead of recording a failure.
        fetcher: The fetcher for URLs, feeds and linked pages (default: a polite
            :class:`~storyscope.ingest.fetch.Fetcher`, closed when done).
        fetch_pages: Fetch the linked page of feed entries that carry only a summary.

    Returns:
        Articles, failures and warnings.

    Raises:
        IngestError: only with ``fail_fast``, for the first bad source.
    """
    articles: list[Article] = []
    failures: list[Failure] = []
    warnings: list[str] = []
    reprints: list[Reprint] = []
    seen_ids: dict[str, Article] = {}
    for item in read_sources(sources, outlets=outlets, fetcher=fetcher, fetch_pages=fetch_pages):
        if isinstance(item, str):
            warnings.append(item)
        elif isinstance(item, Failure):
            if fail_fast:
                raise failure_error(item)
            logger.warning("%s", item.error)
            failures.append(item)
        else:
            first = seen_ids.get(item.id)
            if first is not None:
                reprint = reprint_of(item, first, "identical")
                if reprint is not None:
                    warnings.append(
                        f"{item.source}: identical to {first.source}, skipped "
                        f"(republished by {reprint.outlet})"
                    )
                    reprints.append(reprint)
                else:
                    warnings.append(f"{item.source}: identical to {first.source}, skipped")
                continue
            seen_ids[item.id] = item
            articles.append(item)
    for warning in warnings:
        logger.info("%s", warning)
    return ReadResult(
        articles=tuple(articles),
        failures=tuple(failures),
        warnings=tuple(warnings),
        reprints=tuple(reprints),
    )


def read_path(path: str | os.PathLike[str], *, outlet: str | None = None) -> list[Article]:
    """Read every article in one file, as :func:`read` reads it (text, HTML, JSON, JSONL,
    WARC or a feed, by its name; linked pages of a feed are not fetched).

    Args:
        path: The file.
        outlet: Outlet name for its articles (beats metadata in the file).

    Returns:
        The articles (one for text/HTML, one per record for JSON/JSONL/WARC/feeds).

    Raises:
        IngestError: the file is missing, unreadable or holds no article, or
            (JSON/JSONL, WARC, feeds) any record is bad.
    """
    from storyscope.ingest.fetch import Fetcher

    source = os.fspath(path)
    if not os.path.exists(source):
        raise IngestError(source, "file not found")
    articles: list[Article] = []
    errors: list[IngestError] = []
    with Fetcher() as fetcher:  # a feed list's feeds; makes no request for anything else
        for item in _iter_file(source, outlet=outlet, outlets=None, fetcher=fetcher, fetch_pages=False):
            if isinstance(item, str):
                logger.warning("%s", item)
            elif isinstance(item, Failure):
                errors.append(failure_error(_one_line_failure(item)))
            else:
                articles.append(item)
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more bad records)" if len(errors) > 1 else ""
        raise IngestError(first.source, first.problem + more)
    return articles
