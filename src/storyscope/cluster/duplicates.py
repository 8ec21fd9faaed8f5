"""Near-duplicate detection: MinHash signatures over word shingles, LSH banding.

A wire story reprinted by several outlets with small edits (a new headline, a
trimmed last paragraph, a local sentence added) is one source, not several:
:class:`DuplicateIndex` links each reprint to the article it copies so it is
not counted as independent support. Different articles about the same event
share a quote or a phrase, not most of their text, and are not linked.

Signatures use multiply-shift hashing of stable CRC32 word hashes, so they can
be persisted (see :meth:`DuplicateIndex.to_state`) and compared across runs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from storyscope.cluster._text import word_hashes
from storyscope.errors import StoryscopeError
from storyscope.model import Article

__all__ = ["DuplicateIndex", "MinHasher", "Signature"]

logger = logging.getLogger(__name__)

_MASK32 = np.uint64(0xFFFFFFFF)
_SHIFT = np.uint64(32)


@dataclass(frozen=True, slots=True, kw_only=True)
class Signature:
    """The MinHash signature of one text.

    Attributes:
        values: ``(num_perm,)`` uint32 minima, one per hash function.
        size: Number of distinct shingles (for containment estimates).
    """

    values: npt.NDArray[np.uint32]
    size: int

    def jaccard(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two shingle sets."""
        if self.size == 0 or other.size == 0:
            return 0.0
        return float(np.mean(self.values == other.values))

    def containment(self, other: Signature) -> float:
        """Estimated share of the smaller shingle set found in the larger one."""
        j = self.jaccard(other)
        if j <= 0.0:
            return 0.0
        inter = j * (self.size + other.size) / (1.0 + j)
        return min(1.0, inter / min(self.size, other.size))


