"""WARC / WARC.GZ web archives -> articles: :func:`iter_warc`.

Each ``response`` (or ``resource``) record whose payload is an HTML page goes
through the same extraction as :func:`~storyscope.ingest.read_html`, with the
record's ``WARC-Target-URI`` as the article's ``source`` and ``url`` and the
URI's host (``www.`` dropped) as its outlet. Records are streamed one at a time
(warcio), so memory does not grow with the archive.

What cannot become an article is yielded as a :class:`~storyscope.model.Failure`
with the reason, and the archive goes on: non-HTML payloads, HTTP statuses other
than 200, payloads over the size cap, pages with too little text to be news, and
malformed records (the reader skips ahead to the next record that parses).

Every WARC and HTTP header line is read with a bounded length
(:data:`MAX_LINE_BYTES`) and every header block with a bounded total
(:data:`MAX_HEADER_BYTES`): a record whose header line never ends (a
"header bomb", perhaps gigabytes once decompressed) is one malformed record,
read no further than the bound, and the records before and after it are kept.
``request``, ``metadata``, ``warcinfo`` and ``revisit`` records are not pages and
are passed over silently.
"""

from __future__ import annotations

import gzip
import logging
import os
import zlib
from collections.abc import Iterator
from typing import IO, Any

from storyscope.errors import IngestError
from storyscope.ingest._decode import open_regular
from storyscope.ingest._meta import outlet_from_url
from storyscope.ingest.html import build_html_article
from storyscope.model import Article, Failure

__all__ = [
    "MAX_HEADER_BYTES",
    "MAX_LINE_BYTES",
    "MAX_PAYLOAD_BYTES",
    "MIN_WORDS",
    "WARC_SUFFIXES",
    "iter_warc",
]

logger = logging.getLogger(__name__)

MAX_PAYLOAD_BYTES = 5_000_000
"""Largest HTML payload read from one record (5 MB); bigger ones are skipped."""

MAX_LINE_BYTES = 65_536
"""Longest WARC or HTTP header line read (64 KiB); a longer one makes the record malformed."""

MAX_HEADER_BYTES = 262_144
"""Largest WARC or HTTP header block read (256 KiB); a larger one makes the record malformed."""

MIN_WORDS = 80
"""Fewest words of cleaned text for a page to count as a news article."""

WARC_SUFFIXES = (".warc", ".warc.gz")
"""File name endings read as web archives."""

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/xml+html"})
_PAGE_RECORDS = frozenset({"response", "resource"})
_SCAN_CHUNK = 1 << 20


def iter_warc(
    path: str | os.PathLike[str],
    *,
    outlet: str | None = None,
    max_payload_bytes: int = MAX_PAYLOAD_BYTES,
    min_words: int = MIN_WORDS,
) -> Iterator[Article | Failure]:
    """Stream articles out of a WARC or WARC.GZ file.

    Args:
        path: The archive (plain or gzip-compressed, per-record or whole-file).
        outlet: Outlet name for every article (default: each URI's host).
        max_payload_bytes: Larger payloads are skipped with a failure.
        min_words: Pages whose cleaned text is shorter are skipped with a failure.

    Yields:
        One :class:`Article` per news page, one :class:`Failure` per skipped
        record (``source`` is the target URI, or ``path@offset``).

    Raises:
        IngestError: the file is missing, not a regular file (a FIFO would block
            forever) or cannot be opened.
    """
    source = os.fspath(path)
    handle = open_regular(source, source, sized=False)  # streamed: no size limit; closed below
    try:
        compressed = handle.read(2) == b"\x1f\x8b"
        if not _starts_like_warc(handle, compressed=compressed):
            yield Failure(
                stage="ingest",
                source=source,
                error=str(IngestError(source, "not a WARC file (no WARC/1.x header)")),
            )
            return
        offset = 0
        found_any = False
        gave_any = False  # an article or a failure: a file never ends in silence
        while True:
            handle.seek(offset)
            records = _QuietArchiveIterator(handle)
            in_page = False  # inside our reading of a record (not warcio's of its header)
            try:
                for record in records:
                    found_any = True
                    if record.format != "warc":  # warcio reads stray text as ARC
                        raise ValueError("not a WARC record")
                    in_page = True
                    for item in _record_items(
                        record,
                        archive=source,
                        offset=records.offset,
                        outlet=outlet,
                        max_payload_bytes=max_payload_bytes,
                        min_words=min_words,
                    ):
                        gave_any = True
                        yield item
                    in_page = False
            except Exception as exc:  # warcio, zlib and int() raise many types on corrupt data
                bad = max(records.offset, offset)
                if not in_page and isinstance(exc, (AttributeError, TypeError, KeyError, IndexError)):
                    # warcio's own slips on a header cut short: say what is wrong with the file
                    problem = "truncated or incomplete record header"
                else:
                    problem = _printable(str(exc)) or type(exc).__name__
                if not found_any and bad == 0 and not isinstance(exc, _HeaderTooLong):
                    yield Failure(
                        stage="ingest",
                        source=source,
                        error=str(IngestError(source, f"malformed WARC file ({problem})")),
                    )
                    return
                gave_any = True
                yield Failure(
                    stage="ingest",
                    source=f"{source}@{bad}",
                    error=str(IngestError(f"{source}@{bad}", f"malformed WARC record ({problem})")),
                )
                resume = _next_record_start(handle, bad + 1, compressed=compressed)
                if resume is None:
                    return
                logger.info("%s: skipped to the next record at byte %d", source, resume)
                offset = resume
                continue
            if not gave_any:  # only warcinfo, request or unknown records (a header cut short)
                yield Failure(
                    stage="ingest",
                    source=source,
                    error=str(IngestError(source, "no page in this WARC file (no response or resource record)")),
                )
            return
    finally:
        handle.close()


