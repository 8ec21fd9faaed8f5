"""Time expressions: dates, times, durations and sets, resolved to ISO 8601.

Rules (regular expressions plus spaCy DATE/TIME entities; no ``dateparser``):

* absolute dates ("March 12", "12 March 2026", "Jan. 20", "2026-03-12") -> ``2026-03-12``;
  without a year, the year that puts the date nearest the publication date
  (within six months) is used; without a publication date, ``--03-12``;
* relative dates ("yesterday", "on Tuesday", "last Tuesday", "two days ago",
  "last week", "next month") resolve against ``Article.published``: a bare
  weekday is the most recent such day on or before publication (the first on or
  after it when the sentence speaks of the future: "will", "is expected to"),
  "last X" the most recent strictly before, "next X" the first strictly after. Weeks resolve
  to ISO weeks (``2026-W10``), months to ``2026-03``, years to ``2026``;
* durations ("three days", "nine-day", "6 hours") -> ``P3D``/``P9D``/``PT6H``;
  a range of durations ("between 6 hours and 3 days") -> ``PT6H/P3D``;
* clock times ("3 p.m.", "15:30", "noon") -> ``T15:00``; sets ("every Tuesday") -> kind "set".

``value`` is None when the expression cannot be resolved (no publication date for
a relative one, or a vague one such as "recent weeks").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyscope._words import MONTHS, WEEKDAYS
from storyscope.analyze._numbers import SPELLED, parse_number
from storyscope.analyze._text import SentenceLookup, strip_span
from storyscope.model import Sentence, TimeExpression

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

__all__ = ["TimeFinder", "find_times", "resolve_time"]

_MONTHS = MONTHS
_WEEKDAYS = WEEKDAYS
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?"
    r"|Dec\.?)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM = rf"(?:\d+(?:\.\d+)?|{SPELLED}|a|an|one)"
_UNIT = r"(?:minute|hour|day|night|week|fortnight|month|year|decade|century|centuries)s?"
_DUR = rf"(?:{_NUM})[\s-]+{_UNIT}"

_PATTERNS: list[tuple[str, str]] = [
    ("iso", r"\b\d{4}-\d{2}-\d{2}\b(?:T\d{2}:\d{2}(?::\d{2})?)?"),
    ("mdy", rf"\b{_MONTH}(?!\w)\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?"),
    ("dmy", rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?!\w)(?:,?\s+\d{{4}}\b)?"),
    ("my", rf"\b{_MONTH}(?!\w),?\s+\d{{4}}\b"),
    ("durrange", rf"(?i:between)\s+{_DUR}\s+(?i:and)\s+{_DUR}\b"),
    ("ago", rf"(?i:\b{_DUR}\s+ago\b)"),
    (
        "rel",
        r"(?i:\b(?:(?:the\s+)?day\s+before\s+yesterday|yesterday|today|tonight|tomorrow"
        r"|last\s+night)\b)",
    ),
    (
        "relunit",
        r"(?i:\b(?:(?:earlier|later)\s+this|last|next|this|past|previous|coming)\s+"
        r"(?:week(?:end)?|month|year)\b)",
    ),
    (
        "weekday",
        rf"(?:\b(?i:last|next|this|past|coming)\s+)?\b{_WEEKDAY}\b"
        r"(?:\s+(?i:morning|afternoon|evening|night))?",
    ),
    (
        "month",
        rf"(?:\b(?i:last|next|this|early|late|mid|in|since|until|by)[\s-]+){_MONTH}(?!\w)"
        # "by April 30" / "by April 2026": the day or year belongs to the date.
        r"(?!\.?\s+\d{1,2}(?:st|nd|rd|th)?\b)(?!\.?,?\s+\d{4}\b)",
    ),
    (
        "year",
        r"(?:\b(?i:in|since|until|by|during|of|from|before|after)\s+)(?:1[89]\d\d|20\d\d)\b"
        r"(?!\s*(?:%|percent|[A-Za-z]))",
    ),
    (
        "clock",
        r"(?i:\b\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|\b(?:noon|midnight)\b"
        r"|\b[012]?\d:[0-5]\d\b(?!:))",
    ),
    ("set", rf"(?i:\b(?:every|each)\s+(?:day|week|month|year|morning|night|{_WEEKDAY}))\b"),
    ("dur", rf"(?i:\b{_DUR}\b)(?![\s-]+(?i:old|later|earlier|ago)\b)"),
]
_MASTER = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _PATTERNS))
_PREFIX = re.compile(r"^(?:in|since|until|by|during|of|from|before|after|on)\s+", re.IGNORECASE)
_AGE = re.compile(r"\b(?:old|aged?)\b|-year-old", re.IGNORECASE)
_ISO_DUR = {
    "minute": "TM",
    "hour": "TH",
    "day": "D",
    "night": "D",
    "week": "W",
    "fortnight": "W",
    "month": "M",
    "year": "Y",
    "decade": "Y",
    "century": "Y",
    "centuries": "Y",
}
_UNIT_FACTOR = {"fortnight": 2, "decade": 10, "century": 100, "centuries": 100}


def _month_of(word: str) -> int:
    return _MONTHS[word.rstrip(".").lower()]


def _nearest_year(month: int, day: int, pub: dt.date | None) -> str:
    if pub is None:
        return f"--{month:02d}-{day:02d}"
    best: dt.date | None = None
    for year in (pub.year - 1, pub.year, pub.year + 1):
        try:
            cand = dt.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((cand - pub).days) < abs((best - pub).days):
            best = cand
    return best.isoformat() if best else f"--{month:02d}-{day:02d}"


def _date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _duration(text: str) -> str | None:
    m = re.search(rf"({_NUM})[\s-]+({_UNIT})", text, re.IGNORECASE)
    if m is None:
        return None
    raw = m.group(1).lower()
    n = 1.0 if raw in ("a", "an") else parse_number(raw)
    if n is None:
        return None
    unit = m.group(2).lower()
    base = unit if unit in _ISO_DUR else unit.rstrip("s")
    if base not in _ISO_DUR:
        return None
    n *= _UNIT_FACTOR.get(base, 1)
    code = _ISO_DUR[base]
    num = str(int(n)) if n == int(n) else f"{n:g}"
    return f"PT{num}{code[1]}" if code.startswith("T") else f"P{num}{code}"


def _week(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def _shift_month(day: dt.date, months: int) -> str:
    idx = day.year * 12 + day.month - 1 + months
    return f"{idx // 12}-{idx % 12 + 1:02d}"


def resolve_time(
    kind_hint: str, text: str, published: dt.date | None, *, future: bool = False
) -> tuple[str, str | None]:
    """Classify and resolve one time expression.

    Args:
        kind_hint: The pattern name that matched (``"mdy"``, ``"weekday"``, ``"dur"``, ...).
        text: The expression's text.
        published: The publication date, for relative expressions.
        future: The sentence speaks of something to come ("will", "is expected
            to"): a bare weekday is then the first such day on or after publication.

    Returns:
        ``(kind, value)`` where kind is "date", "time", "duration" or "set" and value
        is ISO 8601 or None.
    """
    low = text.lower()
    pub = published
    if kind_hint == "iso":
        date_part = text[:10]
        try:
            dt.date.fromisoformat(date_part)
        except ValueError:
            return "date", None
        return ("time" if "T" in text else "date"), text
    if kind_hint in ("mdy", "dmy"):
        month_m = re.search(_MONTH, text)
        day_m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b(?!\d)", text)
        year_m = re.search(r"\b(\d{4})\b", text)
        if month_m is None or day_m is None:
            return "date", None
        month, day = _month_of(month_m.group()), int(day_m.group(1))
        if year_m:
            return "date", _date(int(year_m.group(1)), month, day)
        if not 1 <= day <= 31:
            return "date", None
        return "date", _nearest_year(month, day, pub)
    if kind_hint == "my":
        month_m = re.search(_MONTH, text)
        year_m = re.search(r"\d{4}", text)
        assert month_m is not None and year_m is not None
        return "date", f"{year_m.group()}-{_month_of(month_m.group()):02d}"
    if kind_hint == "month":
        month_m = re.search(_MONTH, text)
        assert month_m is not None
        month = _month_of(month_m.group())
        if pub is None:
            return "date", None
        if low.startswith("next"):
            year = pub.year if month > pub.month else pub.year + 1
        elif low.startswith("last"):
            year = pub.year if month < pub.month else pub.year - 1
        else:  # nearest such month, ties to the past
            year = min(
                (pub.year - 1, pub.year, pub.year + 1),
                key=lambda y: abs((y * 12 + month) - (pub.year * 12 + pub.month)),
            )
        return "date", f"{year}-{month:02d}"
    if kind_hint == "year":
        year_m = re.search(r"\d{4}", text)
        return "date", year_m.group() if year_m else None
    if kind_hint == "clock":
        if "noon" in low:
            return "time", "T12:00"
        if "midnight" in low:
            return "time", "T00:00"
        m = re.match(r"(\d{1,2})(?::(\d{2}))?\s*(a\.m\.|p\.m\.|am|pm)?", low)
        if m is None:
            return "time", None
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        meridiem = (m.group(3) or "").replace(".", "")
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            return "time", None
        return "time", f"T{hour:02d}:{minute:02d}"
    if kind_hint == "dur":
        return "duration", _duration(text)
    if kind_hint == "durrange":
        parts = re.split(r"\s+and\s+", re.sub(r"^between\s+", "", low), maxsplit=1)
        values = [_duration(p) for p in parts]
        if len(values) == 2 and values[0] and values[1]:
            return "duration", f"{values[0]}/{values[1]}"
        return "duration", None
    if kind_hint == "set":
        unit = low.split()[-1]
        value = {
            "day": "P1D",
            "week": "P1W",
            "month": "P1M",
            "year": "P1Y",
            "morning": "P1D",
            "night": "P1D",
        }.get(unit)
        if unit in _WEEKDAYS:
            value = "P1W"
        return "set", value
    if pub is None:
        return "date", None
    if kind_hint == "ago":
        m = re.search(rf"({_NUM})[\s-]+({_UNIT})", low)
        if m is None:
            return "date", None
        n_raw = m.group(1)
        n = 1.0 if n_raw in ("a", "an") else parse_number(n_raw)
        unit = m.group(2).rstrip("s") if m.group(2) not in ("centuries",) else "century"
        if n is None or n != int(n):
            return "date", None
        k = int(n) * _UNIT_FACTOR.get(unit, 1)
        if unit in ("day", "night"):
            return "date", (pub - dt.timedelta(days=k)).isoformat()
        if unit in ("week", "fortnight"):
            return "date", (pub - dt.timedelta(weeks=k)).isoformat()
        if unit == "month":
            return "date", _shift_month(pub, -k)
        if unit in ("year", "decade", "century"):
            return "date", str(pub.year - k)
        return "date", None
    if kind_hint == "rel":
        if "before" in low:
            return "date", (pub - dt.timedelta(days=2)).isoformat()
        if "yesterday" in low or "last night" in low:
            return "date", (pub - dt.timedelta(days=1)).isoformat()
        if "tomorrow" in low:
            return "date", (pub + dt.timedelta(days=1)).isoformat()
        return "date", pub.isoformat()
    if kind_hint == "relunit":
        step = (
            -1
            if re.match(r"(last|past|previous)\b", low)
            else (1 if re.match(r"(next|coming)\b", low) else 0)
        )
        if low.endswith("weekend"):
            saturday = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)
            if step > 0 or (step == 0 and saturday < pub - dt.timedelta(days=1)):
                saturday += dt.timedelta(weeks=1)
            return "date", f"{_week(saturday)}-WE"
        if low.endswith("week"):
            return "date", _week(pub + dt.timedelta(weeks=step))
        if low.endswith("month"):
            return "date", _shift_month(pub, step)
        return "date", str(pub.year + step)
    if kind_hint == "weekday":
        wd_m = re.search(_WEEKDAY, text)
        assert wd_m is not None
        target = _WEEKDAYS[wd_m.group().lower()]
        if re.match(r"(next|coming)\b", low):
            delta = (target - pub.weekday()) % 7 or 7
            return "date", (pub + dt.timedelta(days=delta)).isoformat()
        if future and not re.match(r"(last|past|this)\b", low):
            delta = (target - pub.weekday()) % 7
            return "date", (pub + dt.timedelta(days=delta)).isoformat()
        delta = (pub.weekday() - target) % 7
        if re.match(r"(last|past)\b", low) and delta == 0:
            delta = 7
        return "date", (pub - dt.timedelta(days=delta)).isoformat()
    return "date", None


_FUTURE_AUX = frozenset({"will", "'ll", "\u2019ll", "shall", "wo"})
_FUTURE_HEADS = frozenset({"expect", "schedule", "set", "plan", "due", "go", "slate", "poise"})


def _speaks_of_future(doc: Doc, start: int, end: int) -> bool:
    """Whether the verb that governs the expression at ``start:end`` is in the future.

    "will vote on Tuesday", "is expected to resign Monday" are; "said on Tuesday
    that it will strike" and "will become law after voting to override Wednesday"
    are not: only the nearest governing verb counts.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    verb = span.root
    for _ in range(8):
        if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in verb.children):
        return True
    to_infinitive = any(c.lower_ == "to" and c.dep_ == "aux" for c in verb.children)
    head = verb.head
    return (
        to_infinitive
        and head is not verb
        and head.lemma_.lower() in _FUTURE_HEADS
        and not any(c.lower_ in ("was", "were") for c in head.children)
    )


