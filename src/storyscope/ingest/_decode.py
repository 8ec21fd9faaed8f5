"""Bytes -> str for ingest: BOMs, UTF-8, legacy encodings, binary detection, size limit.

Also the two character rules every ingested text and name goes by:
:func:`strip_controls` (control characters out of article text and fields, so
that every store backend takes them; PostgreSQL refuses U+0000) and
:func:`one_line` (control characters in names and messages shown as escapes,
so that an error is one line).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from typing import BinaryIO

from storyscope.errors import IngestError

MAX_BYTES = 20_000_000
"""Largest single source accepted (20 MB)."""

MAX_CHARS = 1_000_000
"""Longest cleaned article text accepted (the NLP model's document limit)."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_MAX_BAD_SHARE = 0.05
_WESTERN_LOOKALIKES = frozenset(
    {"cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_9", "iso8859_15"}
)


def check_size(size: int, source: str) -> None:
    """Raise if a source of ``size`` bytes is over the limit.

    Raises:
        IngestError: ``"file too large (52.4 MB > 20 MB)"``.
    """
    if size > MAX_BYTES:
        raise IngestError(
            source, f"file too large ({size / 1e6:.1f} MB > {MAX_BYTES // 1_000_000} MB)"
        )


def open_regular(path: str, source: str, *, sized: bool = True) -> BinaryIO:
    """Open a regular file for reading bytes, refusing what would hang or mislead.

    Directories, FIFOs, sockets and devices are refused before they are opened
    (reading a FIFO waits for a writer forever).

    Args:
        path: The file.
        source: How errors name it.
        sized: Refuse a file over :data:`MAX_BYTES` (``False`` for sources read
            in a stream, such as JSONL).

    Raises:
        IngestError: ``file not found``, ``is a directory``, ``not a regular
            file``, ``file too large (...)`` or ``cannot read file (...)``.
    """
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IngestError(source, "is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise IngestError(source, "not a regular file")
        if sized:
            check_size(info.st_size, source)
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    except FileNotFoundError as exc:
        raise IngestError(source, "file not found") from exc
    except IsADirectoryError as exc:
        raise IngestError(source, "is a directory") from exc
    except OSError as exc:
        raise IngestError(source, f"cannot read file ({exc.strerror or exc})") from exc


def read_regular(path: str, source: str) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_BYTES` (see :func:`open_regular`)."""
    with open_regular(path, source) as handle:
        try:
            raw = handle.read(MAX_BYTES + 1)  # the file may grow after stat
        except OSError as exc:
            raise IngestError(source, f"cannot read file ({exc.strerror or exc})") from exc
    check_size(len(raw), source)
    return raw


_STRIP_CONTROLS = {
    **{code: None for code in range(0x20) if chr(code) not in "\t\n\r"},
    0x0B: "\n",  # vertical tab and form feed break lines (str.splitlines agrees)
    0x0C: "\n",
    0x7F: None,
}
_ESCAPED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def strip_controls(text: str) -> str:
    """``text`` without C0 control characters and DEL; tab, newline and CR stay.

    NUL and the other controls carry no text, break some consumers (PostgreSQL
    refuses U+0000 in text) and are removed; vertical tab and form feed become
    newlines. Applied before the text is cleaned and segmented, so every
    character offset points into the text without them.
    """
    return text.translate(_STRIP_CONTROLS)


def one_line(text: str) -> str:
    r"""``text`` with every control character shown as its escape (``\n``, ``\x00``, ``\u2028``).

    For names and messages that must stay one printable line: a file name with
    a newline in it does not split the error that names it.
    """
    if _ESCAPED.search(text) is None:
        return text
    return _ESCAPED.sub(lambda found: repr(found.group())[1:-1], text)


def normalise_newlines(text: str) -> str:
    """Turn ``\\r\\n`` and lone ``\\r`` into ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


_SUSPECT = re.compile(r"[^\x20-\x7e]")


def _looks_binary(text: str) -> bool:
    """Mostly non-text: control characters, unassigned code points or U+FFFD."""
    if not text:
        return False
    sample = text[:100_000]
    bad = sum(  # printable ASCII is never bad: look only at the rest
        1
        for ch in _SUSPECT.findall(sample)
        if ch == "\ufffd"
        or (ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs"))
    )
    return bad / len(sample) > _MAX_BAD_SHARE


def _declared_html_charset(raw: bytes) -> str | None:
    found = _META_CHARSET.search(raw[:4096])
    if found is None:
        return None
    name = found.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(raw: bytes | str, *, source: str, html: bool = False) -> tuple[str, str | None]:
    """Decode a source to text with ``\\n`` newlines and no control characters (:func:`strip_controls`).

    Order: a byte-order mark; UTF-8; for HTML, a declared ``<meta charset>``;
    then charset-normalizer's best guess.

    Args:
        raw: The bytes (or an already-decoded string).
        source: Name used in error messages.
        html: Whether ``raw`` is HTML (enables the ``<meta charset>`` lookup).

    Returns:
        The text, and the encoding name when it had to be guessed (else None).

    Raises:
        IngestError: too large, empty, binary, or undecodable.
    """
    guessed: str | None = None
    if isinstance(raw, str):
        check_size(len(raw), source)
        text = raw
    else:
        check_size(len(raw), source)
        text, guessed = _decode_bytes(raw, source=source, html=html)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise IngestError(source, "empty file")
    if _looks_binary(text):
        raise IngestError(source, "binary file, not text")
    return strip_controls(normalise_newlines(text)), guessed


def _decode_bytes(raw: bytes, *, source: str, html: bool) -> tuple[str, str | None]:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(encoding), None
            except UnicodeDecodeError as exc:
                raise IngestError(source, f"invalid {encoding} text after byte-order mark") from exc
    if b"\x00" in raw:
        raise IngestError(source, "binary file, not text")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    if html:
        declared = _declared_html_charset(raw)
        if declared is not None and declared not in ("utf-8", "utf_8"):
            try:
                return raw.decode(declared), declared
            except (UnicodeDecodeError, LookupError):
                pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise IngestError(source, "binary file, not text")
    if best.encoding in _WESTERN_LOOKALIKES:
        # Short texts leave charset-normalizer unsure between single-byte Latin
        # code pages; Windows-1252 is by far the most common for news text.
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return str(best), best.encoding