def _record_items(
    record: Any,
    *,
    archive: str,
    offset: int,
    outlet: str | None,
    max_payload_bytes: int,
    min_words: int,
) -> Iterator[Article | Failure]:
    """The article (or the failure) one record gives; nothing for non-page records."""
    if record.rec_type not in _PAGE_RECORDS:
        return
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ")
    source = uri or f"{archive}@{offset}"

    def skip(problem: str) -> Failure:
        logger.debug("%s: %s", source, problem)
        return Failure(stage="ingest", source=source, error=str(IngestError(source, problem)))

    if record.rec_type == "response":
        if record.http_headers is None:  # dns:, whois: ... responses carry no HTTP
            return
        status = record.http_headers.get_statuscode() or "?"
        if status != "200":
            yield skip(f"HTTP {status} response, not a page")
            return
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    media, charset = _media_type(content_type)
    if media not in _HTML_TYPES:
        yield skip(f"not HTML ({media or 'no content type'})")
        return
    length = record.length or 0
    if length > max_payload_bytes + 64_000:  # the HTTP header block is counted too
        yield skip(f"payload too large ({length} bytes > {max_payload_bytes})")
        return
    try:
        payload = record.content_stream().read(max_payload_bytes + 1)
    except Exception as exc:  # warcio/zlib/brotli raise many types on a corrupt body
        yield skip(f"cannot read payload ({type(exc).__name__})")
        return
    if len(payload) > max_payload_bytes:
        yield skip(f"payload too large (over {max_payload_bytes} bytes)")
        return
    page: str | bytes = payload
    if charset:
        try:
            page = payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            page = payload
    try:
        article, warnings = build_html_article(
            page,
            source=source,
            outlet=outlet or outlet_from_url(uri) or None,
            url=uri or None,
        )
    except IngestError as exc:
        yield Failure(stage="ingest", source=source, error=str(exc))
        return
    for warning in warnings:
        logger.info("%s", warning)
    words = article.word_count
    if words < min_words:
        yield skip(f"too little text for a news article ({words} words < {min_words})")
        return
    yield article


def _starts_like_warc(handle: IO[bytes], *, compressed: bool) -> bool:
    handle.seek(0)
    try:
        if compressed:
            with gzip.GzipFile(fileobj=handle) as unzipped:
                head = unzipped.read(8)
        else:
            head = handle.read(8)
    except (OSError, EOFError, zlib.error):
        return False
    return head.startswith(b"WARC/")