def find_times(
    text: str,
    doc: Doc,
    sentences: Sequence[Sentence],
    published: dt.datetime | dt.date | None = None,
) -> list[TimeExpression]:
    """Find and resolve time expressions.

    Args:
        text: The article text.
        doc: spaCy document of ``text`` (its DATE/TIME entities add expressions the
            rules miss, unresolved).
        sentences: The article's sentences (for the sentence index).
        published: Publication date or datetime, for relative expressions.

    Returns:
        Time expressions in text order, non-overlapping.
    """
    pub = published.date() if isinstance(published, dt.datetime) else published
    lookup = SentenceLookup(sentences)
    found: list[TimeExpression] = []
    for m in _MASTER.finditer(text):
        hint = m.lastgroup or ""
        start, end = m.start(), m.end()
        prefix = _PREFIX.match(m.group())
        if (
            prefix
            and hint in ("year", "month")
            and not re.match(r"(last|next|this|early|late|mid)", m.group(), re.IGNORECASE)
        ):
            start += prefix.end()
        if hint == "dur" and _AGE.match(text, end) is not None:
            continue
        if hint == "dur" and re.match(r"[\s-]+(?:old|-old)\b", text[end : end + 6]):
            continue
        start, end = strip_span(text, start, end)
        future = hint == "weekday" and _speaks_of_future(doc, start, end)
        kind, value = resolve_time(hint, text[start:end], pub, future=future)
        found.append(
            TimeExpression(
                start=start,
                end=end,
                text=text[start:end],
                kind=kind,
                value=value,
                sentence=lookup.index_at(start),
            )
        )
    taken = [(t.start, t.end) for t in found]
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        start, end = strip_span(text, ent.start_char, ent.end_char)
        if start == end or any(s < end and start < e for s, e in taken):
            continue
        ent_text = text[start:end]
        if _AGE.search(ent_text) or "\n" in ent_text or not re.search(r"[A-Za-z]|\d{4}", ent_text):
            continue
        year = re.fullmatch(r"(?:1[89]\d\d|20\d\d)", ent_text)
        decade = re.fullmatch(r"(?:the\s+)?((?:1[89]|20)\d)0s", ent_text)
        if year:
            kind, value = "date", ent_text
        elif decade:
            kind, value = "date", decade.group(1)
        else:
            kind, value = ("time" if ent.label_ == "TIME" else "date"), None
        found.append(
            TimeExpression(
                start=start,
                end=end,
                text=ent_text,
                kind=kind,
                value=value,
                sentence=lookup.index_at(start),
            )
        )
    found.sort(key=lambda t: t.start)
    return found


class TimeFinder:
    """Pipeline component: text + spaCy doc + publication date -> time expressions."""

    name = "times.v1"
    requires = frozenset({"doc", "sentences"})
    assigns = frozenset({"times"})

    def __call__(
        self,
        text: str,
        doc: Doc,
        sentences: Sequence[Sentence],
        published: dt.datetime | dt.date | None = None,
    ) -> list[TimeExpression]:
        return find_times(text, doc, sentences, published)
