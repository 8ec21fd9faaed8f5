"""Related stories: the other stories nearest to a story by their lead vectors.

The rule (the same for every source):

- An **article vector** is the unit-length embedding clustering already keeps for it: in
  a store, the title-and-lead vector ingest computed (``embeddings`` table, the
  :func:`~storyscope.cluster.embed_leads` vector clustering placed the article with);
  in memory (:class:`~storyscope.web._source.MemorySource`), which has no lead vectors,
  the normalised mean of the sentence embeddings its analysis kept
  (``AnalyzedArticle.embeddings``).
- A **story vector** is the normalised mean of its articles' vectors (a store's
  near-duplicate copies left out, as in its comparison). A story none of whose articles
  has a vector has none, and so no related stories.
- The **score** of another story is the cosine of the two story vectors, rounded to three
  decimals. Stories scoring at least :data:`RELATED_FLOOR` are related, nearest first
  (ties by id), at most :data:`RELATED_LIMIT` of them; below the floor nothing is listed,
  so a story with no close neighbour shows no list rather than weak matches.

The floor is a judgement, not a tuned value: with the MiniLM lead vectors, articles about
unrelated news score around 0.1-0.3, and the clusterer has already put articles about one
event into one story, so what is left at 0.6 and above is mostly the same subject seen
from another event (a trial after the crime, a second storm). Cost: one matrix-vector
product over the stories' vectors kept in memory (10,000 stories x 384 floats: 15 MB,
about a millisecond); see :class:`StoryVectors`.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "RELATED_FLOOR",
    "RELATED_LIMIT",
    "RELATED_RULE",
    "RelatedStory",
    "StoryVectors",
    "mean_vector",
]

RELATED_FLOOR = 0.6
"""The lowest score (cosine of two story vectors) at which a story is listed as related."""

RELATED_LIMIT = 5
"""Related stories listed on a story page (the API's default ``limit``)."""

RELATED_RULE = (
    "cosine of the story vectors (normalised mean of the members' title-and-lead "
    "vectors), at least the floor, nearest first"
)
"""The rule in one line, as the API states it."""

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True, kw_only=True)
class RelatedStory:
    """A story related to another one.

    Attributes:
        id: Its story id.
        title: Its list title.
        score: Cosine of the two story vectors, in ``[RELATED_FLOOR, 1]``, three decimals.
        article_count: Its articles.
        outlets: Its outlets, sorted.
        last_published: Its latest publication time, if any.
    """

    id: str
    title: str
    score: float
    article_count: int
    outlets: tuple[str, ...] = ()
    last_published: dt.datetime | None = None


def mean_vector(rows: Iterable[Any]) -> Vector | None:
    """The normalised mean of ``rows`` (1-d vectors or 2-d blocks of them); None when there
    are none or they cancel out."""
    blocks = [
        np.asarray(r, dtype=np.float32).reshape(-1, np.shape(r)[-1]) for r in rows if np.size(r)
    ]
    if not blocks:
        return None
    total = np.concatenate(blocks).sum(axis=0, dtype=np.float64)
    norm = float(np.linalg.norm(total))
    if not np.isfinite(norm) or norm == 0.0:
        return None
    unit: Vector = (total / norm).astype(np.float32)
    return unit


class StoryVectors:
    """Story id -> unit vector, searched by one matrix-vector product (thread-safe).

    The matrix is restacked after a change, on the next :meth:`nearest`.
    """

    def __init__(self, vectors: Mapping[str, Vector] | None = None) -> None:
        self._vectors: dict[str, Vector] = {}
        self._ids: list[str] = []
        self._matrix: Vector | None = None
        self._lock = threading.Lock()
        if vectors:
            self.update(vectors)

    def __len__(self) -> int:
        return len(self._vectors)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._vectors

    def update(self, vectors: Mapping[str, Vector], removed: Iterable[str] = ()) -> None:
        """Set the vectors of some stories and drop others (a vector of another dimension
        than those kept is ignored)."""
        with self._lock:
            changed = False
            for sid in removed:
                changed |= self._vectors.pop(sid, None) is not None
            dim = next((v.shape[0] for v in self._vectors.values()), None)
            for sid, vector in vectors.items():
                if dim is not None and vector.shape[0] != dim:
                    continue
                dim = vector.shape[0]
                self._vectors[sid] = vector
                changed = True
            if changed:
                self._matrix = None

    def nearest(
        self, story_id: str, *, limit: int = RELATED_LIMIT, floor: float = RELATED_FLOOR
    ) -> list[tuple[str, float]]:
        """The other stories scoring at least ``floor`` with ``story_id``, nearest first
        (ties by id), at most ``limit``; empty for a story without a vector."""
        with self._lock:
            vector = self._vectors.get(story_id)
            if vector is None or limit <= 0:
                return []
            if self._matrix is None:
                self._ids = list(self._vectors)
                self._matrix = np.stack([self._vectors[i] for i in self._ids])
            ids, matrix = self._ids, self._matrix
        raw = matrix @ vector
        keep = np.flatnonzero(raw >= floor - 0.001)  # then rounded, as listed: only these
        scores = np.zeros(len(raw), dtype=np.float64)
        scores[keep] = np.minimum(np.round(raw[keep].astype(np.float64), 3), 1.0)
        keep = keep[scores[keep] >= floor]
        if len(keep) > limit + 1:  # only the best limit + 1 (itself among them), ties kept
            kth = np.partition(scores[keep], len(keep) - limit - 1)[len(keep) - limit - 1]
            keep = keep[scores[keep] >= kth]
        hits = [(ids[i], float(scores[i])) for i in keep if ids[i] != story_id]
        hits.sort(key=lambda h: (-h[1], h[0]))
        return hits[:limit]
