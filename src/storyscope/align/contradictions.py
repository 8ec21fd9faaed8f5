"""Contradictions: two outlets state incompatible numbers, dates or polarity.

Only claims that talk about the same thing are compared: claims grouped into the
same fact, pairs the learned pair scorer rates at :data:`CANDIDATE_PROB` or more,
or claims whose sentences are similar (cosine at least
:data:`LOOSE_COSINE`) *and* share a number, a named entity or enough content
words. Every check is structural and conservative, because a false alarm costs
as much trust as a miss:

* ``number``: exactly one quantity of the same kind and unit on each side, and
  the intervals the texts allow ("more than 40", "about 40", "$40m") do not
  overlap, or two ceilings / two floors differ ("as many as 1.5 million" / "up
  to 1.6 million"), or two round figures stated at one granularity differ
  ("$3.5 billion" / "$3.6 billion"; :func:`_stated_differently`).
* ``date``: exactly one resolved date (or one plain duration) on each side, and
  the values are not compatible (a month contains its days; a duration with a
  range or limit word such as "within" or "between" is never compared).
* ``polarity``: near-identical claims where exactly one is negated and the word
  the negation governs appears, un-negated, in the other claim (not an answer
  "No, ...", a purpose clause "so he won't", a condition "unless", or a verb
  that relates to something else: "spread to" / "spread through").
* ``entity``: the same statement about a different place, person or body:
  each claim keeps exactly one name of the kind that the other article never
  mentions, the names are not spellings of one name, neither is a speaker, and
  the rest of the claims match (:func:`_check_entities`).
* ``status``: one outlet says a thing was requested, proposed, started or
  charged, the other that it was obtained, approved, finished or convicted
  (or approved vs rejected), each without the other's word, the rest of the
  claims matching (:data:`STATUS_WORDS`, :data:`STATUS_CONFLICTS`); an earlier
  stage published before a later one is still reported, its explanation
  naming publication timing as the likely cause.

Amounts, dates and status words inside quotation marks are what someone said,
not what the outlet reports, and are not compared; indirect speech ("said
that ...") is. Attribution contradictions come from
:mod:`storyscope.align.quote_variants`.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyscope._words import DAY_WORDS, MONTHS, WEEKDAYS
from storyscope.align._claims import ClaimRef, ClaimTable
from storyscope.align._text import (
    NEGATIONS,
    STOPWORDS,
    WORD_RE,
    fold,
    norm_words,
    quoted_share,
    same_given_name,
    shorten,
    stem,
    words,
)
from storyscope.align._titles import title_conflicts
from storyscope.model import (
    Contradiction,
    Entity,
    Quantity,
    Quote,
    TimeExpression,
)

__all__ = [
    "LOOSE_COSINE",
    "POLARITY_JACCARD",
    "STATUS_CONFLICTS",
    "STATUS_WORDS",
    "find_contradictions",
    "format_quantity",
]

#: Least hand-set pair score (:attr:`ClaimTable.score`) for two claims of one fact
#: to be compared as "the same statement" (looser gates on numbers, dates, names).
IN_FACT_MIN_SCORE = 0.45
#: Claim pairs the learned pair scorer rates at least this likely to state one
#: fact are compared even when they were not grouped and their wording differs
#: (the checks themselves still need matching context around each value).
CANDIDATE_PROB = 0.97
#: Sentence cosine above which two claims from different facts are still compared.
LOOSE_COSINE = 0.45
#: ... provided they also share a number/entity or this much content-word Jaccard.
LOOSE_JACCARD = 0.25
#: Content-word Jaccard two claims need before their polarity is compared.
POLARITY_JACCARD = 0.3
#: Share of each claim's content words the other must hold before polarity is compared.
POLARITY_COVERAGE = 0.4
#: ... and the better-covered one at least this share.
POLARITY_MAX_COVERAGE = 0.6
#: Cosine two claims need before their polarity is compared (unless in one fact).
POLARITY_COSINE = 0.45
#: Cosine two claims of different facts need before their numbers are compared.
NUMBER_COSINE = 0.6
#: Cosine and Jaccard two claims of different facts need before their dates are compared.
DATE_COSINE = 0.6
DATE_JACCARD = 0.25
#: Cosine and Jaccard two claims of different facts need before their names or
#: status words are compared.
ROLE_COSINE = 0.6
ROLE_JACCARD = 0.3
#: Relative tolerance for exact numbers (rounding: "$40 million" vs "$40.1 million").
EXACT_TOLERANCE = 0.005
#: Most relative slack a round figure gets ("$43 million" covers up to $44 million).
ROUND_TOLERANCE = 0.05
#: Relative width of an approximate number ("about 40" -> 36..44).
APPROX_TOLERANCE = 0.1

_CURRENCIES = {"USD": "$", "EUR": "\u20ac", "GBP": "\u00a3", "JPY": "\u00a5"}
_APPROX = {
    "about",
    "around",
    "roughly",
    "approximately",
    "some",
    "an estimated",
    "estimated",
    "almost",
    "nearly",
    "close to",
    "approx",
    "circa",
}
_LOWER_BOUND = {"more than", "over", "at least", "above", "upwards of", "in excess of", "exceeding"}
_UPPER_BOUND = {"less than", "fewer than", "under", "up to", "at most", "below", "no more than"}
#: Qualifiers that give a figure as its most: "up to", "as many as".
_CEILINGS = _UPPER_BOUND | {"as many as", "as much as"}
_BELOW_APPROX = {"almost", "nearly", "close to", "just under"}
#: Qualifiers that say a figure is rounded, not bounded: "about $3.6 billion" is
#: $3.6 billion to the nearest hundred million, so "$3.5 billion" states another figure.
_ROUNDED = frozenset({"about", "around", "roughly", "approximately", "some", "an estimated", "estimated"})
_RANGE_WORDS = frozenset(
    {
        "within",
        "between",
        "up",
        "about",
        "around",
        "nearly",
        "almost",
        "least",
        "most",
        "more",
        "less",
        "over",
        "under",
        "some",
        "to",
        "and",
        "or",
        "than",
        "several",
        "few",
        "couple",
    }
)
_PERIOD = re.compile(
    r"^P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<mo>\d+(?:\.\d+)?)M)?(?:(?P<w>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_PERIOD_SECONDS = {
    "y": 365 * 86400.0,
    "mo": 30 * 86400.0,
    "w": 7 * 86400.0,
    "d": 86400.0,
    "h": 3600.0,
    "mi": 60.0,
    "s": 1.0,
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
#: Words either side of a date or number that show what it is about (see :func:`_context`).
CONTEXT_WORDS = 5
#: A wider window for claims already grouped into one fact ("council voted on Tuesday
#: to release $40 million" / "council threw $52 million").
FACT_CONTEXT_WORDS = 8
_FUTURE = frozenset({"will", "expected", "scheduled", "plans", "set", "due", "upcoming"})
_CLAUSE_STARTS = frozenset(
    [
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "where",
        "while",
        "because",
        "after",
        "before",
        "when",
        "as",
        "since",
        "until",
        "but",
    ]
)
_RANGE_AFTER = re.compile(r"\s*(?:to|through|until|and|-|\u2013)\s*(?:\d|[A-Z][a-z]+\.? \d)")
_RANK = re.compile(r"(?:\bNo\.?|#)\s*$")
_ODDS = re.compile(r"[\s-]*(?:in|out\s+of)[\s-]+(?:\d|one|two|three|four|five|ten)\b", re.I)
_CONDITIONS = frozenset({"unless", "until", "if", "provided"})
_OPEN_QUESTION = frozenset({"whether", "if", "might", "may", "could", "considering"})
_CORE_DATE_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS) | DAY_WORDS
_DATE_WORDS = _CORE_DATE_WORDS | frozenset(
    [
        "morning",
        "afternoon",
        "evening",
        "night",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "day",
        "days",
        "ago",
        "last",
        "next",
        "earlier",
        "later",
        "early",
        "late",
        "mid",
    ]
)


@dataclass(frozen=True, slots=True)
class _Found:
    kind: str
    a: ClaimRef
    b: ClaimRef
    explanation: str
    values: frozenset[str]
    #: Whether the fact the claims belong to becomes "contested": a preview against
    #: its outcome is reported but leaves the fact agreed (both tell one event).
    contests: bool = True


def format_quantity(q: Quantity) -> str:
    """Canonical, readable form of a quantity: ``"40,000,000 USD"``, ``"12%"``, ``"57 people"``."""
    value = q.value
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"
    if q.kind == "percent" or q.unit == "percent":
        text = f"{value:g}%"
    elif q.unit:
        text = f"{number} {q.unit}"
    else:
        text = number
    return f"{q.qualifier} {text}" if q.qualifier else text


def _interval(q: Quantity) -> tuple[float, float]:
    v = q.value
    qual = (q.qualifier or "").lower().strip()
    low = q.low
    high = q.high
    if low is not None and high is not None and low == high == v and not qual:
        low = high = None
    if low is not None and high is not None and (low != high or not qual):
        if low == high:
            return low * (1 - EXACT_TOLERANCE), high * (1 + EXACT_TOLERANCE)
        return low, high
    if qual in _LOWER_BOUND:
        return (low if low is not None else v), (high if high is not None else math.inf)
    if qual in _UPPER_BOUND:
        return (low if low is not None else 0.0), (high if high is not None else v)
    if qual in _BELOW_APPROX:
        return (low if low is not None else v * (1 - APPROX_TOLERANCE)), (
            high if high is not None else v * (1 + EXACT_TOLERANCE)
        )
    if qual in _APPROX or qual:
        return (low if low is not None else v * (1 - APPROX_TOLERANCE)), (
            high if high is not None else v * (1 + APPROX_TOLERANCE)
        )
    if low is None and high is None and (step := _step(v)) is not None:
        # A round figure may be rounded or truncated: "$43 million" for $43,885,310.
        tol = min(step, ROUND_TOLERANCE * v)
        return v - tol / 2, v + tol
    return (low if low is not None else v * (1 - EXACT_TOLERANCE)), (
        high if high is not None else v * (1 + EXACT_TOLERANCE)
    )


def _step(v: float) -> float | None:
    """Granularity a round figure is stated at: 3,500,000,000 -> 100,000,000."""
    if v < 1000 or not float(v).is_integer():
        return None
    digits = str(int(v))
    zeros = len(digits) - len(digits.rstrip("0"))
    return 10.0**zeros if zeros else None


def _stated_differently(qa: Quantity, qb: Quantity) -> bool:
    """Two figures whose intervals overlap but that state the same thing differently.

    * Both are ceilings ("as many as 1.5 million" / "up to 1.6 million") or both
      floors, and the bounds differ: the texts disagree on the limit itself.
    * Both are round figures stated at the same granularity ("$3.5 billion" /
      "$3.6 billion"), plain or given as rounded ("about $3.6 billion"): the rounding
      slack of :func:`_interval` covers a round figure against a precise one ("$43
      million" / "$43,885,310"), not two round ones. A bound ("more than 60") is
      never compared this way: "more than 60" and "70" agree.
    """
    qual_a = (qa.qualifier or "").lower().strip()
    qual_b = (qb.qualifier or "").lower().strip()
    if (qual_a in _CEILINGS and qual_b in _CEILINGS) or (
        qual_a in _LOWER_BOUND and qual_b in _LOWER_BOUND
    ):
        return abs(qa.value - qb.value) > EXACT_TOLERANCE * max(abs(qa.value), abs(qb.value))
    if (qual_a and qual_a not in _ROUNDED) or (qual_b and qual_b not in _ROUNDED):
        return False
    for q, qual in ((qa, qual_a), (qb, qual_b)):
        if q.low is not None and q.high is not None and q.low != q.high and not qual:
            return False  # a stated range ("about" gives a rounding interval, not a range)
    step_a, step_b = _step(qa.value), _step(qb.value)
    # (a hair under one step: 3.6e9 - 3.5e9 is 99,999,999.99... in floating point)
    return step_a is not None and step_a == step_b and abs(qa.value - qb.value) >= 0.999 * step_a


def _unit_key(q: Quantity) -> tuple[str, str] | None:
    if q.kind == "ordinal" or q.unit is None:
        return None  # bare numbers ("40") are too ambiguous to compare
    unit = q.unit.lower()
    if q.kind == "count":
        unit = stem(unit)  # "person"/"people" differ: stays strict, "states"/"state" match
    return (q.kind, unit)


def _by_unit(quantities: Iterable[Quantity]) -> dict[tuple[str, str], list[Quantity]]:
    out: dict[tuple[str, str], list[Quantity]] = {}
    for q in quantities:
        key = _unit_key(q)
        if key is not None:
            out.setdefault(key, []).append(q)
    return out


def _sentence_quantities(table: ClaimTable, ref: ClaimRef) -> list[Quantity]:
    sent = ref.sentence
    return [
        q for q in table.articles[ref.doc].quantities if sent.start <= q.start and q.end <= sent.end
    ]


def _comparable(table: ClaimTable | None, ref: ClaimRef, q: Quantity) -> bool:
    """Whether a quantity is a reported amount, not a rank, odds or someone's words."""
    if table is None:
        return True
    doc = table.articles[ref.doc]
    if _RANK.search(doc.text, max(0, q.start - 5), q.start):
        return False  # "the No. 2 job"
    if _ODDS.match(doc.text, q.end):
        return False  # "a two-in-three chance", "1 in 3"
    return not _in_quote(_marked(doc.quotes), q.start, q.end)


def _check_numbers(
    a: ClaimRef, b: ClaimRef, table: ClaimTable | None = None, in_fact: bool = False
) -> list[_Found]:
    found: list[_Found] = []
    qa_by = _by_unit(q for q in a.quantities if _comparable(table, a, q))
    qb_by = _by_unit(q for q in b.quantities if _comparable(table, b, q))
    # Amounts of one kind elsewhere in the same sentence ("Ruiz leads with 21 percent,
    # Brel has 14 percent") may be the one the other outlet's number matches.
    sa_by = _by_unit(_sentence_quantities(table, a)) if table is not None else qa_by
    sb_by = _by_unit(_sentence_quantities(table, b)) if table is not None else qb_by
    width = FACT_CONTEXT_WORDS if in_fact else CONTEXT_WORDS
    for key in qa_by.keys() & qb_by.keys():
        pair = _one_to_one(a, qa_by[key], sa_by.get(key, ()), b, qb_by[key], sb_by.get(key, ()))
        if pair is None:
            pair = _best_match(a, qa_by[key], sa_by.get(key, ()), b, qb_by[key], sb_by.get(key, ()), width)
            if pair is None:
                continue  # several amounts of one kind: cannot tell which matches which
        qa, qb = pair
        # The unit noun ("212 passengers" / "400 passengers") says what is counted,
        # not what the count is about: it never makes two numbers comparable.
        unit_stems = {stem(w) for w in norm_words(f"{qa.unit} {qb.unit}")}
        if table is not None and not _roles_match(
            _context(a, qa.start, qa.end, width) - unit_stems,
            _context(b, qb.start, qb.end, width) - unit_stems,
            in_fact,
        ):
            continue  # "$43 million in federal taxes" / "$139 million in income"
        if _differ(qa, qb):
            fa, fb = format_quantity(qa), format_quantity(qb)
            found.append(
                _Found(
                    kind="number",
                    a=a,
                    b=b,
                    explanation=(
                        f"{a.outlet} says {qa.text} ({fa}); {b.outlet} says {qb.text} ({fb})."
                    ),
                    values=frozenset({fa, fb}),
                )
            )
    return found


def _differ(qa: Quantity, qb: Quantity) -> bool:
    """Whether two amounts of one kind state different figures (see :func:`_interval`)."""
    a_lo, a_hi = _interval(qa)
    b_lo, b_hi = _interval(qb)
    return a_hi < b_lo or b_hi < a_lo or _stated_differently(qa, qb)


def _one_to_one(
    a: ClaimRef,
    qa: Sequence[Quantity],
    sa: Sequence[Quantity],
    b: ClaimRef,
    qb: Sequence[Quantity],
    sb: Sequence[Quantity],
) -> tuple[Quantity, Quantity] | None:
    """The two amounts when each claim (and its sentence) holds one amount of the kind."""
    if len(qa) == 1 and len(qb) == 1 and len(sa) <= 1 and len(sb) <= 1:
        return qa[0], qb[0]
    return None


#: Most amounts of one kind in a sentence among which :func:`_best_match` picks.
MAX_AMOUNTS = 3
#: Largest ratio between two figures paired by :func:`_best_match` ("$3.5 billion" /
#: "about $3.6 billion" are compared; "$5.7 billion" / "$3.6 billion" are not).
BEST_MATCH_RATIO = 1.5


def _best_match(
    a: ClaimRef,
    qa: Sequence[Quantity],
    sa: Sequence[Quantity],
    b: ClaimRef,
    qb: Sequence[Quantity],
    sb: Sequence[Quantity],
    width: int,
) -> tuple[Quantity, Quantity] | None:
    """One amount against a sentence holding several of its kind: the one its words point at.

    "to the tune of $3.5 billion" from "the military construction budget" against
    "about $3.6 billion from Defense Department construction projects, along with
    another $2.5 billion ...": the amount whose neighbouring words share the most
    with the single amount's is the one compared, when it shares strictly more than
    every other. When any of the several agrees with the single amount, nothing is
    compared: the other outlet may mean that one ("Ruiz has 21 percent, Brel 14").
    The pairing is a guess, so only figures within :data:`BEST_MATCH_RATIO` of each
    other are paired.
    """
    if len(qa) == 1 and len(sa) <= 1 and 1 < max(len(sb), len(qb)) <= MAX_AMOUNTS:
        one, one_ref, many, near, many_ref, swap = qa[0], a, list(qb), list(sb), b, False
    elif len(qb) == 1 and len(sb) <= 1 and 1 < max(len(sa), len(qa)) <= MAX_AMOUNTS:
        one, one_ref, many, near, many_ref, swap = qb[0], b, list(qa), list(sa), a, True
    else:
        return None
    if any(not _differ(one, q) for q in [*many, *near]):
        return None
    ctx = _context(one_ref, one.start, one.end, width)
    shared = sorted(
        ((len(ctx & _context(many_ref, q.start, q.end, width)), i) for i, q in enumerate(many)),
        reverse=True,
    )
    if len(shared) > 1 and shared[0][0] == shared[1][0]:
        return None
    best = many[shared[0][1]]
    low, high = sorted((abs(one.value), abs(best.value)))
    if low <= 0 or high / low > BEST_MATCH_RATIO:
        return None  # far-apart figures in a sentence of several amounts count different things
    return (best, one) if swap else (one, best)


def _date_part(value: str) -> tuple[str, ...] | None:
    m = _DATE.match(value)
    if not m:
        return None
    return tuple(g for g in m.groups() if g is not None)


def _seconds(period: str) -> float | None:
    m = _PERIOD.match(period.strip().upper())
    if not m or period.strip().upper() in {"P", "PT"}:
        return None
    total = 0.0
    for name, secs in _PERIOD_SECONDS.items():
        part = m.group(name)
        if part is not None:
            total += float(part) * secs
    return total


def _plain_duration(t: TimeExpression) -> bool:
    return (
        t.value is not None and not (set(norm_words(t.text)) & _RANGE_WORDS) and "-" not in t.text
    )


def _core(text: str) -> tuple[str, ...]:
    """The naming words of a date: "Wednesday afternoon" and "on Wednesday" -> wednesday."""
    toks = norm_words(text)
    core = tuple(w for w in toks if w in _CORE_DATE_WORDS or w.isdigit())
    return core or tuple(toks)


def _marked(quotes: Sequence[Quote]) -> tuple[Quote, ...]:
    """Quotations in quotation marks; indirect speech ("said that ...") is the outlet's report."""
    return tuple(q for q in quotes if q.kind != "indirect")


def _in_quote(quotes: Sequence[Quote], start: int, end: int | None = None) -> bool:
    stop = start + 1 if end is None else end
    return any(q.start <= start and stop <= q.end for q in quotes)


def _context(ref: ClaimRef, start: int, end: int, width: int = CONTEXT_WORDS) -> frozenset[str]:
    """Stems of the common words within :data:`CONTEXT_WORDS` words either side of a span.

    Names (capitalised words), numbers, dates and stopwords are left out: what
    remains says what the number or date is about ("paid ... in federal taxes").
    """
    text = ref.claim.text
    rel_start, rel_end = start - ref.claim.start, end - ref.claim.start
    segments = re.split(r"[,;:\u2014]", text[: max(0, rel_start)])
    head = segments[-1]
    if len(segments) > 1 and not set(_content(words(head))) - _AMOUNT_FILLER:
        # "... from the military construction budget, to the tune of $3.5 billion": the
        # amount's own phrase says nothing about what it counts; the phrase before does.
        head = segments[-2] + " " + head
    tail = re.split(r"[,;:\u2014]", text[max(0, rel_end) :])[0]
    before = words(head)[-width:]
    after: list[str] = []
    for tok in words(tail)[:width]:
        if tok.lower() in _CLAUSE_STARTS:
            break  # "... Monday that would grant ...": a new clause, about something else
        after.append(tok)
    return frozenset(stem(w) for w in _content([*before, *after]))


#: Words of a phrase that only introduces an amount ("to the tune of", "totalling some").
_AMOUNT_FILLER = frozenset(
    {
        "tune",
        "total",
        "totaling",
        "totalling",
        "totaled",
        "totalled",
        "worth",
        "amount",
        "amounting",
        "sum",
        "some",
        "nearly",
        "roughly",
        "about",
        "around",
        "approximately",
        "estimated",
        "reportedly",
        "just",
        "another",
        "additional",
        "extra",
        "further",
    }
)


def _content(tokens: Sequence[str]) -> list[str]:
    """The tokens :func:`_context` keeps: common content words (no names, numbers, dates,
    stopwords or negations), lower-cased."""
    out = []
    for tok in tokens:
        w = tok.lower().replace("\u2019", "'")
        if tok[:1].isupper() or w.isdigit() or w in STOPWORDS or w in NEGATIONS or w in _DATE_WORDS:
            continue
        out.append(w)
    return out


def _tense(table: ClaimTable, ref: ClaimRef, t: TimeExpression) -> str | None:
    """``"past"``/``"future"`` of a day-precise date against its article's publication day."""
    published = table.articles[ref.doc].article.published
    part = _date_part(t.value or "")
    if published is None or part is None or len(part) != 3:
        return None
    day = "-".join(part)
    today = published.date().isoformat()
    if day < today:
        return "past"
    if day > today or set(norm_words(ref.claim.text)) & _FUTURE:
        return "future"
    return None


def _roles_match(ctx_a: frozenset[str], ctx_b: frozenset[str], in_fact: bool) -> bool:
    """Whether two numbers or dates are about the same thing, judged by their neighbours.

    Claims of one fact need one shared neighbour word, other claims two.
    """
    shared = len(ctx_a & ctx_b)
    return shared >= 2 or (in_fact and shared >= 1)


def _same_role(
    a: ClaimRef,
    ta: TimeExpression,
    b: ClaimRef,
    tb: TimeExpression,
    quotes: Sequence[Sequence[Quote]],
    table: ClaimTable | None = None,
    in_fact: bool = False,
) -> bool:
    """Whether two dates plausibly date the same thing in their claims.

    A date inside a quotation is relative to when it was said; a date whose
    neighbouring words share nothing with the other's ("the Sept. 11 attacks" /
    "voted Wednesday") dates something else.
    """
    if _in_quote(quotes[a.doc], ta.start, ta.end) or _in_quote(quotes[b.doc], tb.start, tb.end):
        return False
    if table is not None:
        # One side dates something still to come, the other something past:
        # a plan and an event ("will announce on Monday" / "sent on Saturday").
        sides = {_tense(table, a, ta), _tense(table, b, tb)}
        if sides == {"past", "future"}:
            return False
    if _RANGE_AFTER.match(table.articles[a.doc].text if table else "", ta.end) or (
        table is not None and _RANGE_AFTER.match(table.articles[b.doc].text, tb.end)
    ):
        return False  # "from 2007 to 2014": one end of a span
    return _roles_match(_context(a, ta.start, ta.end), _context(b, tb.start, tb.end), in_fact)


def _check_dates(
    a: ClaimRef,
    b: ClaimRef,
    quotes: Sequence[Sequence[Quote]] | None = None,
    table: ClaimTable | None = None,
    in_fact: bool = False,
) -> list[_Found]:
    found: list[_Found] = []
    da = [t for t in a.times if t.kind == "date" and t.value]
    db = [t for t in b.times if t.kind == "date" and t.value]
    if len(da) == 1 and len(db) == 1:
        ta, tb = da[0], db[0]
        pa, pb = _date_part(ta.value or ""), _date_part(tb.value or "")
        same_words = _core(ta.text) == _core(tb.text)
        # Only dates of the same precision (day/day, month/month, year/year) and
        # the same role are compared: "November" vs "two years ago" is no conflict.
        if (
            pa
            and pb
            and not same_words
            and len(pa) == len(pb)
            and (quotes is None or _same_role(a, ta, b, tb, quotes, table, in_fact))
        ) and pa != pb:
            found.append(
                _Found(
                    kind="date",
                    a=a,
                    b=b,
                    explanation=(
                        f"{a.outlet} gives the date as {ta.text} ({ta.value}); "
                        f"{b.outlet} gives {tb.text} ({tb.value})."
                    ),
                    values=frozenset({str(ta.value), str(tb.value)}),
                )
            )
    ua = [t for t in a.times if t.kind == "duration"]
    ub = [t for t in b.times if t.kind == "duration"]
    if (
        len(ua) == 1
        and len(ub) == 1
        and _plain_duration(ua[0])
        and _plain_duration(ub[0])
        and (quotes is None or _same_role(a, ua[0], b, ub[0], quotes, table, in_fact))
    ):
        ta, tb = ua[0], ub[0]
        sa, sb = _seconds(ta.value or ""), _seconds(tb.value or "")
        if sa is not None and sb is not None and sa > 0 and sb > 0 and sa != sb:
            found.append(
                _Found(
                    kind="date",
                    a=a,
                    b=b,
                    explanation=(
                        f"{a.outlet} says it took {ta.text} ({ta.value}); "
                        f"{b.outlet} says {tb.text} ({tb.value})."
                    ),
                    values=frozenset({str(ta.value), str(tb.value)}),
                )
            )
    return found


#: "<past verb> [on] <weekday>": the day an event happened ("published Saturday").
_EVENT_DAY = re.compile(
    r"\b([A-Za-z]+)(?:\s+(?:on|last))?\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_WEEKDAY_HINT = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
#: Pair probability at which two claims dating one verb to different weekdays conflict.
EVENT_DAY_PROB = 0.5
#: Irregular past tenses that date an event; regular ones end in "-ed".
_IRREGULAR_PAST = frozenset(
    [
        "met",
        "held",
        "won",
        "lost",
        "began",
        "ran",
        "took",
        "made",
        "came",
        "went",
        "left",
        "fell",
        "hit",
        "struck",
        "shot",
        "sent",
        "bought",
        "sold",
        "paid",
        "broke",
        "rose",
        "flew",
        "drove",
        "fought",
        "chose",
        "swore",
    ]
)
#: Reporting verbs: the day something was said is not the day of the event it tells of.
_REPORTING_PAST = frozenset(
    [
        "said",
        "told",
        "added",
        "stated",
        "announced",
        "explained",
        "noted",
        "claimed",
        "insisted",
        "argued",
        "warned",
        "confirmed",
        "reported",
        "wrote",
        "asked",
        "replied",
        "tweeted",
        "posted",
        "responded",
        "declined",
        "refused",
    ]
)


def event_days(ref: ClaimRef, quotes: Sequence[Quote]) -> dict[str, tuple[str, int, int]]:
    """Past verb -> (weekday, start, end) for each "<verb> [on] <weekday>" outside quotes."""
    out: dict[str, tuple[str, int, int]] = {}
    for m in _EVENT_DAY.finditer(ref.claim.text):
        verb = m.group(1).lower()
        if verb in _REPORTING_PAST or not (verb.endswith("ed") or verb in _IRREGULAR_PAST):
            continue
        start, end = ref.claim.start + m.start(2), ref.claim.start + m.end(2)
        if _in_quote(quotes, start, end):
            continue
        out.setdefault(verb, (m.group(2), start, end))
    return out


def _check_event_day(a: ClaimRef, b: ClaimRef, quotes: Sequence[Sequence[Quote]]) -> list[_Found]:
    """The same past verb dated to different weekdays: "published Saturday" / "published Sunday".

    The verb fixes what is dated, so the claims need not share much else; the
    caller compares only pairs the pair scorer links (they tell of one thing).
    """
    da, db = event_days(a, quotes[a.doc]), event_days(b, quotes[b.doc])
    for verb in sorted(da.keys() & db.keys()):
        wa, wb = da[verb][0], db[verb][0]
        if wa == wb:
            continue
        return [
            _Found(
                kind="date",
                a=a,
                b=b,
                explanation=(
                    f"{a.outlet} says {verb} {wa} (\u201c{_bare(a.claim.text)}\u201d); "
                    f"{b.outlet} says {verb} {wb} (\u201c{_bare(b.claim.text)}\u201d)."
                ),
                values=frozenset({wa, wb}),
            )
        ]
    return []


_ANSWER_NO = re.compile(r"\s*No\s*[,:;\u2014-]")


def _negation_scope(text: str) -> tuple[str, frozenset[str]] | None:
    """Stem of the word the first negation governs, and the content stems after it."""
    toks = norm_words(text)
    if _ANSWER_NO.match(text):
        toks = toks[1:]  # "No, the port has not closed": the answer word negates nothing
    for i, w in enumerate(toks):
        if w == "not" and toks[i + 1 : i + 2] == ["only"]:
            continue  # "not only ... but also" affirms
        if "so" in toks[max(0, i - 3) : i] or "lest" in toks[max(0, i - 3) : i]:
            continue  # "adopted him so he won't turn into ...": a purpose, not a denial
        if w in NEGATIONS or w.endswith("n't"):
            rest = [
                stem(t)
                for t in toks[i + 1 :]
                if t not in STOPWORDS and t not in NEGATIONS and t not in {"be", "been", "being"}
            ]
            if not rest:
                return None
            return rest[0], frozenset(rest[1:8])
    return None


def _bare(text: str) -> str:
    return shorten(text).rstrip(" .;:,")


def _negation_offset(text: str) -> int | None:
    answer = _ANSWER_NO.match(text)
    for m in WORD_RE.finditer(text, answer.end() if answer else 0):
        w = m.group().lower().replace("\u2019", "'")
        if w in NEGATIONS or w.endswith("n't"):
            return m.start()
    return None


_PREPOSITIONS = frozenset(
    [
        "to",
        "through",
        "into",
        "onto",
        "from",
        "at",
        "in",
        "on",
        "over",
        "across",
        "past",
        "beyond",
        "toward",
        "towards",
        "near",
        "by",
        "with",
    ]
)


def _preposition_after(text: str, head: str) -> str | None:
    """The preposition right after the first word stemming to ``head`` (adverbs skipped)."""
    toks = norm_words(text)
    for i, w in enumerate(toks):
        if stem(w) != head:
            continue
        for nxt in toks[i + 1 : i + 3]:
            if nxt.endswith("ly"):
                continue
            return nxt if nxt in _PREPOSITIONS else None
        return None
    return None


def _check_polarity(
    a: ClaimRef, b: ClaimRef, quotes: Sequence[Sequence[Quote]] | None = None
) -> list[_Found]:
    if a.negated == b.negated:
        return []
    neg, pos = (a, b) if a.negated else (b, a)
    scope = _negation_scope(neg.claim.text)
    # The negated word itself and something it governs must recur, un-negated,
    # in the other claim: "did not approve ... hazard pay" / "approved hazard pay".
    # A verb with nothing after it ("has not ended") needs the same words on both sides.
    if scope is None or scope[0] not in pos.terms:
        return []
    if not (scope[1] & pos.terms) and (scope[1] or neg.terms != pos.terms):
        return []
    # "did not spread to the neighbouring warehouses" / "spread through the
    # warehouse": the verb relates to something else on each side.
    prep_neg, prep_pos = (
        _preposition_after(neg.claim.text, scope[0]),
        _preposition_after(pos.claim.text, scope[0]),
    )
    if prep_neg and prep_pos and prep_neg != prep_pos:
        return []
    # "announces whether he will step down or seek a second term" affirms nothing;
    # "would not accept the offer unless wages rose" denies only on a condition.
    if (
        set(norm_words(pos.claim.text)) & _OPEN_QUESTION
        or set(norm_words(neg.claim.text)) & _CONDITIONS
    ):
        return []
    # Both claims must say nearly the same thing apart from the negation: a longer
    # version of a quote whose extra clause holds a "not" is no contradiction.
    shared = len(neg.terms & pos.terms)
    cover = sorted((shared / max(1, len(neg.terms)), shared / max(1, len(pos.terms))))
    if cover[0] < POLARITY_COVERAGE or cover[1] < POLARITY_MAX_COVERAGE:
        return []
    # A negation inside a quotation is what someone said, not what the outlet
    # reports; differing quotes are the business of quote variants.
    if quotes is not None:
        at = _negation_offset(neg.claim.text)
        if at is not None and _in_quote(quotes[neg.doc], neg.claim.start + at):
            return []
    return [
        _Found(
            kind="polarity",
            a=a,
            b=b,
            explanation=(
                f"{a.outlet} says \u201c{_bare(a.claim.text)}\u201d; "
                f"{b.outlet} says the opposite: \u201c{_bare(b.claim.text)}\u201d."
            ),
            values=frozenset({"negated:" + neg.outlet, "affirmed:" + pos.outlet}),
        )
    ]


# --- entities ---------------------------------------------------------------------------

#: Entity labels compared by :func:`_check_entities`, grouped by what they name.
_ENTITY_GROUPS = {
    "PERSON": "person",
    "ORG": "body",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}
#: Content words (other than the two names) the two claims must share, as Jaccard.
ENTITY_JACCARD = 0.6
#: Names this similar (difflib ratio) are spellings of one name ("Kelsund"/"Kelsond").
SPELLING_RATIO = 0.75
_SPEECH_AFTER = frozenset(
    [
        "said",
        "says",
        "told",
        "added",
        "tweeted",
        "wrote",
        "stated",
        "argued",
        "claimed",
        "announced",
        "insisted",
        "warned",
        "according",
    ]
)


#: Words that say what kind of thing a name names, not which one ("Harrow General
#: Hospital" and "St Brenna Hospital" share only "hospital").
_GENERIC_NAME_WORDS = frozenset(
    [
        "hospital",
        "general",
        "university",
        "college",
        "school",
        "street",
        "road",
        "avenue",
        "bridge",
        "river",
        "lake",
        "port",
        "city",
        "town",
        "county",
        "district",
        "province",
        "state",
        "council",
        "ministry",
        "department",
        "court",
        "party",
        "company",
        "group",
        "bank",
        "national",
        "international",
        "coast",
        "guard",
        "navy",
        "army",
        "police",
        "airport",
        "station",
        "harbour",
        "harbor",
        "st",
        "saint",
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "new",
        "upper",
        "lower",
        "central",
        "united",
    ]
)


def _name_tokens(text: str) -> set[str]:
    """Distinctive words of a name: no stopwords, no generic kind words."""
    return {
        w
        for w in norm_words(text)
        if w not in STOPWORDS and w not in _GENERIC_NAME_WORDS and len(w) > 1
    }


def _spoken_by(text: str, start: int, end: int) -> bool:
    """Whether the name at ``start:end`` is who speaks: "Reyl said", "said Reyl", "according to Reyl"."""
    nxt = norm_words(text[end : end + 30])[:1]
    if nxt and nxt[0] in _SPEECH_AFTER:
        return True
    before = norm_words(text[max(0, start - 40) : start])[-3:]
    return bool(set(before) & _SPEECH_AFTER)


class _Lookup:
    """Per-story caches for the entity and status checks (each claim and article once)."""

    def __init__(self, table: ClaimTable) -> None:
        self.table = table
        self._words: dict[int, frozenset[str]] = {}
        self._names: dict[int, tuple[Entity, ...]] = {}
        self._stages: dict[int, dict[str, str]] = {}
        self._plain: dict[int, bool] = {}

    def words(self, doc: int) -> frozenset[str]:
        """Every lower-cased word of article ``doc``."""
        if doc not in self._words:
            self._words[doc] = frozenset(norm_words(self.table.articles[doc].text))
        return self._words[doc]

    def names(self, ref: ClaimRef) -> tuple[Entity, ...]:
        """Names in a claim that are compared: not in quotes, not a speaker."""
        if ref.row not in self._names:
            doc = self.table.articles[ref.doc]
            self._names[ref.row] = tuple(
                e
                for e in doc.entities
                if e.label in _ENTITY_GROUPS
                and ref.claim.start <= e.start
                and e.end <= ref.claim.end
                and not _spoken_by(doc.text, e.start, e.end)
                and not _in_quote(_marked(doc.quotes), e.start, e.end)
            )
        return self._names[ref.row]

    def unquoted(self, ref: ClaimRef) -> bool:
        """Whether the claim holds no quotation marks at all."""
        if ref.row not in self._plain:
            self._plain[ref.row] = quoted_share(ref.claim.text) == 0
        return self._plain[ref.row]

    def stages(self, ref: ClaimRef) -> dict[str, str]:
        """See :func:`_stages`."""
        if ref.row not in self._stages:
            self._stages[ref.row] = _stages(ref, _marked(self.table.articles[ref.doc].quotes))
        return self._stages[ref.row]


def _check_entities(a: ClaimRef, b: ClaimRef, look: _Lookup, in_fact: bool) -> list[_Found]:
    """Two claims saying the same thing of a different place, person or body.

    Conservative: each claim keeps exactly one name of a kind that the other
    article never mentions (not even one word of it), the two names are not
    spellings of one name, neither names the speaker of a quote or statement,
    and apart from the names the claims share most of their content words and
    the words around the names.
    """
    if a.negated != b.negated:
        return []
    ents_a, ents_b = look.names(a), look.names(b)
    if not ents_a or not ents_b or not look.unquoted(a) or not look.unquoted(b):
        return []
    words_a, words_b = look.words(a.doc), look.words(b.doc)
    found: list[_Found] = []
    for group in sorted(set(_ENTITY_GROUPS.values())):
        own_a = [
            e
            for e in ents_a
            if _ENTITY_GROUPS[e.label] == group and not (_name_tokens(e.text) & words_b)
        ]
        own_b = [
            e
            for e in ents_b
            if _ENTITY_GROUPS[e.label] == group and not (_name_tokens(e.text) & words_a)
        ]
        if len(own_a) != 1 or len(own_b) != 1:
            continue
        ea, eb = own_a[0], own_b[0]
        if not _name_tokens(ea.text) or not _name_tokens(eb.text):
            continue
        core_a = " ".join(w for w in norm_words(ea.text) if w not in STOPWORDS)
        core_b = " ".join(w for w in norm_words(eb.text) if w not in STOPWORDS)
        if difflib.SequenceMatcher(None, core_a, core_b).ratio() >= SPELLING_RATIO:
            continue
        # Other names of the same kind in either claim: cannot tell which is which.
        if any(_ENTITY_GROUPS[e.label] == group and e is not ea for e in ents_a) or any(
            _ENTITY_GROUPS[e.label] == group and e is not eb for e in ents_b
        ):
            continue
        rest_a = a.terms - {stem(w) for w in norm_words(ea.text)}
        rest_b = b.terms - {stem(w) for w in norm_words(eb.text)}
        union = rest_a | rest_b
        if not union or len(rest_a & rest_b) / len(union) < ENTITY_JACCARD:
            continue
        if not _roles_match(
            _context(a, ea.start, ea.end, FACT_CONTEXT_WORDS),
            _context(b, eb.start, eb.end, FACT_CONTEXT_WORDS),
            in_fact,
        ):
            continue
        found.append(
            _Found(
                kind="entity",
                a=a,
                b=b,
                explanation=(
                    f"{a.outlet} names {ea.text} and {b.outlet} names {eb.text} as the {group} "
                    f"in the same statement (\u201c{_bare(a.claim.text)}\u201d / "
                    f"\u201c{_bare(b.claim.text)}\u201d); neither article mentions the other's."
                ),
                values=frozenset({ea.text, eb.text}),
            )
        )
    return found


#: Titles and suffixes a person's name may carry: not a given name or a surname.
_HONORIFIC_WORDS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "rep",
        "sen",
        "gov",
        "lt",
        "gen",
        "col",
        "sgt",
        "capt",
        "adm",
        "rev",
        "sir",
        "dame",
        "lord",
        "lady",
        "judge",
        "justice",
        "president",
        "senator",
        "representative",
        "congressman",
        "congresswoman",
        "governor",
        "mayor",
        "secretary",
        "former",
        "councillor",
        "councilor",
        "councilman",
        "councilwoman",
        "councilmember",
        "chairman",
        "chairwoman",
        "chair",
        "minister",
        "chancellor",
        "commissioner",
        "sheriff",
        "speaker",
        "leader",
        "deputy",
        "ambassador",
        "attorney",
        "general",
        "officer",
        "chief",
        "prime",
        "vice",
        "jr",
        "sr",
        "ii",
        "iii",
        "iv",
    ]
)
#: Rest-of-claim overlap (Jaccard of content words, names left out) for a namesake swap.
NAMESAKE_JACCARD = 0.2


