"""Omissions: a fact most outlets report that one outlet leaves out."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

from storyscope.model import AnalyzedArticle, Fact, Omission

__all__ = ["MIN_OUTLETS", "find_omissions"]

#: Fewer outlets than this and "most outlets" means nothing: no omissions.
MIN_OUTLETS = 3
#: Share of outlets that must report a fact before leaving it out counts.
MAJORITY = 0.5


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
        One :class:`Omission` per (missing article, fact), in fact order.
    """
    outlets = list(dict.fromkeys(a.article.outlet for a in articles))
    if len(outlets) < MIN_OUTLETS:
        return ()
    needed = max(2, math.ceil(MAJORITY * len(outlets)))
    out: list[Omission] = []
    for fact in facts:
        if len(fact.outlets) < needed:
            continue
        present = set(fact.outlets)
        out.extend(
            Omission(article=a.id, fact=fact.id)
            for a in articles
            if a.article.outlet not in present and (a.id, fact.id) not in covered
        )
    return tuple(out)