class MinHasher:
    """Computes MinHash signatures of word ``shingle``-grams.

    Args:
        num_perm: Number of hash functions (signature length).
        shingle: Words per shingle.
        seed: Seed of the hash functions; signatures are comparable only when
            ``num_perm``, ``shingle`` and ``seed`` are equal.
    """

    def __init__(self, *, num_perm: int = 128, shingle: int = 5, seed: int = 1) -> None:
        if num_perm < 1 or shingle < 1:
            raise StoryscopeError(f"MinHasher: bad parameters num_perm={num_perm} shingle={shingle}")
        self.num_perm = num_perm
        self.shingle = shingle
        self.seed = seed
        rng = np.random.default_rng(seed)
        full = np.iinfo(np.uint64).max
        self._a = rng.integers(1, full, size=num_perm, dtype=np.uint64, endpoint=True) | np.uint64(1)
        self._b = rng.integers(0, full, size=num_perm, dtype=np.uint64, endpoint=True)
        mult = rng.integers(1, full, size=shingle, dtype=np.uint64, endpoint=True) | np.uint64(1)
        self._mult = mult

    def shingles(self, text: str) -> npt.NDArray[np.uint64]:
        """Distinct 32-bit hashes of the text's word shingles (a short text is one shingle)."""
        h = word_hashes(text)
        if h.size == 0:
            return h
        k = min(self.shingle, int(h.size))
        n = int(h.size) - k + 1
        acc = np.zeros(n, dtype=np.uint64)
        for i in range(k):
            acc = acc * self._mult[i] + h[i : i + n]  # wraps mod 2**64 on purpose
        return np.unique((acc >> _SHIFT) ^ (acc & _MASK32))

    def signature(self, text: str) -> Signature:
        """The MinHash signature of ``text``.

        Args:
            text: Any text; an empty text gets an all-max signature of size 0.

        Returns:
            The signature.
        """
        sh = self.shingles(text)
        if sh.size == 0:
            return Signature(values=np.full(self.num_perm, 0xFFFFFFFF, dtype=np.uint32), size=0)
        values = np.full(self.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
        for lo in range(0, int(sh.size), 4096):  # bounded temporary: num_perm x 4096
            block = sh[lo : lo + 4096]
            hashed = (self._a[:, None] * block[None, :] + self._b[:, None]) >> _SHIFT
            np.minimum(values, hashed.min(axis=1), out=values)
        return Signature(values=values.astype(np.uint32), size=int(sh.size))


class DuplicateIndex:
    """Incremental near-duplicate index (MinHash + LSH).

    ``add`` returns the id of the original an article copies, or ``None``. The
    original is the first article added of its duplicate group, so a chain of
    reprints all point at the same article.

    Args:
        threshold: Estimated Jaccard at or above which two texts are duplicates.
        containment: Estimated containment at or above which a text (for
            example a trimmed reprint) duplicates a longer one.
        min_shingles: Texts with fewer distinct shingles are never linked
            (a one-line brief is too short to tell a copy from a coincidence).
        bands: LSH bands; ``num_perm`` must be divisible by it. More bands find
            lower similarities at the price of more candidates.
        hasher: The signature function; a default :class:`MinHasher` otherwise.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        containment: float = 0.8,
        min_shingles: int = 20,
        bands: int = 32,
        hasher: MinHasher | None = None,
    ) -> None:
        self.hasher = hasher or MinHasher()
        if self.hasher.num_perm % bands:
            raise StoryscopeError(
                f"DuplicateIndex: num_perm {self.hasher.num_perm} is not divisible by bands {bands}"
            )
        self.threshold = threshold
        self.containment = containment
        self.min_shingles = min_shingles
        self.bands = bands
        self._rows = self.hasher.num_perm // bands
        self._buckets: list[dict[bytes, list[int]]] = [{} for _ in range(bands)]
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._sigs: list[npt.NDArray[np.uint32]] = []
        self._sizes: list[int] = []
        self._original: list[int] = []  # index of the group's original (itself if none)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._pos

    def add(self, article: Article, signature: Signature | None = None) -> str | None:
        """Index an article and return the id of the original it duplicates.

        Args:
            article: The article; its ``title`` is ignored (reprints retitle).
            signature: A precomputed (for example stored) signature of
                ``article.text``; computed when omitted.

        Returns:
            The id of the original article, or ``None`` when the article is new.
            Adding the same id twice returns what the first call returned.
        """
        return self.add_signature(article.id, signature or self.hasher.signature(article.text))

    def add_signature(self, article_id: str, signature: Signature) -> str | None:
        """Like :meth:`add`, from an id and a signature (rebuilding from a store).

        Args:
            article_id: The article's id.
            signature: Its signature, from this index's :attr:`hasher`.

        Returns:
            The id of the original article, or ``None``.

        Raises:
            StoryscopeError: The signature has the wrong length.
        """
        if signature.values.shape != (self.hasher.num_perm,):
            raise StoryscopeError(
                f"DuplicateIndex: signature of {article_id} has shape {signature.values.shape}, "
                f"expected ({self.hasher.num_perm},)"
            )
        if article_id in self._pos:
            i = self._pos[article_id]
            return None if self._original[i] == i else self._ids[self._original[i]]
        best = self._best_match(signature)
        index = len(self._ids)
        self._ids.append(article_id)
        self._pos[article_id] = index
        self._sigs.append(signature.values.astype(np.uint32, copy=False))
        self._sizes.append(signature.size)
        self._original.append(index if best is None else self._original[best])
        if signature.size >= self.min_shingles:
            for band, key in enumerate(self._band_keys(signature.values)):
                self._buckets[band].setdefault(key, []).append(index)
        if best is None:
            return None
        original = self._ids[self._original[best]]
        logger.debug("%s duplicates %s (via %s)", article_id, original, self._ids[best])
        return original

    def original_of(self, article_id: str) -> str | None:
        """The original of an indexed article, or ``None`` when it is an original itself."""
        i = self._pos[article_id]
        o = self._original[i]
        return None if o == i else self._ids[o]

    def find(self, text: str) -> list[tuple[str, float]]:
        """Indexed articles that ``text`` near-duplicates, without adding it.

        Args:
            text: Any text.

        Returns:
            ``(article id, estimated Jaccard)`` pairs, most similar first.
        """
        sig = self.hasher.signature(text)
        hits = [(self._ids[i], j) for i, j, _ in self._matches(sig)]
        return sorted(hits, key=lambda h: -h[1])

    def _band_keys(self, values: npt.NDArray[np.uint32]) -> Iterable[bytes]:
        r = self._rows
        raw = values.tobytes()
        step = r * 4
        return (raw[b * step : (b + 1) * step] for b in range(self.bands))

    def _matches(self, sig: Signature) -> list[tuple[int, float, float]]:
        if sig.size < self.min_shingles:
            return []
        candidates: set[int] = set()
        for band, key in enumerate(self._band_keys(sig.values)):
            hit = self._buckets[band].get(key)
            if hit:
                candidates.update(hit)
        out = []
        for i in candidates:
            other = Signature(values=self._sigs[i], size=self._sizes[i])
            j = sig.jaccard(other)
            c = sig.containment(other)
            if j >= self.threshold or c >= self.containment:
                out.append((i, j, c))
        return out

    def _best_match(self, sig: Signature) -> int | None:
        matches = self._matches(sig)
        if not matches:
            return None
        return max(matches, key=lambda m: (m[1], m[2], -m[0]))[0]

    def to_state(self) -> dict[str, Any]:
        """Everything needed to rebuild the index (numpy arrays and plain values).

        Returns:
            A dict for :meth:`from_state`; ``np.savez`` can write it as it is.
        """
        n = len(self._ids)
        sigs = np.stack(self._sigs) if n else np.zeros((0, self.hasher.num_perm), np.uint32)
        return {
            "ids": np.asarray(self._ids, dtype=str),
            "signatures": sigs,
            "sizes": np.asarray(self._sizes, dtype=np.int64),
            "original": np.asarray(self._original, dtype=np.int64),
            "params": np.asarray(
                [self.hasher.num_perm, self.hasher.shingle, self.hasher.seed, self.bands,
                 self.min_shingles],
                dtype=np.int64,
            ),
            "thresholds": np.asarray([self.threshold, self.containment], dtype=np.float64),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> DuplicateIndex:
        """Rebuild an index saved with :meth:`to_state`.

        Args:
            state: The saved arrays.

        Returns:
            An index equal to the saved one.

        Raises:
            StoryscopeError: The state is incomplete or inconsistent.
        """
        try:
            num_perm, shingle, seed, bands, min_sh = (int(x) for x in state["params"])
            threshold, containment = (float(x) for x in state["thresholds"])
            ids = [str(x) for x in state["ids"]]
            sigs = np.asarray(state["signatures"], dtype=np.uint32)
            sizes = [int(x) for x in state["sizes"]]
            original = [int(x) for x in state["original"]]
        except (KeyError, ValueError, TypeError) as exc:
            raise StoryscopeError(f"DuplicateIndex state: unreadable ({exc})") from exc
        if not len(ids) == len(sizes) == len(original) == sigs.shape[0]:
            raise StoryscopeError("DuplicateIndex state: arrays have different lengths")
        index = cls(
            threshold=threshold,
            containment=containment,
            min_shingles=min_sh,
            bands=bands,
            hasher=MinHasher(num_perm=num_perm, shingle=shingle, seed=seed),
        )
        for i, article_id in enumerate(ids):
            index._ids.append(article_id)
            index._pos[article_id] = i
            index._sigs.append(sigs[i])
            index._sizes.append(sizes[i])
            index._original.append(original[i])
            if sizes[i] >= min_sh:
                for band, key in enumerate(index._band_keys(sigs[i])):
                    index._buckets[band].setdefault(key, []).append(i)
        return index
