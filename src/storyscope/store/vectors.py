"""Vector indexes over article embeddings: faiss when installed, numpy otherwise.

Both backends offer the same interface (:class:`VectorIndex`): exact inner-product
search over L2-normalised float32 vectors (so scores are cosines), keyed by int64
ids, with removal and atomic save/load. faiss (``faiss-cpu``) is imported lazily and
is optional; without it a brute-force numpy matrix does the same job more slowly.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["FaissIndex", "NumpyIndex", "VectorIndex", "load_index", "new_index"]

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float32]
IdArray = npt.NDArray[np.int64]


class VectorIndex(Protocol):
    """Exact cosine search over int64-keyed vectors."""

    backend: str
    dim: int

    def __len__(self) -> int: ...

    def add(self, ids: IdArray, vectors: FloatArray) -> None:
        """Add vectors (``(n, dim)``, L2-normalised) under ``ids``; an existing id is replaced."""
        ...

    def remove(self, ids: IdArray) -> None:
        """Remove ids; unknown ids are ignored."""
        ...

    def search(self, queries: FloatArray, k: int) -> tuple[FloatArray, IdArray]:
        """Return ``(scores, ids)``, each ``(len(queries), k)``, best first; missing slots hold id -1."""
        ...

    def save(self, path: Path) -> None:
        """Write the index to ``path`` atomically (temp file, then rename)."""
        ...


def _as_matrix(vectors: npt.ArrayLike, dim: int) -> FloatArray:
    matrix = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32))
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    if matrix.ndim != 2 or matrix.shape[1] != dim:
        raise ValueError(f"expected vectors of dimension {dim}, got shape {matrix.shape}")
    return matrix


def _faiss_available() -> bool:
    try:
        import faiss  # noqa: F401
    except ImportError:
        return False
    return True


class NumpyIndex:
    """Brute-force index: one float32 matrix and an id array."""

    backend = "numpy"

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._ids: IdArray = np.empty(0, dtype=np.int64)
        self._vectors: FloatArray = np.empty((0, dim), dtype=np.float32)

    def __len__(self) -> int:
        return int(self._ids.shape[0])

    def add(self, ids: IdArray, vectors: FloatArray) -> None:
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        matrix = _as_matrix(vectors, self.dim)
        if len(ids) != len(matrix):
            raise ValueError("ids and vectors differ in length")
        self.remove(ids)
        self._ids = np.concatenate([self._ids, ids])
        self._vectors = np.concatenate([self._vectors, matrix])

    def remove(self, ids: IdArray) -> None:
        keep = ~np.isin(self._ids, np.asarray(ids, dtype=np.int64))
        if not keep.all():
            self._ids = self._ids[keep]
            self._vectors = self._vectors[keep]

    def search(self, queries: FloatArray, k: int) -> tuple[FloatArray, IdArray]:
        matrix = _as_matrix(queries, self.dim)
        scores = np.full((len(matrix), k), -np.inf, dtype=np.float32)
        found = np.full((len(matrix), k), -1, dtype=np.int64)
        n = len(self)
        if n == 0 or k <= 0:
            return scores, found
        sims = matrix @ self._vectors.T
        take = min(k, n)
        top = np.argpartition(-sims, take - 1, axis=1)[:, :take]
        top_scores = np.take_along_axis(sims, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        scores[:, :take] = np.take_along_axis(sims, top, axis=1)
        found[:, :take] = self._ids[top]
        return scores, found

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as handle:
            np.savez(handle, ids=self._ids, vectors=self._vectors)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> NumpyIndex:
        with np.load(path) as data:
            vectors = np.asarray(data["vectors"], dtype=np.float32)
            index = cls(int(vectors.shape[1]))
            index._ids = np.asarray(data["ids"], dtype=np.int64)
            index._vectors = vectors
        return index


class FaissIndex:
    """Exact inner-product faiss index (``IndexIDMap2`` over ``IndexFlatIP``)."""

    backend = "faiss"

    def __init__(self, dim: int, *, _index: object | None = None) -> None:
        import faiss

        self.dim = dim
        self._index: Any = _index if _index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: IdArray, vectors: FloatArray) -> None:
        ids = np.ascontiguousarray(np.asarray(ids, dtype=np.int64).reshape(-1))
        matrix = _as_matrix(vectors, self.dim)
        if len(ids) != len(matrix):
            raise ValueError("ids and vectors differ in length")
        self.remove(ids)
        self._index.add_with_ids(matrix, ids)

    def remove(self, ids: IdArray) -> None:
        ids = np.ascontiguousarray(np.asarray(ids, dtype=np.int64).reshape(-1))
        if len(ids) and len(self):
            self._index.remove_ids(ids)

    def search(self, queries: FloatArray, k: int) -> tuple[FloatArray, IdArray]:
        matrix = _as_matrix(queries, self.dim)
        if k <= 0 or len(self) == 0:
            return (
                np.full((len(matrix), max(k, 0)), -np.inf, dtype=np.float32),
                np.full((len(matrix), max(k, 0)), -1, dtype=np.int64),
            )
        scores, found = self._index.search(matrix, k)
        scores = np.where(found < 0, -np.inf, scores).astype(np.float32)
        return scores, found.astype(np.int64)

    def save(self, path: Path) -> None:
        import faiss

        tmp = path.with_name(path.name + ".tmp")
        faiss.write_index(self._index, str(tmp))
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> FaissIndex:
        import faiss

        raw = faiss.read_index(str(path))
        return cls(int(raw.d), _index=raw)


def new_index(dim: int, backend: str | None = None) -> VectorIndex:
    """Create an empty index.

    Args:
        dim: Vector dimension.
        backend: ``"faiss"``, ``"numpy"`` or None for faiss when it is installed.

    Returns:
        The index.
    """
    if backend is None:
        backend = "faiss" if _faiss_available() else "numpy"
    if backend == "faiss":
        return FaissIndex(dim)
    if backend == "numpy":
        return NumpyIndex(dim)
    raise ValueError(f"unknown vector index backend {backend!r}")


def load_index(path: Path, backend: str) -> VectorIndex:
    """Load an index written by :meth:`VectorIndex.save` with the given backend."""
    if backend == "faiss":
        return FaissIndex.load(path)
    if backend == "numpy":
        return NumpyIndex.load(path)
    raise ValueError(f"unknown vector index backend {backend!r}")
