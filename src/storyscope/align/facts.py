"""Facts: claims from different articles that state the same thing, grouped.

Pairs of claims from different articles are scored (see
:mod:`storyscope.align._claims`: sentence-embedding cosine plus content-word
Jaccard plus a bonus for a shared number or entity); mutual best matches that
share rare words get a bonus (:func:`affinity`). Pairs above
:data:`LINK_THRESHOLD` are merged greedily, best first, into groups; two groups
merge only if their *average* pair score stays above :data:`AVERAGE_THRESHOLD`
and *every* cross pair scores at least :data:`MIN_MEMBER_SCORE`, so one fact can
never absorb unrelated claims by chaining. A group holds at most one claim per
article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from storyscope.align._claims import ClaimTable, stable_id
from storyscope.align._text import load_paraphrases, stem, words
from storyscope.model import AnalyzedArticle, Citation, Fact, Story

__all__ = [
    "AVERAGE_THRESHOLD",
    "LINK_THRESHOLD",
    "MIN_MEMBER_SCORE",
    "MUTUAL_BONUS",
    "MUTUAL_FLOOR",
    "MUTUAL_MIN_OVERLAP",
    "affinity",
    "build_facts",
    "slot_swap",
    "covered_elsewhere",
    "fact_id",
    "group_claims",
    "independent_support",
    "shared_sources",
    "support_notes",
]

#: Pair score from which two claims of different articles may state the same thing.
#: Tuned on the invented examples and tests: paraphrases score 0.6-0.9 (MiniLM),
#: different statements about the same event 0.25-0.5.
LINK_THRESHOLD = 0.55
#: Minimum average pair score inside a merged group.
AVERAGE_THRESHOLD = 0.55
#: Minimum score of every pair inside a merged group (anti-chaining).
MIN_MEMBER_SCORE = 0.45
#: Outlets paraphrase ("the city has long funded the shelter" / "the council
#: already pays for the shelter"), so a true pair often scores just under
#: :data:`LINK_THRESHOLD`. A pair whose two claims are each other's best match
#: in the other article (mutual nearest neighbours), that scores at least
#: :data:`MUTUAL_FLOOR` and whose rarity-weighted word overlap reaches
#: :data:`MUTUAL_MIN_OVERLAP` gets :data:`MUTUAL_BONUS` added for grouping.
#: On BASIL (30 events) this lifts coverage from 0.185 to 0.208 (0.172 -> 0.194
#: and 0.129 -> 0.159 on two held-out 20-event subsets) with no foreign-event
#: merge and no new contradiction; mutual pairs of another event's article
#: reach a weighted overlap of only 0.13 and a score of 0.39.
MUTUAL_BONUS = 0.1
#: See :data:`MUTUAL_BONUS`.
MUTUAL_FLOOR = 0.45
#: See :data:`MUTUAL_BONUS`.
MUTUAL_MIN_OVERLAP = 0.2
#: An article with a claim whose mean score to a fact's members reaches this
#: probably reports the fact in other words: it is not counted as leaving it out.
COVER_THRESHOLD = 0.42


#: Words after which a swapped word is taken to head a noun phrase ("the shelter").
_DETERMINERS = frozenset(["the", "a", "an", "its", "their", "his", "her", "this", "that", "our"])


def slot_swap(a: str, b: str) -> tuple[str, str] | None:
    """The two nouns when ``a`` and ``b`` differ only by one swapped noun, else None.

    "The city funds the shelter on Elm Street." / "The city funds the library
    on Elm Street." look alike to every similarity measure but state different
    things. Two claims are a slot swap when their word sequences have the same
    length and differ at exactly one position, both words there are lower-case
    (not a name: a different place or person is a contradiction to report),
    not numbers (a different figure is one too), follow a determiner, and are
    not the same word or paraphrases of each other (``data/paraphrases.toml``).

    Args:
        a: One claim's text.
        b: The other's.

    Returns:
        The swapped words, as written, or None.
    """
    wa, wb = words(a), words(b)
    if len(wa) != len(wb) or len(wa) < 3:
        return None
    diff = [i for i, (x, y) in enumerate(zip(wa, wb, strict=True)) if x.lower() != y.lower()]
    if len(diff) != 1:
        return None
    i = diff[0]
    x, y = wa[i], wb[i]
    if i == 0 or wa[i - 1].lower() not in _DETERMINERS:
        return None
    if not (x.isalpha() and y.isalpha() and x.islower() and y.islower()):
        return None
    sx, sy = stem(x), stem(y)
    if sx == sy:
        return None
    lex = load_paraphrases()
    if lex.words.get(sx, sx) == lex.words.get(sy, sy):
        return None
    return x, y


def affinity(table: ClaimTable) -> npt.NDArray[np.float32]:
    """Pair scores used for grouping: :attr:`ClaimTable.score` plus :data:`MUTUAL_BONUS`.

    The bonus goes to pairs that are each other's best match in the other's
    article (mutual nearest neighbours), score at least :data:`MUTUAL_FLOOR`
    and share rare words (weighted Jaccard at least :data:`MUTUAL_MIN_OVERLAP`).
    Pairs that
    differ only by one swapped noun (:func:`slot_swap`) are held below
    :data:`MIN_MEMBER_SCORE`, so they never share a fact.

    Args:
        table: The story's claim table.

    Returns:
        An ``(n, n)`` matrix (``-1`` stays on same-article pairs).
    """
    score = table.score
    n = score.shape[0]
    if not n:
        return score
    docs = np.asarray([r.doc for r in table.refs])
    best = np.zeros((n, n), dtype=bool)
    for d in np.unique(docs):
        cols = np.nonzero(docs == d)[0]
        sub = score[:, cols]
        arg = cols[np.argmax(sub, axis=1)]
        best[np.arange(n), arg] = True
    mutual = (
        best & best.T & (score >= MUTUAL_FLOOR) & (table.weighted_jaccard >= MUTUAL_MIN_OVERLAP)
    )
    out = np.where(mutual, score + MUTUAL_BONUS, score).astype(np.float32)
    ii, jj = np.nonzero(np.triu(out >= MIN_MEMBER_SCORE, k=1))
    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
        if slot_swap(table.refs[i].claim.text, table.refs[j].claim.text) is not None:
            out[i, j] = out[j, i] = MIN_MEMBER_SCORE - 0.05
    return out


def group_claims(table: ClaimTable) -> list[list[int]]:
    """Group claim rows that state the same thing.

    Args:
        table: The story's claim table.

    Returns:
        Groups of row indices (every row appears in exactly one group), each
        sorted by article order then position.
    """
    n = len(table.refs)
    score = affinity(table)
    parent = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    docs: dict[int, set[int]] = {i: {table.refs[i].doc} for i in range(n)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if n:
        ii, jj = np.nonzero(np.triu(score >= LINK_THRESHOLD, k=1))
        order = np.argsort(-score[ii, jj], kind="stable")
        for k in order:
            a, b = find(int(ii[k])), find(int(jj[k]))
            if a == b or docs[a] & docs[b]:
                continue
            block = score[np.ix_(members[a], members[b])]
            if block.min() < MIN_MEMBER_SCORE or block.mean() < AVERAGE_THRESHOLD:
                continue
            parent[b] = a
            members[a].extend(members.pop(b))
            docs[a] |= docs.pop(b)
    groups = [
        sorted(rows, key=lambda r: (table.refs[r].doc, table.refs[r].claim.start))
        for root, rows in members.items()
        if find(root) == root
    ]
    return groups


def fact_id(table: ClaimTable, rows: Iterable[int]) -> str:
    """Stable id of the fact made of claim ``rows``: ``"f-"`` + SHA-1 of sorted claim ids."""
    return stable_id("f-", [table.refs[r].claim.id for r in rows])


def medoid(table: ClaimTable, rows: Sequence[int]) -> int:
    """The member with the highest total score to the other members."""
    if len(rows) == 1:
        return rows[0]
    block = table.score[np.ix_(rows, rows)].copy()
    np.fill_diagonal(block, 0.0)
    return rows[int(np.argmax(block.sum(axis=1)))]


def build_facts(
    table: ClaimTable, groups: Sequence[Sequence[int]], contested: Iterable[str] = ()
) -> tuple[Fact, ...]:
    """Turn claim groups into :class:`Fact` records.

    Groups made only of trivial claims (fewer than five words: "Obama said.") are dropped.

    Args:
        table: The story's claim table.
        groups: Output of :func:`group_claims`.
        contested: Ids of facts that a contradiction links.

    Returns:
        Facts ordered by number of outlets (most first), then by first appearance.
    """
    contested_ids = set(contested)
    keyed: list[tuple[tuple[int, int, int], Fact]] = []
    for rows in groups:
        refs = [table.refs[r] for r in rows]
        if all(ref.trivial for ref in refs):
            continue
        fid = fact_id(table, rows)
        support: list[Citation] = []
        for ref in refs:
            if ref.sentence not in support:
                support.append(ref.sentence)
        outlets = tuple(dict.fromkeys(ref.outlet for ref in refs))
        if fid in contested_ids:
            status = "contested"
        elif len(outlets) >= 2:
            status = "consensus"
        else:
            status = "single_source"
        fact = Fact(
            id=fid,
            statement=table.refs[medoid(table, rows)].claim.text,
            status=status,  # type: ignore[arg-type]
            support=tuple(support),
            outlets=outlets,
            claims=tuple(ref.claim.id for ref in refs),
        )
        first = min((ref.doc, ref.claim.start) for ref in refs)
        keyed.append(((-len(outlets), first[0], first[1]), fact))
    keyed.sort(key=lambda item: item[0])
    return tuple(f for _, f in keyed)


def covered_elsewhere(table: ClaimTable, groups: Sequence[Sequence[int]]) -> set[tuple[str, str]]:
    """``(article id, fact id)`` pairs where an article outside a fact has a near-match.

    Used to avoid reporting an omission when an article says the same thing in
    words too different to join the fact.

    Args:
        table: The story's claim table.
        groups: Output of :func:`group_claims`.

    Returns:
        The covered pairs.
    """
    out: set[tuple[str, str]] = set()
    if not table.refs:
        return out
    docs = np.asarray([r.doc for r in table.refs])
    for rows in groups:
        if len(rows) < 2:
            continue
        mean = table.score[:, list(rows)].mean(axis=1)
        inside = {table.refs[r].doc for r in rows}
        fid = fact_id(table, rows)
        for d in set(docs.tolist()) - inside:
            if float(mean[docs == d].max()) >= COVER_THRESHOLD:
                out.add((table.articles[d].id, fid))
    return out


# --- independent support ----------------------------------------------------------------

#: Words of a reliance phrase that are not the name of the source relied on.
_RELIANCE_WORDS = frozenset(
    [
        "according",
        "to",
        "reported",
        "by",
        "first",
        "as",
        "told",
        "speaking",
        "in",
        "an",
        "interview",
        "with",
        "quoted",
        "cited",
        "citing",
        "reports",
        "report",
        "reported",
        "revealed",
        "reveals",
        "said",
        "says",
        "wrote",
        "writes",
        "obtained",
        "has",
        "learned",
        "the",
        "a",
        "an",
    ]
)
_WORD = re.compile(r"[\w'\u2019-]+")


def _source_key(phrase: str) -> str:
    return " ".join(w for w in _WORD.findall(phrase.casefold()) if w not in _RELIANCE_WORDS)


def _outlet_key(outlet: str) -> str:
    return " ".join(w for w in _WORD.findall(outlet.casefold()) if w not in {"the"})


def _relied_on(fact: Fact, story: Story) -> dict[str, str]:
    """Outlet -> the news organisation its supporting sentences cite for the fact.

    Only outlets whose every supporting sentence cites one and the same
    organisation ("according to a wire agency", "Reuters reported") appear.
    """
    from storyscope.align.sourcing import find_media_reliance

    docs: dict[str, AnalyzedArticle] = {d.id: d for d in story.articles}
    outlets = tuple(dict.fromkeys(d.article.outlet for d in story.articles))
    own_keys = {_outlet_key(o): o for o in outlets}
    phrases: dict[str, tuple[Citation, ...]] = {}
    out: dict[str, str] = {}
    per_outlet: dict[str, set[str | None]] = {}
    for cite in fact.support:
        doc = docs.get(cite.article)
        if doc is None:
            continue
        if doc.id not in phrases:
            phrases[doc.id] = find_media_reliance(doc, outlets=outlets)
        keys: set[str | None] = {
            _source_key(p.text)
            for p in phrases[doc.id]
            if cite.start <= p.start and p.end <= cite.end
        }
        keys.discard("")
        per_outlet.setdefault(doc.article.outlet, set()).update(keys or {None})
    for outlet, keys in per_outlet.items():
        if len(keys) == 1 and None not in keys:
            key = next(iter(keys))
            assert key is not None
            # "according to Coastline Wire": the wire's own report, if it is in the story.
            out[outlet] = own_keys.get(key, key)
    return out


def shared_sources(fact: Fact, story: Story) -> dict[str, tuple[str, ...]]:
    """News organisations that two or more of a fact's outlets rely on for it.

    Args:
        fact: A fact of ``story``.
        story: The story.

    Returns:
        Source (an outlet of the story, or the organisation's name as cited,
        lower case) -> the outlets that only repeat it (and the source itself
        when it is one of the fact's outlets), for sources with two or more.

    Raises:
        ConfigError: The packaged source rules cannot be loaded.
    """
    relied = _relied_on(fact, story)
    lines: dict[str, list[str]] = {}
    for outlet in fact.outlets:
        key = relied.get(outlet, outlet)
        lines.setdefault(key, []).append(outlet)
    return {k: tuple(v) for k, v in lines.items() if len(v) >= 2}


def independent_support(fact: Fact, story: Story) -> int:
    """Independent lines of evidence for a fact: outlets, with those citing one source counted once.

    Two outlets that both say "according to a wire agency" (or "Reuters
    reported") for the fact are one line of evidence; so are a wire in the
    story and the outlets that cite it.

    Args:
        fact: A fact of ``story``.
        story: The story.

    Returns:
        Between 1 and ``len(fact.outlets)`` (0 for a fact without outlets).

    Raises:
        ConfigError: The packaged source rules cannot be loaded.
    """
    relied = _relied_on(fact, story)
    return len({relied.get(o, o) for o in fact.outlets})


def support_notes(story: Story) -> tuple[str, ...]:
    """One line per fact whose outlets are fewer independent sources than they look.

    Args:
        story: The story.

    Returns:
        Notes such as ``'2 outlets but 1 independent source for "..." (Harbor
        Courier and Daily Lantern both cite a wire agency)'``, in fact order.

    Raises:
        ConfigError: The packaged source rules cannot be loaded.
    """
    notes: list[str] = []
    for fact in story.facts:
        if len(fact.outlets) < 2:
            continue
        shared = shared_sources(fact, story)
        if not shared:
            continue
        n = independent_support(fact, story)
        parts = [
            f"{' and '.join(outs)} {'both ' if len(outs) == 2 else 'all '}rely on {src}"
            for src, outs in shared.items()
        ]
        statement = fact.statement if len(fact.statement) <= 80 else fact.statement[:79] + "\u2026"
        notes.append(
            f"{len(fact.outlets)} outlets but {n} independent "
            f"{'source' if n == 1 else 'sources'} for \u201c{statement}\u201d ({'; '.join(parts)})"
        )
    return tuple(notes)
