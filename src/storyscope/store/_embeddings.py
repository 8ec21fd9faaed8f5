"""Article vectors: one L2-normalised float32 vector per article, kept as bytes.

They are the embedding cache of analysis (:mod:`storyscope.corpus` reads an
article's vector before embedding it again) and, averaged per story
(:meth:`Embeddings.story_vectors`), what the web's related stories compare
(:mod:`storyscope.web._related`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ._db import Database
from ._rows import chunks, is_key
from ._schema import articles, embeddings

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import numpy.typing as npt

__all__ = ["Embeddings"]


class Embeddings:
    """The ``embeddings`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def put(self, vectors: Mapping[str, npt.ArrayLike], *, model: str = "") -> None:
        """Store one vector per article (replacing earlier ones), L2-normalised, as float32.

        Raises:
            StoreError: An article is not stored, a vector is not finite or all zero, or
                its dimension differs from the vectors already stored.
        """
        if not vectors:
            return
        import numpy as np  # here: opening a store (a report read from it) loads no numpy

        ids = list(vectors)
        matrix = np.stack([np.asarray(vectors[i], dtype=np.float32).reshape(-1) for i in ids])
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        if not np.isfinite(matrix).all() or (norms == 0).any():
            raise self._db.error("embeddings must be finite and non-zero")
        matrix = matrix / norms
        dim = int(matrix.shape[1])
        with self._db.write() as conn:
            stored_dim = conn.execute(sa.select(embeddings.c.dim).limit(1)).scalar()
            if stored_dim is not None and stored_dim != dim:
                raise self._db.error(f"embedding dimension {dim} differs from stored {stored_dim}")
            known: set[str] = set()
            for chunk in chunks(ids):
                known.update(conn.execute(sa.select(articles.c.id).where(articles.c.id.in_(chunk))).scalars())
            missing = [i for i in ids if i not in known]
            if missing:
                raise self._db.error(f"no stored article {missing[0]}")
            for chunk in chunks(ids):
                conn.execute(sa.delete(embeddings).where(embeddings.c.article_id.in_(chunk)))
            conn.execute(
                sa.insert(embeddings),
                [
                    {"article_id": i, "model": model, "dim": dim, "vector": matrix[n].tobytes()}
                    for n, i in enumerate(ids)
                ],
            )

    def get(self, article_id: str) -> npt.NDArray[np.float32] | None:
        """The stored (normalised) vector of an article, or None."""
        with self._db.read() as conn:
            blob = conn.execute(
                sa.select(embeddings.c.vector).where(embeddings.c.article_id == article_id)
            ).scalar()
        if blob is None:
            return None
        import numpy as np

        return np.frombuffer(blob, dtype=np.float32).copy()

    def story_vectors(self, story_ids: Iterable[int]) -> dict[int, npt.NDArray[np.float32]]:
        """Each story's vector: the normalised mean of its members' stored vectors, near-
        duplicate copies left out (500 stories a query, on the ``story_id`` index). A story
        without any stored vector (or whose vectors cancel out) is absent."""
        wanted = sorted({i for i in story_ids if is_key(i)})
        if not wanted:
            return {}
        import numpy as np

        sums: dict[int, npt.NDArray[np.float64]] = {}
        with self._db.read() as conn:
            for chunk in chunks(wanted):
                query = (
                    sa.select(articles.c.story_id, embeddings.c.vector)
                    .join(embeddings, embeddings.c.article_id == articles.c.id)
                    .where(articles.c.story_id.in_(chunk), articles.c.duplicate_of.is_(None))
                )
                for row in conn.execute(query):
                    vector = np.frombuffer(row.vector, dtype=np.float32)
                    known = sums.get(row.story_id)
                    sums[row.story_id] = vector.astype(np.float64) if known is None else known + vector
        result: dict[int, npt.NDArray[np.float32]] = {}
        for story_id, total in sums.items():
            norm = float(np.linalg.norm(total))
            if np.isfinite(norm) and norm > 0:
                result[story_id] = (total / norm).astype(np.float32)
        return result
