"""Facts: claims from different articles that state the same thing, grouped.

Every pair of claims from different articles gets a probability of stating the
same fact from the learned pair scorer (:mod:`storyscope.align._pairs`, weights
in ``data/pair_scorer.json``, fitted on the BASIL alignment gold). Claims of all
articles are then clustered at once by average linkage, best first: two groups
merge while the mean probability of their cross-article pairs stays at least
:data:`GROUP_THRESHOLD` and none falls below :data:`GROUP_MEMBER_FLOOR`, so one
real fact becomes one fact and no fact absorbs unrelated claims by chaining. A
group holds at most one claim per article; facts told in fragments are then
joined (:func:`merge_fragments`, after which a fact may cite several claims of
one article), and a claim that also states another fact is cited there too
(:func:`attach_support`). Pairs that differ by one swapped noun never join
(:func:`without_slot_swaps`). See ``docs/alignment.md``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Sequence

import numpy as np
import numpy.typing as npt

from storyscope.align._claims import ClaimTable, stable_id
from storyscope.align._text import (
    content_terms,
    load_paraphrases,
    quoted_share,
    stem,
    strip_dateline,
    words,
)
from storyscope.model import AnalyzedArticle, Citation, Fact, Story

__all__ = [
    "ATTACH_SAME_THRESHOLD",
    "ATTACH_THRESHOLD",
    "COVER_THRESHOLD",
    "COVER_WORDS",
    "FRAGMENT_LINK",
    "GROUP_MEMBER_FLOOR",
    "GROUP_THRESHOLD",
    "attach_support",
    "build_facts",
    "slot_swap",
    "covered_elsewhere",
    "fact_id",
    "group_claims",
    "merge_fragments",
    "independent_support",
    "media_reliance",
    "shared_sources",
    "support_notes",
    "without_slot_swaps",
]

#: Least mean pair probability (learned pair scorer) over the cross-article pairs
#: of two groups for them to merge into one fact. Chosen by leave-events-out
#: cross-validation on the BASIL gold (``eval/train_pair_scorer.py``).
GROUP_THRESHOLD = 0.95
#: Hand-set pair score (:attr:`ClaimTable.score`, 0.6 cosine + 0.4 word overlap)
#: from which two claims link as near-verbatim, if the learned probability is at
#: least :data:`LEXICAL_LINK_MIN_PROB` (precision 0.94 on the BASIL gold alone).
LEXICAL_LINK = 0.55
#: See :data:`LEXICAL_LINK`.
LEXICAL_LINK_MIN_PROB = 0.5
#: Least pair probability of every cross-article pair inside a fact (anti-chaining).
GROUP_MEMBER_FLOOR = 0.6
#: Mean pair probability to a fact's members from which a claim already in
#: another fact also supports this one (:func:`attach_support`).
ATTACH_THRESHOLD = 0.95
#: Mean pair probability to a fact's members from the other articles at which
#: a second sentence of an article already in the fact is cited as well.
ATTACH_SAME_THRESHOLD = 0.99
#: Whether grouping puts at most one claim per article in a fact (before
#: :func:`merge_fragments` and :func:`attach_support`, which may cite a second one).
ONE_CLAIM_PER_ARTICLE = True
#: Pair probability of the strongest link between two facts of several outlets at
#: which they are one fact told in fragments (:func:`merge_fragments`).
FRAGMENT_LINK = 0.98
#: An article with a claim whose mean score to a fact's members reaches this
#: probably reports the fact in other words: it is not counted as leaving it out.
COVER_THRESHOLD = 0.95
#: Share of a fact's shared wording (rarity-weighted) that one sentence of an outlet
#: outside the fact must hold for the outlet to count as stating it (BASIL gold:
#: omission precision 0.57 -> 0.68, 9 of the 10 gold omissions found kept).
COVER_WORDS = 0.5
#: Share of words in quotation marks from which a statement is a quotation.
QUOTED_STATEMENT = 0.6


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


def without_slot_swaps(
    table: ClaimTable, prob: npt.NDArray[np.floating], floor: float = 0.0
) -> npt.NDArray[np.floating]:
    """``prob`` with 0 for every pair that differs by one swapped noun (:func:`slot_swap`).

    "The city funds the shelter on Elm Street" and "... the library on Elm Street" score
    high and say different things: no step may join them (grouping, fragments,
    attachment, the omission check). Only pairs at ``floor`` or more are read.
    """
    out = np.array(prob, copy=True)
    ii, jj = np.nonzero(np.triu(out >= floor, k=1) & (out > 0))
    # A slot swap keeps the word count: only pairs of equal length can be one.
    n_words = np.asarray([len(words(r.claim.text)) for r in table.refs])
    same_len = n_words[ii] == n_words[jj]
    ii, jj = ii[same_len], jj[same_len]
    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
        if slot_swap(table.refs[i].claim.text, table.refs[j].claim.text) is not None:
            out[i, j] = out[j, i] = 0.0
    return out


def group_claims(
    table: ClaimTable,
    *,
    threshold: float | None = None,
    member_floor: float | None = None,
    one_per_article: bool | None = None,
    prob: npt.NDArray[np.float32] | None = None,
) -> list[list[int]]:
    """Group claim rows that state the same thing, across all articles at once.

    Pairs of claims are scored by the learned pair scorer
    (:func:`storyscope.align._pairs.pair_probability`); groups are then merged by
    average linkage, best first, while the mean probability over the groups'
    cross-article pairs stays at least :data:`GROUP_THRESHOLD` and no such pair
    falls below :data:`GROUP_MEMBER_FLOOR` (so one fact cannot absorb unrelated
    claims by chaining). Pairs that differ only by one swapped noun
    (:func:`slot_swap`) never share a group. With
    :data:`ONE_CLAIM_PER_ARTICLE` false, a fact may cite several claims of
    one article (a headline and the lead that repeats it).

    Args:
        table: The story's claim table.
        threshold: Overrides :data:`GROUP_THRESHOLD`.
        member_floor: Overrides :data:`GROUP_MEMBER_FLOOR`.
        one_per_article: Overrides :data:`ONE_CLAIM_PER_ARTICLE`.
        prob: The pair probabilities, if already computed.

    Returns:
        Groups of row indices (every row appears in exactly one group), each
        sorted by article order then position.

    Raises:
        ConfigError: The packaged pair scorer cannot be loaded.
    """
    from storyscope.align._pairs import pair_probability

    tau = GROUP_THRESHOLD if threshold is None else threshold
    floor = GROUP_MEMBER_FLOOR if member_floor is None else member_floor
    single = ONE_CLAIM_PER_ARTICLE if one_per_article is None else one_per_article
    n = len(table.refs)
    if not n:
        return []
    prob = (pair_probability(table) if prob is None else prob).astype(np.float64)
    # Near-verbatim pairs (hand-set score at least LEXICAL_LINK) the model does
    # not reject link whatever the learned score says: the learned score leans on
    # story-level evidence (ranks, rarity, position) that a two-sentence brief
    # cannot give.
    close = (table.score >= LEXICAL_LINK) & (prob >= LEXICAL_LINK_MIN_PROB)
    prob = without_slot_swaps(table, np.where(close, np.maximum(prob, tau), prob), floor)
    docs = np.asarray([r.doc for r in table.refs])
    cross = docs[:, None] != docs[None, :]
    total = np.where(cross, prob, 0.0)
    count = cross.astype(np.float64)
    low = np.where(cross, prob, np.inf)
    n_docs = int(docs.max()) + 1
    has = np.zeros((n, n_docs), dtype=bool)
    has[np.arange(n), docs] = True
    alive = np.ones(n, dtype=bool)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}

    def candidates(rows: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """Merge scores of groups ``rows`` with every group (-inf: may not merge)."""
        cnt = count[rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            link = np.where(cnt > 0, total[rows] / np.maximum(cnt, 1e-9), -1.0)
        ok = (link >= tau) & (low[rows] >= floor) & alive[None, :] & alive[rows][:, None]
        if single:
            ok &= ~((has[rows].astype(np.int32) @ has.T.astype(np.int32)) > 0)
        ok[np.arange(len(rows)), rows] = False
        return np.where(ok, link, -np.inf)

    # Only the merged group's row and column change at each step: keep the
    # candidate matrix and update that row and column (same merges, same order).
    cand = candidates(np.arange(n))
    while True:
        flat = int(np.argmax(cand))
        x, y = divmod(flat, n)
        if not np.isfinite(cand[x, y]):
            break
        a, b = (x, y) if x < y else (y, x)
        total[a] += total[b]
        total[:, a] = total[a]
        count[a] += count[b]
        count[:, a] = count[a]
        low[a] = np.minimum(low[a], low[b])
        low[:, a] = low[a]
        total[a, a] = count[a, a] = 0.0
        low[a, a] = np.inf
        has[a] |= has[b]
        alive[b] = False
        total[b] = total[:, b] = 0.0
        count[b] = count[:, b] = 0.0
        cand[b] = cand[:, b] = -np.inf
        row = candidates(np.asarray([a]))[0]
        cand[a] = row
        cand[:, a] = row
        members[a].extend(members.pop(b))
    return [
        sorted(rows, key=lambda r: (table.refs[r].doc, table.refs[r].claim.start))
        for rows in members.values()
    ]


def merge_fragments(
    table: ClaimTable,
    groups: Sequence[Sequence[int]],
    prob: npt.NDArray[np.float32],
    *,
    threshold: float | None = None,
    pinned: Collection[int] = (),
) -> list[list[int]]:
    """Join facts of several outlets that are one fact told in fragments.

    Grouping keeps one claim per article in a fact and links groups by the mean
    probability of all their cross-article pairs, so one fact that an outlet
    tells in two sentences (or that two outlets each tell in two) comes out as
    two facts sharing an outlet: {Fox, NYT} and {NYT, HuffPost}; and the third
    outlet's sentence, too far in wording from one of the two, stays on its own.
    Two facts whose strongest cross-article pair reaches :data:`FRAGMENT_LINK` are
    joined, strongest link first, when both hold two or more articles, or when one
    is a single article's claim and the other lacks its outlet (the joined fact may
    cite two claims of one article). On the BASIL gold, 89% of the pairs of facts
    of several outlets linked at 0.978 or more share a gold fact (18% of all such
    pairs do).

    Args:
        table: The story's claim table.
        groups: Output of :func:`group_claims`.
        prob: The pair probabilities.
        threshold: Overrides :data:`FRAGMENT_LINK`.
        pinned: Indices of groups that stay as they are (the align stage pins the
            facts a contradiction points at).

    Returns:
        The groups after joining (every row in exactly one), each sorted by
        article order then position; groups not joined keep their order.
    """
    tau = FRAGMENT_LINK if threshold is None else threshold
    docs = np.asarray([r.doc for r in table.refs])
    outlets = [{table.refs[r].outlet for r in rows} for rows in groups]
    wide = [len({int(docs[r]) for r in rows}) >= 2 for rows in groups]
    keep_apart = set(pinned)
    joinable = [
        k
        for k, rows in enumerate(groups)
        if rows and k not in keep_apart and not all(table.refs[r].trivial for r in rows)
    ]
    links: list[tuple[float, int, int]] = []
    if len(joinable) >= 2:
        # The strongest cross-article pair of every two groups, in two reductions over
        # the rows laid out group by group (no loop over pairs of groups).
        order = np.asarray([r for k in joinable for r in groups[k]], dtype=np.int64)
        starts = np.cumsum([0] + [len(groups[k]) for k in joinable[:-1]])
        block = prob[np.ix_(order, order)]
        block = np.where(docs[order][:, None] != docs[order][None, :], block, 0.0)
        strongest = np.maximum.reduceat(np.maximum.reduceat(block, starts, axis=0), starts, axis=1)
        for x, y in zip(*np.nonzero(np.triu(strongest >= tau, k=1)), strict=True):
            a, b = joinable[int(x)], joinable[int(y)]
            if _may_join(wide[a], outlets[a], wide[b], outlets[b]):
                links.append((float(strongest[x, y]), a, b))
    parent = list(range(len(groups)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    joined: dict[int, list[int]] = {k: list(rows) for k, rows in enumerate(groups)}
    # Strongest first; ties by group order, so the result never depends on set order.
    for _, a, b in sorted(links, key=lambda t: (-t[0], t[1], t[2])):
        ra, rb = root(a), root(b)
        # (the facts joined so far: one told by a single outlet, in one article or several,
        # joins only a fact that lacks that outlet)
        if ra == rb or (min(len(outlets[ra]), len(outlets[rb])) < 2 and outlets[ra] & outlets[rb]):
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        joined[keep] = joined[keep] + joined.pop(gone)
        outlets[keep] = outlets[keep] | outlets[gone]
    return [
        sorted(rows, key=lambda r: (table.refs[r].doc, table.refs[r].claim.start))
        for rows in joined.values()
    ]


def _may_join(wide_a: bool, outlets_a: set[str], wide_b: bool, outlets_b: set[str]) -> bool:
    """Two facts may join when both hold several articles, or when one is a single
    article's claim and the other lacks its outlet."""
    if wide_a and wide_b:
        return True
    if not wide_a and not wide_b:
        return False  # two lone claims: grouping's call
    return not outlets_a & outlets_b


