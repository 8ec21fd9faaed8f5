"""The JSON report: a versioned, schema-validated view of a :class:`Story`.

The shape is a public contract, documented field by field in ``docs/report.md``
and checked by ``storyscope/schema/report.schema.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
from collections import Counter
from collections.abc import Mapping
from typing import Any, get_args

from storyscope.errors import ReportError
from storyscope.model import AnalyzedArticle, Citation, Cue, OutletProfile, SourceKind, Story
from storyscope.report._index import StoryIndex

__all__ = ["SCHEMA_VERSION", "dumps_report", "render_json", "to_dict"]

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "1.4.0"
"""Version of the JSON report contract (semver: additive = minor, breaking = major)."""

_STATUSES = ("consensus", "single_source", "contested")
#: Kinds of source in ``framing.outlets.*.source_kinds``.
_SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)


def _generator_version() -> str:
    try:
        from storyscope import _version
    except ImportError:  # pragma: no cover - the module ships with the package
        return "0.1.0"
    version = getattr(_version, "__version__", None)
    return version if isinstance(version, str) and version else "0.1.0"


def _finite(value: float | None) -> float | None:
    """JSON has no NaN or infinity: map them to None."""
    if value is None or math.isnan(value) or math.isinf(value):
        return None
    return float(value)


def _citation(index: StoryIndex, citation: Citation) -> dict[str, Any]:
    return {
        "article": citation.article,
        "outlet": index.outlet(citation.article),
        "text": citation.text,
        "start": citation.start,
        "end": citation.end,
    }


def _citation_key(index: StoryIndex, citation: Citation) -> tuple[str, str, int, int, str]:
    return (
        index.outlet(citation.article) or "",
        citation.article,
        citation.start,
        citation.end,
        citation.text,
    )


def _article(analyzed: AnalyzedArticle) -> dict[str, Any]:
    article = analyzed.article
    return {
        "id": article.id,
        "source": article.source,
        "outlet": article.outlet,
        "title": article.title,
        "byline": article.byline,
        "published": _iso_published(article.published),
        "language": article.language,
        "url": article.url,
        "text": article.text,
        "word_count": article.word_count,
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        "sentences": [
            {"index": s.index, "start": s.start, "end": s.end}
            for s in sorted(analyzed.sentences, key=lambda s: (s.start, s.end, s.index))
        ],
        "entities": [
            {"text": e.text, "label": e.label, "start": e.start, "end": e.end}
            for e in sorted(analyzed.entities, key=lambda e: (e.start, e.end, e.label))
        ],
        "quantities": [
            {
                "text": q.text,
                "value": _finite(q.value),
                "unit": q.unit,
                "kind": q.kind,
                "normalised": q.normalised,
                "qualifier": q.qualifier,
                "low": _finite(q.low),
                "high": _finite(q.high),
                "start": q.start,
                "end": q.end,
            }
            for q in sorted(analyzed.quantities, key=lambda q: (q.start, q.end, q.kind))
        ],
        "times": [
            {"text": t.text, "kind": t.kind, "value": t.value, "start": t.start, "end": t.end}
            for t in sorted(analyzed.times, key=lambda t: (t.start, t.end, t.kind))
        ],
        "claims": [
            {
                "id": c.id,
                "sentence": c.sentence,
                "text": c.text,
                "speaker": c.speaker,
                "hedged": c.hedged,
                "negated": c.negated,
                "subject": c.subject,
                "predicate": c.predicate,
                "object": c.object,
                "status": c.status,
                "attribution": c.attribution,
                "start": c.start,
                "end": c.end,
            }
            for c in sorted(analyzed.claims, key=lambda c: (c.start, c.end, c.id))
        ],
    }


def _quotes(story: Story) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for analyzed in story.articles:
        for quote in sorted(analyzed.quotes, key=lambda q: (q.start, q.end)):
            mention = quote.speaker_mention
            rows.append(
                {
                    "article": analyzed.id,
                    "outlet": analyzed.article.outlet,
                    "text": quote.text,
                    "speaker": quote.speaker,
                    "cue": quote.cue,
                    "kind": quote.kind,
                    "anonymous": quote.anonymous,
                    "start": quote.start,
                    "end": quote.end,
                    "speaker_start": mention.start if mention is not None else None,
                    "speaker_end": mention.end if mention is not None else None,
                    "speaker_description": quote.speaker_description,
                }
            )
    return rows


def _cue_spans(
    story: Story, kind: str, framing: tuple[Citation, ...]
) -> dict[str, set[tuple[int, int]]]:
    """Distinct (start, end) spans per article of one cue kind, from analysis and framing."""
    spans: dict[str, set[tuple[int, int]]] = {a.id: set() for a in story.articles}
    for analyzed in story.articles:
        cue: Cue
        for cue in analyzed.cues:
            if cue.kind == kind:
                spans[analyzed.id].add((cue.start, cue.end))
    for citation in framing:
        if citation.article in spans:
            spans[citation.article].add((citation.start, citation.end))
    return spans


def _share(part: int, whole: int) -> float:
    """``part / whole`` rounded to 3 decimals; 0.0 when ``whole`` is 0."""
    return round(part / whole, 3) if whole > 0 else 0.0


def _profile_fields(
    index: StoryIndex, profile: OutletProfile | None, chars: int, words: int
) -> dict[str, Any]:
    """The sourcing, loaded-language, media and label measures of one outlet."""
    kinds = {kind: 0 for kind in _SOURCE_KINDS}
    quoted_by_kind = {kind: 0 for kind in _SOURCE_KINDS}
    if profile is None:
        return {
            "unnamed_sources": 0,
            "source_kinds": kinds,
            "quoted_share": 0.0,
            "quoted_share_by_kind": {kind: 0.0 for kind in _SOURCE_KINDS},
            "sources": [],
            "scare_quotes": 0,
            "hedged_claims": [],
            "media_reliance": 0,
            "media": [],
            "loaded_terms": 0,
            "loaded_terms_per_1000_words": 0.0,
            "loaded": [],
            "labels": [],
        }
    sources = []
    for source in profile.sources:
        kind = source.kind if source.kind in kinds else "other"
        kinds[kind] += 1
        quoted_by_kind[kind] += source.quoted_chars
        sources.append(
            {
                "article": source.article,
                "name": source.name,
                "anonymous": source.anonymous,
                "kind": kind,
                "evidence": _citation(index, source.evidence) if source.evidence else None,
                "quotes": [_citation(index, c) for c in source.quotes],
                "quoted_chars": source.quoted_chars,
                "share": _share(source.quoted_chars, chars),
            }
        )
    own_voice = [t for t in profile.loaded if not t.quoted]
    return {
        "unnamed_sources": sum(1 for s in profile.sources if s.name is None),
        "source_kinds": kinds,
        "quoted_share": _share(sum(s.quoted_chars for s in profile.sources), chars),
        "quoted_share_by_kind": {k: _share(v, chars) for k, v in quoted_by_kind.items()},
        "sources": sources,
        "scare_quotes": sum(1 for h in profile.hedges if h.kind == "scare_quote"),
        "hedged_claims": [
            {
                "kind": h.kind,
                "hedge": _citation(index, h.hedge),
                "claim": _citation(index, h.claim),
            }
            for h in sorted(profile.hedges, key=lambda h: _citation_key(index, h.hedge))
        ],
        "media_reliance": len(profile.media),
        "media": [
            _citation(index, c)
            for c in sorted(profile.media, key=lambda c: _citation_key(index, c))
        ],
        "loaded_terms": len(own_voice),
        "loaded_terms_per_1000_words": (round(len(own_voice) * 1000 / words, 2) if words else 0.0),
        "loaded": [
            {
                "category": t.category,
                "target": t.target,
                "quoted": t.quoted,
                "span": _citation(index, t.citation),
            }
            for t in sorted(profile.loaded, key=lambda t: _citation_key(index, t.citation))
        ],
        "labels": [
            {"concept": u.concept, "span": _citation(index, u.citation)}
            for u in sorted(
                profile.labels, key=lambda u: (u.concept, _citation_key(index, u.citation))
            )
        ],
    }


def _claim_attribution(
    members: list[AnalyzedArticle], profile: OutletProfile | None
) -> dict[str, Any]:
    """The outlet's claims by voice: relayed (a sentence relying on another news
    organisation) before anonymous (the claim's own attribution, or a sentence
    citing an unnamed source) before named before own."""
    media = list(profile.media) if profile is not None else []
    unnamed = [
        s.evidence
        for s in (profile.sources if profile is not None else ())
        if s.anonymous and s.evidence is not None
    ]
    counts = {"own": 0, "named": 0, "anonymous": 0, "relayed": 0}

    def inside(c: Citation, article: str, lo: int, hi: int) -> bool:
        return c.article == article and c.start < hi and lo < c.end

    for doc in members:
        bounds = {s.index: (s.start, s.end) for s in doc.sentences}
        for claim in doc.claims:
            lo, hi = bounds.get(claim.sentence, (claim.start, claim.end))
            if any(inside(c, doc.id, lo, hi) for c in media):
                counts["relayed"] += 1
            elif claim.attribution == "anonymous" or any(
                inside(c, doc.id, lo, hi) for c in unnamed
            ):
                counts["anonymous"] += 1
            elif claim.attribution == "named":
                counts["named"] += 1
            else:
                counts["own"] += 1
    total = sum(counts.values())
    return {
        "claims": total,
        **counts,
        "own_share": _share(counts["own"], total),
        "anonymous_share": _share(counts["anonymous"], total - counts["own"]),
    }


def outlet_table(story: Story, index: StoryIndex) -> dict[str, dict[str, Any]]:
    """Per-outlet framing figures, aggregated over that outlet's articles.

    The counts of quotes, hedges and anonymous sources come from the articles
    and framing; sourcing, loaded language, media reliance and labels come from
    ``story.outlets`` (zeros and empty lists for a story built without them).
    Nothing divides by zero: rates and shares of an empty outlet are 0.

    Args:
        story: The story.
        index: Lookups over the story.

    Returns:
        ``{outlet: row}`` in outlet order; see ``framing.outlets`` in docs/report.md.
    """
    hedges = _cue_spans(story, "hedge", story.framing.hedges)
    anonymous = _cue_spans(story, "anonymous_source", story.framing.anonymous_sources)
    profiles = {profile.outlet: profile for profile in story.outlets}
    table: dict[str, dict[str, Any]] = {}
    for outlet in index.outlets():
        members = [a for a in story.articles if a.article.outlet == outlet]
        ids = [a.id for a in members]
        words = sum(a.article.word_count for a in members)
        chars = sum(len(a.text) for a in members)
        n_hedges = sum(len(hedges[i]) for i in ids)
        n_anonymous = sum(len(anonymous[i]) for i in ids)
        profile = profiles.get(outlet)
        if profile is not None:  # names only: "the official" is an unnamed source
            speakers = {s.name for s in profile.sources if s.name}
        else:
            speakers = {
                q.speaker for a in members for q in a.quotes if q.speaker and not q.anonymous
            }
        table[outlet] = {
            "article": ids[0],
            "articles": ids,
            "words": words,
            "quotes": sum(len(a.quotes) for a in members),
            "named_sources": len(speakers),
            "hedges": n_hedges,
            "anonymous_sources": n_anonymous,
            "hedges_per_1000_words": round(n_hedges * 1000 / words, 2) if words else 0.0,
            "anonymous_sources_per_1000_words": (
                round(n_anonymous * 1000 / words, 2) if words else 0.0
            ),
            **_profile_fields(index, profile, chars, words),
            "claim_attribution": _claim_attribution(members, profile),
        }
    return table


def _span_warnings(index: StoryIndex) -> list[str]:
    """Warnings for citations that do not point at an exact span of a known article."""
    problems: set[str] = set()
    for section, citation in index.citations():
        if citation.article not in index.by_id:
            problems.add(f"{section} citation refers to unknown article {citation.article!r}")
        elif not index.resolves(citation):
            problems.add(
                f"{section} citation [{citation.start}, {citation.end}) in article "
                f"{citation.article} does not match the article text"
            )
    for problem in sorted(problems):
        logger.warning("report: %s", problem)
    return sorted(problems)


def to_dict(story: Story) -> dict[str, Any]:
    """Build the JSON report of a story as plain data.

    The result is deterministic for a given story and safe for ``json.dumps``
    (no NaN or infinity). Lists whose order carries no meaning are sorted;
    facts, contradictions and summary keep the order the align stage chose.

    Args:
        story: The aligned story.

    Returns:
        A dict that validates against :func:`storyscope.report.load_schema`.
    """
    index = StoryIndex(story)
    facts_by_id = {fact.id: fact for fact in story.facts}

    facts = []
    for fact in story.facts:
        outlets = set(fact.outlets) | {
            o for o in (index.outlet(c.article) for c in fact.support) if o is not None
        }
        facts.append(
            {
                "id": fact.id,
                "statement": fact.statement,
                "status": fact.status,
                "outlets": sorted(outlets, key=lambda name: (name.casefold(), name)),
                "support_count": len(outlets),
                "support": [
                    _citation(index, c)
                    for c in sorted(fact.support, key=lambda c: _citation_key(index, c))
                ],
                "claims": sorted(fact.claims),
                "independent_sources": len(outlets)
                if fact.independent_support is None
                else min(fact.independent_support, len(outlets)),
                "shared_sources": [
                    {"source": source, "outlets": sorted(names, key=lambda n: (n.casefold(), n))}
                    for source, names in fact.shared_sources
                ],
            }
        )

    contradictions = [
        {
            "kind": c.kind,
            "explanation": c.explanation,
            "fact": c.fact,
            "a": _citation(index, c.a),
            "b": _citation(index, c.b),
        }
        for c in story.contradictions
    ]

    variants = [
        {
            "speaker": v.speaker,
            "members": [_citation(index, c) for c in v.members],
            "differences": list(v.differences),
        }
        for v in story.quote_variants
    ]

    labels = [
        {"concept": label.concept, "variants": dict(sorted(label.variants)), "kind": label.kind}
        for label in sorted(story.framing.labels, key=lambda label: label.concept)
    ]

    omissions = []
    for omission in sorted(
        story.omissions,
        key=lambda o: (index.outlet(o.article) or "", o.article, -o.centrality, o.fact),
    ):
        fact_record = facts_by_id.get(omission.fact)
        omissions.append(
            {
                "article": omission.article,
                "outlet": index.outlet(omission.article),
                "fact": omission.fact,
                "statement": fact_record.statement if fact_record is not None else None,
                "centrality": omission.centrality,
            }
        )

    summary = [
        {
            "text": s.text,
            "section": s.section,
            "citations": [_citation(index, c) for c in s.citations],
        }
        for s in story.summary
    ]

    quotes = _quotes(story)
    hedges = [
        _citation(index, c)
        for c in sorted(story.framing.hedges, key=lambda c: _citation_key(index, c))
    ]
    anonymous = [
        _citation(index, c)
        for c in sorted(story.framing.anonymous_sources, key=lambda c: _citation_key(index, c))
    ]
    status_counts: Counter[str] = Counter(fact.status for fact in story.facts)
    articles = [_article(a) for a in story.articles]
    reprints = _reprints(story)
    for article in articles:
        article["republished_by"] = sorted(
            {r["outlet"] for r in reprints if r["original"] == article["id"]},
            key=lambda n: (n.casefold(), n),
        )

    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "storyscope", "version": _generator_version()},
        "outlets": index.outlets(),
        "articles": articles,
        "facts": facts,
        "contradictions": contradictions,
        "quotes": quotes,
        "quote_variants": variants,
        "framing": {
            "labels": labels,
            "hedges": hedges,
            "anonymous_sources": anonymous,
            "outlets": outlet_table(story, index),
        },
        "omissions": omissions,
        "summary": summary,
        "stats": {
            "articles": len(story.articles),
            "outlets": len(index.outlets()),
            "words": sum(a.article.word_count for a in story.articles),
            "facts": len(story.facts),
            "facts_by_status": {status: status_counts.get(status, 0) for status in _STATUSES},
            "contradictions": len(story.contradictions),
            "quotes": len(quotes),
            "quote_variants": len(story.quote_variants),
            "omissions": len(story.omissions),
            "summary_sentences": len(story.summary),
            "hedges": len(hedges),
            "anonymous_sources": len(anonymous),
            "removed": sum(len(a.article.removed) for a in story.articles),
            "failures": len(story.failures),
        },
        "warnings": [*story.warnings, *_span_warnings(index)],
        "failures": [
            {"stage": f.stage, "source": f.source, "error": f.error} for f in story.failures
        ],
        "reprints": reprints,
    }
    if story.outlet_info:
        report["outlet_metadata"] = {o.name: o.as_dict() for o in story.outlet_info}
        report["lean_coverage"] = lean_coverage(story)
    return report


def _reprints(story: Story) -> list[dict[str, Any]]:
    """``reprints[]``: the copies left out, by the outlet that republished them."""
    outlets = {a.id: a.article.outlet for a in story.articles}
    rows = [
        {
            "outlet": r.outlet,
            "source": r.source,
            "url": r.url,
            "title": r.title,
            "kind": r.kind,
            "original": r.original,
            "original_outlet": outlets.get(r.original),
        }
        for r in story.reprints
    ]
    return sorted(rows, key=lambda r: (r["outlet"].casefold(), r["source"], r["original"]))


def lean_coverage(story: Story) -> dict[str, Any]:
    """``lean_coverage``: the story's outlets and articles by lean (the outlets file's),
    reprints counted for the outlet that republished them, and the blindspot side."""
    from storyscope.outlets import LEANS, blindspot

    lean_of = {o.name: o.lean for o in story.outlet_info}
    keys = (*LEANS, "unrated")
    outlets: dict[str, set[str]] = {k: set() for k in keys}
    articles = dict.fromkeys(keys, 0)
    names = [a.article.outlet for a in story.articles] + [r.outlet for r in story.reprints]
    for name in names:
        key = lean_of.get(name) or "unrated"
        outlets[key].add(name)
        articles[key] += 1
    distinct = sorted(set(names))
    return {
        "outlets": {k: sorted(v, key=lambda n: (n.casefold(), n)) for k, v in outlets.items()},
        "articles": articles,
        "blindspot": blindspot(lean_of.get(n) for n in distinct),
    }


def render_json(story: Story, *, indent: int | None = 2) -> str:
    """Render a story as the JSON report.

    Args:
        story: The aligned story.
        indent: Indentation passed to :func:`json.dumps`; None for one line.

    Returns:
        The report as JSON text (UTF-8 characters kept as-is), ending without a newline.

    Raises:
        ReportError: The report holds a value JSON cannot represent.
    """
    return dumps_report(to_dict(story), indent=indent)


def dumps_report(report: Mapping[str, Any], *, indent: int | None = 2) -> str:
    """The JSON text of a report dict (:func:`to_dict`, or the same read back from JSON):
    what :func:`render_json` writes.

    Raises:
        ReportError: The report holds a value JSON cannot represent.
    """
    try:
        return json.dumps(report, indent=indent, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ReportError(f"cannot encode report as JSON: {exc}") from exc


def _iso_published(value: dt.datetime | None) -> str | None:
    """ISO 8601; a date given without a time (midnight, no zone) stays a plain date."""
    if value is None:
        return None
    if value.tzinfo is None and value.time() == dt.time(0, 0):
        return value.date().isoformat()
    return value.isoformat()
