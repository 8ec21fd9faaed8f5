"""Incremental story clustering: articles join an existing story or open a new one.

Each article is represented by one embedding (MiniLM over its title and lead,
see :func:`embed_leads`), its keywords (content words, names weighing double,
see :func:`~storyscope.cluster._text.find_keywords`) and its publication date.
A story keeps the sum of its members' embeddings, the sum of their keyword
counts and its first and last date.

For a new article, the active stories whose dates lie within ``window`` of the
article's date (stories or articles without a date are always in reach) are
ranked by embedding cosine; the best few are scored by

    ``score = embedding_weight * cos(embedding, centroid)
    + (1 - embedding_weight) * cos(keywords, story keywords)``

with IDF weights kept incrementally over everything added. The article joins the
best story at or above ``threshold``, else opens a new one. When an article joins
a story, the story is compared with the other stories the article almost joined;
two stories that now score at or above ``merge_threshold`` merge (evidence grew:
an article bridged them). Stories older than ``retire_after`` before the newest
date seen leave the active set, so memory stays flat on an endless stream.

The state is plain numpy arrays and lists (:meth:`StoryClusterer.to_state`); it
can also be rebuilt by adding the stored articles again in their stored order.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from storyscope.cluster._text import find_keywords, hash_token, lead_text
from storyscope.errors import StoryscopeError
from storyscope.model import Article

if TYPE_CHECKING:  # pragma: no cover
    from storyscope.analyze.embeddings import Embedder

__all__ = ["Assignment", "StoryClusterer", "StoryInfo", "embed_leads"]

logger = logging.getLogger(__name__)

_DF_BITS = 20
_DF_MASK = (1 << _DF_BITS) - 1
_EPOCH = dt.datetime(1970, 1, 1)
Vector = npt.NDArray[np.float32]


def embed_leads(articles: Sequence[Article], embedder: Embedder | None = None) -> Vector:
    """One unit-length embedding per article, from its title and lead.

    Args:
        articles: The articles.
        embedder: Any :class:`~storyscope.analyze.embeddings.Embedder`; the
            default MiniLM model when omitted.

    Returns:
        ``(len(articles), dim)`` float32 array.

    Raises:
        AnalysisError: The embedding model could not be loaded or run.
    """
    if embedder is None:
        from storyscope.analyze.embeddings import get_embedder

        embedder = get_embedder()
    return embedder.embed([lead_text(a.title, a.text) for a in articles])


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    """Where :meth:`StoryClusterer.add` put an article.

    Attributes:
        article: The article id.
        story: The story it belongs to now.
        created: The article opened this story.
        score: Its similarity to the story it joined (0.0 when it opened one).
        merged: Stories absorbed into ``story`` by this call; their ids are gone
            and their articles now belong to ``story``.
    """

    article: str
    story: str
    created: bool
    score: float = 0.0
    merged: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryInfo:
    """A story as the clusterer knows it: id, title, members, date range."""

    id: str
    title: str | None
    articles: tuple[str, ...]
    first: dt.datetime | None
    last: dt.datetime | None


@dataclass(slots=True)
class _Story:
    id: str
    slot: int
    title: str | None
    members: list[str]
    first: float | None  # days since the epoch
    last: float | None
    keywords: dict[int, float] = field(default_factory=dict)
    cache: _KwVec | None = None  # keywords as sorted arrays; None when stale
    weighed: tuple[npt.NDArray[np.float64], float, int] | None = None  # idf-weighted, norm, docs

    def vector(self) -> _KwVec:
        if self.cache is None:
            self.cache = _kw_vector(self.keywords)
        return self.cache

    def info(self) -> StoryInfo:
        return StoryInfo(
            id=self.id,
            title=self.title,
            articles=tuple(self.members),
            first=_from_days(self.first),
            last=_from_days(self.last),
        )


_KwVec = tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]


def _kw_vector(kw: Mapping[int, float]) -> _KwVec:
    keys = np.fromiter(kw.keys(), dtype=np.int64, count=len(kw))
    weights = np.fromiter(kw.values(), dtype=np.float64, count=len(kw))
    order = np.argsort(keys)
    return keys[order], weights[order]


def _days(when: dt.datetime | dt.date | None) -> float | None:
    if when is None:
        return None
    if not isinstance(when, dt.datetime):
        when = dt.datetime(when.year, when.month, when.day)
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return (when - _EPOCH).total_seconds() / 86400.0


def _from_days(days: float | None) -> dt.datetime | None:
    return None if days is None else _EPOCH + dt.timedelta(days=days)


class StoryClusterer:
    """Groups a stream of articles into stories (see the module docstring).

    The defaults were tuned on ECB+ topics outside its test split (see
    ``eval/cluster.py``).

    Args:
        threshold: Score at or above which an article joins a story.
        merge_threshold: Story-to-story score at or above which two stories merge.
        embedding_weight: Weight of the embedding cosine; keywords get the rest.
        time_bonus: Added to the score of an article and a story that are both
            dated, in full on the story's dates and falling linearly to zero at
            ``window`` away from them (being published together is evidence).
        window: How far an article's date may lie outside a story's date range.
        retire_after: Stories whose last date is this much older than the newest
            date seen leave the active set (``None``: never). Must be at least
            ``window``; articles that arrive later than that are not matched
            with retired stories.
        on_retire: Called with each retired story; when omitted, retired stories
            are kept (see :meth:`stories`).
        candidates: Stories (best by embedding) that are scored in full.
        max_keywords: Keywords kept per story (the heaviest).
        dim: Embedding size; taken from the first embedding when omitted.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.4,
        merge_threshold: float = 0.6,
        embedding_weight: float = 0.3,
        time_bonus: float = 0.1,
        window: dt.timedelta = dt.timedelta(days=4),
        retire_after: dt.timedelta | None = None,
        on_retire: Callable[[StoryInfo], None] | None = None,
        candidates: int = 16,
        max_keywords: int = 200,
        dim: int | None = None,
    ) -> None:
        if retire_after is not None and retire_after < window:
            raise StoryscopeError("StoryClusterer: retire_after must be at least window")
        self.threshold = threshold
        self.merge_threshold = merge_threshold
        self.embedding_weight = embedding_weight
        self.time_bonus = time_bonus
        self.window = window
        self.retire_after = retire_after
        self.on_retire = on_retire
        self.candidates = candidates
        self.max_keywords = max_keywords
        self.dim = dim
        self._sums: Vector = np.zeros((0, dim or 0), dtype=np.float32)
        self._first = np.zeros(0, dtype=np.float64)  # nan: undated
        self._last = np.zeros(0, dtype=np.float64)
        self._alive = np.zeros(0, dtype=bool)
        self._slots: list[_Story | None] = []
        self._free: list[int] = []
        self._by_id: dict[str, _Story] = {}
        self._retired: dict[str, StoryInfo] = {}
        self._df = np.zeros(1 << _DF_BITS, dtype=np.int32)
        self._docs = 0
        self._newest: float | None = None
        self._members: dict[str, str] = {}

    # ------------------------------------------------------------------ public

    def __len__(self) -> int:
        """Number of active stories."""
        return len(self._by_id)

    def add(
        self,
        article: Article,
        embedding: npt.ArrayLike,
        *,
        keywords: Mapping[str, float] | None = None,
        entities: Iterable[str] = (),
    ) -> Assignment:
        """Place one article in a story.

        Args:
            article: The article (its ``id``, ``title``, ``text``, ``published``).
            embedding: Its unit-length embedding (see :func:`embed_leads`).
            keywords: Its keywords with weights; computed from the title and text
                when omitted.
            entities: Extra names (for example from NER) added as keywords.

        Returns:
            Where the article went and which stories merged.

        Raises:
            StoryscopeError: The embedding has the wrong shape or the article was
                already added.
        """
        vec = self._check_vector(article.id, embedding)
        if article.id in self._members:
            raise StoryscopeError(f"StoryClusterer: article {article.id} was already added")
        kw = dict(keywords) if keywords is not None else find_keywords(article.title, article.text)
        for name in entities:
            key = name.lower().strip()
            if key:
                kw[key] = kw.get(key, 0.0) + 2.0
        hashed = self._hash_keywords(kw)
        self._update_df(hashed)
        kwvec = _kw_vector(hashed)
        day = _days(article.published)
        if day is not None:
            self._newest = day if self._newest is None else max(self._newest, day)
            self._retire_old()

        ranked = self._rank(vec, kwvec, day)
        if ranked and ranked[0][1] >= self.threshold:
            story, score = ranked[0]
            self._join(story, article.id, vec, hashed, day)
            merged = self._merge_near(story, [s for s, sc in ranked[1:] if sc >= self.threshold * 0.8])
            return Assignment(
                article=article.id, story=story.id, created=False, score=score, merged=merged
            )
        story = self._open(article, vec, hashed, day)
        return Assignment(article=article.id, story=story.id, created=True)

    def consolidate(self) -> list[tuple[str, str]]:
        """Merge active stories that belong together now that more evidence is in.

        Greedy agglomeration over the active stories: each story is compared with
        its ``candidates`` nearest stories by embedding (dates within ``window``);
        the best-scoring pair merges while its score is at or above
        ``merge_threshold``, and the merged story is scored again against its
        neighbours. Call it now and then on a stream (for example after each
        batch); it costs about ``len(self) * candidates`` keyword comparisons
        plus one ``len(self) ** 2`` matrix product.

        Returns:
            ``(kept story, absorbed story)`` pairs, in merge order.
        """
        slots = np.flatnonzero(self._alive)
        if slots.size < 2:
            return []
        scores: dict[tuple[str, str], float] = {}
        for slot in slots.tolist():
            story = self._slots[slot]
            assert story is not None
            self._score_neighbours(story, scores)
        merges: list[tuple[str, str]] = []
        while scores:
            (ida, idb), score = max(scores.items(), key=lambda kv: kv[1])
            if score < self.merge_threshold:
                break
            a, b = self._by_id[ida], self._by_id[idb]
            keep, gone = (a, b) if len(a.members) >= len(b.members) else (b, a)
            self._absorb(keep, gone)
            merges.append((keep.id, gone.id))
            scores = {k: v for k, v in scores.items() if not {ida, idb} & set(k)}
            self._score_neighbours(keep, scores)
        if merges:
            logger.debug("consolidate merged %d stories", len(merges))
        return merges

    def _score_neighbours(self, story: _Story, scores: dict[tuple[str, str], float]) -> None:
        mask = self._in_range(story.first, story.last)
        mask[story.slot] = False
        slots = np.flatnonzero(mask)
        if slots.size == 0:
            return
        sums = self._sums[slots]
        cos = (sums @ self._sums[story.slot]) / np.clip(
            np.linalg.norm(sums, axis=1) * np.linalg.norm(self._sums[story.slot]), 1e-12, None
        )
        k = min(self.candidates, int(slots.size))
        top = np.argpartition(-cos, k - 1)[:k] if k < slots.size else np.arange(slots.size)
        for t in top.tolist():
            other = self._slots[int(slots[t])]
            assert other is not None
            key = (story.id, other.id) if story.id < other.id else (other.id, story.id)
            if key not in scores:
                scores[key] = self._story_score(story, other)

    def story_of(self, article_id: str) -> str | None:
        """The story an added article belongs to now (``None`` if unknown or retired)."""
        return self._members.get(article_id)

    def stories(self, *, include_retired: bool = True) -> list[StoryInfo]:
        """All stories: active ones, then (unless excluded) retired ones kept in memory."""
        out = [s.info() for s in self._by_id.values()]
        if include_retired:
            out.extend(self._retired.values())
        return out

    # ------------------------------------------------------------------ scoring

    def _check_vector(self, article_id: str, embedding: npt.ArrayLike) -> Vector:
        vec = np.asarray(embedding, dtype=np.float32).reshape(-1)
        if self.dim is None:
            self.dim = int(vec.size)
            self._sums = np.zeros((0, self.dim), dtype=np.float32)
        if vec.size != self.dim:
            raise StoryscopeError(
                f"StoryClusterer: embedding of {article_id} has {vec.size} values, expected {self.dim}"
            )
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm > 0 else vec

    @staticmethod
    def _hash_keywords(kw: Mapping[str, float]) -> dict[int, float]:
        out: dict[int, float] = {}
        for word, weight in kw.items():
            if weight > 0:
                h = hash_token(word) & _DF_MASK
                out[h] = out.get(h, 0.0) + 1.0 + math.log(weight)
        return out

    def _update_df(self, hashed: Mapping[int, float]) -> None:
        if hashed:
            self._df[np.fromiter(hashed.keys(), dtype=np.int64)] += 1
        self._docs += 1

    def _weigh(self, v: _KwVec) -> npt.NDArray[np.float64]:
        keys, weights = v
        idf = np.log((self._docs + 1) / (1.0 + self._df[keys])) + 1.0
        out: npt.NDArray[np.float64] = weights * idf
        return out

    def _weighed(self, story: _Story) -> tuple[_KwVec, npt.NDArray[np.float64], float]:
        """The story's IDF-weighted keywords, refreshed when IDF drifted by over 10%."""
        vec = story.vector()
        cached = story.weighed
        if cached is None or self._docs > cached[2] * 1.1 + 1:
            w = self._weigh(vec)
            cached = (w, math.sqrt(float(w @ w)), self._docs)
            story.weighed = cached
        return vec, cached[0], cached[1]

    def _kw_cosine_to(
        self, keys: npt.NDArray[np.int64], w: npt.NDArray[np.float64], norm: float, story: _Story
    ) -> float:
        (skeys, _), sw, snorm = self._weighed(story)
        if keys.size == 0 or skeys.size == 0 or norm <= 0.0 or snorm <= 0.0:
            return 0.0
        pos = np.searchsorted(skeys, keys)
        pos[pos >= skeys.size] = 0
        hit = skeys[pos] == keys
        return float(w[hit] @ sw[pos[hit]]) / (norm * snorm)

    def _in_window(self, day: float | None) -> npt.NDArray[np.bool_]:
        return self._in_range(day, day)

    def _in_range(self, first: float | None, last: float | None) -> npt.NDArray[np.bool_]:
        alive = self._alive.copy()
        if first is None or last is None:
            return alive
        w = self.window.total_seconds() / 86400.0
        undated = np.isnan(self._first)
        with np.errstate(invalid="ignore"):
            near = (last >= self._first - w) & (first <= self._last + w)
        return alive & (undated | near)

    def _rank(
        self, vec: Vector, kwvec: _KwVec, day: float | None
    ) -> list[tuple[_Story, float]]:
        if not self._by_id:
            return []
        mask = self._in_window(day)
        if not mask.any():
            return []
        slots = np.flatnonzero(mask)
        sums = self._sums[slots]
        norms = np.linalg.norm(sums, axis=1)
        cos = (sums @ vec) / np.clip(norms, 1e-12, None)
        k = min(self.candidates, int(slots.size))
        top = np.argpartition(-cos, k - 1)[:k] if k < slots.size else np.arange(slots.size)
        w = self._weigh(kwvec)
        norm = math.sqrt(float(w @ w))
        scored = []
        for t in top.tolist():
            story = self._slots[int(slots[t])]
            assert story is not None
            score = self.embedding_weight * float(cos[t]) + (
                1.0 - self.embedding_weight
            ) * self._kw_cosine_to(kwvec[0], w, norm, story)
            score += self._bonus(day, day, story)
            scored.append((story, score))
        scored.sort(key=lambda s: -s[1])
        return scored

    def _story_score(self, a: _Story, b: _Story) -> float:
        va, vb = self._sums[a.slot], self._sums[b.slot]
        cos = float(va @ vb) / max(math.sqrt(float(va @ va) * float(vb @ vb)), 1e-12)
        (keys, _), w, norm = self._weighed(a)
        kw = self._kw_cosine_to(keys, w, norm, b)
        bonus = self._bonus(a.first, a.last, b)
        return self.embedding_weight * cos + (1.0 - self.embedding_weight) * kw + bonus

    def _bonus(self, first: float | None, last: float | None, story: _Story) -> float:
        if first is None or last is None or story.first is None or story.last is None:
            return 0.0
        gap = max(0.0, story.first - last, first - story.last)
        w = self.window.total_seconds() / 86400.0
        return self.time_bonus * max(0.0, 1.0 - gap / w) if w > 0 else 0.0

    # ------------------------------------------------------------------ updates

    def _slot(self) -> int:
        if self._free:
            return self._free.pop()
        n = len(self._slots)
        if n == self._sums.shape[0]:
            cap = max(64, n * 2)
            sums = np.zeros((cap, self._sums.shape[1]), dtype=np.float32)
            sums[:n] = self._sums[:n]
            self._sums = sums
            self._first = np.concatenate([self._first, np.full(cap - n, np.nan)])
            self._last = np.concatenate([self._last, np.full(cap - n, np.nan)])
            self._alive = np.concatenate([self._alive, np.zeros(cap - n, dtype=bool)])
        self._slots.append(None)
        return n

    def _open(
        self, article: Article, vec: Vector, hashed: dict[int, float], day: float | None
    ) -> _Story:
        slot = self._slot()
        story = _Story(
            id=f"s{article.id}",
            slot=slot,
            title=article.title,
            members=[article.id],
            first=day,
            last=day,
            keywords=dict(hashed),
        )
        self._slots[slot] = story
        self._by_id[story.id] = story
        self._sums[slot] = vec
        self._first[slot] = np.nan if day is None else day
        self._last[slot] = np.nan if day is None else day
        self._alive[slot] = True
        self._members[article.id] = story.id
        return story

    def _join(
        self, story: _Story, article_id: str, vec: Vector, hashed: Mapping[int, float],
        day: float | None,
    ) -> None:
        story.members.append(article_id)
        self._members[article_id] = story.id
        self._sums[story.slot] += vec
        for k, w in hashed.items():
            story.keywords[k] = story.keywords.get(k, 0.0) + w
        story.cache = story.weighed = None
        self._trim(story)
        if day is not None:
            story.first = day if story.first is None else min(story.first, day)
            story.last = day if story.last is None else max(story.last, day)
            self._first[story.slot] = story.first
            self._last[story.slot] = story.last

    def _trim(self, story: _Story) -> None:
        if len(story.keywords) > self.max_keywords * 2:
            keep = sorted(story.keywords.items(), key=lambda kv: -kv[1])[: self.max_keywords]
            story.keywords = dict(keep)
            story.cache = story.weighed = None

    def _merge_near(self, story: _Story, others: Sequence[_Story]) -> tuple[str, ...]:
        merged: list[str] = []
        for other in others:
            if other.id not in self._by_id or other is story:
                continue
            if not self._dates_overlap(story, other):
                continue
            if self._story_score(story, other) >= self.merge_threshold:
                self._absorb(story, other)
                merged.append(other.id)
        if merged:
            logger.debug("merged %s into %s", merged, story.id)
        return tuple(merged)

    def _dates_overlap(self, a: _Story, b: _Story) -> bool:
        if a.first is None or b.first is None or a.last is None or b.last is None:
            return True
        w = self.window.total_seconds() / 86400.0
        return a.first - w <= b.last and b.first - w <= a.last

    def _absorb(self, story: _Story, other: _Story) -> None:
        story.members.extend(other.members)
        for m in other.members:
            self._members[m] = story.id
        self._sums[story.slot] += self._sums[other.slot]
        for k, w in other.keywords.items():
            story.keywords[k] = story.keywords.get(k, 0.0) + w
        story.cache = story.weighed = None
        self._trim(story)
        days = [d for d in (story.first, other.first, story.last, other.last) if d is not None]
        if days:
            story.first, story.last = min(days), max(days)
            self._first[story.slot], self._last[story.slot] = story.first, story.last
        if story.title is None:
            story.title = other.title
        self._drop(other)

    def _drop(self, story: _Story) -> None:
        self._alive[story.slot] = False
        self._sums[story.slot] = 0.0
        self._first[story.slot] = np.nan
        self._last[story.slot] = np.nan
        self._slots[story.slot] = None
        self._free.append(story.slot)
        del self._by_id[story.id]

    def _retire_old(self) -> None:
        if self.retire_after is None or self._newest is None:
            return
        limit = self._newest - self.retire_after.total_seconds() / 86400.0
        with np.errstate(invalid="ignore"):
            old = np.flatnonzero(self._alive & (self._last < limit))
        for slot in old:
            story = self._slots[int(slot)]
            assert story is not None
            info = story.info()
            for m in story.members:
                self._members.pop(m, None)
            self._drop(story)
            if self.on_retire is not None:
                self.on_retire(info)
            else:
                self._retired[info.id] = info

    # ------------------------------------------------------------------ state

    def to_state(self) -> dict[str, Any]:
        """The clusterer's state as plain values and numpy arrays.

        Returns:
            A dict for :meth:`from_state` (``stories`` is JSON-serialisable;
            ``sums`` and ``df`` are numpy arrays).
        """
        stories = [
            {
                "id": s.id,
                "slot": s.slot,
                "title": s.title,
                "members": list(s.members),
                "first": s.first,
                "last": s.last,
                "keywords": [[k, w] for k, w in s.keywords.items()],
            }
            for s in self._by_id.values()
        ]
        retired = [
            {
                "id": r.id,
                "title": r.title,
                "members": list(r.articles),
                "first": _days(r.first),
                "last": _days(r.last),
            }
            for r in self._retired.values()
        ]
        return {
            "params": {
                "threshold": self.threshold,
                "merge_threshold": self.merge_threshold,
                "embedding_weight": self.embedding_weight,
                "window_days": self.window.total_seconds() / 86400.0,
                "retire_after_days": None
                if self.retire_after is None
                else self.retire_after.total_seconds() / 86400.0,
                "candidates": self.candidates,
                "max_keywords": self.max_keywords,
                "dim": self.dim,
                "docs": self._docs,
                "newest": self._newest,
            },
            "stories": stories,
            "retired": retired,
            "sums": np.stack([self._sums[s.slot] for s in self._by_id.values()])
            if self._by_id
            else np.zeros((0, self.dim or 0), dtype=np.float32),
            "df": self._df.copy(),
        }

    @classmethod
    def from_state(
        cls, state: Mapping[str, Any], *, on_retire: Callable[[StoryInfo], None] | None = None
    ) -> StoryClusterer:
        """Rebuild a clusterer saved with :meth:`to_state`.

        Args:
            state: The saved state.
            on_retire: See the class arguments (callbacks are not saved).

        Returns:
            A clusterer that continues where the saved one stopped.

        Raises:
            StoryscopeError: The state is incomplete or inconsistent.
        """
        try:
            p = state["params"]
            retire = p["retire_after_days"]
            obj = cls(
                threshold=float(p["threshold"]),
                merge_threshold=float(p["merge_threshold"]),
                embedding_weight=float(p["embedding_weight"]),
                window=dt.timedelta(days=float(p["window_days"])),
                retire_after=None if retire is None else dt.timedelta(days=float(retire)),
                on_retire=on_retire,
                candidates=int(p["candidates"]),
                max_keywords=int(p["max_keywords"]),
                dim=None if p["dim"] is None else int(p["dim"]),
            )
            obj._docs = int(p["docs"])
            obj._newest = None if p["newest"] is None else float(p["newest"])
            df = np.asarray(state["df"], dtype=np.int32)
            sums = np.asarray(state["sums"], dtype=np.float32)
            stories = list(state["stories"])
            retired = list(state["retired"])
        except (KeyError, TypeError, ValueError) as exc:
            raise StoryscopeError(f"StoryClusterer state: unreadable ({exc})") from exc
        if df.shape != obj._df.shape or sums.shape[0] != len(stories):
            raise StoryscopeError("StoryClusterer state: arrays have the wrong shape")
        obj._df = df.copy()
        for row, s in zip(sums, stories, strict=True):
            slot = obj._slot()
            story = _Story(
                id=str(s["id"]),
                slot=slot,
                title=s["title"],
                members=[str(m) for m in s["members"]],
                first=None if s["first"] is None else float(s["first"]),
                last=None if s["last"] is None else float(s["last"]),
                keywords={int(k): float(w) for k, w in s["keywords"]},
            )
            obj._slots[slot] = story
            obj._by_id[story.id] = story
            obj._sums[slot] = row
            obj._first[slot] = np.nan if story.first is None else story.first
            obj._last[slot] = np.nan if story.last is None else story.last
            obj._alive[slot] = True
            for m in story.members:
                obj._members[m] = story.id
        for r in retired:
            info = StoryInfo(
                id=str(r["id"]),
                title=r["title"],
                articles=tuple(str(m) for m in r["members"]),
                first=_from_days(r["first"]),
                last=_from_days(r["last"]),
            )
            obj._retired[info.id] = info
        return obj