def attach_support(
    table: ClaimTable,
    groups: Sequence[Sequence[int]],
    prob: npt.NDArray[np.float32],
    *,
    threshold: float | None = None,
    same_article: bool = True,
    same_threshold: float | None = None,
) -> list[list[int]]:
    """Let a claim support a second fact when it states it too.

    A sentence often states two facts at once ("X, who represented the 27th
    District, resigned Friday"); grouping puts each claim in one fact. For every
    fact of two or more outlets and every article outside it, the article's
    claim with the highest mean pair probability to the fact's members joins
    the fact's support when that mean reaches :data:`ATTACH_THRESHOLD` and no
    pair with a member falls below :data:`GROUP_MEMBER_FLOOR`.

    With ``same_article``, an article already in the fact may also cite a
    second sentence (its headline and its lead; a dense lead that also states a
    later fact): the article's best other claim, judged only against the
    fact's members from the other articles, when its mean there reaches
    :data:`ATTACH_SAME_THRESHOLD`. On the BASIL gold 89% of such citations
    state the fact (fact members: 85%); at 0.97 only 73% do.

    Args:
        table: The story's claim table.
        groups: Output of :func:`group_claims`.
        prob: The pair probabilities.
        threshold: Overrides :data:`ATTACH_THRESHOLD`.
        same_article: Also cite a second sentence of an article in the fact.
        same_threshold: Overrides :data:`ATTACH_SAME_THRESHOLD`.

    Returns:
        Per group (same order), the rows attached to it (rows of other groups).
    """
    tau = ATTACH_THRESHOLD if threshold is None else threshold
    tau_same = ATTACH_SAME_THRESHOLD if same_threshold is None else same_threshold
    out: list[list[int]] = [[] for _ in groups]
    if not table.refs:
        return out
    docs = np.asarray([r.doc for r in table.refs])
    trivial = np.asarray([r.trivial for r in table.refs])
    for rows, extra in zip(groups, out, strict=True):
        rows = list(rows)
        inside = {int(docs[r]) for r in rows}
        if len(inside) < 2:
            continue
        block = prob[:, rows]
        mean = block.mean(axis=1)
        low = block.min(axis=1)
        for d in sorted(set(docs.tolist()) - inside):
            cand = np.nonzero((docs == d) & ~trivial)[0]
            if not len(cand):
                continue
            best = int(cand[np.argmax(mean[cand])])
            if mean[best] >= tau and low[best] >= GROUP_MEMBER_FLOOR:
                extra.append(best)
        if not same_article:
            continue
        # A second sentence of an article inside the fact that states it too
        # (the headline and the lead; a lead that also holds a later fact),
        # judged against the fact's members from the other articles.
        cited = {table.refs[r].sentence.start for r in rows}
        for d in sorted(inside):
            others = [r for r in rows if docs[r] != d]
            block = prob[:, others]
            mean_d = block.mean(axis=1)
            low_d = block.min(axis=1)
            cand = np.asarray(
                [
                    c
                    for c in np.nonzero((docs == d) & ~trivial)[0].tolist()
                    if c not in rows and table.refs[c].sentence.start not in cited
                ],
                dtype=np.int64,
            )
            if not len(cand):
                continue
            best = int(cand[np.argmax(mean_d[cand])])
            if mean_d[best] >= tau_same and low_d[best] >= GROUP_MEMBER_FLOOR:
                extra.append(best)
    return out