def _printable(text: str, limit: int = 120) -> str:
    """One short line of printable ASCII (error messages can quote binary garbage)."""
    kept = "".join(ch if " " <= ch <= "~" else " " for ch in text)
    line = " ".join(kept.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _media_type(value: str) -> tuple[str, str | None]:
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'")
    return media.strip().lower(), charset


def _next_record_start(handle: IO[bytes], start: int, *, compressed: bool) -> int | None:
    """Byte offset of the next plausible record start at or after ``start``.

    In a compressed archive a candidate is a gzip member whose first bytes
    decompress to ``WARC/``: the gzip magic alone turns up in compressed data by
    chance, and each false start would be one more spurious failure.
    """
    marker = b"\x1f\x8b\x08" if compressed else b"WARC/1."
    position = start
    tail = b""
    while True:
        handle.seek(position)
        chunk = handle.read(_SCAN_CHUNK)
        if not chunk:
            return None
        data = tail + chunk
        base = position - len(tail)
        found = data.find(marker)
        while found != -1:
            absolute = base + found
            if compressed:
                if _warc_member_at(handle, absolute):
                    return absolute
            elif absolute == 0 or data[found - 1 : found] == b"\n":
                return absolute
            found = data.find(marker, found + 1)
        tail = data[-(len(marker) - 1) :]
        position += len(chunk)


def _warc_member_at(handle: IO[bytes], offset: int) -> bool:
    """Whether a gzip member that starts with a WARC record begins at ``offset``."""
    handle.seek(offset)
    raw = handle.read(4096)
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw, 16)
    except zlib.error:
        return False
    return head.startswith(b"WARC/")


class _HeaderTooLong(ValueError):
    """A header line or block over its bound: the record is malformed."""


def _make_quiet_iterator() -> type:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.bufferedreaders import DecompressingBufferedReader
    from warcio.statusandheaders import StatusAndHeadersParser
    from warcio.utils import BUFF_SIZE

    class BoundedReader(DecompressingBufferedReader):  # type: ignore[misc]
        """warcio's reader whose lines stop at :data:`MAX_LINE_BYTES`.

        warcio reads header lines with an unbounded ``readline`` that also joins
        the pieces quadratically; a line with no newline in a compressed archive
        could grow to gigabytes. Here a line is read in linear time and, past the
        bound, raises :class:`_HeaderTooLong` instead.
        """

        def readline(self, length: int | None = None) -> bytes:
            limit = MAX_LINE_BYTES if length is None or length < 0 else min(length, MAX_LINE_BYTES)
            parts: list[bytes] = []
            size = 0
            while size < limit:
                self._fillbuff()
                if self.empty():
                    break
                piece = self.buff.readline(limit - size)
                parts.append(piece)
                size += len(piece)
                if piece.endswith(b"\n"):
                    break
            line = b"".join(parts)
            if size >= MAX_LINE_BYTES and not line.endswith(b"\n"):
                raise _HeaderTooLong(f"header line over {MAX_LINE_BYTES} bytes")
            return line

    class HeaderBudget:
        """A stream whose ``readline`` calls share a budget of :data:`MAX_HEADER_BYTES`."""

        def __init__(self, stream: Any) -> None:
            self.stream = stream
            self.left = MAX_HEADER_BYTES

        def readline(self, length: int | None = None) -> bytes:
            line: bytes = self.stream.readline(length)
            self.left -= len(line)
            if self.left < 0:
                raise _HeaderTooLong(f"header block over {MAX_HEADER_BYTES} bytes")
            return line

    class BoundedParser(StatusAndHeadersParser):  # type: ignore[misc]
        def parse(self, stream: Any, full_statusline: Any = None) -> Any:
            return super().parse(HeaderBudget(stream), full_statusline)

    class QuietArchiveIterator(ArchiveIterator):  # type: ignore[misc]
        """warcio's iterator with bounded header lines and blocks, logging (not
        printing) records with a wrong length."""

        def __init__(self, fileobj: IO[bytes]) -> None:
            super().__init__(fileobj)
            # nothing is read before the first next(): swap in the bounded reader and parsers
            self.reader = BoundedReader(self.fh, block_size=BUFF_SIZE)
            loader = self.loader
            for name in ("warc_parser", "http_parser", "http_req_parser"):
                old = getattr(loader, name)
                setattr(loader, name, BoundedParser(old.statuslist, old.verify))

        def _consume_blanklines(self) -> tuple[bytes | None, int]:
            empty_size = 0
            first_line = True
            while True:
                line = self.reader.readline()
                if len(line) == 0:
                    return None, empty_size
                if len(line.rstrip()) == 0 or first_line:
                    empty_size += len(line)
                    if len(line.rstrip()) != 0:
                        logger.info("WARC record with a wrong Content-Length: %r", line[:80])
                        self.err_count += 1
                    first_line = False
                    continue
                return line, empty_size

    return QuietArchiveIterator


class _LazyIterator:
    cls: type | None = None

    def __call__(self, handle: IO[bytes]) -> Any:
        if self.cls is None:
            self.cls = _make_quiet_iterator()
        return self.cls(handle)


_QuietArchiveIterator = _LazyIterator()
