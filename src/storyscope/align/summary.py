"""Summary: a neutral extractive summary in which every sentence cites exact spans.

First the consensus: the facts most outlets support, each told by one verbatim
sentence from an article and cited to every supporting sentence, in story
order. Then where sources differ: one sentence per contradiction, composed from
a template that names both outlets and quotes both values, cited to both
sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyscope.align._text import quoted_share
from storyscope.model import Citation, Contradiction, Fact, SummarySentence

__all__ = ["MAX_CONSENSUS", "MAX_DIFFERENCES", "build_summary"]

#: Most consensus sentences in a summary.
MAX_CONSENSUS = 7
#: A statement with at least this share of its words in quotation marks is a quote.
QUOTE_SHARE = 0.6
#: Most "where sources differ" sentences in a summary.
MAX_DIFFERENCES = 5


def _position(fact: Fact, order: dict[str, int], lengths: dict[str, int]) -> float:
    spots = [c.start / max(1, lengths.get(c.article, 1)) for c in fact.support]
    return sum(spots) / len(spots) if spots else float(len(order))


def _representative(fact: Fact) -> Citation:
    for cite in fact.support:
        if fact.statement and fact.statement in cite.text:
            return cite
    return fact.support[0]


def build_summary(
    facts: Sequence[Fact],
    contradictions: Sequence[Contradiction],
    *,
    article_lengths: dict[str, int],
    include_consensus: bool = True,
) -> tuple[SummarySentence, ...]:
    """Compose the cited summary.

    Args:
        facts: The story's facts, most supported first.
        contradictions: The story's contradictions, most important first.
        article_lengths: Article id -> text length (to place facts in story order).
        include_consensus: ``False`` when the articles may be about different
            events: nothing is presented as agreed.

    Returns:
        Consensus sentences (section ``"consensus"``) then difference sentences
        (section ``"differences"``); each has at least one exact citation.
    """
    out: list[SummarySentence] = []
    if include_consensus:
        agreed = [f for f in facts if f.status == "consensus" and len(f.outlets) >= 2 and f.support]
        # Most outlets first; among equals, reported facts before bare quotations
        # (stable: keeps fact order among ties).
        agreed.sort(key=lambda f: (-len(f.outlets), quoted_share(f.statement) >= QUOTE_SHARE))
        top = agreed[:MAX_CONSENSUS]
        order = {a: k for k, a in enumerate(article_lengths)}
        top.sort(key=lambda f: _position(f, order, article_lengths))
        for fact in top:
            rep = _representative(fact)
            out.append(
                SummarySentence(
                    text=rep.text,
                    citations=(rep, *[c for c in fact.support if c != rep]),
                    section="consensus",
                )
            )
    # One sentence per (fact, kind) first, so that five outlets disputing one
    # number do not crowd out every other difference; then fill up.
    picked: list[Contradiction] = []
    seen: set[tuple[str | None, str]] = set()
    for con in contradictions:
        key = (con.fact, con.kind)
        if key not in seen:
            seen.add(key)
            picked.append(con)
    picked += [c for c in contradictions if c not in picked]
    for con in picked[:MAX_DIFFERENCES]:
        out.append(
            SummarySentence(text=con.explanation, citations=(con.a, con.b), section="differences")
        )
    return tuple(out)