def fact_id(table: ClaimTable, rows: Iterable[int]) -> str:
    """Stable id of the fact made of claim ``rows``: ``"f-"`` + SHA-1 of sorted claim ids."""
    return stable_id("f-", [table.refs[r].claim.id for r in rows])


#: Statuses that tell of an event still ahead ("is expected to approve").
_AHEAD = frozenset({"planned", "expected", "possible"})
#: Statuses that tell of an event that happened or is under way ("approved", "is running").
_HAPPENED = frozenset({"done", "ongoing"})
_WORD = re.compile(r"[A-Za-z]+")
#: Words that leave a statement's subject to the sentences around it.
_PRONOUNS = frozenset({"he", "she", "they", "it", "his", "her", "their", "its", "we", "i", "this"})


def wording_flaws(table: ClaimTable, row: int, rows: Sequence[int]) -> float:
    """How poorly claim ``row`` states its fact on its own, among the fact's ``rows``.

    Counted: a preview ("is expected to approve") when another member reports
    the event as done or under way ("approved", "is running"); a quotation when another member
    reports it in an outlet's own words; a headline in title case; a subject left
    to a pronoun ("He said ..."); each loaded word ("slammed", "radical"); a
    hedge; a claim too short to stand alone.
    """
    from storyscope.align.loaded_language import load_loaded_lexicon, match_terms

    ref = table.refs[row]
    claim = ref.claim
    members = [table.refs[r].claim for r in rows]
    flaws = 0.0
    if claim.status in _AHEAD and any(m.status in _HAPPENED for m in members):
        flaws += 2.0
    quoted = quoted_share(claim.text) >= QUOTED_STATEMENT
    if quoted and any(quoted_share(m.text) < QUOTED_STATEMENT for m in members):
        flaws += 2.0
    tokens = _WORD.findall(strip_dateline(claim.text)[1])
    if tokens and tokens[0].lower() in _PRONOUNS:
        flaws += 1.0
    if len(tokens) >= 4 and sum(t[0].isupper() for t in tokens) >= 0.7 * len(tokens):
        flaws += 1.0  # "Chris Christie Announces He's Running": a headline
    if not quoted:
        flaws += float(len(match_terms(claim.text, load_loaded_lexicon())))
    if claim.hedged:
        flaws += 0.5
    if not quoted and claim.attribution == "own" and not claim.speaker:
        # "The people of Kelsund deserved better than a council that waited": a judgement
        # in the outlet's own voice, its view of the fact rather than the fact ("he said
        # the party should expand" reports someone else's).
        flaws += float(len(_JUDGEMENT.findall(claim.text)))
    if ref.trivial:
        flaws += 3.0
    return flaws