def _person_parts(text: str) -> tuple[str, str] | None:
    """(given name, surname) of a person's name of two or more words, lower case, accents folded."""
    parts = [w for w in norm_words(text) if w not in STOPWORDS and w not in _GENERIC_NAME_WORDS]
    parts = [w for w in parts if w not in _HONORIFIC_WORDS]
    if len(parts) < 2:
        return None
    return parts[0], parts[-1]


def _check_namesakes(a: ClaimRef, b: ClaimRef, look: _Lookup, in_fact: bool) -> list[_Found]:
    """The same statement credited to two people sharing a surname ("Loretta" / "Linda Sánchez").

    Each claim names one person of that surname with a given name; the given
    names differ (an initial matching the name's first letter is the same
    person, so is a short form: "Jim" / "James") and neither article mentions the other's given name anywhere, so
    the reader cannot tell both people apart; apart from the names the claims
    share some content. Catches the most common name error in real coverage:
    the namesake printed for the person meant.
    """
    if a.negated != b.negated or not in_fact:
        return []
    people_a = [e for e in look.names(a) if e.label == "PERSON"]
    people_b = [e for e in look.names(b) if e.label == "PERSON"]
    words_a, words_b = look.words(a.doc), look.words(b.doc)
    for ea in people_a:
        pa = _person_parts(ea.text)
        if pa is None:
            continue
        for eb in people_b:
            pb = _person_parts(eb.text)
            if pb is None or pa[1] != pb[1] or same_given_name(pa[0], pb[0]):
                continue
            if pa[0] in words_b or pb[0] in words_a:
                continue
            rest_a = a.terms - {stem(w) for w in norm_words(ea.text)}
            rest_b = b.terms - {stem(w) for w in norm_words(eb.text)}
            union = rest_a | rest_b
            if not union or len(rest_a & rest_b) / len(union) < NAMESAKE_JACCARD:
                continue
            return [
                _Found(
                    kind="entity",
                    a=a,
                    b=b,
                    explanation=(
                        f"{a.outlet} names {ea.text} and {b.outlet} names {eb.text} in the same "
                        f"statement (\u201c{_bare(a.claim.text)}\u201d / "
                        f"\u201c{_bare(b.claim.text)}\u201d): two people sharing a surname; "
                        "neither article mentions the other's."
                    ),
                    values=frozenset({ea.text, eb.text}),
                )
            ]
    return []


