"""Reusable fakes for tests: cheap stand-ins for the heavy models.

:class:`FakeEmbedder` satisfies the :class:`storyscope.analyze.embeddings.Embedder`
protocol without loading any model: it hashes lower-cased word tokens into a
fixed-size bag-of-words vector and L2-normalises it. Texts that share words get
a positive cosine; identical texts get cosine 1.0. Deterministic across runs and
processes (uses BLAKE2, not Python's salted ``hash``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["FakeEmbedder"]

_WORD = re.compile(r"\w+", re.UNICODE)


class FakeEmbedder:
    """Bag-of-words hashing embedder for unit tests.

    Args:
        dim: Vector size.

    Attributes:
        name: Identifier, ``"fake-bow-<dim>"``.
        dim: Vector size.
    """

    def __init__(self, dim: int = 64) -> None:
        if dim < 1:
            raise ValueError("dim must be positive")
        self.dim = dim
        self.name = f"fake-bow-{dim}"
        self._cache: dict[str, int] = {}

    def _bucket(self, word: str) -> int:
        bucket = self._cache.get(word)
        if bucket is None:
            digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
            bucket = int.from_bytes(digest, "little") % self.dim
            self._cache[word] = bucket
        return bucket

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed texts as L2-normalised hashed bag-of-words vectors.

        Args:
            texts: Texts to embed.

        Returns:
            Array of shape ``(len(texts), dim)``, float32. A text with no word
            characters maps to a fixed unit vector (so rows are always unit length).
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            if not words:
                out[row, 0] = 1.0
                continue
            for word in words:
                out[row, self._bucket(word)] += 1.0
            out[row] /= np.linalg.norm(out[row])
        return out
