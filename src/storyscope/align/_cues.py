"""Hedges and anonymous-source cues of one article as citations, and the claims hedges hedge.

Per-article work: the ``hedges`` analyzer (:mod:`storyscope.analyze.framing`) stores
:func:`article_hedges` on the analysed article, and align reads it from there
(:func:`storyscope.align.framing.find_outlet_profiles`), finding it only for an
article analysed without it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from storyscope.model import AnalyzedArticle, Citation, HedgedClaim

__all__ = ["article_hedges", "cue_citations", "hedged_claims"]

logger = logging.getLogger(__name__)


def cue_citations(articles: Sequence[AnalyzedArticle], kind: str) -> tuple[Citation, ...]:
    """The articles' cues of one kind ("hedge", "anonymous_source") as citations, in order;
    a hedge inside a direct or partial quotation is the speaker's, and left out."""
    out: list[Citation] = []
    for doc in articles:
        for cue in doc.cues:
            if cue.kind != kind:
                continue
            if doc.text[cue.start : cue.end] != cue.text:
                logger.warning("cue %r in %s does not match its span; skipped", cue.text, doc.id)
                continue
            if kind == "hedge" and any(
                q.kind in ("direct", "partial") and q.start <= cue.start and cue.end <= q.end
                for q in doc.quotes
            ):
                continue  # "It seems to me ...": the speaker hedges, not the outlet
            out.append(Citation(article=doc.id, start=cue.start, end=cue.end, text=cue.text))
    return tuple(out)


def hedged_claims(doc: AnalyzedArticle, hedges: Sequence[Citation]) -> list[HedgedClaim]:
    """Each hedge with the claim (else the sentence) it sits in; scare quotes too."""
    text = doc.text

    def claim_of(start: int, end: int) -> Citation:
        spans = [(c.start, c.end) for c in doc.claims if c.start <= start and end <= c.end]
        spans += [(s.start, s.end) for s in doc.sentences if s.start <= start and end <= s.end]
        lo, hi = min(spans, key=lambda sp: sp[1] - sp[0]) if spans else (start, end)
        return Citation(article=doc.id, start=lo, end=hi, text=text[lo:hi])

    out = [HedgedClaim(hedge=h, claim=claim_of(h.start, h.end)) for h in hedges]
    for q in doc.quotes:
        if q.kind != "scare" or text[q.start : q.end] != q.text:
            continue
        # Cite the marks too when they are there: 'the "temporary" tariffs'.
        lo = q.start - 1 if q.start > 0 and text[q.start - 1] in "\"“‘'" else q.start
        hi = q.end + 1 if q.end < len(text) and text[q.end] in "\"”’'" else q.end
        out.append(
            HedgedClaim(
                hedge=Citation(article=doc.id, start=lo, end=hi, text=text[lo:hi]),
                claim=claim_of(lo, hi),
                kind="scare_quote",
            )
        )
    out.sort(key=lambda h: (h.hedge.start, h.hedge.end))
    return out


def article_hedges(doc: AnalyzedArticle, hedges: Sequence[Citation] | None = None) -> list[HedgedClaim]:
    """The outlet's hedges in one article (``hedges``: its hedge citations, from
    :func:`cue_citations` when None) and scare quotes, each with the claim it hedges.

    The stored ``doc.hedges`` when they are these hedges' (the analysis had the
    ``hedges`` analyzer); found here otherwise."""
    mine = list(cue_citations([doc], "hedge") if hedges is None else hedges)
    if doc.hedges is not None and [h.hedge for h in doc.hedges if h.kind == "hedge"] == mine:
        return list(doc.hedges)
    return hedged_claims(doc, mine)