# --- status words -----------------------------------------------------------------------

#: Stage -> phrases that put a thing in that stage (lower case, whole words).
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "requested": ("requested", "asked for", "has asked", "sought", "applied for", "petitioned for"),
    "obtained": ("obtained", "secured", "was granted", "were granted", "has been granted", "won"),
    "proposed": (
        "proposed",
        "planned",
        "plans to",
        "is planning",
        "intends to",
        "is considering",
        "are considering",
        "will consider",
    ),
    "approved": ("approved", "adopted", "accepted", "signed", "granted", "enacted", "ratified"),
    "rejected": ("rejected", "denied", "refused", "turned down", "vetoed"),
    "started": ("started", "began", "begun", "launched"),
    "finished": ("finished", "completed", "concluded"),
    "charged": ("charged", "indicted"),
    "convicted": ("convicted", "found guilty", "sentenced"),
}
#: Pairs of stages that cannot both hold at one time; the first comes earlier
#: in time when the pair is ordered (``None``: never both).
STATUS_CONFLICTS: dict[frozenset[str], str | None] = {
    frozenset({"requested", "obtained"}): "requested",
    frozenset({"requested", "approved"}): "requested",
    frozenset({"proposed", "approved"}): "proposed",
    frozenset({"proposed", "finished"}): "proposed",
    frozenset({"proposed", "started"}): "proposed",
    frozenset({"started", "finished"}): "started",
    frozenset({"charged", "convicted"}): "charged",
    frozenset({"approved", "rejected"}): None,
    frozenset({"obtained", "rejected"}): None,
}
#: Content words (status words left out) two claims must share, as Jaccard.
STATUS_JACCARD = 0.5
_STATUS_RE = {
    stage: re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.I)
    for stage, phrases in STATUS_WORDS.items()
}
_STATUS_STEMS = frozenset(
    stem(w) for phrases in STATUS_WORDS.values() for p in phrases for w in norm_words(p)
) | frozenset({"plan", "consider", "sign", "grant"})