#: Words of a normative judgement in a claim's own voice ("deserved better", "should have
#: acted"); a plain "should" or "must" is as often a plan or a rule reported.
_JUDGEMENT = re.compile(
    r"\b(?:deserved?|deserves|(?:should|shouldn't|ought\s+to)\s+have|ought\s+to)\b", re.IGNORECASE
)
#: Wording flaw added to a claim cited as support of a fact but grouped in another
#: (:func:`attach_support`): the fact's own members state it first, at equal wording.
ATTACHED_FLAW = 0.5


def representative(table: ClaimTable, rows: Sequence[int], extra: Sequence[int] = ()) -> int:
    """The member whose wording states the fact best: fewest :func:`wording_flaws`, then
    the most central (highest total score to the other members).

    ``extra`` are claims cited as the fact's support but grouped in another fact
    (:func:`attach_support`); they may state it best ("Port Aster's council approved
    $40 million ..." beside an opinion lead and a tabloid standfirst), counted at
    :data:`ATTACHED_FLAW` more flaws than the fact's own members, which win ties.
    """
    rows = list(rows)
    pool = rows + [r for r in dict.fromkeys(extra) if r not in rows]
    if len(pool) == 1:
        return pool[0]
    block = table.score[np.ix_(pool, pool)].copy()
    np.fill_diagonal(block, 0.0)
    central = block.sum(axis=1)
    own = set(rows)

    def flaws(k: int) -> float:
        return wording_flaws(table, pool[k], pool) + (0.0 if pool[k] in own else ATTACHED_FLAW)

    ranked = sorted(
        range(len(pool)), key=lambda k: (flaws(k), pool[k] not in own, -central[k], k)
    )
    return pool[ranked[0]]


