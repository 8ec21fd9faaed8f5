"""Streaming ingest over any mix of sources: :func:`iter_sources`.

:func:`iter_sources` yields each :class:`~storyscope.model.Article` (or
:class:`~storyscope.model.Failure`) as soon as it is read, so memory stays flat
however large the input: directories are walked lazily, JSONL is read line by
line, WARC archives record by record, feeds entry by entry.
:func:`~storyscope.ingest.read` (``storyscope compare``) collects the same stream
into one result: both go through :func:`read_sources`, the one dispatch, and
accept the same sources. They are dispatched by what they are:

==========================================  ==========================================
``http://`` / ``https://`` URL              fetched politely; a feed or OPML is read as
                                            one, anything else as an HTML page
``*.warc``, ``*.warc.gz``, ``*.arc(.gz)``   :func:`~storyscope.ingest.warc.iter_warc`
``*.rss``, ``*.atom``, ``*.opml``, ``*.xml``  :func:`~storyscope.ingest.feeds.iter_feed`
``*.jsonl``, ``*.ndjson``                   one record per line, streamed
``*.json``                                  a record or an array of records
``*.html``, ``*.htm``, ``*.xhtml``          an HTML page
anything else                               plain text (HTML when it sniffs as HTML)
a directory                                 every file above, recursively, sorted by
                                            path; hidden ones skipped
a glob pattern (``**`` allowed)             every match, sorted
==========================================  ==========================================

A source that gives nothing is one failure ("file not found", "no articles
found"), and so is a reader's unexpected error, which costs only that source.

Every article's language is identified (:mod:`py3langid`, offline) and stored in
``Article.language``: a confident detection beats declared metadata, otherwise
the declared value (normalised to its primary subtag) is kept. With
``languages=`` set, articles in other languages become failures that name the
language, so they are flagged and skipped.

Identical articles are not removed here: ids are content hashes, so the store's
upsert makes re-ingesting idempotent.
"""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import replace
from typing import BinaryIO
from urllib.parse import urlsplit

from storyscope.errors import IngestError, displayable
from storyscope.ingest._decode import MAX_BYTES, one_line, open_regular, read_regular
from storyscope.ingest._language import MIN_CONFIDENCE, identify_language, normalise_language
from storyscope.ingest._meta import lookup_outlet
from storyscope.ingest.feeds import FEED_SUFFIXES, is_feed, is_opml, iter_feed
from storyscope.ingest.fetch import Fetcher, FetchResult
from storyscope.ingest.html import build_html_article
from storyscope.ingest.records import read_record, read_records
from storyscope.ingest.text import build_text_article
from storyscope.ingest.warc import WARC_SUFFIXES, iter_warc
from storyscope.model import Article, Failure
from storyscope.outlets import OutletNaming

__all__ = [
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "MAX_BAD_LINES",
    "STREAM_SUFFIXES",
    "TEXT_SUFFIXES",
    "expand_source",
    "failure_error",
    "file_outlet",
    "iter_sources",
    "name_outlets",
    "read_sources",
    "with_language",
]

logger = logging.getLogger(__name__)