def _stages(ref: ClaimRef, quotes: Sequence[Quote]) -> dict[str, str]:
    """Stage -> the words that state it in the claim (quoted words left out)."""
    out: dict[str, str] = {}
    for stage, rx in _STATUS_RE.items():
        for m in rx.finditer(ref.claim.text):
            if not _in_quote(quotes, ref.claim.start + m.start(), ref.claim.start + m.end()):
                out.setdefault(stage, m.group())
    return out


def _says_not(ref: ClaimRef) -> bool:
    """Negated by a negation word, as the analyze stage decided: a claim negated by a
    denying verb alone ("has denied the request") states a stage the status checks compare."""
    return ref.negated and not ref.claim.denial


def _check_status(a: ClaimRef, b: ClaimRef, look: _Lookup) -> list[_Found]:
    """One outlet says a thing was requested, planned or charged; the other, obtained, done or convicted.

    Each claim must state its stage without the other's (so "approved the wall
    the mayor proposed" conflicts with nothing), neither is negated or a
    question, and apart from the status words the claims share most of their
    content words. A stage that comes first in time ("plans to sign") against a
    later one ("signed") reported by an article published on a later day is
    reported too, explained as likely publication timing: the earlier article's
    reader holds a stale fact.
    """
    sa, sb = look.stages(a), look.stages(b)
    if not sa or not sb:
        return []
    if _says_not(a) or _says_not(b):
        return []
    if (set(norm_words(a.claim.text)) | set(norm_words(b.claim.text))) & _OPEN_QUESTION:
        return []
    table = look.table
    rest_a, rest_b = a.terms - _STATUS_STEMS, b.terms - _STATUS_STEMS
    union = rest_a | rest_b
    if not union or len(rest_a & rest_b) / len(union) < STATUS_JACCARD:
        return []
    pub_a = table.articles[a.doc].article.published
    pub_b = table.articles[b.doc].article.published
    for stage_a, words_a in sa.items():
        for stage_b, words_b in sb.items():
            pair = frozenset({stage_a, stage_b})
            if pair not in STATUS_CONFLICTS or stage_a in sb or stage_b in sa:
                continue
            first = STATUS_CONFLICTS[pair]
            timing = ""
            if first is not None and pub_a is not None and pub_b is not None:
                (early, e_pub), (late, l_pub) = (
                    ((a, pub_a), (b, pub_b)) if first == stage_a else ((b, pub_b), (a, pub_a))
                )
                if e_pub.date() < l_pub.date():
                    # Planned then, done since: the outlets disagree only because
                    # one wrote earlier. Still worth showing; say why.
                    timing = (
                        f" Likely publication timing: {early.outlet} was published "
                        f"{e_pub.date().isoformat()}, {late.outlet} {l_pub.date().isoformat()}."
                    )
            return [
                _Found(
                    kind="status",
                    a=a,
                    b=b,
                    explanation=(
                        f"{a.outlet} says it was {stage_a} (\u201c{words_a}\u201d: "
                        f"\u201c{_bare(a.claim.text)}\u201d); {b.outlet} says it was {stage_b} "
                        f"(\u201c{words_b}\u201d: \u201c{_bare(b.claim.text)}\u201d).{timing}"
                    ),
                    values=frozenset({f"{a.outlet}:{stage_a}", f"{b.outlet}:{stage_b}"}),
                )
            ]
    return []