def build_facts(
    table: ClaimTable,
    groups: Sequence[Sequence[int]],
    contested: Iterable[str] = (),
    attached: Sequence[Sequence[int]] | None = None,
    keep: Iterable[str] = (),
) -> tuple[Fact, ...]:
    """Turn claim groups into :class:`Fact` records.

    Groups made only of trivial claims (fewer than five words: "Obama said.") are dropped.

    Args:
        table: The story's claim table.
        groups: Output of :func:`group_claims`.
        contested: Ids of facts that a contradiction links.
        attached: Per group, claims of other groups that also state it
            (:func:`attach_support`): cited as support, the id stays the group's.
            A one-outlet group whose claims all support a fact of several
            outlets is left out (unless its id is in ``contested`` or ``keep``):
            the other outlets say it too.
        keep: Ids of facts that must stay (a contradiction points at them).

    Returns:
        Facts ordered by number of outlets (most first), then by first appearance.
    """
    contested_ids = set(contested)
    kept = contested_ids | set(keep)
    keyed: list[tuple[tuple[int, int, int], Fact]] = []
    extras = attached if attached is not None else [[] for _ in groups]
    # Claims cited by a fact of several outlets: a one-outlet group made only
    # of them is not something only one outlet says.
    elsewhere = {
        r
        for rows, extra in zip(groups, extras, strict=True)
        if len({table.refs[x].doc for x in [*rows, *extra]}) >= 2
        for r in extra
    }
    for rows, extra in zip(groups, extras, strict=True):
        if all(table.refs[r].trivial for r in rows):
            continue
        fid = fact_id(table, rows)
        if (
            fid not in kept
            and len({table.refs[r].doc for r in rows}) == 1
            and all(r in elsewhere or table.refs[r].trivial for r in rows)
        ):
            continue
        statement = strip_dateline(table.refs[representative(table, rows, extra)].claim.text)[1]
        rows = sorted(
            [*rows, *extra], key=lambda r: (table.refs[r].doc, table.refs[r].claim.start)
        )
        refs = [table.refs[r] for r in rows]
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
            statement=statement,
            status=status,  # type: ignore[arg-type]
            support=tuple(support),
            outlets=outlets,
            claims=tuple(ref.claim.id for ref in refs),
        )
        first = min((ref.doc, ref.claim.start) for ref in refs)
        keyed.append(((-len(outlets), first[0], first[1]), fact))
    keyed.sort(key=lambda item: item[0])
    return tuple(f for _, f in keyed)


