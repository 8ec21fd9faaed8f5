"""Quantities: money, percentages, counts and measures, parsed with rules (no quantulum).

Each mention becomes a :class:`~storyscope.model.Quantity` whose ``low``/``high``
interval follows its qualifier:

==========================================  =====================
qualifier                                   interval for value v
==========================================  =====================
none                                        [v, v]
about, around, some, roughly, an estimated  [0.9 v, 1.1 v]
nearly, almost, close to, just under        [0.9 v, v]
more than, over, at least, above, ...       [v, inf]
up to, fewer than, less than, under, ...    [0, v]
between A and B, A to B, A-B                [A, B] (value = midpoint)
==========================================  =====================

Numbers that belong to dates, times, durations and ages ("2026", "Jan. 20",
"3 p.m.", "three days", "45-year-old") are left to :mod:`storyscope.analyze.times`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyscope.analyze._numbers import DIGITS, SPELLED, parse_number
from storyscope.analyze._text import SentenceLookup
from storyscope.model import Quantity, Sentence

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

__all__ = ["QuantityFinder", "find_quantities"]

_CURRENCY_PREFIX = {
    "us$": "USD",
    "u.s.$": "USD",
    "u.s. $": "USD",
    "$": "USD",
    "c$": "CAD",
    "a$": "AUD",
    "hk$": "HKD",
    "nz$": "NZD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "usd": "USD",
    "eur": "EUR",
    "gbp": "GBP",
    "jpy": "JPY",
    "chf": "CHF",
    "cad": "CAD",
    "aud": "AUD",
    "inr": "INR",
    "cny": "CNY",
}
_CURRENCY_SUFFIX = {
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds sterling": "GBP",
    "sterling": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "rupees": "INR",
    "swiss francs": "CHF",
    "francs": "CHF",
    "usd": "USD",
    "eur": "EUR",
    "gbp": "GBP",
}
_MEASURES = {
    "square kilometres": "km2",
    "square kilometers": "km2",
    "square miles": "sq mi",
    "square metres": "m2",
    "square meters": "m2",
    "sq km": "km2",
    "sq. km": "km2",
    "km2": "km2",
    "km/h": "km/h",
    "kph": "km/h",
    "mph": "mph",
    "kilometres": "km",
    "kilometers": "km",
    "kilometre": "km",
    "kilometer": "km",
    "km": "km",
    "miles": "mi",
    "mile": "mi",
    "metres": "m",
    "meters": "m",
    "metre": "m",
    "meter": "m",
    "cm": "cm",
    "mm": "mm",
    "kilograms": "kg",
    "kilogram": "kg",
    "kg": "kg",
    "tonnes": "t",
    "tonne": "t",
    "tons": "t",
    "ton": "t",
    "lbs": "lb",
    "lb": "lb",
    "pounds": "lb",
    "litres": "l",
    "liters": "l",
    "litre": "l",
    "liter": "l",
    "gallons": "gal",
    "gallon": "gal",
    "barrels": "bbl",
    "barrel": "bbl",
    "hectares": "ha",
    "hectare": "ha",
    "acres": "acre",
    "acre": "acre",
    "feet": "ft",
    "foot": "ft",
    "ft": "ft",
    "inches": "in",
    "inch": "in",
    "degrees celsius": "°C",
    "degrees fahrenheit": "°F",
    "degrees": "°",
    "°c": "°C",
    "°f": "°F",
    "megawatts": "MW",
    "megawatt": "MW",
    "mw": "MW",
    "gigawatts": "GW",
    "gigawatt": "GW",
    "gw": "GW",
    "kw": "kW",
    "knots": "kn",
}
_PERCENT = {
    "%": "percent",
    "percent": "percent",
    "per cent": "percent",
    "pct": "percent",
    "percentage points": "percentage point",
    "percentage point": "percentage point",
    "percent points": "percentage point",
}
_ABBR_SCALE = {
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "tn": 1e12,
    "trn": 1e12,
}
_WORD_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def _alt(words: Sequence[str]) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


_ATOM = re.compile(
    rf"""
    (?P<cur>(?:{_alt([k for k in _CURRENCY_PREFIX if k[0].isalpha()])})\s?
        |{_alt([k for k in _CURRENCY_PREFIX if not k[0].isalpha()])})?
    (?:
        (?<![\w.,])(?P<digits>{DIGITS})(?![\d])
        (?:(?P<abbr>bn|mn|mln|m|k|tn|trn|b)\b|[\u201d\u2019\"]?\s+(?P<scale>thousand|million|billion|trillion)\b)?
      | (?<![\w-])(?P<spelled>{SPELLED})
    )
    (?:
        (?P<pct>\s?%|\s+(?:{_alt([k for k in _PERCENT if k != "%"])})\b)
      | \s+(?P<cursuf>{_alt(list(_CURRENCY_SUFFIX))})\b
      | (?P<measure>\s?(?:{_alt([k for k in _MEASURES if not k[0].isalpha()])})
          |\s?(?:{_alt([k for k in _MEASURES if k[0].isalpha()])})\b)
    )?
    """,
    re.IGNORECASE | re.VERBOSE,
)

_QUALIFIERS = {
    "lower": [
        "more than",
        "greater than",
        "over",
        "above",
        "at least",
        "upwards of",
        "in excess of",
        "just over",
        "well over",
        "a little over",
        "as few as",
        "no fewer than",
        "no less than",
    ],
    "near": ["nearly", "almost", "close to", "just under", "just shy of", "a little under"],
    "approx": [
        "about",
        "around",
        "some",
        "roughly",
        "approximately",
        "approx.",
        "an estimated",
        "estimated",
        "more or less",
        "circa",
        "an approximate",
    ],
    "upper": [
        "up to",
        "as many as",
        "as much as",
        "at most",
        "no more than",
        "fewer than",
        "less than",
        "under",
        "below",
        "well under",
        "a maximum of",
    ],
}
_QUALIFIER_GROUP = {q: g for g, qs in _QUALIFIERS.items() for q in qs}
_QUALIFIER_RE = re.compile(
    rf"(?<![\w-])(?P<q>{_alt(list(_QUALIFIER_GROUP))})\s+(?:(?:the|a|an)\s+)?$", re.IGNORECASE
)
_RANGE_KW = re.compile(r"(?<![\w-])(?P<kw>between|from)\s+$", re.IGNORECASE)
_RANGE_SEP = re.compile(r"^\s*(?:-|\u2013|\u2014|to|and)\s*$", re.IGNORECASE)
_TIME_AFTER = re.compile(
    r"^(?:[-\s]+(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries"
    r"|century|nights?|hrs?|mins?|secs?)\b|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock|h\b)"
    r"|:\d|/\d|\.\d{2}\s*(?:a\.?m|p\.?m))",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"(?<![\w.,])(\d+)(?:st|nd|rd|th)\b", re.IGNORECASE)
_YEAR = re.compile(r"^(?:1[89]\d\d|20\d\d|2100)$")
_TIME_LABELS = frozenset({"DATE", "TIME"})
_DATEISH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?!\w)"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:1[89]\d\d|20\d\d)s?\b"
    r"|\b(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies)"
    r"|nights?|today|yesterday|tomorrow|ago|noon|midnight|morning|evening|afternoon"
    r"|old|aged?)\b|a\.m\.|p\.m\.|\d\s*(?:am|pm)\b|\d[:/]\d",
    re.IGNORECASE,
)
_MAX_GAP_FOR_NOUN = 40


@dataclass(slots=True)
class _Atom:
    start: int
    end: int
    value: float
    unit: str | None
    kind: str
    spelled: bool
    explicit_unit: bool
    scaled: bool


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "inf"
    if x == int(x) and abs(x) < 1e18:
        return str(int(x))
    return f"{x:.10g}"


def _atom_from_match(m: re.Match[str], text: str) -> _Atom | None:
    raw = m.group("digits") or m.group("spelled")
    if raw is None:
        return None
    value = parse_number(raw)
    if value is None:
        return None
    if m.group("digits") is not None and not m.group("abbr") and not m.group("measure"):
        after = m.end("digits")
        if after < len(text) and (text[after].isalpha() or text[after] == "_"):
            return None  # "3rd", "A320b", "4x4"
    scaled = False
    abbr = (m.group("abbr") or "").lower()
    scale_word = (m.group("scale") or "").lower()
    cur = (m.group("cur") or "").strip().lower()
    currency = _CURRENCY_PREFIX.get(re.sub(r"\s+", " ", cur)) if cur else None
    if abbr:
        if abbr == "m" and currency is None:
            # "40m" without a currency: metres when used as a measure ("a 40m-high wave")
            tail = text[m.end() : m.end() + 6]
            if tail.startswith("-") or re.match(r"\s*(?:high|long|tall|wide|deep)\b", tail):
                return _Atom(m.start(), m.end(), value, "m", "measure", False, True, False)
        value *= _ABBR_SCALE[abbr]
        scaled = True
    if scale_word:
        value *= _WORD_SCALE[scale_word]
        scaled = True
    pct = m.group("pct")
    cursuf = m.group("cursuf")
    measure = m.group("measure")
    if currency is None and cursuf:
        currency = _CURRENCY_SUFFIX.get(re.sub(r"\s+", " ", cursuf.lower()))
    spelled = m.group("spelled") is not None
    if currency:
        return _Atom(m.start(), m.end(), value, currency, "money", spelled, True, scaled)
    if pct:
        unit = _PERCENT[re.sub(r"\s+", " ", pct.strip().lower())]
        return _Atom(m.start(), m.end(), value, unit, "percent", spelled, True, scaled)
    if measure:
        unit = _MEASURES[re.sub(r"\s+", " ", measure.strip().lower())]
        return _Atom(m.start(), m.end(), value, unit, "measure", spelled, True, scaled)
    end = m.end()
    return _Atom(m.start(), end, value, None, "count", spelled, False, scaled)


def _unscaled(text: str, atom: _Atom) -> float:
    m = re.search(DIGITS, text[atom.start : atom.end])
    if m is None:
        return atom.value
    return parse_number(m.group()) or atom.value


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span[0]


def _counted_noun(doc: Doc, text: str, atom: _Atom) -> Token | None:
    last = _token_at(doc, atom.end - 1)
    if last is None:
        return None
    head = last.head
    if (
        last.dep_ in ("nummod", "quantmod", "compound", "nmod")
        and head.i > last.i
        and (head.pos_ in ("NOUN", "PROPN") and head.idx - atom.end <= _MAX_GAP_FOR_NOUN)
    ):
        return head
    if last.i + 1 < len(doc):
        nxt = doc[last.i + 1]
        if nxt.pos_ == "NOUN" and nxt.idx >= atom.end:
            return nxt
    for child in last.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN"):
                    return pobj
    return None


def _in_ents(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


def _keep_count(
    doc: Doc, text: str, atom: _Atom, has_qualifier: bool, time_ranges: list[tuple[int, int]]
) -> tuple[bool, str | None]:
    """Decide whether a bare count is a quantity, and find its counted noun's lemma."""
    raw = text[atom.start : atom.end]
    if _in_ents(atom.start, atom.end, time_ranges):
        return False, None
    if _TIME_AFTER.match(text, atom.end) is not None or _TIME_AFTER.match(text[atom.end :]):
        return False, None
    before = text[max(0, atom.start - 2) : atom.start]
    if re.search(r"[A-Za-z]-$", before):  # COVID-19, F-16
        return False, None
    if not atom.spelled and _YEAR.match(raw) and not has_qualifier:
        return False, None
    noun = _counted_noun(doc, text, atom)
    unit = noun.lemma_.lower() if noun is not None else None
    if atom.spelled and not atom.scaled:
        first = _token_at(doc, atom.start)
        if noun is None and not has_qualifier:
            return False, None
        if (
            raw.lower() in ("one", "a dozen")
            and first is not None
            and first.dep_ not in ("nummod", "quantmod")
            and not has_qualifier
        ):
            return False, None
    if noun is None and not has_qualifier and not atom.spelled:
        prev = text[: atom.start].rstrip()
        word = re.search(r"([A-Za-z.#]+)$", prev)
        if word and (word.group(1)[0].isupper() or word.group(1).lower() in ("no.", "#")):
            return False, None  # "Flight 302", "Route 9", "No. 4"
    return True, unit


def _interval(value: float, qualifier: str | None) -> tuple[float, float]:
    group = _QUALIFIER_GROUP.get(qualifier.lower()) if qualifier else None
    if group == "lower":
        return value, math.inf
    if group == "near":
        return value * 0.9, value
    if group == "approx":
        return value * 0.9, value * 1.1
    if group == "upper":
        return 0.0, value
    return value, value


def _normalised(
    qualifier: str | None, low: float, high: float, value: float, unit: str | None, is_range: bool
) -> str:
    num = f"{_fmt(low)}-{_fmt(high)}" if is_range else _fmt(value)
    parts = [p for p in (qualifier if not is_range else None, num, unit) if p]
    return " ".join(parts)


def find_quantities(text: str, doc: Doc, sentences: Sequence[Sentence]) -> list[Quantity]:
    """Find money, percent, count, measure and ordinal mentions.

    Args:
        text: The article text.
        doc: spaCy document of ``text`` (for DATE/TIME entities and counted nouns).
        sentences: The article's sentences (for the sentence index).

    Returns:
        Quantities in text order, non-overlapping.
    """
    lookup = SentenceLookup(sentences)
    time_ranges = [
        (e.start_char, e.end_char)
        for e in doc.ents
        if e.label_ in _TIME_LABELS and _DATEISH.search(e.text)
    ]
    atoms: list[_Atom] = []
    for m in _ATOM.finditer(text):
        atom = _atom_from_match(m, text)
        if atom is not None:
            atoms.append(atom)

    out: list[Quantity] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        head = text[max(0, atom.start - 40) : atom.start]
        range_kw = _RANGE_KW.search(head)
        start = atom.start - (len(head) - range_kw.start()) if range_kw else atom.start
        is_range = False
        low_atom, high_atom = atom, atom
        if nxt is not None and _RANGE_SEP.match(text[atom.end : nxt.start]):
            sep = text[atom.end : nxt.start].strip().lower()
            ok = (sep != "and" or range_kw is not None) and (
                sep not in ("-", "\u2013", "\u2014")
                or atom.end == nxt.start - len(sep)
                or range_kw is not None
            )
            compatible = (atom.unit is None or nxt.unit is None or atom.unit == nxt.unit) and (
                atom.kind == nxt.kind or "count" in (atom.kind, nxt.kind)
            )
            low_v = atom.value
            if not atom.scaled and nxt.scaled and atom.unit is None:
                low_v = atom.value * (nxt.value / max(_unscaled(text, nxt), 1e-12))
            if (
                ok
                and compatible
                and low_v <= nxt.value
                and not text[nxt.start : nxt.end].startswith("0")
            ):
                is_range = True
                high_atom = nxt
        if not is_range:
            start = atom.start
        end = high_atom.end
        unit, kind = high_atom.unit, high_atom.kind
        low_value, high_value = low_atom.value, high_atom.value
        if is_range:
            if low_atom.unit is None and not low_atom.scaled and high_atom.scaled:
                # "between 6 and 8 million": the scale applies to both ends
                low_value *= high_value / max(_unscaled(text, high_atom), 1e-12)
            if low_atom.unit is not None and unit is None:
                unit, kind = low_atom.unit, low_atom.kind
        qualifier_match = None if is_range else _QUALIFIER_RE.search(head)
        qualifier = (
            re.sub(r"\s+", " ", qualifier_match.group("q").lower()) if qualifier_match else None
        )
        if qualifier_match:
            start = atom.start - (len(head) - qualifier_match.start())
        if kind == "count":
            keep, noun_unit = _keep_count(
                doc, text, high_atom, qualifier is not None or is_range, time_ranges
            )
            if is_range and noun_unit is None:
                noun = _counted_noun(doc, text, low_atom)
                noun_unit = noun.lemma_.lower() if noun is not None else None
            if not keep:
                i += 2 if is_range else 1
                continue
            unit = noun_unit
        elif kind == "money" or kind == "percent" or kind == "measure":
            pass
        if is_range:
            low, high, value = low_value, high_value, (low_value + high_value) / 2
            qualifier = "between"
        else:
            value = atom.value
            low, high = _interval(value, qualifier)
        out.append(
            Quantity(
                start=start,
                end=end,
                text=text[start:end],
                value=value,
                unit=unit,
                kind=kind,
                normalised=_normalised(qualifier, low, high, value, unit, is_range),
                qualifier=qualifier,
                low=low,
                high=high,
                sentence=lookup.index_at(start),
            )
        )
        i += 2 if is_range else 1

    taken = [(q.start, q.end) for q in out]
    for m in _ORDINAL.finditer(text):
        if _in_ents(m.start(), m.end(), time_ranges) or any(
            s < m.end() and m.start() < e for s, e in taken
        ):
            continue
        value = float(m.group(1))
        out.append(
            Quantity(
                start=m.start(),
                end=m.end(),
                text=m.group(),
                value=value,
                unit=None,
                kind="ordinal",
                normalised=f"#{_fmt(value)}",
                low=value,
                high=value,
                sentence=lookup.index_at(m.start()),
            )
        )
    out.sort(key=lambda q: q.start)
    return out


class QuantityFinder:
    """Pipeline component: text + spaCy doc -> quantities."""

    name = "quantities.v1"
    requires = frozenset({"doc", "sentences"})
    assigns = frozenset({"quantities"})

    def __call__(self, text: str, doc: Doc, sentences: Sequence[Sentence]) -> list[Quantity]:
        return find_quantities(text, doc, sentences)