#: Claim statuses (:mod:`storyscope.analyze.roles`) telling of an event still ahead.
_AHEAD_STATUS = frozenset({"planned", "expected"})
#: An event still ahead told by a cue and its verb anywhere in a claim, where the parse gives
#: the claim's main verb another status ("Trump said he's prepared to sign a bill").
_AHEAD_CUE = re.compile(
    r"\b(?:expected|scheduled|set|poised|slated|due|prepared|preparing|planning|plans?|intends?|"
    r"vow(?:s|ed)?|pledged?|promised?|ready|going)\s+to\s+(?:be\s+)?([a-z]+)",
    re.IGNORECASE,
)
#: Past tenses that are not the verb plus -ed.
_PAST_FORMS: dict[str, tuple[str, ...]] = {
    "make": ("made",),
    "take": ("took", "taken"),
    "hold": ("held",),
    "win": ("won",),
    "meet": ("met",),
    "become": ("became",),
    "give": ("gave", "given"),
    "go": ("went", "gone"),
    "run": ("ran",),
    "leave": ("left",),
    "send": ("sent",),
    "speak": ("spoke", "spoken"),
    "begin": ("began", "begun"),
    "choose": ("chose", "chosen"),
    "put": ("put",),
    "set": ("set",),
}


def _ahead_by_cue(ref: ClaimRef, quotes: Sequence[Quote]) -> str | None:
    """The verb an unquoted cue ("is expected to", "prepared to") puts ahead in a claim."""
    for m in _AHEAD_CUE.finditer(ref.claim.text):
        start = ref.claim.start + m.start()
        if not _in_quote(quotes, start, ref.claim.start + m.end()):
            return m.group(1).lower()
    return None