def covered_elsewhere(
    table: ClaimTable,
    groups: Sequence[Sequence[int]],
    prob: npt.NDArray[np.float32],
    attached: Sequence[Sequence[int]] | None = None,
    *,
    threshold: float | None = None,
    words_share: float | None = None,
) -> set[tuple[str, str]]:
    """``(article id, fact id)`` pairs where an article outside a fact may still state it.

    An outlet omits a fact only when none of its claims aligns with it: a claim
    whose mean pair probability to the fact's members reaches
    :data:`COVER_THRESHOLD` is taken to state it in words too different to join,
    and so is a sentence that holds at least :data:`COVER_WORDS` of the fact's
    wording (the words two or more of its members share, each weighted by its
    rarity in the story): "Capitol Police officers Crystal Griner and David
    Bailey" in a list of the wounded states who was wounded.

    Args:
        table: The story's claim table.
        groups: Output of :func:`group_claims`.
        prob: The pair probabilities.
        attached: Output of :func:`attach_support` (attached articles are inside).
        threshold: Overrides :data:`COVER_THRESHOLD`.
        words_share: Overrides :data:`COVER_WORDS`.

    Returns:
        The covered pairs.
    """
    cover = COVER_THRESHOLD if threshold is None else threshold
    share = COVER_WORDS if words_share is None else words_share
    out: set[tuple[str, str]] = set()
    if not table.refs:
        return out
    docs = np.asarray([r.doc for r in table.refs])
    extras = attached if attached is not None else [[] for _ in groups]
    sentence_terms = _sentence_terms(table)
    df: dict[str, int] = {}
    postings: dict[str, list[tuple[int, int]]] = {}
    for key, terms in sentence_terms.items():
        for t in terms:
            df[t] = df.get(t, 0) + 1
            postings.setdefault(t, []).append(key)
    n_sentences = max(1, len(sentence_terms))
    for rows, extra in zip(groups, extras, strict=True):
        if len(rows) < 2:
            continue
        mean = prob[:, list(rows)].mean(axis=1)
        inside = {table.refs[r].doc for r in [*rows, *extra]}
        fid = fact_id(table, rows)
        counts: dict[str, int] = {}
        for key in {(table.refs[r].doc, table.refs[r].sentence.start) for r in rows}:
            for t in sentence_terms[key]:
                counts[t] = counts.get(t, 0) + 1
        # Sorted terms: float sums in one order on every run (set order follows
        # the hash seed, and a share exactly at the threshold must not flip).
        weight = {
            t: math.log(n_sentences / df[t]) for t, k in sorted(counts.items()) if k >= 2
        }
        total = math.fsum(weight.values())
        # Each outside sentence's share of the fact's wording, from the postings.
        held: dict[tuple[int, int], float] = {}
        for t, w in weight.items():
            for key in postings[t]:
                if key[0] not in inside:
                    held[key] = held.get(key, 0.0) + w
        best: dict[int, float] = {}
        for (doc, _), w in held.items():
            best[doc] = max(best.get(doc, 0.0), w)
        for d in set(docs.tolist()) - inside:
            if float(mean[docs == d].max()) >= cover or (
                total > 0 and best.get(d, 0.0) >= share * total
            ):
                out.add((table.articles[d].id, fid))
    return out


