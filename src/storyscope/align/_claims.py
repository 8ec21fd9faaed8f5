"""The claim table: every claim of every article with its evidence and pairwise scores.

All pairwise work in the align stage reads the matrices built here once, with
numpy, so that a story of a few hundred claims costs milliseconds.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyscope.align._text import (
    content_terms,
    is_dateline_or_caption,
    negated,
    paraphrase_terms,
    words,
)
from storyscope.errors import AlignmentError
from storyscope.model import (
    AnalyzedArticle,
    Citation,
    Claim,
    Quantity,
    Sentence,
    TimeExpression,
)

__all__ = ["IDF_FLOOR", "ClaimRef", "ClaimTable", "build_table", "stable_id"]

logger = logging.getLogger(__name__)

#: Weight of sentence-embedding cosine in the pair score (the rest is lexical).
COSINE_WEIGHT = 0.6
#: Weight of content-word overlap in the pair score: the larger of the plain
#: Jaccard and the rarity-weighted Jaccard (each word weighs its inverse claim
#: frequency in the story, so sharing the event's ubiquitous names counts
#: little and sharing its rarer words, "hostage", "Kurdish", counts much).
#: On BASIL the maximum gains paraphrases and no foreign-event pair.
JACCARD_WEIGHT = 0.4
#: Bonus when two claims share a number or a named entity (score is capped at 1).
KEY_BONUS = 0.05
#: Claims shorter than this (in words) are not worth a fact of their own.
MIN_FACT_WORDS = 5

#: Least weight of a word in the rarity-weighted Jaccard (a word in every claim).
IDF_FLOOR = 0.1

#: Rarity weights are computed as if the story had at least this many claims.
RARITY_MIN_CLAIMS = 20

_KEY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"})


@dataclass(frozen=True, slots=True)
class ClaimRef:
    """One claim with what the align stage needs to compare it."""

    row: int
    claim: Claim
    doc: int  # index of its article in the story
    outlet: str
    sentence: Citation  # the whole sentence the claim is in (exact span)
    quantities: tuple[Quantity, ...]
    times: tuple[TimeExpression, ...]
    terms: frozenset[str]
    paraphrase_terms: frozenset[str]  # terms with lexicon paraphrases folded ("~fund")
    keys: frozenset[str]  # numbers and named entities, normalised
    negated: bool  # the analyze stage's decision (Claim.negated)
    trivial: bool  # too short to stand alone as a fact
    position: float  # relative position of the claim in its article, 0..1


@dataclass(frozen=True, slots=True)
class ClaimTable:
    """All comparable claims of a story plus pairwise similarity matrices.

    Attributes:
        articles: The analyzed articles, in input order.
        refs: Claims in article order; ``refs[i].row == i``.
        cosine: ``(n, n)`` cosine of the claims' sentence embeddings.
        jaccard: ``(n, n)`` Jaccard of stemmed content words.
        weighted_jaccard: ``(n, n)`` the same, each word weighted by its rarity
            among the story's claims (``log(n / df)``, at least :data:`IDF_FLOOR`).
        shared_key: ``(n, n)`` bool, the two claims share a number or named entity.
        paraphrase_jaccard: ``(n, n)`` the larger of plain and weighted Jaccard
            over :attr:`ClaimRef.paraphrase_terms` (paraphrases from
            ``data/paraphrases.toml`` count as shared words).
        score: ``(n, n)`` combined similarity; ``-1`` on the diagonal and for
            claims of the same article (never compared).
        doc_vectors: ``(n_articles, dim)`` normalised mean sentence vector per article.
    """

    articles: tuple[AnalyzedArticle, ...]
    refs: tuple[ClaimRef, ...]
    cosine: npt.NDArray[np.float32]
    jaccard: npt.NDArray[np.float32]
    shared_key: npt.NDArray[np.bool_]
    weighted_jaccard: npt.NDArray[np.float32]
    score: npt.NDArray[np.float32]
    doc_vectors: npt.NDArray[np.float32]
    paraphrase_jaccard: npt.NDArray[np.float32]

    def outlet(self, doc: int) -> str:
        """Display name of the outlet of article ``doc``."""
        return self.articles[doc].article.outlet


def _sentence_rows(doc: AnalyzedArticle) -> dict[int, int]:
    return {s.index: pos for pos, s in enumerate(doc.sentences)}


def _sentence_for(doc: AnalyzedArticle, rows: dict[int, int], claim: Claim) -> Sentence | None:
    pos = rows.get(claim.sentence)
    if pos is not None:
        s = doc.sentences[pos]
        if s.start <= claim.start and claim.end <= s.end:
            return s
    for s in doc.sentences:
        if s.start <= claim.start and claim.end <= s.end:
            return s
    return None


def _claims_of(doc: AnalyzedArticle) -> tuple[Claim, ...]:
    if doc.claims:
        return doc.claims
    # No claim extraction: every sentence stands as one claim (negated: has a negation word).
    return tuple(
        Claim(
            id=f"{doc.id}:s{s.index}",
            article=doc.id,
            sentence=s.index,
            start=s.start,
            end=s.end,
            text=s.text,
            negated=negated(s.text),
        )
        for s in doc.sentences
    )


def _norm_key(text: str) -> str:
    return " ".join(w.lower() for w in words(text) if w.lower() not in {"the", "a", "an"})


def _quantity_key(q: Quantity) -> str:
    return f"#{q.kind}:{q.unit}:{q.value:g}"


def _embed_missing(
    articles: Sequence[AnalyzedArticle], embedder: object | None
) -> list[npt.NDArray[np.float32]]:
    out: list[npt.NDArray[np.float32]] = []
    for doc in articles:
        emb = doc.embeddings
        if emb is None:
            texts = [s.text for s in doc.sentences]
            if embedder is None:
                from storyscope.analyze.embeddings import get_embedder

                embedder = get_embedder()
            try:
                emb = embedder.embed(texts) if texts else None  # type: ignore[attr-defined]
            except AlignmentError:
                raise
            except Exception as exc:
                raise AlignmentError(
                    f"cannot embed sentences of {doc.article.outlet} ({doc.id}): {exc}"
                ) from exc
        arr = (
            np.zeros((0, 1), dtype=np.float32) if emb is None else np.asarray(emb, dtype=np.float32)
        )
        if arr.ndim != 2 or arr.shape[0] != len(doc.sentences):
            raise AlignmentError(
                f"{doc.article.outlet} ({doc.id}): embeddings have shape {arr.shape}, "
                f"expected ({len(doc.sentences)}, dim)"
            )
        out.append(arr)
    dims = {a.shape[1] for a in out if a.shape[0]}
    if len(dims) > 1:
        raise AlignmentError(f"articles were embedded with different models (dims {sorted(dims)})")
    return out


def build_table(
    articles: Sequence[AnalyzedArticle], *, embedder: object | None = None
) -> ClaimTable:
    """Collect the claims of ``articles`` and score every pair of them.

    Args:
        articles: Analyzed articles of one story.
        embedder: Used only for articles whose ``embeddings`` is ``None``.

    Returns:
        The claim table.

    Raises:
        AlignmentError: Embeddings are missing and cannot be computed, or have
            the wrong shape.
    """
    docs = tuple(articles)
    embeddings = _embed_missing(docs, embedder)
    dim = max((e.shape[1] for e in embeddings if e.shape[0]), default=1)

    refs: list[ClaimRef] = []
    vec_rows: list[npt.NDArray[np.float32]] = []
    doc_vectors = np.zeros((len(docs), dim), dtype=np.float32)
    for d, doc in enumerate(docs):
        text = doc.text
        emb = embeddings[d]
        if emb.shape[0]:
            mean = emb.mean(axis=0)
            norm = float(np.linalg.norm(mean))
            if norm > 0:
                doc_vectors[d] = mean / norm
        rows = _sentence_rows(doc)
        entities = [e for e in doc.entities if e.label in _KEY_LABELS]
        for claim in _claims_of(doc):
            if text[claim.start : claim.end] != claim.text:
                logger.warning("claim %s: text does not match its span; skipped", claim.id)
                continue
            if is_dateline_or_caption(claim.text):
                continue
            sent = _sentence_for(doc, rows, claim)
            if sent is None:
                logger.warning("claim %s lies in no sentence; skipped", claim.id)
                continue
            quantities = tuple(
                q for q in doc.quantities if claim.start <= q.start and q.end <= claim.end
            )
            times = tuple(t for t in doc.times if claim.start <= t.start and t.end <= claim.end)
            keys = {_quantity_key(q) for q in quantities if q.kind != "ordinal"}
            keys |= {
                _norm_key(e.text)
                for e in entities
                if claim.start <= e.start and e.end <= claim.end and _norm_key(e.text)
            }
            n_words = len(words(claim.text))
            refs.append(
                ClaimRef(
                    row=len(refs),
                    claim=claim,
                    doc=d,
                    outlet=doc.article.outlet,
                    sentence=Citation(
                        article=doc.id,
                        start=sent.start,
                        end=sent.end,
                        text=text[sent.start : sent.end],
                    ),
                    quantities=quantities,
                    times=times,
                    terms=frozenset(content_terms(claim.text)),
                    paraphrase_terms=paraphrase_terms(claim.text),
                    keys=frozenset(keys),
                    negated=claim.negated,
                    trivial=n_words < MIN_FACT_WORDS,
                    position=claim.start / max(1, len(text)),
                )
            )
            vec_rows.append(emb[rows[sent.index]] if sent.index in rows else np.zeros(dim))

    n = len(refs)
    if n:
        vecs = np.vstack(vec_rows).astype(np.float32)
        cosine = np.clip(vecs @ vecs.T, -1.0, 1.0).astype(np.float32)
    else:
        cosine = np.zeros((0, 0), dtype=np.float32)
    jaccard = _jaccard([r.terms for r in refs])
    weighted = _weighted_jaccard([r.terms for r in refs])
    para_sets = [r.paraphrase_terms for r in refs]
    para = np.maximum(_jaccard(para_sets), _weighted_jaccard(para_sets))
    shared_key = _overlap([r.keys for r in refs]) > 0
    score = (
        COSINE_WEIGHT * cosine
        + JACCARD_WEIGHT * np.maximum(np.maximum(jaccard, weighted), para)
        + KEY_BONUS * shared_key
    )
    score = np.minimum(score, 1.0).astype(np.float32)
    docs_of = np.asarray([r.doc for r in refs], dtype=np.int64)
    same_doc = docs_of[:, None] == docs_of[None, :]
    score[same_doc] = -1.0
    return ClaimTable(
        articles=docs,
        refs=tuple(refs),
        cosine=cosine,
        jaccard=jaccard,
        shared_key=shared_key,
        weighted_jaccard=weighted,
        score=score,
        doc_vectors=doc_vectors,
        paraphrase_jaccard=para,
    )


def _incidence(sets: Sequence[frozenset[str]]) -> npt.NDArray[np.float32]:
    vocab: dict[str, int] = {}
    for s in sets:
        for t in s:
            vocab.setdefault(t, len(vocab))
    mat = np.zeros((len(sets), max(1, len(vocab))), dtype=np.float32)
    for i, s in enumerate(sets):
        for t in s:
            mat[i, vocab[t]] = 1.0
    return mat


def _overlap(sets: Sequence[frozenset[str]]) -> npt.NDArray[np.float32]:
    mat = _incidence(sets)
    return (mat @ mat.T).astype(np.float32)


def _jaccard(sets: Sequence[frozenset[str]]) -> npt.NDArray[np.float32]:
    mat = _incidence(sets)
    inter = mat @ mat.T
    sizes = mat.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(union > 0, inter / np.maximum(union, 1e-9), 0.0)
    return out.astype(np.float32)


def _weighted_jaccard(sets: Sequence[frozenset[str]]) -> npt.NDArray[np.float32]:
    """Jaccard where each word weighs its inverse claim frequency, ``log(n / df)``."""
    mat = _incidence(sets)
    n = mat.shape[0]
    if not n:
        return np.zeros((0, 0), dtype=np.float32)
    df = mat.sum(axis=0)
    # As if the story had at least RARITY_MIN_CLAIMS claims: in a story of two
    # claims every shared word would otherwise weigh only IDF_FLOOR.
    idf = np.log(np.maximum(n, RARITY_MIN_CLAIMS) / np.maximum(df, 1.0)).astype(np.float32)
    idf = np.maximum(idf, IDF_FLOOR)
    weighted = mat * idf[None, :]
    inter = weighted @ mat.T
    sizes = weighted.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(union > 0, inter / np.maximum(union, 1e-9), 0.0)
    return out.astype(np.float32)


def stable_id(prefix: str, parts: Sequence[str]) -> str:
    """``prefix`` + first 10 hex digits of SHA-1 over the sorted ``parts``."""
    digest = hashlib.sha1("\n".join(sorted(parts)).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:10]}"
