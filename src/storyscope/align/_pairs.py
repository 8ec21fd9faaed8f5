"""The learned pair scorer: how likely two claims of different articles state the same fact.

Every pair of claims from different articles gets a feature vector built from the
claim table (:mod:`storyscope.align._claims`): sentence-embedding cosine and how it
ranks among the claim's other candidates, plain / rarity-weighted / paraphrase word
overlap, shared names and numbers, numbers that differ, the claims' positions in
their articles, their lengths and how much of them is quotation. A logistic
regression over those features turns them into a probability.

The weights are data (``data/pair_scorer.json``), fitted on the BASIL alignment gold
(20 real events, Fox News / NYT / HuffPost, every cross-outlet fact with all its
sentences) by ``eval/train_pair_scorer.py``, which also reports the
leave-events-out cross-validated figures; the data file records them, and
``docs/alignment.md`` documents inputs, features and figures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from storyscope.align._claims import RARITY_MIN_CLAIMS, ClaimTable, _incidence
from storyscope.align._text import quoted_share
from storyscope.errors import ConfigError

__all__ = ["FEATURES", "PairModel", "feature_tensor", "load_pair_model", "pair_probability"]

#: Feature names, in the order of the last axis of :func:`feature_tensor`.
FEATURES: tuple[str, ...] = (
    "cosine",
    "cosine_sq",
    "cosine_rank",  # 1 / rank of the pair among the row claim's candidates in the other article
    "cosine_rank_t",  # the same from the other side
    "mutual_best",
    "cosine_gap",  # cosine minus the row claim's mean cosine to the other article
    "jaccard",
    "weighted_jaccard",
    "paraphrase_jaccard",
    "shared_idf",  # sum of the rarity weights of shared words (capped at 10) / 10
    "shared_names",  # shared named entities (capped at 3) / 3
    "name_jaccard",
    "shared_numbers",  # shared quantities (capped at 2) / 2
    "number_clash",  # both have quantities, none shared
    "pos_max",  # the later claim's sentence number (capped at POSITION_SENTENCES) / 30
    "pos_diff",
    "lead_both",  # both in the first LEAD_SENTENCES sentences of their article
    "len_min",  # log words of the shorter claim / 4
    "len_ratio",
    "quoted_max",
    "quoted_both",
    "trivial_any",
    "terms_min",  # content words of the claim with fewer (capped at 12) / 12
    "shared_terms",  # shared content words (capped at 6) / 6
    "shared_rare",  # shared words whose rarity weight is at least 1.5 (capped at 4) / 4
    "name_clash",  # both name someone or something, no name shared
    "cos_x_wjac",
    "cos_x_rank",
    "lexical_score",  # the hand-set similarity of the claim table (0.6 cosine + 0.4 overlap)
    "bias",
)


@dataclass(frozen=True, slots=True)
class PairModel:
    """Standardisation and weights of the logistic pair scorer (``data/pair_scorer.json``)."""

    features: tuple[str, ...]
    mean: npt.NDArray[np.float32]
    scale: npt.NDArray[np.float32]
    weights: npt.NDArray[np.float32]
    meta: dict[str, object]

    def probability(self, x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """``P(same fact)`` for a feature array whose last axis is :attr:`features`."""
        # The standardisation folded into the weights: one pass over ``x``, no
        # temporaries of its size (an (n, n, features) tensor of a 40-article story
        # is over 100 MB).
        w = (self.weights / self.scale).astype(np.float32)
        bias = -float(np.dot(self.mean / self.scale, self.weights))
        z: npt.NDArray[np.float32] = np.asarray(x @ w, dtype=np.float32) + np.float32(bias)
        return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).astype(np.float32)


@lru_cache(maxsize=4)
def load_pair_model(name: str = "pair_scorer.json") -> PairModel:
    """Load the packaged pair scorer.

    Raises:
        ConfigError: The file is missing, malformed, or made for other features.
    """
    try:
        raw = json.loads(resources.files("storyscope.data").joinpath(name).read_text("utf-8"))
        feats = tuple(raw["features"])
        model = PairModel(
            features=feats,
            mean=np.asarray(raw["mean"], dtype=np.float32),
            scale=np.asarray(raw["scale"], dtype=np.float32),
            weights=np.asarray(raw["weights"], dtype=np.float32),
            meta={k: v for k, v in raw.items() if k not in ("features", "mean", "scale", "weights")},
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"pair scorer {name}: cannot load ({exc})") from exc
    if feats != FEATURES or not (
        model.mean.shape == model.scale.shape == model.weights.shape == (len(FEATURES),)
    ):
        raise ConfigError(
            f"pair scorer {name}: made for features {list(feats)}, this version computes "
            f"{list(FEATURES)}; rebuild it with eval/train_pair_scorer.py"
        )
    return model


#: Article-centroid cosine under which two articles may be about different
#: events (BASIL: same-event pairs 0.87 on average, 1st percentile 0.62;
#: different-event pairs 0.45 on average).
UNRELATED_ARTICLES = 0.7
#: Claims each article needs before its centroid says what it is about.
UNRELATED_MIN_CLAIMS = 5
#: Hand-set pair score two claims of such articles need to be compared at all.
UNRELATED_MIN_SCORE = 0.55

#: Sentence number from which a claim counts as deep in its article (position 1).
POSITION_SENTENCES = 30.0
#: Sentences that make an article's lead.
LEAD_SENTENCES = 3

#: Candidates from which being a claim's best match is full evidence: in an
#: article of two claims, one of them is always the best match of anything.
RANK_EVIDENCE_CANDIDATES = 30


def _ranks(
    cos: npt.NDArray[np.float32], docs: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
    """``out[i, j]`` = 1 / rank of ``j`` among the claims of ``j``'s article by cosine to ``i``,
    times ``log(1 + m) / log(1 + RANK_EVIDENCE_CANDIDATES)`` (at most 1) for an article of
    ``m`` claims; and where ``j`` is the best match (rank 1)."""
    n = cos.shape[0]
    out = np.zeros((n, n), dtype=np.float32)
    best = np.zeros((n, n), dtype=bool)
    for d in np.unique(docs):
        cols = np.nonzero(docs == d)[0]
        sub = cos[:, cols]
        order = np.argsort(-sub, axis=1, kind="stable")
        rank = np.empty_like(order)
        rows = np.arange(n)[:, None]
        rank[rows, order] = np.arange(1, len(cols) + 1)[None, :]
        weight = min(1.0, np.log1p(len(cols)) / np.log1p(RANK_EVIDENCE_CANDIDATES))
        out[:, cols] = weight / rank
        best[:, cols] = rank == 1
    return out, best


def feature_tensor(table: ClaimTable) -> npt.NDArray[np.float32]:
    """``(n, n, len(FEATURES))`` features of every claim pair of ``table``.

    Same-article pairs get features too (they are never scored: see
    :func:`pair_probability`).
    """
    refs = table.refs
    n = len(refs)
    f = np.zeros((n, n, len(FEATURES)), dtype=np.float32)
    if not n:
        return f
    col = {name: k for k, name in enumerate(FEATURES)}
    docs = np.asarray([r.doc for r in refs], dtype=np.int64)
    cos = table.cosine.astype(np.float32).copy()
    same = docs[:, None] == docs[None, :]
    cos_x = np.where(same, -1.0, cos).astype(np.float32)
    ranks, best = _ranks(cos_x, docs)
    f[..., col["cosine"]] = cos
    f[..., col["cosine_sq"]] = cos * cos
    f[..., col["cosine_rank"]] = ranks
    f[..., col["cosine_rank_t"]] = ranks.T
    f[..., col["mutual_best"]] = np.minimum(ranks, ranks.T) * (best & best.T)
    mean_to_doc = np.zeros((n, n), dtype=np.float32)
    for d in np.unique(docs):
        cols = np.nonzero(docs == d)[0]
        mean_to_doc[:, cols] = cos[:, cols].mean(axis=1, keepdims=True)
    f[..., col["cosine_gap"]] = cos - mean_to_doc
    f[..., col["jaccard"]] = table.jaccard
    f[..., col["weighted_jaccard"]] = table.weighted_jaccard
    f[..., col["paraphrase_jaccard"]] = table.paraphrase_jaccard

    terms = [r.terms for r in refs]
    mat = _incidence(terms)
    df = mat.sum(axis=0)
    # Rarity against at least RARITY_MIN_CLAIMS claims: in a story of three
    # claims every shared word would otherwise weigh nothing.
    idf = np.log(max(n, RARITY_MIN_CLAIMS) / np.maximum(df, 1.0)).astype(np.float32)
    f[..., col["shared_idf"]] = np.minimum((mat * idf[None, :]) @ mat.T, 10.0) / 10.0

    names = [frozenset(k for k in r.keys if not k.startswith("#")) for r in refs]
    nums = [frozenset(k for k in r.keys if k.startswith("#")) for r in refs]
    nm = _incidence(names)
    shared_n = nm @ nm.T
    size_n = nm.sum(axis=1)
    union_n = size_n[:, None] + size_n[None, :] - shared_n
    f[..., col["shared_names"]] = np.minimum(shared_n, 3.0) / 3.0
    f[..., col["name_jaccard"]] = np.where(union_n > 0, shared_n / np.maximum(union_n, 1), 0.0)
    qm = _incidence(nums)
    shared_q = qm @ qm.T
    has_q = qm.sum(axis=1) > 0
    f[..., col["shared_numbers"]] = np.minimum(shared_q, 2.0) / 2.0
    f[..., col["number_clash"]] = has_q[:, None] & has_q[None, :] & (shared_q == 0)

    # Position by sentence number, not share of the article: in a two-sentence
    # brief the second sentence is still near the top.
    order = np.asarray([r.claim.sentence for r in refs], dtype=np.float32)
    first = {d: order[docs == d].min() for d in np.unique(docs).tolist()}
    order = order - np.asarray([first[int(d)] for d in docs], dtype=np.float32)
    pos = np.minimum(order, POSITION_SENTENCES) / POSITION_SENTENCES
    f[..., col["pos_max"]] = np.maximum(pos[:, None], pos[None, :])
    f[..., col["pos_diff"]] = np.abs(pos[:, None] - pos[None, :])
    lead = order < LEAD_SENTENCES
    # In a brief of three sentences every claim is in the lead: no evidence.
    sizes_d = {d: int((docs == d).sum()) for d in np.unique(docs).tolist()}
    informative = np.asarray(
        [min(1.0, sizes_d[int(d)] / (3.0 * LEAD_SENTENCES)) for d in docs], dtype=np.float32
    )
    f[..., col["lead_both"]] = (lead[:, None] & lead[None, :]) * np.minimum(
        informative[:, None], informative[None, :]
    )
    f[..., col["pos_max"]] = 0.5 + (f[..., col["pos_max"]] - 0.5) * np.minimum(
        informative[:, None], informative[None, :]
    )
    lengths = np.asarray([max(1, len(r.claim.text.split())) for r in refs], dtype=np.float32)
    lo = np.minimum(lengths[:, None], lengths[None, :])
    hi = np.maximum(lengths[:, None], lengths[None, :])
    f[..., col["len_min"]] = np.log(lo) / 4.0
    f[..., col["len_ratio"]] = lo / hi
    quoted = np.asarray([quoted_share(r.claim.text) for r in refs], dtype=np.float32)
    f[..., col["quoted_max"]] = np.maximum(quoted[:, None], quoted[None, :])
    f[..., col["quoted_both"]] = np.minimum(quoted[:, None], quoted[None, :])
    trivial = np.asarray([r.trivial for r in refs])
    f[..., col["trivial_any"]] = trivial[:, None] | trivial[None, :]
    sizes = mat.sum(axis=1)
    f[..., col["terms_min"]] = np.minimum(np.minimum(sizes[:, None], sizes[None, :]), 12.0) / 12.0
    f[..., col["shared_terms"]] = np.minimum(mat @ mat.T, 6.0) / 6.0
    rare = mat * (idf >= 1.5)[None, :]
    f[..., col["shared_rare"]] = np.minimum(rare @ rare.T, 4.0) / 4.0
    has_n = size_n > 0
    f[..., col["name_clash"]] = has_n[:, None] & has_n[None, :] & (shared_n == 0)
    f[..., col["cos_x_wjac"]] = cos * table.weighted_jaccard
    f[..., col["cos_x_rank"]] = cos * np.minimum(ranks, ranks.T)
    f[..., col["lexical_score"]] = np.maximum(table.score, 0.0)
    f[..., col["bias"]] = 1.0
    return f


def pair_probability(
    table: ClaimTable, model: PairModel | None = None
) -> npt.NDArray[np.float32]:
    """``(n, n)`` probability that two claims state the same fact; 0 for same-article pairs.

    Raises:
        ConfigError: The packaged pair scorer cannot be loaded.
    """
    model = model or load_pair_model()
    n = len(table.refs)
    if not n:
        return np.zeros((0, 0), dtype=np.float32)
    p = model.probability(feature_tensor(table))
    p = (p + p.T) / 2.0  # the features are not all symmetric; the score must be
    docs = np.asarray([r.doc for r in table.refs])
    p[docs[:, None] == docs[None, :]] = 0.0
    # The model was fit on articles about one event, where ranks and position
    # mean something. Between articles that may be about different events
    # (centroid cosine under UNRELATED_ARTICLES) only near-verbatim pairs count.
    # (A centroid of one or two sentences is those sentences: no article-level evidence.)
    vecs = table.doc_vectors
    doc_sim = (vecs @ vecs.T)[docs[:, None], docs[None, :]]
    sizes = np.bincount(docs, minlength=vecs.shape[0])[docs]
    long_enough = (sizes[:, None] >= UNRELATED_MIN_CLAIMS) & (sizes[None, :] >= UNRELATED_MIN_CLAIMS)
    p[long_enough & (doc_sim < UNRELATED_ARTICLES) & (table.score < UNRELATED_MIN_SCORE)] = 0.0
    return p.astype(np.float32)