def _sentence_terms(table: ClaimTable) -> dict[tuple[int, int], frozenset[str]]:
    """Content words of every sentence holding a claim, keyed by (article, sentence start)."""
    out: dict[tuple[int, int], frozenset[str]] = {}
    for ref in table.refs:
        key = (ref.doc, ref.sentence.start)
        if key not in out:
            out[key] = frozenset(content_terms(ref.sentence.text))
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


Reliance = dict[str, tuple[Citation, ...]]
"""Article id -> the phrases where it relies on other news organisations."""


def media_reliance(story: Story) -> Reliance:
    """Every article's reliance phrases (:func:`storyscope.align.sourcing.find_media_reliance`),
    once per story (from what the analyze stage stored where it tells:
    :func:`storyscope.align.sourcing.story_media_reliance`): pass the result to
    :func:`independent_support`, :func:`shared_sources` and :func:`support_notes`
    instead of letting each fact search its articles again."""
    from storyscope.align.sourcing import story_media_reliance

    outlets = tuple(dict.fromkeys(d.article.outlet for d in story.articles))
    return {d.id: story_media_reliance(d, outlets) for d in story.articles}


def _relied_on(fact: Fact, story: Story, reliance: Reliance | None = None) -> dict[str, str]:
    """Outlet -> the news organisation its supporting sentences cite for the fact.

    Only outlets whose every supporting sentence cites one and the same
    organisation ("according to a wire agency", "Reuters reported") appear.
    """
    from storyscope.align.sourcing import relayed_outlet, story_media_reliance

    docs: dict[str, AnalyzedArticle] = {d.id: d for d in story.articles}
    outlets = tuple(dict.fromkeys(d.article.outlet for d in story.articles))
    own_keys = {_outlet_key(o): o for o in outlets}
    phrases: dict[str, tuple[Citation, ...]] = dict(reliance or {})
    out: dict[str, str] = {}
    per_outlet: dict[str, set[str | None]] = {}
    for cite in fact.support:
        doc = docs.get(cite.article)
        if doc is None:
            continue
        if doc.id not in phrases:
            phrases[doc.id] = story_media_reliance(doc, outlets)
        # "The New York Times reported" in a story holding the outlet "nyt": that outlet.
        keys: set[str | None] = {
            relayed_outlet(p.text, outlets) or _source_key(p.text)
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
            out[outlet] = key if key in outlets else own_keys.get(key, key)
    return out


def shared_sources(
    fact: Fact, story: Story, reliance: Reliance | None = None
) -> dict[str, tuple[str, ...]]:
    """News organisations that two or more of a fact's outlets rely on for it.

    Args:
        fact: A fact of ``story``.
        story: The story.
        reliance: :func:`media_reliance` of the story, when already found.

    Returns:
        Source (an outlet of the story, or the organisation's name as cited,
        lower case) -> the outlets that only repeat it (and the source itself
        when it is one of the fact's outlets), for sources with two or more.

    Raises:
        ConfigError: The packaged source rules cannot be loaded.
    """
    relied = _relied_on(fact, story, reliance)
    lines: dict[str, list[str]] = {}
    for outlet in fact.outlets:
        key = relied.get(outlet, outlet)
        lines.setdefault(key, []).append(outlet)
    return {k: tuple(v) for k, v in lines.items() if len(v) >= 2}


def independent_support(fact: Fact, story: Story, reliance: Reliance | None = None) -> int:
    """Independent lines of evidence for a fact: outlets, with those citing one source counted once.

    Two outlets that both say "according to a wire agency" (or "Reuters
    reported") for the fact are one line of evidence; so are a wire in the
    story and the outlets that cite it.

    Args:
        fact: A fact of ``story``.
        story: The story.
        reliance: :func:`media_reliance` of the story, when already found.

    Returns:
        Between 1 and ``len(fact.outlets)`` (0 for a fact without outlets).

    Raises:
        ConfigError: The packaged source rules cannot be loaded.
    """
    relied = _relied_on(fact, story, reliance)
    return len({relied.get(o, o) for o in fact.outlets})


def support_notes(story: Story, reliance: Reliance | None = None) -> tuple[str, ...]:
    """One line per fact whose outlets are fewer independent sources than they look.

    Args:
        story: The story.
        reliance: :func:`media_reliance` of the story, when already found.

    Returns:
        Notes such as ``'2 outlets but 1 independent source for "..." (Harbor
        Courier and Daily Lantern both cite a wire agency)'``, in fact order.

    Raises:
        ConfigError: The packaged source rules cannot be loaded.
    """
    notes: list[str] = []
    if reliance is None:
        reliance = media_reliance(story)
    for fact in story.facts:
        if len(fact.outlets) < 2:
            continue
        shared = shared_sources(fact, story, reliance)
        if not shared:
            continue
        n = independent_support(fact, story, reliance)
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
