"""Incremental story clustering: articles join an existing story or open a new one.

Each article is represented by one embedding (MiniLM over its title and lead,
see :func:`embed_leads`), a TF-IDF vector of the keywords of its whole text
and its publication date. The keywords come in three channels (see
:func:`~storyscope.cluster._text.find_keywords`): content words (names and the
title weighing double), names alone, and numbers (years, tolls, scores). Each
channel's TF-IDF part is scaled to length ``sqrt(weight)`` (``name_weight``,
``number_weight``, the rest for content words) before the three are joined, so
the keyword cosine of two articles is about the weighted mean of the three
channel cosines: look-alike events of one kind share their content words but
not their names and numbers. IDF comes from the document frequencies counted
over everything added so far and is fixed for an article when it arrives. A story keeps the sum of its members'
embeddings, the sum of their keyword vectors (hashed into ``kw_dim`` signed
buckets, one dense column per story) and its first and last date.

A new article is scored against every active story whose dates lie within
``window`` of its date (stories or articles without a date are always in
reach), all at once with two matrix products (a flat index over the active
stories, no per-story Python loop):

    ``score = embedding_weight * cos(embedding, centroid)
    + (1 - embedding_weight) * cos(keywords, story keywords)``

multiplied, when both are dated, by ``1 + time_bonus`` on the story's dates,
falling linearly to 1 ``time_scale`` away from them. The article joins the best story at or
above ``threshold``, else opens a new one. When an article joins a story, the
story is compared with the other stories the article almost joined; two stories
that now score at or above ``merge_threshold`` merge (evidence grew: an article
bridged them). :meth:`StoryClusterer.consolidate` does the same for every story
that changed since its last call; a one-article story merges at
``single_threshold`` already (below ``threshold``: the stories it could have
joined grew after it arrived; chosen on ECB+, where every event has several
reports, so a stream rich in one-off reports may want it nearer ``threshold``),
and a story of up to
``small_story`` articles (a fragment opened before its event's wording
settled) halfway between ``threshold`` and ``merge_threshold``. Stories are
compared with each other across any date distance (``merge_window``): the
follow-ups of an event (charges, trial, sentence) come months or years later
and open stories of their own, which merge once they are formed. Stories older
than ``retire_after`` before the newest date seen leave the active set, so
memory and time per article stay flat on an endless stream (about
``kw_dim * 4`` bytes per active story).

The state is plain numpy arrays and lists (:meth:`StoryClusterer.to_state`); it
can also be rebuilt by adding the stored articles again in their stored order.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from storyscope.cluster._text import (
    NAME_PREFIX,
    NUMBER_PREFIX,
    find_keywords,
    hash_token,
    lead_text,
)
from storyscope.errors import StoryscopeError
from storyscope.model import Article

if TYPE_CHECKING:  # pragma: no cover
    from storyscope.analyze.embeddings import Embedder

__all__ = ["Assignment", "StoryClusterer", "StoryInfo", "embed_leads"]

logger = logging.getLogger(__name__)

_DF_BITS = 20
_DF_MASK = (1 << _DF_BITS) - 1
_GOLDEN = 0x9E3779B1  # multiplicative hashing: keyword bucket independent of its df counter
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

    def info(self) -> StoryInfo:
        return StoryInfo(
            id=self.id,
            title=self.title,
            articles=tuple(self.members),
            first=_from_days(self.first),
            last=_from_days(self.last),
        )


_KwVec = tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]


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
        name_weight: Share of the keyword vector given to the names channel.
        number_weight: Share of the keyword vector given to the numbers channel
            (content words get the rest).
        time_bonus: The score of an article and a story that are both dated is
            multiplied by up to ``1 + time_bonus``: in full on the story's dates,
            falling linearly to none ``time_scale`` away from them (being published
            together is evidence, but never enough on its own: it scales what
            the content says).
        window: How far an article's date may lie outside a story's date range
            (coverage of one event goes on for weeks: ECB+ articles about one
            event span a median of 20 days).
        time_scale: See ``time_bonus``.
        retire_after: Stories whose last date is this much older than the newest
            date seen leave the active set (``None``: never). Must be at least
            ``window``; articles that arrive later than that are not matched
            with retired stories.
        on_retire: Called with each retired story; when omitted, retired stories
            are kept (see :meth:`stories`).
        small_story: Stories of at most this many articles merge with another
            at the midpoint of ``threshold`` and ``merge_threshold`` in
            :meth:`consolidate` (fragments opened by an early article).
        single_threshold: Score at or above which a one-article story merges
            with another in :meth:`consolidate` (at most ``merge_threshold``
            applies).
        merge_window: How far apart the date ranges of two stories may lie for
            them to merge (``None``: any distance; only active stories are
            compared, see ``retire_after``). ``window`` limits what a single
            article may join; two formed stories that score at or above the
            merge thresholds are one event even months apart (a trial after
            the crime).
        candidates: Stories (best by score) an article's story is checked
            against for a merge, and each story's neighbours in :meth:`consolidate`.
        kw_dim: Buckets of the hashed keyword vectors (a power of two).
        dim: Embedding size; taken from the first embedding when omitted.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.4,
        merge_threshold: float = 0.6,
        embedding_weight: float = 0.2,
        name_weight: float = 0.35,
        number_weight: float = 0.25,
        time_bonus: float = 0.5,
        window: dt.timedelta = dt.timedelta(days=60),
        time_scale: dt.timedelta = dt.timedelta(days=3),
        retire_after: dt.timedelta | None = None,
        on_retire: Callable[[StoryInfo], None] | None = None,
        small_story: int = 2,
        single_threshold: float = 0.3,
        merge_window: dt.timedelta | None = None,
        candidates: int = 16,
        kw_dim: int = 1 << 12,
        dim: int | None = None,
    ) -> None:
        if retire_after is not None and retire_after < window:
            raise StoryscopeError("StoryClusterer: retire_after must be at least window")
        if kw_dim < 16 or kw_dim & (kw_dim - 1):
            raise StoryscopeError("StoryClusterer: kw_dim must be a power of two >= 16")
        if min(name_weight, number_weight) < 0 or name_weight + number_weight > 1:
            raise StoryscopeError(
                "StoryClusterer: name_weight and number_weight must be >= 0 and add up to at most 1"
            )
        self.threshold = threshold
        self.merge_threshold = merge_threshold
        self.embedding_weight = embedding_weight
        self.name_weight = name_weight
        self.number_weight = number_weight
        self.time_bonus = time_bonus
        self.window = window
        self.time_scale = time_scale
        self.retire_after = retire_after
        self.on_retire = on_retire
        self.small_story = small_story
        self.single_threshold = single_threshold
        self.merge_window = merge_window
        self.candidates = candidates
        self.kw_dim = kw_dim
        self.dim = dim
        self._sums: Vector = np.zeros((0, dim or 0), dtype=np.float32)
        self._kw: Vector = np.zeros((kw_dim, 0), dtype=np.float32)  # bucket x slot
        self._kw_norm2 = np.zeros(0, dtype=np.float64)
        self._sum_norm = np.zeros(0, dtype=np.float32)
        self._first = np.zeros(0, dtype=np.float64)  # nan: undated
        self._last = np.zeros(0, dtype=np.float64)
        self._alive = np.zeros(0, dtype=bool)
        self._dirty = np.zeros(0, dtype=bool)  # changed since the last consolidate
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
            entities: Extra names (for example from NER) added to the names channel.

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
                kw[NAME_PREFIX + key] = kw.get(NAME_PREFIX + key, 0.0) + 2.0
        kwvec = self._keyword_vector(kw)
        day = _days(article.published)
        if day is not None:
            self._newest = day if self._newest is None else max(self._newest, day)
            self._retire_old()

        slots, scores = self._scores(vec, kwvec, day, day, self.window)
        if scores.size and float(scores.max()) >= self.threshold:
            best = int(np.argmax(scores))
            story = self._slots[int(slots[best])]
            assert story is not None
            score = float(scores[best])
            near = self._top(slots, scores, self.threshold * 0.8, exclude=story.slot)
            self._join(story, article.id, vec, kwvec, day)
            merged = self._merge_near(story, near)
            return Assignment(
                article=article.id, story=story.id, created=False, score=score, merged=merged
            )
        story = self._open(article, vec, kwvec, day)
        return Assignment(article=article.id, story=story.id, created=True)

    def consolidate(self) -> list[tuple[str, str]]:
        """Merge active stories that belong together now that more evidence is in.

        Greedy agglomeration: every story that changed since the last call is
        scored against all active stories in its date range; the best-scoring
        pair merges while its score is at or above ``merge_threshold``, and the
        merged story is scored again. Call it now and then on a stream (for
        example after each batch); it costs about one article's scoring per
        changed story.

        Returns:
            ``(kept story, absorbed story)`` pairs, in merge order.
        """
        dirty = np.flatnonzero(self._alive & self._dirty)
        self._dirty[:] = False
        if len(self._by_id) < 2:
            return []
        scores: dict[tuple[str, str], float] = {}
        for slot in dirty.tolist():
            story = self._slots[slot]
            assert story is not None
            self._score_neighbours(story, scores)
        merges: list[tuple[str, str]] = []
        while scores:
            (ida, idb), margin = max(scores.items(), key=lambda kv: kv[1])
            if margin < 0.0:
                break
            a, b = self._by_id[ida], self._by_id[idb]
            keep, gone = (a, b) if len(a.members) >= len(b.members) else (b, a)
            self._absorb(keep, gone)
            merges.append((keep.id, gone.id))
            scores = {k: v for k, v in scores.items() if not {ida, idb} & set(k)}
            self._score_neighbours(keep, scores)
        self._dirty[:] = False
        if merges:
            logger.debug("consolidate merged %d stories", len(merges))
        return merges

    def _score_neighbours(self, story: _Story, scores: dict[tuple[str, str], float]) -> None:
        slots, sc = self._story_scores(story)
        floor = min(self.single_threshold, self.threshold, self.merge_threshold)
        score_of = dict(zip(slots.tolist(), sc.tolist(), strict=True))
        for t in self._top(slots, sc, floor, exclude=story.slot):
            key = (story.id, t.id) if story.id < t.id else (t.id, story.id)
            margin = score_of[t.slot] - self._needed(story, t)
            scores[key] = max(scores.get(key, -1.0), margin)

    def _needed(self, a: _Story, b: _Story) -> float:
        """Score two stories need to merge.

        ``merge_threshold``; ``single_threshold`` (when lower) if one of them
        holds a single article; halfway between ``threshold`` and
        ``merge_threshold`` if the smaller holds at most ``small_story`` articles.
        """
        smaller = min(len(a.members), len(b.members))
        low = min(self.threshold, self.merge_threshold)
        if smaller == 1:
            return min(self.single_threshold, self.merge_threshold)
        if smaller <= self.small_story:
            return (low + self.merge_threshold) / 2.0
        return self.merge_threshold

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
            self._sums = np.zeros((self._sums.shape[0], self.dim), dtype=np.float32)
        if vec.size != self.dim:
            raise StoryscopeError(
                f"StoryClusterer: embedding of {article_id} has {vec.size} values, expected {self.dim}"
            )
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm > 0 else vec

    def _keyword_vector(self, kw: Mapping[str, float]) -> _KwVec:
        """Count the article's keywords in the document frequencies; return its TF-IDF vector.

        Words are hashed twice: into ``2**20`` document-frequency counters (IDF as
        of now, so an article's weights are fixed when it arrives) and, with a
        sign, into ``kw_dim`` buckets (the dense story matrix). Each channel
        (content words, ``@`` names, ``#`` numbers) is scaled to length
        ``sqrt(its weight)`` first.
        """
        items = [(w, x) for w, x in kw.items() if x > 0]
        if not items:
            self._docs += 1
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        hashes = np.fromiter((hash_token(w) for w, _ in items), dtype=np.int64, count=len(items))
        tf = np.fromiter((x for _, x in items), dtype=np.float64, count=len(items))
        channel = np.fromiter(
            (1 if w[0] == NAME_PREFIX else 2 if w[0] == NUMBER_PREFIX else 0 for w, _ in items),
            dtype=np.int8,
            count=len(items),
        )
        df_keys = hashes & _DF_MASK
        self._df[df_keys] += 1
        self._docs += 1
        idf = np.log((self._docs + 1) / (1.0 + self._df[df_keys])) + 1.0
        weights = np.where(tf >= 1.0, 1.0 + np.log(np.maximum(tf, 1.0)), tf) * idf
        shares = (1.0 - self.name_weight - self.number_weight, self.name_weight, self.number_weight)
        for c, share in enumerate(shares):
            part = channel == c
            size = float(np.sqrt(weights[part] @ weights[part]))
            if size > 0:
                weights[part] *= math.sqrt(share) / size
        sign = np.where((hashes >> 31) & 1, -1.0, 1.0)
        shift = 32 - (self.kw_dim.bit_length() - 1)
        buckets = ((hashes * _GOLDEN) & 0xFFFFFFFF) >> shift
        order = np.argsort(buckets, kind="stable")
        buckets, values = buckets[order], (weights * sign)[order]
        uniq, first = np.unique(buckets, return_index=True)
        summed = np.add.reduceat(values, first) if values.size else values
        norm = float(np.sqrt(summed @ summed))
        if norm > 0:
            summed = summed / norm
        return uniq.astype(np.int64), summed.astype(np.float32)

    def _in_range(
        self, first: float | None, last: float | None, window: dt.timedelta | None
    ) -> npt.NDArray[np.bool_]:
        alive = self._alive.copy()
        if first is None or last is None or window is None:
            return alive
        w = window.total_seconds() / 86400.0
        undated = np.isnan(self._first)
        with np.errstate(invalid="ignore"):
            near = (last >= self._first - w) & (first <= self._last + w)
        return alive & (undated | near)

    def _scores(
        self, vec: Vector, kwvec: _KwVec, first: float | None, last: float | None,
        window: dt.timedelta | None,
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Slots of the stories within ``window`` of (vec, kwvec, dates) and their scores."""
        if not self._by_id:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        slots = np.flatnonzero(self._in_range(first, last, window))
        if slots.size == 0:
            return slots, np.zeros(0)
        emb = (self._sums @ vec)[slots] / np.clip(self._sum_norm[slots], 1e-12, None)
        keys, values = kwvec
        score = self.embedding_weight * emb.astype(np.float64)
        if keys.size:
            dots = (values @ self._kw[keys])[slots]
            score += (1.0 - self.embedding_weight) * (
                dots / np.clip(np.sqrt(self._kw_norm2[slots]), 1e-12, None)
            )
        if self.time_bonus and first is not None and last is not None:
            sfirst, slast = self._first[slots], self._last[slots]
            dated = ~np.isnan(sfirst)
            gap = np.maximum(0.0, np.maximum(sfirst[dated] - last, first - slast[dated]))
            scale = self.time_scale.total_seconds() / 86400.0
            if scale > 0:
                near = np.clip(1.0 - gap / scale, 0.0, 1.0)
                score[dated] *= 1.0 + self.time_bonus * near
        return slots, score

    def _story_vector(self, story: _Story) -> tuple[Vector, _KwVec]:
        col = self._kw[:, story.slot]
        keys = np.flatnonzero(col)
        norm = math.sqrt(max(float(self._kw_norm2[story.slot]), 0.0))
        values = (col[keys] / norm if norm > 0 else col[keys]).astype(np.float32)
        vec = self._sums[story.slot]
        size = float(np.linalg.norm(vec))
        return (vec / size if size > 0 else vec), (keys.astype(np.int64), values)

    def _story_scores(self, story: _Story) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        vec, kwvec = self._story_vector(story)
        return self._scores(vec, kwvec, story.first, story.last, self.merge_window)

    def _top(
        self, slots: npt.NDArray[np.int64], scores: npt.NDArray[np.float64], floor: float,
        exclude: int,
    ) -> list[_Story]:
        """The stories (best first, at most ``candidates``) scoring at or above ``floor``."""
        good = np.flatnonzero((scores >= floor) & (slots != exclude))
        if good.size > self.candidates:
            good = good[np.argpartition(-scores[good], self.candidates - 1)[: self.candidates]]
        good = good[np.argsort(-scores[good], kind="stable")]
        out = []
        for g in good.tolist():
            story = self._slots[int(slots[g])]
            assert story is not None
            out.append(story)
        return out

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
            kw = np.zeros((self.kw_dim, cap), dtype=np.float32)
            kw[:, :n] = self._kw[:, :n]
            self._kw = kw
            self._kw_norm2 = np.concatenate([self._kw_norm2, np.zeros(cap - n)])
            self._sum_norm = np.concatenate([self._sum_norm, np.zeros(cap - n, dtype=np.float32)])
            self._first = np.concatenate([self._first, np.full(cap - n, np.nan)])
            self._last = np.concatenate([self._last, np.full(cap - n, np.nan)])
            self._alive = np.concatenate([self._alive, np.zeros(cap - n, dtype=bool)])
            self._dirty = np.concatenate([self._dirty, np.zeros(cap - n, dtype=bool)])
        self._slots.append(None)
        return n

    def _add_keywords(self, slot: int, kwvec: _KwVec) -> None:
        keys, values = kwvec
        if keys.size == 0:
            return
        old = self._kw[keys, slot]
        self._kw_norm2[slot] += float(2.0 * (old @ values) + values @ values)
        self._kw[keys, slot] = old + values

    def _open(self, article: Article, vec: Vector, kwvec: _KwVec, day: float | None) -> _Story:
        slot = self._slot()
        story = _Story(
            id=f"s{article.id}", slot=slot, title=article.title, members=[article.id],
            first=day, last=day,
        )
        self._slots[slot] = story
        self._by_id[story.id] = story
        self._sums[slot] = vec
        self._sum_norm[slot] = np.linalg.norm(vec)
        self._kw[:, slot] = 0.0
        self._kw_norm2[slot] = 0.0
        self._add_keywords(slot, kwvec)
        self._first[slot] = np.nan if day is None else day
        self._last[slot] = np.nan if day is None else day
        self._alive[slot] = True
        self._dirty[slot] = True
        self._members[article.id] = story.id
        return story

    def _join(
        self, story: _Story, article_id: str, vec: Vector, kwvec: _KwVec, day: float | None
    ) -> None:
        story.members.append(article_id)
        self._members[article_id] = story.id
        self._sums[story.slot] += vec
        self._sum_norm[story.slot] = np.linalg.norm(self._sums[story.slot])
        self._add_keywords(story.slot, kwvec)
        self._dirty[story.slot] = True
        if day is not None:
            story.first = day if story.first is None else min(story.first, day)
            story.last = day if story.last is None else max(story.last, day)
            self._first[story.slot] = story.first
            self._last[story.slot] = story.last

    def _merge_near(self, story: _Story, others: Sequence[_Story]) -> tuple[str, ...]:
        merged: list[str] = []
        if not others:
            return ()
        slots, scores = self._story_scores(story)
        by_slot = dict(zip(slots.tolist(), scores.tolist(), strict=True))
        for other in others:
            if other.id not in self._by_id or other is story:
                continue
            if by_slot.get(other.slot, -1.0) >= self.merge_threshold:
                self._absorb(story, other)
                merged.append(other.id)
        if merged:
            logger.debug("merged %s into %s", merged, story.id)
        return tuple(merged)

    def _absorb(self, story: _Story, other: _Story) -> None:
        story.members.extend(other.members)
        for m in other.members:
            self._members[m] = story.id
        self._sums[story.slot] += self._sums[other.slot]
        self._sum_norm[story.slot] = np.linalg.norm(self._sums[story.slot])
        col = self._kw[:, story.slot] + self._kw[:, other.slot]
        self._kw[:, story.slot] = col
        self._kw_norm2[story.slot] = float(col.astype(np.float64) @ col)
        self._dirty[story.slot] = True
        days = [d for d in (story.first, other.first, story.last, other.last) if d is not None]
        if days:
            story.first, story.last = min(days), max(days)
            self._first[story.slot], self._last[story.slot] = story.first, story.last
        if story.title is None:
            story.title = other.title
        self._drop(other)

    def _drop(self, story: _Story) -> None:
        self._alive[story.slot] = False
        self._dirty[story.slot] = False
        self._sums[story.slot] = 0.0
        self._sum_norm[story.slot] = 0.0
        self._kw[:, story.slot] = 0.0
        self._kw_norm2[story.slot] = 0.0
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
            ``sums``, ``kw_keys``, ``kw_values``, ``kw_counts`` and ``df`` are
            numpy arrays; the keyword columns are stored sparse).
        """
        active = list(self._by_id.values())
        stories = [
            {
                "id": s.id,
                "slot": s.slot,
                "title": s.title,
                "members": list(s.members),
                "first": s.first,
                "last": s.last,
            }
            for s in active
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
        cols = [np.flatnonzero(self._kw[:, s.slot]) for s in active]
        return {
            "params": {
                "threshold": self.threshold,
                "merge_threshold": self.merge_threshold,
                "embedding_weight": self.embedding_weight,
                "name_weight": self.name_weight,
                "number_weight": self.number_weight,
                "time_bonus": self.time_bonus,
                "window_days": self.window.total_seconds() / 86400.0,
                "retire_after_days": None
                if self.retire_after is None
                else self.retire_after.total_seconds() / 86400.0,
                "candidates": self.candidates,
                "small_story": self.small_story,
                "single_threshold": self.single_threshold,
                "merge_window_days": None
                if self.merge_window is None
                else self.merge_window.total_seconds() / 86400.0,
                "time_scale_days": self.time_scale.total_seconds() / 86400.0,
                "kw_dim": self.kw_dim,
                "dim": self.dim,
                "docs": self._docs,
                "newest": self._newest,
            },
            "stories": stories,
            "retired": retired,
            "sums": np.stack([self._sums[s.slot] for s in active])
            if active
            else np.zeros((0, self.dim or 0), dtype=np.float32),
            "kw_counts": np.array([c.size for c in cols], dtype=np.int64),
            "kw_keys": np.concatenate(cols).astype(np.int32) if cols else np.zeros(0, np.int32),
            "kw_values": np.concatenate([self._kw[c, s.slot] for c, s in zip(cols, active, strict=True)])
            if cols
            else np.zeros(0, np.float32),
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
            # states saved before single_threshold, merge_window and time_scale were kept
            # restore the behaviour they were made with
            merge_window = p.get("merge_window_days", p["window_days"])
            obj = cls(
                threshold=float(p["threshold"]),
                merge_threshold=float(p["merge_threshold"]),
                embedding_weight=float(p["embedding_weight"]),
                name_weight=float(p["name_weight"]),
                number_weight=float(p["number_weight"]),
                time_bonus=float(p["time_bonus"]),
                window=dt.timedelta(days=float(p["window_days"])),
                time_scale=dt.timedelta(days=float(p.get("time_scale_days", 3.0))),
                retire_after=None if retire is None else dt.timedelta(days=float(retire)),
                on_retire=on_retire,
                small_story=int(p["small_story"]),
                single_threshold=float(p.get("single_threshold", p["threshold"])),
                merge_window=None
                if merge_window is None
                else dt.timedelta(days=float(merge_window)),
                candidates=int(p["candidates"]),
                kw_dim=int(p["kw_dim"]),
                dim=None if p["dim"] is None else int(p["dim"]),
            )
            obj._docs = int(p["docs"])
            obj._newest = None if p["newest"] is None else float(p["newest"])
            df = np.asarray(state["df"], dtype=np.int32)
            sums = np.asarray(state["sums"], dtype=np.float32)
            counts = np.asarray(state["kw_counts"], dtype=np.int64)
            keys = np.asarray(state["kw_keys"], dtype=np.int64)
            values = np.asarray(state["kw_values"], dtype=np.float32)
            stories = list(state["stories"])
            retired = list(state["retired"])
        except (KeyError, TypeError, ValueError) as exc:
            raise StoryscopeError(f"StoryClusterer state: unreadable ({exc})") from exc
        if (
            df.shape != obj._df.shape
            or sums.shape[0] != len(stories)
            or counts.shape != (len(stories),)
            or keys.shape != values.shape
            or int(counts.sum()) != keys.size
            or (keys.size and (keys.min() < 0 or keys.max() >= obj.kw_dim))
        ):
            raise StoryscopeError("StoryClusterer state: arrays have the wrong shape")
        obj._df = df.copy()
        ends = np.cumsum(counts)
        for i, (row, s) in enumerate(zip(sums, stories, strict=True)):
            slot = obj._slot()
            story = _Story(
                id=str(s["id"]),
                slot=slot,
                title=s["title"],
                members=[str(m) for m in s["members"]],
                first=None if s["first"] is None else float(s["first"]),
                last=None if s["last"] is None else float(s["last"]),
            )
            if obj.dim is None:
                obj.dim = int(row.size)
            obj._slots[slot] = story
            obj._by_id[story.id] = story
            obj._sums[slot] = row
            obj._sum_norm[slot] = np.linalg.norm(row)
            lo, hi = int(ends[i] - counts[i]), int(ends[i])
            col = np.zeros(obj.kw_dim, dtype=np.float32)
            col[keys[lo:hi]] = values[lo:hi]
            obj._kw[:, slot] = col
            obj._kw_norm2[slot] = float(col.astype(np.float64) @ col)
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
