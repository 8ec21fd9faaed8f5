"""Analyzed articles as JSON, for the store: every record, its offsets, and its sentence vectors.

:func:`encode_analysis` turns an :class:`~storyscope.model.AnalyzedArticle` into plain
JSON (dataclasses as objects, tuples as lists, datetimes as ISO 8601, the embedding
matrix as base64 ``.npy`` bytes) and :func:`decode_analysis` rebuilds the same frozen
records from it, guided by the dataclasses' own type hints, so a field added to the
model travels without a change here. A decoded analysis compares equal to the one
encoded (``embeddings`` excepted from equality, but restored bit for bit).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import functools
import io
import types
import typing
from typing import Any

import numpy as np

from storyscope import model
from storyscope.model import AnalyzedArticle

__all__ = ["decode_analysis", "encode_analysis"]


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _vectors_to_text(matrix: Any) -> str | None:
    if matrix is None:
        return None
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(np.asarray(matrix, dtype=np.float32)), allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _vectors_from_text(text: str | None) -> Any:
    if text is None:
        return None
    return np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False)


def encode_analysis(doc: AnalyzedArticle) -> dict[str, Any]:
    """JSON-ready form of an analyzed article (see the module docstring)."""
    out: dict[str, Any] = {
        f.name: _encode(getattr(doc, f.name)) for f in dataclasses.fields(doc) if f.name != "embeddings"
    }
    out["embeddings"] = _vectors_to_text(doc.embeddings)
    return out


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


def _decode(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        (item, *_) = typing.get_args(tp)
        return tuple(_decode(item, v) for v in value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        return tp(**{k: _decode(hints[k], v) for k, v in value.items() if k in hints})
    if tp is dt.datetime:
        return dt.datetime.fromisoformat(value)
    return value


def decode_analysis(data: dict[str, Any]) -> AnalyzedArticle:
    """Rebuild the analyzed article :func:`encode_analysis` wrote.

    Raises:
        Exception: ``data`` is not an encoded analysis (a ``KeyError``,
        ``TypeError``, ``ValueError`` or ``AttributeError`` from the field it
        could not read).
    """
    hints = _hints(AnalyzedArticle)
    fields = {
        k: _decode(hints[k], v) for k, v in data.items() if k in hints and k != "embeddings"
    }
    return AnalyzedArticle(**fields, embeddings=_vectors_from_text(data.get("embeddings")))