#: The endings read as one plain-text article, one HTML page, and one record a line (the one
#: table of them: the CLI's article count and the web's compare form read these too).
TEXT_SUFFIXES = (".txt", ".md", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
_JSON_SUFFIXES = (".json",)
_DIR_FEED_SUFFIXES = (".rss", ".atom", ".opml")

MAX_BAD_LINES = 100
"""Bad lines of one JSONL file recorded one by one; past them the file is abandoned (see :func:`iter_sources`)."""

_SNIFF_BYTES = 65_536
_MAX_UNDECODABLE_SHARE = 0.2

STREAM_SUFFIXES = (
    *TEXT_SUFFIXES,
    *HTML_SUFFIXES,
    *JSONL_SUFFIXES,
    *_JSON_SUFFIXES,
    *WARC_SUFFIXES,
    *_DIR_FEED_SUFFIXES,
)
"""File name endings picked up when a directory is walked (``.xml`` only by name); the one
table of what a file is read as is :func:`_iter_file`'s, by these endings."""


def iter_sources(
    sources: Iterable[str | os.PathLike[str]],
    *,
    outlets: Mapping[str, str] | None = None,
    fetcher: Fetcher | None = None,
    fetch_pages: bool = True,
    detect_languages: bool = True,
    languages: Collection[str] | None = None,
    fail_fast: bool = False,
) -> Iterator[Article | Failure]:
    """Stream articles from files, directories, globs, JSONL, WARC, feeds and URLs.

    Args:
        sources: Paths, directories, glob patterns and ``http(s)`` URLs, in any mix;
            may itself be a lazy iterable (e.g. lines of a file).
        outlets: Outlet names by source path as given, file name or stem.
        fetcher: The fetcher for URLs, feeds and linked pages (default: one polite
            :class:`~storyscope.ingest.fetch.Fetcher`, created on first use and
            closed when the stream ends).
        fetch_pages: Fetch the linked page of feed entries that carry only a summary.
        detect_languages: Identify each article's language into ``Article.language``.
        languages: When given (ISO 639-1 codes, e.g. ``{"en"}``), an article in
            another language is yielded as a :class:`Failure` naming its language.
            Articles whose language cannot be told are kept.
        fail_fast: Raise on the first problem instead of yielding a failure.

    Yields:
        Articles in source order, and one :class:`Failure` per source, record,
        entry or line that gave no article (with the reason). A failure is one
        line: control characters in names (a newline in a file name) are shown
        as escapes. A JSONL file whose start is not text (NUL bytes, mostly
        undecodable) is one failure; one that gives :data:`MAX_BAD_LINES` bad
        lines is abandoned with one more failure, unless most of its lines
        so far were articles: then its further bad lines are counted in one
        closing failure instead of one each.

    Raises:
        IngestError: only with ``fail_fast``, for the first problem.
    """
    wanted = frozenset(normalise_language(code) or code for code in languages or ())
    for found in read_sources(sources, outlets=outlets, fetcher=fetcher, fetch_pages=fetch_pages):
        if isinstance(found, str):
            logger.info("%s", found)
            continue
        if isinstance(found, Article):
            if detect_languages:
                found = with_language(found)
            if wanted and found.language is not None and found.language not in wanted:
                found = Failure(
                    stage="ingest",
                    source=found.source,
                    error=str(
                        IngestError(
                            found.source,
                            f"language '{found.language}', not " + ", ".join(sorted(wanted)),
                        )
                    ),
                )
        if isinstance(found, Failure):
            if fail_fast:
                raise failure_error(found)
            logger.info("%s", found.error)
        yield found


def read_sources(
    sources: Iterable[str | os.PathLike[str]],
    *,
    outlets: Mapping[str, str] | None = None,
    fetcher: Fetcher | None = None,
    fetch_pages: bool = True,
) -> Iterator[Article | Failure | str]:
    """The one dispatch of sources to readers, for :func:`iter_sources` and
    :func:`~storyscope.ingest.read` (see the table above).

    Args:
        sources: Paths, directories, glob patterns and ``http(s)`` URLs, in any mix.
        outlets: Outlet names by source path as given, file name or stem.
        fetcher: The fetcher for URLs, feeds and linked pages (default: one polite
            :class:`~storyscope.ingest.fetch.Fetcher`, refusing non-public addresses,
            created on first use and closed when the stream ends).
        fetch_pages: Fetch the linked page of feed entries that carry only a summary.

    Yields:
        Articles and one-line failures in source order (a file reached twice is read
        once), and one-line notes (``str``: an encoding guessed, a record's field
        ignored) after the article they are about. Language is not identified here.
    """
    seen_paths: set[str] = set()
    own = fetcher is None
    fetcher = fetcher or Fetcher()  # creates its HTTP client only when first used
    try:
        for item in sources:
            given = os.fspath(item)
            for found in _iter_source(given, outlets, fetcher, fetch_pages, seen_paths):
                yield _one_line_failure(found) if isinstance(found, Failure) else found
    finally:
        if own:
            fetcher.close()


def failure_error(failure: Failure) -> IngestError:
    """The error a failure records (raised with ``fail_fast``)."""
    return IngestError(failure.source, failure.error.removeprefix(f"{failure.source}: "))


def with_language(article: Article) -> Article:
    """The article with ``language`` set from its text (declared value kept when unsure).

    Args:
        article: Any article.

    Returns:
        The same article, or a copy with ``language`` changed.
    """
    code, probability = identify_language(article.text)
    declared = normalise_language(article.language)
    language = code if code is not None and probability >= MIN_CONFIDENCE else declared
    if language == article.language:
        return article
    return replace(article, language=language)


# -- dispatch ------------------------------------------------------------------------


def _iter_source(
    given: str,
    outlets: Mapping[str, str] | None,
    fetcher: Fetcher,
    fetch_pages: bool,
    seen_paths: set[str],
) -> Iterator[Article | Failure | str]:
    if urlsplit(given).scheme.lower() in ("http", "https"):
        yield from _guarded(given, _iter_url(given, outlets, fetcher, fetch_pages))
        return
    found_any = False
    for path in expand_source(given):
        found_any = True
        key = os.path.realpath(path)
        if key in seen_paths:
            continue
        seen_paths.add(key)
        outlet = file_outlet(outlets, path, given)
        items = _iter_file(
            path, outlet=outlet, outlets=outlets, fetcher=fetcher, fetch_pages=fetch_pages
        )
        yield from _guarded(
            displayable(path), items if outlet is not None else _listed(items, outlets)
        )
    if not found_any:
        exists = os.path.isdir(given) or glob.has_magic(given)
        problem = "no articles found" if exists else "file not found"
        yield _failure(IngestError(displayable(given), problem))


def file_outlet(outlets: Mapping[str, str] | None, path: str, given: str) -> str | None:
    """The outlet the caller names for the file ``path`` reached from source ``given``: an
    exact ``--outlet`` pair (the source as given, the path, its name or stem), else a glob
    or the folder (``--outlet-folders``) of an :class:`~storyscope.outlets.OutletNaming`;
    None when neither names it (then the articles' own names count, and the outlets file:
    :func:`name_outlets`)."""
    outlet = lookup_outlet(outlets, path, given) if path != given else None
    if outlet is None:
        outlet = lookup_outlet(outlets, path)
    if outlet is None and isinstance(outlets, OutletNaming):
        outlet = outlets.by_rule(path, given)
    return outlet


def name_outlets(
    items: Iterable[Article | Failure | str],
    outlets: Mapping[str, str] | None,
    outlet: str | None,
) -> Iterator[Article | Failure | str]:
    """Records read from one file (a Parquet file's rows), named as :func:`iter_sources`
    names a JSONL file's records: by ``outlet`` (:func:`file_outlet`) when the caller named
    the file, else by an exact pair for the record's source, else by the outlets file (the
    record URL's domain, else its name), else as the record names itself."""
    if outlet is not None:
        yield from items
        return
    yield from _listed(
        (_mapped(i, None, outlets) if isinstance(i, Article) else i for i in items), outlets
    )


def _guarded(
    source: str, items: Iterator[Article | Failure | str]
) -> Iterator[Article | Failure | str]:
    """``items``, with an error that ends them (a reader's bug included) as one failure:
    what was read before it stays, and the next source is read."""
    try:
        yield from items
    except IngestError as exc:
        yield _failure(exc)
    except MemoryError:
        yield _failure(IngestError(source, "out of memory while reading"))
    except Exception as exc:  # a reader bug must not cost the rest of the batch
        logger.debug("unexpected error reading %s", source, exc_info=True)
        yield _failure(IngestError(source, f"could not be read ({type(exc).__name__}: {exc})"))


def _iter_url(
    url: str,
    outlets: Mapping[str, str] | None,
    fetcher: Fetcher,
    fetch_pages: bool,
) -> Iterator[Article | Failure | str]:
    try:
        page = fetcher.fetch(url)
    except IngestError as exc:
        yield _failure(exc)
        return
    outlet = lookup_outlet(outlets, url)
    if outlet is None:
        yield from _listed(_iter_page(url, page, outlet, fetcher, fetch_pages), outlets)
        return
    yield from _iter_page(url, page, outlet, fetcher, fetch_pages)


def _iter_page(
    url: str, page: FetchResult, outlet: str | None, fetcher: Fetcher, fetch_pages: bool
) -> Iterator[Article | Failure | str]:
    content = page.content
    kind = page.content_type
    if is_opml(content) or is_feed(content) or kind.endswith(("rss+xml", "atom+xml")):
        yield from iter_feed(
            url, raw=content, outlet=outlet, fetcher=fetcher, fetch_pages=fetch_pages
        )
        return
    try:
        body: str | bytes = content
        if page.charset:
            try:
                body = content.decode(page.charset)
            except (LookupError, UnicodeDecodeError):
                body = content
        if kind in ("text/plain",):
            article, warnings = build_text_article(
                body, source=url, outlet=outlet, meta={"url": page.final_url}
            )
        else:
            article, warnings = build_html_article(
                body, source=url, outlet=outlet, url=page.final_url
            )
    except IngestError as exc:
        yield _failure(exc)
        return
    yield article
    yield from warnings


def _iter_file(
    path: str,
    *,
    outlet: str | None,
    outlets: Mapping[str, str] | None,
    fetcher: Fetcher,
    fetch_pages: bool,
) -> Iterator[Article | Failure | str]:
    """The articles of one file, read as the end of its name says (else text or sniffed HTML)."""
    name = path.lower()
    source = displayable(path)
    if name.endswith(WARC_SUFFIXES):
        yield from iter_warc(path, outlet=outlet)
        return
    if name.endswith(FEED_SUFFIXES):
        yield from iter_feed(path, outlet=outlet, fetcher=fetcher, fetch_pages=fetch_pages)
        return
    if name.endswith(JSONL_SUFFIXES):
        yield from _iter_jsonl(path, outlet=outlet, outlets=outlets)
        return
    raw = read_regular(path, source)
    if name.endswith(_JSON_SUFFIXES):
        result = read_records(raw, source=source, outlet=outlet, jsonl=None)
        for article in result.articles:
            yield _mapped(article, outlet, outlets)
        for error in result.errors:
            yield _failure(error)
        yield from result.warnings
        return
    if name.endswith(HTML_SUFFIXES) or (not name.endswith(TEXT_SUFFIXES) and _sniff_html(raw)):
        article, warnings = build_html_article(raw, source=source, outlet=outlet)
    else:
        article, warnings = build_text_article(raw, source=source, outlet=outlet)
    yield article
    yield from warnings


def _iter_jsonl(
    path: str, *, outlet: str | None, outlets: Mapping[str, str] | None
) -> Iterator[Article | Failure | str]:
    """One record per line, never holding more than one line in memory."""
    source = displayable(path)
    handle = open_regular(path, source, sized=False)  # streamed: no size limit on the file
    try:
        if _not_text(handle.read(_SNIFF_BYTES)):
            yield _failure(IngestError(source, "binary file, not text"))
            return
        handle.seek(0)
        lineno = 0
        any_line = False
        bad = good = 0
        for item in _jsonl_items(handle, source, outlet=outlet, outlets=outlets):
            if isinstance(item, int):
                lineno = item
                any_line = True
                continue
            if isinstance(item, str):
                yield item
                continue
            if isinstance(item, Article):
                good += 1
                yield item
                continue
            bad += 1
            if bad <= MAX_BAD_LINES:
                yield item
            elif good < bad:
                yield _failure(
                    IngestError(
                        source,
                        f"file abandoned: too many bad lines ({bad} bad lines and {good} articles "
                        f"in the first {lineno} lines)",
                    )
                )
                return
        if bad > MAX_BAD_LINES:
            yield _failure(IngestError(source, f"{bad - MAX_BAD_LINES} more bad lines, not listed one by one"))
        if not any_line and not bad:
            yield _failure(IngestError(source, "empty file"))
    finally:
        handle.close()


def _not_text(head: bytes) -> bool:
    """Whether the start of a JSONL file is binary: NUL bytes, or mostly not UTF-8.

    JSON text never holds a raw NUL; a legacy encoding (cp1252) leaves a few
    undecodable bytes, binary data a large share of them.
    """
    if b"\x00" in head:
        return True
    undecodable = head.decode("utf-8", "replace").count("\ufffd") - head.count("\ufffd".encode())
    return undecodable > _MAX_UNDECODABLE_SHARE * len(head)


def _jsonl_items(
    handle: BinaryIO, path: str, *, outlet: str | None, outlets: Mapping[str, str] | None
) -> Iterator[Article | Failure | int | str]:
    """Articles, failures and notes (str) of each line, each line's number (an int) before
    them; ``path`` names the file."""
    lineno = 0
    while True:
        line = handle.readline(MAX_BYTES + 1)
        if not line:
            break
        lineno += 1
        if len(line) > MAX_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # drop the rest of the line
                line = handle.readline(1 << 20)
            yield _failure(IngestError(f"{path}:{lineno}", f"line too long (over {MAX_BYTES} bytes)"))
            continue
        head = line.lstrip()[:1]
        if not head or (head != b"{" and not line.decode("utf-8", "replace").strip()):
            continue  # blank, also by Python's wider idea of whitespace (\x1c-\x1f, U+3000...)
        yield lineno
        where = f"{path}#L{lineno}"
        try:
            result = read_record(line, source=where, outlet=outlet)
        except IngestError as exc:  # named by the line, as read_records names a bad line
            yield _failure(IngestError(f"{path}:{lineno}", exc.problem))
            continue
        for article in result.articles:
            yield _mapped(article, outlet, outlets)
        yield from result.warnings


def _listed(
    items: Iterable[Article | Failure | str], outlets: Mapping[str, str] | None
) -> Iterator[Article | Failure | str]:
    """``items``, each article's outlet named as the outlets file lists it (by its URL's
    domain, else its name), unless the caller's pairs name its record's source."""
    directory = outlets.directory if isinstance(outlets, OutletNaming) else None
    for item in items:
        if (
            directory is not None
            and isinstance(item, Article)
            and lookup_outlet(outlets, item.source) is None
        ):
            name = directory.canonical(item.outlet, item.url)
            if name is not None and name != item.outlet:
                item = replace(item, outlet=name)
        yield item


def _mapped(article: Article, outlet: str | None, outlets: Mapping[str, str] | None) -> Article:
    if outlet is not None or not outlets:
        return article
    mapped = lookup_outlet(outlets, article.source)
    return replace(article, outlet=mapped) if mapped and mapped != article.outlet else article


def expand_source(given: str) -> Iterator[str]:
    """The files one source names, lazily: a file, a directory (recursive) or a glob.

    A directory gives its files with a :data:`STREAM_SUFFIXES` ending, hidden files
    and folders skipped, in the order of their sorted paths (folders are listed as
    they are reached); a glob its matches, sorted, directories among them walked.
    Anything else that exists (a FIFO, a device) is given for the reader to refuse.
    Nothing at all for a missing file or a glob without matches.
    """
    if os.path.isdir(given):
        yield from _walk(given)
    elif os.path.exists(given):  # a file, or a FIFO or device the reader refuses by name
        yield given
    elif glob.has_magic(given):
        for match in sorted(glob.glob(given, recursive=True)):
            if os.path.isdir(match):
                yield from _walk(match)
            elif os.path.isfile(match):
                yield match


def _walk(directory: str) -> Iterator[str]:
    """Files under a directory with a known suffix in sorted path order, hidden ones skipped
    (symbolic links to folders are not followed, as ``os.walk`` does not)."""
    try:
        with os.scandir(directory) as listing:
            entries = [e for e in listing if not e.name.startswith(".")]
    except OSError:  # unreadable: skipped, as os.walk skips it
        return
    folders: set[str] = set()
    for entry in entries:
        try:
            if entry.is_dir() and not entry.is_symlink():
                folders.add(entry.name)
        except OSError:
            continue
    # a folder sorts as its name plus the separator: the order of the full paths
    for entry in sorted(entries, key=lambda e: e.name + os.sep if e.name in folders else e.name):
        if entry.name in folders:
            yield from _walk(entry.path)
        elif entry.name.lower().endswith(STREAM_SUFFIXES):
            try:
                if entry.is_dir():  # a link to a folder: os.walk lists it, never as a file
                    continue
            except OSError:
                pass
            yield entry.path


def _sniff_html(raw: bytes) -> bool:
    head = raw[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _failure(exc: IngestError) -> Failure:
    return Failure(stage="ingest", source=exc.source, error=str(exc))


def _one_line_failure(failure: Failure) -> Failure:
    """The failure with control characters (a newline in a file name) shown as escapes."""
    source, error = one_line(failure.source), one_line(failure.error)
    if (source, error) == (failure.source, failure.error):
        return failure
    return Failure(stage=failure.stage, source=source, error=error)
