"""Article metadata helpers: front matter, headlines, bylines, outlets, dates, language."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

_FRONT_KEY = re.compile(r"^([A-Za-z][\w -]{0,40}?)\s*:\s*(.*)$")
_FRONT_MAX_LINES = 200
_FRONT_MAX_CHARS = 64_000
_KEY_ALIASES = {
    "outlet": "outlet",
    "source": "outlet",
    "site": "outlet",
    "site_name": "outlet",
    "sitename": "outlet",
    "publisher": "outlet",
    "title": "title",
    "headline": "title",
    "byline": "byline",
    "author": "byline",
    "authors": "byline",
    "published": "published",
    "date": "published",
    "published_at": "published",
    "url": "url",
    "link": "url",
    "language": "language",
    "lang": "language",
}
_BYLINE = re.compile(r"^(?:by|By|BY)\s+[A-Z].{0,100}$")
_HEADLINE_MAX = 150
_STOPWORDS = frozenset(
    """
    the of and to a in that is was he for it with as his on be at by i this had not are but
    from or have an they which one you were her all she there would their we him been has
    when who will more no if out so said what up its about into than them can only other new
    some could time these two may then do first any my now such like our over man me even
    most made after also did many before must through back years where much your way well
    down should because each just those people how too little state good very make world
    still own see men work long get here between both life being under never day same
    another know while last might us great old year off come since against go came right
    used take three
    """.split()  # noqa: SIM905
)
_WORD = re.compile(r"[^\W\d_]+")


class FrontMatterError(ValueError):
    """Front matter that is meant as such (its first line is ``key: value``) but cannot be read."""


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split ``---``-fenced YAML front matter off the top of a text.

    The block between a first ``---`` line and the next ``---`` (or ``...``) line,
    within the first 200 lines, is parsed with ``yaml.safe_load`` when its first
    line reads as ``key: value``; otherwise (a ``---`` rule above prose, no closing
    fence) there is no front matter and the text is returned whole. Keys are
    lower-cased and mapped to canonical names (``outlet``, ``title``, ``byline``,
    ``published``, ``url``, ``language``); unknown keys are kept lower-cased.
    Values become strings: dates and times in ISO 8601, a list of scalars joined
    with ", " (``authors: [A, B]``); nested mappings and empty values are dropped.
    A flat block that strict YAML rejects only for its unquoted values
    (``title: Fire: what we know``) is read one ``key: value`` a line, as before
    YAML. The body is the text after the closing fence, unchanged.

    Returns:
        ``(metadata, body)``; ``({}, text)`` when there is no front matter.

    Raises:
        FrontMatterError: the block is neither YAML nor flat ``key: value`` lines,
            or its YAML is not a mapping; the message says what and on which line.
    """
    stripped = text.lstrip("\n")
    lead = len(text) - len(stripped)
    lines = stripped.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    close = next(
        (
            i
            for i, line in enumerate(lines[1:_FRONT_MAX_LINES], start=1)
            if line.strip() in ("---", "...")
        ),
        None,
    )
    if close is None:
        return {}, text
    block = lines[1:close]
    body = "\n".join(lines[close + 1 :])
    content = [line for line in block if line.strip() and not line.lstrip().startswith("#")]
    if not content:
        return {}, body
    if _FRONT_KEY.match(content[0].strip()) is None:
        return {}, text
    source = "\n".join(block)
    if len(source) > _FRONT_MAX_CHARS:
        raise FrontMatterError(f"longer than {_FRONT_MAX_CHARS:,} characters")
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(source, Loader=loader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        # ValueError: a timestamp that is no date (2026-02-30); RecursionError: [[[[...
        if all(_FRONT_KEY.match(line.strip()) for line in content):
            return _flat_front_matter(content), body
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {lead + 2 + mark.line}" if mark is not None else ""
        problem = str(getattr(exc, "problem", None) or "cannot be parsed").strip()
        raise FrontMatterError(f"not valid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise FrontMatterError(
            f"the YAML is a {type(data).__name__}, not a mapping of key: value lines"
        )
    meta: dict[str, str] = {}
    for raw_key, raw_value in data.items():
        value = _front_value(raw_value)
        if value:
            meta[_front_key(str(raw_key))] = value
    return meta, body


def _front_key(key: str) -> str:
    key = key.strip().lower().replace(" ", "_").replace("-", "_")
    return _KEY_ALIASES.get(key, key)


def _front_value(value: object) -> str | None:
    """A YAML value as a metadata string (None for empty or nested values)."""
    if value is None or isinstance(value, dict):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        parts = [_front_value(item) for item in value if not isinstance(item, list | tuple)]
        return ", ".join(p for p in parts if p) or None
    return str(value).strip() or None


def _flat_front_matter(lines: list[str]) -> dict[str, str]:
    """``key: value`` lines read one a line (the value is the rest of the line)."""
    meta: dict[str, str] = {}
    for line in lines:
        found = _FRONT_KEY.match(line.strip())
        if found is None:  # pragma: no cover - the caller checked every line
            continue
        value = found.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if value:
            meta[_front_key(found.group(1))] = value
    return meta


def looks_like_headline(line: str) -> bool:
    """A first line that reads as a headline: short, 2+ words, no final period."""
    line = line.strip()
    if not line or len(line) >= _HEADLINE_MAX or line.startswith(("-", "*", "•", "#")):
        return False
    if len(_WORD.findall(line)) < 2:
        return False
    return not line.endswith((".", ",", ";", ":", "—", "-"))


def looks_like_byline(line: str) -> bool:
    """A ``By Name`` line: "By" plus a capitalised name, short, no final period."""
    line = line.strip()
    return (
        _BYLINE.match(line) is not None
        and len(line.split()) <= 12
        and not line.endswith((".", ";", ":"))
    )


def split_headline(
    body: str, *, title: str | None, byline: str | None
) -> tuple[str, str | None, str | None]:
    """Take the headline (and a ``By ...`` line after it) off the top of a body.

    When ``title`` is already known, only a first line equal to it is dropped;
    otherwise a headline-like first line becomes the title. A byline line
    right after it becomes the byline (unless one is known, then it's dropped
    only when equal).

    Returns:
        ``(body, title, byline)``.
    """
    lines = body.split("\n")
    idx = _next_content(lines, 0)
    if idx is None:
        return body, title, byline
    first = lines[idx].strip()
    if title is not None:
        second = _next_content(lines, idx + 1)
        if (
            not _same(first, title)
            and second is not None
            and _same(lines[second].strip(), title)
            and _looks_like_kicker(first)
        ):
            # A section kicker ("PORT ASTER FIRE") above the repeated headline.
            lines[idx] = ""
            idx, first = second, lines[second].strip()
        if _same(first, title):
            lines[idx] = ""
            idx = _next_content(lines, idx + 1)
    elif looks_like_headline(first) and _next_content(lines, idx + 1) is not None:
        title = first
        lines[idx] = ""
        idx = _next_content(lines, idx + 1)
    if idx is not None:
        line = lines[idx].strip()
        if looks_like_byline(line) and _next_content(lines, idx + 1) is not None:
            if byline is None:
                byline = line
                lines[idx] = ""
            elif _same(line, byline) or _same(line.split(None, 1)[1], byline):
                lines[idx] = ""
    return "\n".join(lines).strip("\n"), title, byline


def _looks_like_kicker(line: str) -> bool:
    """A short section label above a headline: at most five words, no sentence punctuation."""
    return 0 < len(line.split()) <= 5 and not line.endswith((".", "!", "?", ":", ";", '"'))


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _next_content(lines: list[str], start: int) -> int | None:
    for i in range(start, len(lines)):
        if lines[i].strip():
            return i
    return None


def outlet_from_url(url: str | None) -> str | None:
    """``"https://www.dailyharbor.com/x"`` -> ``"dailyharbor.com"``."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def outlet_from_source(source: str) -> str:
    """File stem of a source path (``"a/harbor-times.txt#L3"`` -> ``"harbor-times"``)."""
    path = source.split("#", 1)[0]
    name = os.path.basename(path.rstrip("/\\")) or path
    stem = name.split(".", 1)[0] if not name.startswith(".") else name
    return stem or source


def lookup_outlet(mapping: Mapping[str, str] | None, *sources: str) -> str | None:
    """Find a source's outlet in a user mapping: by path as given, normalised, name or stem."""
    if not mapping:
        return None
    for source in sources:
        path = source.split("#", 1)[0]
        candidates = (
            source,
            path,
            os.path.normpath(path),
            os.path.basename(path),
            os.path.splitext(os.path.basename(path))[0],
        )
        for key in candidates:
            if key in mapping:
                return mapping[key]
    return None


def parse_date(value: object) -> dt.datetime | None:
    """Parse a publication date leniently (dateutil); None when it can't be read."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            stamp = value / 1000 if value > 1e11 else value
            return dt.datetime.fromtimestamp(stamp, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    from dateutil import parser

    try:
        parsed: dt.datetime = parser.parse(value.strip())
        return parsed
    except (ValueError, OverflowError, parser.ParserError):
        return None


def detect_language(text: str) -> str | None:
    """``"en"`` when common English function words make up a good share of the words."""
    words = [w.lower() for w in _WORD.findall(text[:20_000])]
    if len(words) < 8:
        return None
    share = sum(w in _STOPWORDS for w in words) / len(words)
    return "en" if share >= 0.2 else None