def _past_form(ref: ClaimRef, verb: str, quotes: Sequence[Quote]) -> str | None:
    """The past tense of ``verb`` said in a claim in its own words ("signed"), if any."""
    forms = _PAST_FORMS.get(verb, ()) + (
        (verb + "d",) if verb.endswith("e") else (verb + "ed", verb + verb[-1] + "ed")
    )
    rx = re.compile(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b", re.IGNORECASE)
    for m in rx.finditer(ref.claim.text):
        if not _in_quote(quotes, ref.claim.start + m.start(), ref.claim.start + m.end()):
            return m.group(0)
    return None


def _preview_by_cue(a: ClaimRef, b: ClaimRef, table: ClaimTable) -> tuple[ClaimRef, ClaimRef, str] | None:
    """(the claim ahead, the claim done, the verb) when one claim puts a verb ahead by a cue and
    the other, with no cue of its own, tells that verb in the past tense."""
    qa = _marked(table.articles[a.doc].quotes)
    qb = _marked(table.articles[b.doc].quotes)
    for ahead, done, q_ahead, q_done in ((a, b, qa, qb), (b, a, qb, qa)):
        verb = _ahead_by_cue(ahead, q_ahead)
        if verb is None or len(verb) < 3 or _ahead_by_cue(done, q_done) is not None:
            continue
        if _past_form(done, verb, q_done) is not None:
            return ahead, done, verb
    return None


def _check_preview(
    a: ClaimRef, b: ClaimRef, table: ClaimTable, *, roles: bool = True
) -> list[_Found]:
    """One outlet previews an event ("he'll make the announcement"), another reports it done
    ("he made the announcement").

    Only claims the grouping put in one fact, neither negated: the clause roles
    (status, predicate) say what the status-word check cannot see, a future or
    scheduled verb against its past tense with the same main verb. Where the
    parse gives the main verb another status ("Trump said he's prepared to sign
    a bill" is done: said), an unquoted cue and its verb ("prepared to sign")
    against that verb's past tense in the other claim ("signed it on Friday
    night"), the other claim having no cue of its own, count too. Most such
    pairs come from publication timing; the explanation says so, with the dates
    when both are known. With ``roles`` False only the cue is read (pairs of one
    fact whose wording is too far apart for the role checks).
    """
    if _says_not(a) or _says_not(b):
        return []
    sa, sb = a.claim.status, b.claim.status
    verb = None
    if not roles:
        ahead = done = None
    elif sa in _AHEAD_STATUS and sb == "done":
        ahead, done = a, b
    elif sb in _AHEAD_STATUS and sa == "done":
        ahead, done = b, a
    else:
        ahead = done = None
    if ahead is not None and done is not None:
        pa, pb = ahead.claim.predicate, done.claim.predicate
        if pa and pb and pa.split()[0] == pb.split()[0]:
            verb = pa.split()[0]
    if verb is None:
        cue = _preview_by_cue(a, b, table)
        if cue is None:
            return []
        ahead, done, verb = cue
    assert ahead is not None and done is not None
    stage = ahead.claim.status if ahead.claim.status in _AHEAD_STATUS else "still to come"
    pub_ahead = table.articles[ahead.doc].article.published
    pub_done = table.articles[done.doc].article.published
    timing = "Likely publication timing"
    if pub_ahead is not None and pub_done is not None:
        timing += (
            f": {ahead.outlet} was published {pub_ahead.date().isoformat()}, "
            f"{done.outlet} {pub_done.date().isoformat()}"
        )
    return [
        _Found(
            kind="status",
            a=a,
            b=b,
            explanation=(
                f"{ahead.outlet} reports \u201c{verb}\u201d as {stage} "
                f"(\u201c{_bare(ahead.claim.text)}\u201d); {done.outlet} reports it done "
                f"(\u201c{_bare(done.claim.text)}\u201d). {timing}, or the plan changed."
            ),
            values=frozenset({f"{ahead.outlet}:{stage}", f"{done.outlet}:done"}),
            contests=False,
        )
    ]


def _same_period(a: ClaimRef, b: ClaimRef) -> bool:
    """Whether two claims date what they state alike: the same dates, or none on either side."""
    da = {t.value for t in a.times if t.value}
    db = {t.value for t in b.times if t.value}
    return da == db


def find_contradictions(
    table: ClaimTable,
    fact_of: Mapping[int, str | None],
    fact_size: Mapping[str, int],
    prob: np.ndarray | None = None,
    *,
    candidate_prob: float | None = None,
) -> tuple[tuple[Contradiction, ...], set[str]]:
    """Find number, date, polarity, entity and status contradictions between claims.

    Args:
        table: The story's claim table.
        fact_of: Claim row -> id of the fact it belongs to (``None`` if the
            claim's group was dropped as trivial).
        fact_size: Fact id -> number of outlets supporting it.
        prob: The learned pair probabilities (:func:`~storyscope.align._pairs.pair_probability`);
            pairs at :data:`CANDIDATE_PROB` or above are compared too, whatever
            their wording (two outlets telling one figure in different sentences).
        candidate_prob: Overrides :data:`CANDIDATE_PROB`.

    Returns:
        The contradictions (deduplicated per fact, kind, outlet pair and
        values) and the ids of the facts they make contested.
    """
    n = len(table.refs)
    if n < 2:
        return (), set()
    sure_prob = CANDIDATE_PROB if candidate_prob is None else candidate_prob
    codes: dict[str, int] = {}
    groups = np.asarray(
        [codes.setdefault(fid, len(codes)) if (fid := fact_of.get(i)) else -1 - i for i in range(n)]
    )
    same_fact = groups[:, None] == groups[None, :]
    loose = (table.cosine >= LOOSE_COSINE) & (table.shared_key | (table.jaccard >= LOOSE_JACCARD))
    cand = same_fact | loose
    if prob is not None:
        cand |= prob >= sure_prob
    quotes = [_marked(doc.quotes) for doc in table.articles]
    # Claims dating one past verb to a weekday: linked pairs are compared
    # whatever their wording ("comments published Saturday" / "an interview
    # published Sunday" around a long quotation share few words).
    dated: dict[str, list[int]] = {}
    for row, ref in enumerate(table.refs):
        if _WEEKDAY_HINT.search(ref.claim.text):
            for verb in event_days(ref, quotes[ref.doc]):
                dated.setdefault(verb, []).append(row)
    day_pairs: set[tuple[int, int]] = set()
    if prob is not None:
        for rows in dated.values():
            for x, i in enumerate(rows):
                for j in rows[x + 1 :]:
                    if prob[i, j] >= EVENT_DAY_PROB:
                        day_pairs.add((min(i, j), max(i, j)))
                        cand[i, j] = cand[j, i] = True
    cand &= table.score > -1.0
    ii, jj = np.nonzero(np.triu(cand, k=1))

    look = _Lookup(table)
    seen: set[tuple[object, ...]] = set()
    out: list[tuple[tuple[int, int, int, int], Contradiction]] = []
    contested: set[str] = set()
    priority = {"number": 0, "date": 1, "polarity": 2, "entity": 3, "status": 4}
    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
        a, b = table.refs[i], table.refs[j]
        if a.outlet == b.outlet:
            continue
        # Claims of one fact are compared leniently only when their wording is
        # close too: the learned grouping also joins looser paraphrases, whose
        # dates and names may play different roles.
        in_fact = bool(same_fact[i, j]) and float(table.score[i, j]) >= IN_FACT_MIN_SCORE
        # A pair the learned scorer is confident about compares its amounts
        # leniently too, when both claims are about one period: "$139 million from
        # 2007 to 2014" and "nearly $10 million in 2013" count different things.
        sure = prob is not None and float(prob[i, j]) >= sure_prob and _same_period(a, b)
        cos, jac = float(table.cosine[i, j]), float(table.jaccard[i, j])
        found: list[_Found] = []
        if a.quantities and b.quantities and (in_fact or sure or cos >= NUMBER_COSINE):
            found += _check_numbers(a, b, table, in_fact or sure)
        if a.times and b.times and (in_fact or (cos >= DATE_COSINE and jac >= DATE_JACCARD)):
            found += _check_dates(a, b, quotes, table, in_fact)
        if (i, j) in day_pairs and not any(f.kind == "date" for f in found):
            found += _check_event_day(a, b, quotes)
        polar_ok = jac >= POLARITY_JACCARD and (in_fact or cos >= POLARITY_COSINE)
        if polar_ok and a.negated != b.negated:
            found += _check_polarity(a, b, quotes)
        if in_fact or (cos >= ROLE_COSINE and jac >= ROLE_JACCARD):
            found += _check_entities(a, b, look, in_fact) or _check_namesakes(a, b, look, in_fact)
            found += _check_status(a, b, look) or (
                _check_preview(a, b, table) if same_fact[i, j] else []
            )
        elif same_fact[i, j]:
            found += _check_preview(a, b, table, roles=False)
        if not found:
            continue
        fa, fb = fact_of.get(i), fact_of.get(j)
        if in_fact or fa == fb:
            fid = fa
        else:
            cands = [f for f in (fa, fb) if f]
            fid = max(cands, key=lambda f: fact_size.get(f, 0)) if cands else None
        for item in found:
            key = (fid, item.kind, frozenset({a.outlet, b.outlet}), item.values)
            if key in seen:
                continue
            seen.add(key)
            if item.contests:
                contested.update(f for f in (fa, fb) if f)
            out.append(
                (
                    (priority[item.kind], a.doc, a.claim.start, b.doc),
                    Contradiction(
                        kind=item.kind,
                        explanation=item.explanation,
                        a=item.a.sentence,
                        b=item.b.sentence,
                        fact=fid,
                    ),
                )
            )
    for conflict in title_conflicts(table):
        a, b = table.refs[conflict.a], table.refs[conflict.b]
        key = (None, "status", frozenset({a.outlet, b.outlet}), frozenset({conflict.person}))
        if key in seen:
            continue
        seen.add(key)
        out.append(
            (
                (priority["status"], a.doc, a.claim.start, b.doc),
                Contradiction(
                    kind="status",
                    explanation=(
                        f"{a.outlet} gives {_name_in(a, conflict.person)} a current title "
                        f"(\u201c{conflict.current}\u201d); {b.outlet} a former one "
                        f"(\u201c{conflict.former}\u201d)."
                    ),
                    a=a.sentence,
                    b=b.sentence,
                    fact=None,
                ),
            )
        )
    out.sort(key=lambda x: x[0])
    return tuple(c for _, c in out), contested


def _name_in(ref: ClaimRef, surname: str) -> str:
    """The person's name as the claim's sentence prints it (its last word ``surname``)."""
    for match in re.finditer(r"[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*)*", ref.sentence.text):
        words = match.group(0).split()
        if words and fold(words[-1].lower().strip(".'\u2019")) == surname:
            return match.group(0)
    return surname.title()
