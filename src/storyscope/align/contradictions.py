"""Contradictions: two outlets state incompatible numbers, dates or polarity.

Only claims that talk about the same thing are compared: claims grouped into the
same fact, or claims whose sentences are similar (cosine at least
:data:`LOOSE_COSINE`) *and* share a number, a named entity or enough content
words. Every check is structural and conservative, because a false alarm costs
as much trust as a miss:

* ``number``: exactly one quantity of the same kind and unit on each side, and
  the intervals the texts allow ("more than 40", "about 40", "$40m") do not
  overlap.
* ``date``: exactly one resolved date (or one plain duration) on each side, and
  the values are not compatible (a month contains its days; a duration with a
  range or limit word such as "within" or "between" is never compared).
* ``polarity``: near-identical claims where exactly one is negated and the word
  the negation governs appears, un-negated, in the other claim.

Attribution contradictions come from :mod:`storyscope.align.quote_variants`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyscope._words import DAY_WORDS, MONTHS, WEEKDAYS
from storyscope.align._claims import ClaimRef, ClaimTable
from storyscope.align._text import NEGATIONS, STOPWORDS, WORD_RE, norm_words, shorten, stem, words
from storyscope.model import Contradiction, Quantity, Quote, TimeExpression

__all__ = [
    "LOOSE_COSINE",
    "POLARITY_JACCARD",
    "find_contradictions",
    "format_quantity",
]

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
_BELOW_APPROX = {"almost", "nearly", "close to", "just under"}
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
_OPEN_QUESTION = frozenset({"whether", "if", "might", "may", "could", "considering"})
_CORE_DATE_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS) | DAY_WORDS
_DATE_WORDS = _CORE_DATE_WORDS | frozenset(
    ["morning", "afternoon", "evening", "night", "week", "weeks", "month", "months", "year", "years", "day", "days", "ago", "last", "next", "earlier", "later", "early", "late", "mid"]
)


@dataclass(frozen=True, slots=True)
class _Found:
    kind: str
    a: ClaimRef
    b: ClaimRef
    explanation: str
    values: frozenset[str]


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
    if low is None and high is None and v >= 1000 and float(v).is_integer():
        # A round figure may be rounded or truncated: "$43 million" for $43,885,310.
        zeros = len(str(int(v))) - len(str(int(v)).rstrip("0"))
        if zeros:
            tol = min(10.0**zeros, ROUND_TOLERANCE * v)
            return v - tol / 2, v + tol
    return (low if low is not None else v * (1 - EXACT_TOLERANCE)), (
        high if high is not None else v * (1 + EXACT_TOLERANCE)
    )


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
    return not _in_quote(doc.quotes, q.start, q.end)


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
    for key in qa_by.keys() & qb_by.keys():
        if len(qa_by[key]) != 1 or len(qb_by[key]) != 1:
            continue  # several amounts of one kind: cannot tell which matches which
        if len(sa_by.get(key, ())) > 1 or len(sb_by.get(key, ())) > 1:
            continue
        qa, qb = qa_by[key][0], qb_by[key][0]
        width = FACT_CONTEXT_WORDS if in_fact else CONTEXT_WORDS
        if table is not None and not _roles_match(
            _context(a, qa.start, qa.end, width), _context(b, qb.start, qb.end, width), in_fact
        ):
            continue  # "$43 million in federal taxes" / "$139 million in income"
        a_lo, a_hi = _interval(qa)
        b_lo, b_hi = _interval(qb)
        if a_hi < b_lo or b_hi < a_lo:
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
    head = re.split(r"[,;:\u2014]", text[: max(0, rel_start)])[-1]
    tail = re.split(r"[,;:\u2014]", text[max(0, rel_end) :])[0]
    before = words(head)[-width:]
    after: list[str] = []
    for tok in words(tail)[:width]:
        if tok.lower() in _CLAUSE_STARTS:
            break  # "... Monday that would grant ...": a new clause, about something else
        after.append(tok)
    out: set[str] = set()
    for tok in (*before, *after):
        w = tok.lower().replace("\u2019", "'")
        if tok[:1].isupper() or w.isdigit() or w in STOPWORDS or w in NEGATIONS:
            continue
        if w in _DATE_WORDS:
            continue
        out.add(stem(w))
    return frozenset(out)


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


def _negation_scope(text: str) -> tuple[str, frozenset[str]] | None:
    """Stem of the word the first negation governs, and the content stems after it."""
    toks = norm_words(text)
    for i, w in enumerate(toks):
        if w == "not" and toks[i + 1 : i + 2] == ["only"]:
            continue  # "not only ... but also" affirms
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
    for m in WORD_RE.finditer(text):
        w = m.group().lower().replace("\u2019", "'")
        if w in NEGATIONS or w.endswith("n't"):
            return m.start()
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
    if scope is None or scope[0] not in pos.terms or not (scope[1] & pos.terms):
        return []
    # "announces whether he will step down or seek a second term" affirms nothing.
    if set(norm_words(pos.claim.text)) & _OPEN_QUESTION:
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


def find_contradictions(
    table: ClaimTable,
    fact_of: Mapping[int, str | None],
    fact_size: Mapping[str, int],
) -> tuple[tuple[Contradiction, ...], set[str]]:
    """Find number, date and polarity contradictions between claims.

    Args:
        table: The story's claim table.
        fact_of: Claim row -> id of the fact it belongs to (``None`` if the
            claim's group was dropped as trivial).
        fact_size: Fact id -> number of outlets supporting it.

    Returns:
        The contradictions (deduplicated per fact, kind, outlet pair and
        values) and the ids of the facts they make contested.
    """
    n = len(table.refs)
    if n < 2:
        return (), set()
    codes: dict[str, int] = {}
    groups = np.asarray(
        [codes.setdefault(fid, len(codes)) if (fid := fact_of.get(i)) else -1 - i for i in range(n)]
    )
    same_fact = groups[:, None] == groups[None, :]
    loose = (table.cosine >= LOOSE_COSINE) & (table.shared_key | (table.jaccard >= LOOSE_JACCARD))
    cand = (same_fact | loose) & (table.score > -1.0)
    ii, jj = np.nonzero(np.triu(cand, k=1))

    quotes = [doc.quotes for doc in table.articles]
    seen: set[tuple[object, ...]] = set()
    out: list[tuple[tuple[int, int, int, int], Contradiction]] = []
    contested: set[str] = set()
    priority = {"number": 0, "date": 1, "polarity": 2}
    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
        a, b = table.refs[i], table.refs[j]
        if a.outlet == b.outlet:
            continue
        in_fact = bool(same_fact[i, j])
        cos, jac = float(table.cosine[i, j]), float(table.jaccard[i, j])
        found: list[_Found] = []
        if in_fact or cos >= NUMBER_COSINE:
            found += _check_numbers(a, b, table, in_fact)
        if in_fact or (cos >= DATE_COSINE and jac >= DATE_JACCARD):
            found += _check_dates(a, b, quotes, table, in_fact)
        polar_ok = jac >= POLARITY_JACCARD and (in_fact or cos >= POLARITY_COSINE)
        if polar_ok:
            found += _check_polarity(a, b, quotes)
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
    out.sort(key=lambda x: x[0])
    return tuple(c for _, c in out), contested
