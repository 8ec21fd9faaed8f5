"""Align: analyzed articles about one event -> a :class:`~storyscope.model.Story`.

Claims of different articles are compared pairwise (sentence embeddings plus
lexical overlap, numpy matrices), grouped into facts, then checked for
contradictions; quotes are matched across outlets; omissions, framing and a
cited summary are derived from those.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from storyscope.align._claims import ClaimTable, build_table
from storyscope.align._pairs import pair_probability
from storyscope.align.contradictions import find_contradictions
from storyscope.align.facts import (
    attach_support,
    build_facts,
    covered_elsewhere,
    fact_id,
    group_claims,
    independent_support,
    media_reliance,
    merge_fragments,
    shared_sources,
    support_notes,
    without_slot_swaps,
)
from storyscope.align.framing import find_framing, find_outlet_profiles
from storyscope.align.omissions import find_omissions
from storyscope.align.quote_variants import find_quote_variants
from storyscope.align.summary import build_summary
from storyscope.errors import AlignmentError
from storyscope.model import AnalyzedArticle, Story
from storyscope.settings import AlignSettings, default_settings

if TYPE_CHECKING:  # pragma: no cover
    from storyscope.analyze.embeddings import Embedder

__all__ = ["align"]

logger = logging.getLogger(__name__)

#: Articles sharing less than this share of their claims across outlets *and* whose
#: centroids are less similar than :data:`SIMILAR_ARTICLES` may be about different
#: events. Calibrated on BASIL (100 real events x 3 outlets, MiniLM embeddings):
#: pairs of articles from different events share at most 2.4% of their claims
#: and reach a mean cosine of 0.45 (max 0.75); same-event pairs reach 0.87
#: (1st percentile 0.62), but a fifth of them share no claim at all.
MIN_ALIGNED_SHARE = 0.03
#: See :data:`MIN_ALIGNED_SHARE`.
SIMILAR_ARTICLES = 0.70
#: Below this mean cosine between article centroids, the articles are about
#: different events whatever they share.
MIN_ARTICLE_SIMILARITY = 0.5


def _overlap(table: ClaimTable, groups: Sequence[Sequence[int]]) -> tuple[float, float]:
    substantive = [r for r in table.refs if not r.trivial]
    multi = {
        row for rows in groups if len({table.refs[r].outlet for r in rows}) >= 2 for row in rows
    }
    share = sum(1 for r in substantive if r.row in multi) / len(substantive) if substantive else 0.0
    vecs = table.doc_vectors
    n = vecs.shape[0]
    sims = vecs @ vecs.T
    mean_sim = float(sims[np.triu_indices(n, k=1)].mean()) if n > 1 else 1.0
    return share, mean_sim


def _isolated_outlets(table: ClaimTable, groups: Sequence[Sequence[int]]) -> list[str]:
    """Outlets that share no fact with the others and whose article is unlike theirs.

    An article on the same event from another angle (a profile of someone
    involved) may share no fact yet stays close to the others in meaning.
    """
    shared_docs = {
        table.refs[r].doc
        for rows in groups
        if len({table.refs[r].outlet for r in rows}) >= 2
        for r in rows
    }
    has_claims = {r.doc for r in table.refs if not r.trivial}
    vecs = table.doc_vectors
    out: list[str] = []
    for d in sorted(has_claims - shared_docs):
        others = [k for k in range(vecs.shape[0]) if k != d]
        sim = float((vecs[others] @ vecs[d]).mean()) if others else 0.0
        if sim < SIMILAR_ARTICLES:
            out.append(table.outlet(d))
    return out


def align(
    articles: Sequence[AnalyzedArticle],
    *,
    embedder: Embedder | None = None,
    settings: AlignSettings | None = None,
) -> Story:
    """Compare analyzed articles about one event and build the story.

    Args:
        articles: Analyzed articles, one per outlet ideally, in display order.
        embedder: Used only to embed sentences of articles whose ``embeddings``
            is ``None`` (defaults to the package's MiniLM embedder).
        settings: Thresholds (``[align]`` of :mod:`storyscope.settings`); the
            shipped defaults when None.

    Returns:
        The story: facts, contradictions, omissions, quote variants, framing,
        a cited summary and warnings.

    Raises:
        AlignmentError: No articles, or embeddings missing/malformed.
        ConfigError: A packaged lexicon (variant names, loaded language, source
            rules) cannot be loaded.
    """
    if not articles:
        raise AlignmentError("no articles to align")
    warnings: list[str] = []
    unique: dict[str, AnalyzedArticle] = {}
    for doc in articles:
        first = unique.setdefault(doc.id, doc)
        if first is not doc:
            warnings.append(
                f"{doc.article.outlet} ({doc.article.source}) has exactly the same text as "
                f"{first.article.outlet} ({first.article.source}): compared once"
            )
    docs = tuple(unique.values())
    cfg = settings if settings is not None else default_settings().align
    table = build_table(docs, embedder=embedder)
    # Pairs that differ by one swapped noun ("the shelter" / "the library") never join:
    # not in grouping, fragments, attachment nor the omission check.
    scored = pair_probability(table)
    prob = without_slot_swaps(table, scored, cfg.member_floor)
    groups = group_claims(
        table, prob=prob, threshold=cfg.group_threshold, member_floor=cfg.member_floor
    )
    outlets = list(dict.fromkeys(d.article.outlet for d in docs))

    low_overlap = False
    if len(docs) == 1:
        warnings.append("only one article: nothing to compare")
    elif len(outlets) == 1:
        warnings.append(f"all articles come from one outlet ({outlets[0]}): nothing to compare")
    else:
        share, mean_sim = _overlap(table, groups)
        logger.debug("aligned share %.3f, mean article similarity %.3f", share, mean_sim)
        if mean_sim < MIN_ARTICLE_SIMILARITY or (
            share < MIN_ALIGNED_SHARE and mean_sim < SIMILAR_ARTICLES
        ):
            low_overlap = True
            warnings.append(
                "articles may be about different events: low overlap "
                f"({share:.0%} of claims shared across outlets, "
                f"mean article similarity {mean_sim:.2f}); no agreements or "
                "contradictions are reported"
            )
        elif len(docs) >= 3:
            warnings.extend(
                f"{name} shares no facts with the other articles: it may be about a different event"
                for name in _isolated_outlets(table, groups)
            )

    # Draft facts (no status yet) so contradictions can point at fact ids.
    fact_of: dict[int, str | None] = {}
    fact_size: dict[str, int] = {}
    for rows in groups:
        refs = [table.refs[r] for r in rows]
        fid = None if all(ref.trivial for ref in refs) else fact_id(table, rows)
        for r in rows:
            fact_of[r] = fid
        if fid:
            fact_size[fid] = len({ref.outlet for ref in refs})

    # (the scores as the pair scorer gave them: a swapped noun is what an entity
    # contradiction is made of)
    contradictions, contested = find_contradictions(
        table, fact_of, fact_size, scored, candidate_prob=cfg.candidate_prob
    )
    variants, attributions = find_quote_variants(docs)
    contradictions = contradictions + attributions
    if low_overlap:
        contradictions, contested = (), set()
    # Facts told in fragments become one; a fact a contradiction points at stays as
    # it is, so the disagreement keeps its own fact and the rest stays agreed.
    pinned = contested | {c.fact for c in contradictions if c.fact}
    groups = merge_fragments(
        table,
        groups,
        prob,
        threshold=cfg.fragment_link,
        pinned=[k for k, rows in enumerate(groups) if fact_of.get(rows[0]) in pinned],
    )
    supported = attach_support(
        table,
        groups,
        prob,
        threshold=cfg.attach_threshold,
        same_threshold=cfg.attach_same_threshold,
    )
    facts = build_facts(
        table,
        groups,
        contested,
        attached=supported,
        keep={c.fact for c in contradictions if c.fact},
    )
    framing = find_framing(docs, table, groups)
    summary = build_summary(
        facts,
        contradictions,
        article_lengths={d.id: len(d.text) for d in docs},
        include_consensus=not low_overlap,
        max_sentences=cfg.summary_sentences,
        max_differences=cfg.summary_differences,
    )
    story = Story(
        articles=docs,
        facts=facts,
        contradictions=contradictions,
        omissions=find_omissions(
            docs,
            facts,
            covered=covered_elsewhere(
                table,
                groups,
                prob,
                supported,
                threshold=cfg.cover_threshold,
                words_share=cfg.cover_words,
            ),
        ),
        quote_variants=variants,
        framing=framing,
        summary=summary,
        warnings=tuple(warnings),
        outlets=find_outlet_profiles(docs, framing),
    )
    return _with_independent_support(story)


def _with_independent_support(story: Story) -> Story:
    """Count each fact's independent lines of evidence and note facts that rest on one relayed source."""
    from dataclasses import replace

    reliance = media_reliance(story)
    facts = tuple(
        replace(
            fact,
            independent_support=independent_support(fact, story, reliance),
            shared_sources=tuple(sorted(shared_sources(fact, story, reliance).items())),
        )
        if len(fact.outlets) > 1
        else replace(fact, independent_support=len(fact.outlets))
        for fact in story.facts
    )
    notes = support_notes(story, reliance)
    return replace(story, facts=facts, warnings=(*story.warnings, *notes))
