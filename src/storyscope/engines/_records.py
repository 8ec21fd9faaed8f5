"""Analyzed articles <-> plain rows and Parquet tables (no Ray needed here).

The Ray engine ships articles to its workers and analyses back as JSON-safe
rows, and writes five Parquet tables into its output folder:

- ``articles/``: one row per article: ``seq``, ``run_id``, the article's fields
  (``published`` as ISO 8601 text), ``analysis`` (JSON: removed boilerplate,
  entities, quantities, times, cues and the framing measures sources, anonymous, media, loaded,
  hedges) and ``lead`` (the title-and-lead vector
  used for clustering, float32 list).
- ``sentences/``: ``article``, ``index``, ``start``, ``end``, ``text``.
- ``quotes/``: ``article``, ``position`` and every :class:`~storyscope.model.Quote`
  field (spans flattened to ``*_start``/``*_end``).
- ``claims/``: every :class:`~storyscope.model.Claim` field.
- ``embeddings/``: ``article``, ``sentence``, ``vector`` (float32 list).

Every table is a folder of ``part-<run id>.parquet`` files, so runs into the
same folder add up; :func:`load_analyzed` reads them back into
:class:`~storyscope.model.AnalyzedArticle` records equal to the ones written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from storyscope.errors import StoreError
from storyscope.model import (
    AnalyzedArticle,
    Article,
    Claim,
    Cue,
    Entity,
    Quantity,
    Quote,
    Removed,
    Sentence,
    Span,
    TimeExpression,
)

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa
    import pyarrow.parquet as pq

TABLES = ("articles", "sentences", "quotes", "claims", "embeddings")


def article_to_row(article: Article) -> dict[str, Any]:
    """A JSON-safe dict of an article (``published`` as ISO 8601 text)."""
    return {
        "id": article.id,
        "source": article.source,
        "outlet": article.outlet,
        "text": article.text,
        "title": article.title,
        "byline": article.byline,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "url": article.url,
        "removed": [[r.text, r.reason] for r in article.removed],
    }


def article_from_row(row: Mapping[str, Any]) -> Article:
    """The article :func:`article_to_row` was made from."""
    published = row.get("published")
    removed = row.get("removed") or []
    return Article(
        id=row["id"],
        source=row["source"],
        outlet=row["outlet"],
        text=row["text"],
        title=row.get("title"),
        byline=row.get("byline"),
        published=dt.datetime.fromisoformat(published) if published else None,
        language=row.get("language"),
        url=row.get("url"),
        removed=tuple(Removed(text=t, reason=r) for t, r in removed),
    )


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """``dataclasses.asdict`` without its deep copies (the records are frozen; the
    values are str, int, float, None and nested records, lists and tuples)."""
    cls = type(value)
    names = _FIELDS.get(cls)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if cls is list or cls is tuple:
        return cls(_plain(v) for v in value)
    if cls is dict:
        return {k: _plain(v) for k, v in value.items()}
    return value


def _dicts(items: Iterable[Any]) -> list[dict[str, Any]]:
    return [_plain(item) for item in items]


#: The per-article framing measures of :class:`AnalyzedArticle` (``analysis["measures"]``).
MEASURES = ("sources", "anonymous", "media", "loaded", "hedges")


def _extra_json(item: AnalyzedArticle) -> str:
    """The ``analysis`` column of the articles table."""
    from storyscope.store._analysis import _encode

    return json.dumps(
        {
            "removed": [[r.text, r.reason] for r in item.article.removed],
            "entities": _dicts(item.entities),
            "quantities": _dicts(item.quantities),
            "times": _dicts(item.times),
            "cues": _dicts(item.cues),
            # The per-article framing measures (None: not computed), as the store writes them.
            "measures": {name: _encode(getattr(item, name)) for name in MEASURES},
        },
        ensure_ascii=False,
    )


def _quote_fields(position: int, q: Quote) -> dict[str, Any]:
    return {
        "position": position, "start": q.start, "end": q.end, "text": q.text, "speaker": q.speaker,
        "speaker_mention_start": q.speaker_mention.start if q.speaker_mention else None,
        "speaker_mention_end": q.speaker_mention.end if q.speaker_mention else None,
        "cue": q.cue,
        "cue_start": q.cue_span.start if q.cue_span else None,
        "cue_end": q.cue_span.end if q.cue_span else None,
        "kind": q.kind, "anonymous": q.anonymous, "sentence": q.sentence,
        "speaker_description": q.speaker_description,
    }


def vectors_to_bytes(matrix: npt.ArrayLike) -> tuple[bytes, int]:
    """float32 bytes of a matrix and its row width."""
    array = np.ascontiguousarray(np.asarray(matrix, dtype=np.float32))
    width = int(array.shape[1]) if array.ndim == 2 else int(array.shape[0])
    return array.tobytes(), width


def vectors_from_bytes(raw: bytes, width: int) -> npt.NDArray[np.float32]:
    """The matrix :func:`vectors_to_bytes` was made from."""
    flat = np.frombuffer(raw, dtype=np.float32).copy()
    return flat.reshape(-1, width) if width else flat.reshape(0, 0)


# -- Parquet ---------------------------------------------------------------------------


def _pa() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.compute  # noqa: F401 - pa.compute
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow comes with ray[data]
        raise StoreError("pyarrow is not installed: pip install 'storyscope[ray]'") from exc
    return pa, pq


def _schemas(pa: Any) -> dict[str, pa.Schema]:
    vec = pa.list_(pa.float32())
    s, i, b = pa.string(), pa.int64(), pa.bool_()
    return {
        "articles": pa.schema(
            [("seq", i), ("run_id", s), ("id", s), ("source", s), ("outlet", s), ("title", s),
             ("byline", s), ("published", s), ("language", s), ("url", s), ("text", s),
             ("analysis", s), ("lead", vec)]
        ),
        "sentences": pa.schema([("article", s), ("index", i), ("start", i), ("end", i), ("text", s)]),
        "quotes": pa.schema(
            [("article", s), ("position", i), ("start", i), ("end", i), ("text", s), ("speaker", s),
             ("speaker_mention_start", i), ("speaker_mention_end", i), ("cue", s), ("cue_start", i),
             ("cue_end", i), ("kind", s), ("anonymous", b), ("sentence", i),
             ("speaker_description", s)]
        ),
        "claims": pa.schema(
            [("article", s), ("id", s), ("sentence", i), ("start", i), ("end", i), ("text", s),
             ("speaker", s), ("hedged", b), ("negated", b), ("denial", b), ("subject", s),
             ("predicate", s), ("object", s), ("status", s), ("attribution", s)]
        ),
        "embeddings": pa.schema([("article", s), ("sentence", i), ("vector", vec)]),
    }


NESTED = ("sentences", "quotes", "claims", "embeddings")
"""The tables with several rows per article (an ``article`` column, then these fields)."""


def _nested_types(pa: Any, schemas: Mapping[str, pa.Schema]) -> dict[str, pa.DataType]:
    return {
        name: pa.list_(pa.struct([field for field in schemas[name] if field.name != "article"]))
        for name in NESTED
    }


def analysis_columns(items: Sequence[AnalyzedArticle | None]) -> dict[str, Any]:
    """One row per item, ready for Parquet: ``extra`` (the articles table's ``analysis``
    JSON) and one list column per :data:`NESTED` table (None items: null and empty).

    Workers build these, so the process writing the tables only slices and flattens
    Arrow arrays (:meth:`ParquetWriter.write_analyzed`) instead of rebuilding records.
    """
    pa, _ = _pa()
    types = _nested_types(pa, _schemas(pa))
    rows: dict[str, list[Any]] = {name: [] for name in NESTED}
    extra: list[str | None] = []
    vectors: list[npt.NDArray[np.float32]] = []
    for item in items:
        if item is None:
            extra.append(None)
            for name in NESTED:
                rows[name].append([])
            continue
        extra.append(_extra_json(item))
        rows["sentences"].append(_dicts(item.sentences))
        rows["quotes"].append([_quote_fields(n, q) for n, q in enumerate(item.quotes)])
        rows["claims"].append(_dicts(item.claims))
        matrix = (
            np.zeros((0, 0), dtype=np.float32)
            if item.embeddings is None
            else np.ascontiguousarray(np.asarray(item.embeddings, dtype=np.float32))
        )
        vectors.append(matrix)
        rows["embeddings"].append(list(range(matrix.shape[0])))
    columns: dict[str, Any] = {"extra": pa.array(extra, pa.string())}
    for name in ("sentences", "quotes", "claims"):
        columns[name] = pa.array(rows[name], types[name])
    # embeddings: build the float lists from one flat buffer, not from Python floats
    counts = [len(r) for r in rows["embeddings"]]
    widths = [int(m.shape[1]) for m in vectors for _ in range(m.shape[0])]  # one per sentence
    flat = np.concatenate([m.reshape(-1) for m in vectors]) if vectors else np.zeros(0, dtype=np.float32)
    inner = np.zeros(len(widths) + 1, dtype=np.int32)
    inner[1:] = np.cumsum(widths, dtype=np.int64)
    vector_lists = pa.ListArray.from_arrays(pa.array(inner, pa.int32()), pa.array(flat, pa.float32()))
    sentence_ids = pa.array([n for r in rows["embeddings"] for n in r], pa.int64())
    structs = pa.StructArray.from_arrays([sentence_ids, vector_lists], fields=list(types["embeddings"].value_type))
    outer = np.zeros(len(counts) + 1, dtype=np.int32)
    outer[1:] = np.cumsum(counts)
    columns["embeddings"] = pa.ListArray.from_arrays(pa.array(outer, pa.int32()), structs, type=types["embeddings"])
    return columns


class ParquetWriter:
    """Appends analyzed articles to the five tables of an output folder.

    Args:
        folder: The output folder (created).
        run_id: Names the part files (``<table>/part-<run_id>.parquet``).
    """

    def __init__(self, folder: str | Path, run_id: str) -> None:
        self._pa, self._pq = _pa()
        self.folder = Path(folder)
        self.run_id = run_id
        self._schemas = _schemas(self._pa)
        self._writers: dict[str, pq.ParquetWriter] = {}
        self.rows = 0

    def _writer(self, table: str) -> pq.ParquetWriter:
        writer = self._writers.get(table)
        if writer is None:
            path = self.folder / table / f"part-{self.run_id}.parquet"
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                writer = self._pq.ParquetWriter(str(path), self._schemas[table])
            except OSError as exc:
                raise StoreError(f"{path}: cannot write Parquet ({exc})") from exc
            self._writers[table] = writer
        return writer

    def write_analyzed(
        self, entries: Sequence[tuple[int, Article, npt.NDArray[np.float32] | None, Any, int]]
    ) -> None:
        """Append articles whose analysis is row ``row`` of an :func:`analysis_columns` table.

        Args:
            entries: ``(seq, article, lead vector, table, row)`` tuples.
        """
        pa = self._pa
        if not entries:
            return
        articles = [
            {
                "seq": seq, "run_id": self.run_id, "id": a.id, "source": a.source, "outlet": a.outlet,
                "title": a.title, "byline": a.byline,
                "published": a.published.isoformat() if a.published else None,
                "language": a.language, "url": a.url, "text": a.text,
                "analysis": block.column("extra")[row].as_py(),
                "lead": None if lead is None else np.asarray(lead, dtype=np.float32).tolist(),
            }
            for seq, a, lead, block, row in entries
        ]
        self._writer("articles").write_table(pa.Table.from_pylist(articles, schema=self._schemas["articles"]))
        groups: dict[int, tuple[Any, list[int], list[str]]] = {}
        for _, a, _, block, row in entries:  # consecutive entries mostly share a block
            group = groups.setdefault(id(block), (block, [], []))
            group[1].append(row)
            group[2].append(a.id)
        for name in NESTED:
            parts = []
            for block, rows, ids in groups.values():
                lists = block.column(name).take(pa.array(rows, pa.int64())).combine_chunks()
                values = lists.flatten()
                if not len(values):
                    continue
                owners = pa.array(ids, pa.string()).take(pa.compute.list_parent_indices(lists))
                parts.append(pa.Table.from_arrays([owners, *values.flatten()], schema=self._schemas[name]))
            if parts:
                self._writer(name).write_table(pa.concat_tables(parts))
        self.rows += len(entries)

    def close(self) -> None:
        """Finish every part file (an empty run writes none)."""
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()


def _read(folder: Path, table: str) -> list[dict[str, Any]]:
    _, pq = _pa()
    path = folder / table
    if not path.is_dir() or not any(path.glob("*.parquet")):
        return []
    try:
        return list(pq.read_table(str(path)).to_pylist())
    except Exception as exc:  # pyarrow raises many types; wrap once
        raise StoreError(f"{path}: unreadable Parquet ({exc})") from exc


def _group(rows: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row.pop("article"), []).append(row)
    return out


def load_analyzed(folder: str | Path) -> dict[str, AnalyzedArticle]:
    """Read the analyzed articles of an output folder back, by article id.

    Args:
        folder: A folder written by the Ray engine (``--parquet``).

    Returns:
        One :class:`AnalyzedArticle` per article id, with its sentence
        embeddings (the engine writes each article once: when it is first stored).

    Raises:
        StoreError: A table is unreadable.
    """
    root = Path(folder)
    sentences = _group(_read(root, "sentences"))
    quotes = _group(_read(root, "quotes"))
    claims: dict[str, list[dict[str, Any]]] = {}
    for row in _read(root, "claims"):
        claims.setdefault(row["article"], []).append(row)
    vectors = _group(_read(root, "embeddings"))
    out: dict[str, AnalyzedArticle] = {}
    for row in _read(root, "articles"):
        extra = json.loads(row["analysis"])
        article = article_from_row({**row, "removed": extra["removed"]})
        own = sorted(sentences.get(article.id, []), key=lambda r: r["index"])
        rows = sorted(vectors.get(article.id, []), key=lambda r: r["sentence"])
        matrix = (
            np.asarray([r["vector"] for r in rows], dtype=np.float32)
            if rows
            else np.zeros((0, len(row["lead"] or [])), dtype=np.float32)
        )
        out[article.id] = AnalyzedArticle(
            article=article,
            sentences=tuple(Sentence(**r) for r in own),
            entities=tuple(Entity(**d) for d in extra["entities"]),
            quantities=tuple(Quantity(**d) for d in extra["quantities"]),
            times=tuple(TimeExpression(**d) for d in extra["times"]),
            quotes=tuple(_quote_row(r) for r in sorted(quotes.get(article.id, []), key=lambda r: r["position"])),
            cues=tuple(Cue(**d) for d in extra["cues"]),
            claims=tuple(Claim(**r) for r in claims.get(article.id, [])),
            embeddings=matrix,
            **_measures(extra.get("measures") or {}),
        )
    return out


def _measures(data: Mapping[str, Any]) -> dict[str, Any]:
    """The framing measures of an ``analysis`` column (none in one written before them)."""
    from storyscope.store._analysis import _decode, _hints

    hints = _hints(AnalyzedArticle)
    return {name: _decode(hints[name], data[name]) for name in MEASURES if name in data}


def _quote_row(row: Mapping[str, Any]) -> Quote:
    def span(start: int | None, end: int | None) -> Span | None:
        return Span(start, end) if start is not None and end is not None else None

    return Quote(
        start=row["start"], end=row["end"], text=row["text"], speaker=row["speaker"],
        speaker_mention=span(row["speaker_mention_start"], row["speaker_mention_end"]),
        cue=row["cue"], cue_span=span(row["cue_start"], row["cue_end"]), kind=row["kind"],
        anonymous=row["anonymous"], sentence=row["sentence"],
        speaker_description=row["speaker_description"],
    )
