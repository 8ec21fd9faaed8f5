"""Omissions: a fact most outlets report that one outlet leaves out."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Sequence

from storyscope.model import AnalyzedArticle, Fact, Omission

__all__ = ["MIN_OUTLETS", "centrality", "find_omissions"]

#: Fewer outlets than this and "most outlets" means nothing: no omissions.
MIN_OUTLETS = 3
#: Share of outlets that must report a fact before leaving it out counts.
MAJORITY = 0.5
#: Weights of a fact's centrality: support share, earliness, main names.
CENTRALITY_WEIGHTS = (0.5, 0.3, 0.2)
#: How many of the story's most-mentioned names are its main names.
MAIN_NAMES = 5
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW"})


def _main_names(articles: Sequence[AnalyzedArticle]) -> list[str]:
    """The story's most-mentioned names, counted once per article that mentions them."""
    counts: Counter[str] = Counter()
    for doc in articles:
        counts.update({e.text.lower() for e in doc.entities if e.label in _NAME_LABELS})
    # Ties broken by the name, not by set order (which follows the hash seed).
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAIN_NAMES]
    return [name for name, k in ranked if k >= 2]


def centrality(
    fact: Fact,
    articles: Sequence[AnalyzedArticle],
    *,
    main_names: Sequence[str] | None = None,
) -> float:
    """How central a fact is to its story, 0..1.

    A weighted sum (:data:`CENTRALITY_WEIGHTS`) of the share of the story's
    outlets that state it, how early they state it (1 at the top of each
    article, 0 at the end; each article at its first citation) and how many of the story's most-mentioned names its
    sentences hold (two or more: 1).
    """
    outlets = {a.article.outlet for a in articles}
    lengths = {a.id: max(1, len(a.text)) for a in articles}
    share = len(set(fact.outlets)) / max(1, len(outlets))
    # Where each article first states it (an article cited twice counts once).
    first: dict[str, float] = {}
    for c in fact.support:
        spot = c.start / lengths.get(c.article, 1)
        first[c.article] = min(spot, first.get(c.article, spot))
    early = 1.0 - (sum(first.values()) / len(first) if first else 1.0)
    names = _main_names(articles) if main_names is None else main_names
    text = " ".join(c.text.lower() for c in fact.support)
    held = sum(1 for n in names if n in text)
    w_share, w_early, w_names = CENTRALITY_WEIGHTS
    return round(w_share * share + w_early * max(0.0, early) + w_names * min(1.0, held / 2), 4)


def find_omissions(
    articles: Sequence[AnalyzedArticle],
    facts: Sequence[Fact],
    *,
    covered: Collection[tuple[str, str]] = (),
) -> tuple[Omission, ...]:
    """List, for each widely reported fact, the articles that leave it out.

    A fact is widely reported when at least ``max(2, ceil(0.5 * n_outlets))``
    outlets support it and the story has at least three outlets. Quotations
    count too: a remark most outlets print is part of the story (on the BASIL
    gold, skipping them lost a quarter of the real omissions and no false ones).

    Args:
        articles: Analyzed articles of the story.
        facts: The story's facts.
        covered: ``(article id, fact id)`` pairs to skip: the article reports the
            fact in other words (see :func:`storyscope.align.facts.covered_elsewhere`).

    Returns:
        One :class:`Omission` per (missing article, fact), the most central facts
        first (:func:`centrality`), then in fact order.
    """
    outlets = list(dict.fromkeys(a.article.outlet for a in articles))
    if len(outlets) < MIN_OUTLETS:
        return ()
    needed = max(2, math.ceil(MAJORITY * len(outlets)))
    names = _main_names(articles)
    out: list[Omission] = []
    for fact in facts:
        if len(fact.outlets) < needed:
            continue
        present = set(fact.outlets)
        missing = [
            a
            for a in articles
            if a.article.outlet not in present and (a.id, fact.id) not in covered
        ]
        if not missing:
            continue
        score = centrality(fact, articles, main_names=names)
        out.extend(Omission(article=a.id, fact=fact.id, centrality=score) for a in missing)
    out.sort(key=lambda o: -o.centrality)  # stable: fact order among equals
    return tuple(out)
