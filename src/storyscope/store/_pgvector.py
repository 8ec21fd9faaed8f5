"""pgvector: article embeddings searched inside PostgreSQL when the extension exists.

On a PostgreSQL server where the ``vector`` extension is installed (Debian's
``postgresql-NN-pgvector``, or any build of https://github.com/pgvector/pgvector),
:class:`~storyscope.store.Store` keeps a copy of every embedding in an extra
``embeddings.embedding vector`` column and answers :meth:`~storyscope.store.Store.nearest`
with an ``ORDER BY ... <#> ...`` query in the server. An HNSW index over the
column (cast to the store's one dimension, inner-product operator class) keeps
that fast for millions of rows; the server uses it once the table is large enough
for an index scan to beat a sequential one. No process then holds an index of its
own in memory.

The column is optional schema: it is added (and filled from the ``vector`` bytes,
which stay the source of truth) when a store is opened on a server that offers the
extension, so installing pgvector later upgrades an existing store on its next
open, and vectors written by a process that did not know the column are filled in
before the next search. Creating the extension needs the right to do so (superuser,
or database owner where the extension is trusted) and altering the table needs its
owner; when that fails the store logs why and keeps the in-process index.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from sqlalchemy.engine import Connection

logger = logging.getLogger(__name__)

EXTENSION = "vector"
COLUMN = "embedding"
INDEX = "ix_embeddings_hnsw"
UNFILLED = "ix_embeddings_unfilled"  # partial index: rows whose vector column is still NULL
MAX_INDEX_DIM = 2000  # pgvector's HNSW limit for the vector type; larger vectors are searched exactly
MIN_EF_SEARCH = 40  # pgvector's default candidate list size for HNSW scans
MAX_EF_SEARCH = 1000  # pgvector's upper bound
_BACKFILL_ROWS = 1000


def literal(vector: npt.NDArray[np.float32]) -> str:
    """pgvector's text form of a float32 vector (``[x,y,...]``, exact round trip)."""
    return "[" + ",".join(repr(x) for x in vector.astype(np.float32).tolist()) + "]"


def offered(conn: Connection) -> bool:
    """Whether the server can install the extension (its files are present)."""
    return bool(
        conn.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = :n"), {"n": EXTENSION}).first()
    )


def enabled(conn: Connection) -> bool:
    """Whether this database already has the ``embeddings.embedding`` vector column."""
    return bool(
        conn.execute(
            sa.text(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = 'embeddings' AND column_name = :c"
            ),
            {"c": COLUMN},
        ).first()
    )


def enable(conn: Connection) -> str | None:
    """Create the extension and the column, fill it, index it; return why not, or None.

    Idempotent, and all or nothing: it runs in a savepoint of the caller's transaction
    (which should hold the store's migration lock, so two processes do not race on the
    DDL), and any failure (no right to create the extension or alter the table, ...)
    is rolled back and returned as the reason.
    """
    if not offered(conn):
        return f"the server does not offer the {EXTENSION!r} extension"
    step = f"create the {EXTENSION!r} extension"
    try:
        with conn.begin_nested():
            conn.exec_driver_sql(f"CREATE EXTENSION IF NOT EXISTS {EXTENSION}")
            step = "add the vector column"
            conn.exec_driver_sql(f"ALTER TABLE embeddings ADD COLUMN IF NOT EXISTS {COLUMN} vector")
            conn.exec_driver_sql(
                f"CREATE INDEX IF NOT EXISTS {UNFILLED} ON embeddings (id) WHERE {COLUMN} IS NULL"
            )
            step = "fill the vector column"
            backfill(conn)
            dim = stored_dim(conn)
            if dim is not None:
                step = "index the vector column"
                ensure_index(conn, dim)
    except sa.exc.DBAPIError as exc:
        orig = getattr(exc, "orig", exc)
        return f"cannot {step} ({str(orig).strip().splitlines()[0]})"
    return None


def stored_dim(conn: Connection) -> int | None:
    """The dimension of the stored vectors (one per store), or None when there are none."""
    dim = conn.execute(sa.text("SELECT dim FROM embeddings LIMIT 1")).scalar()
    return None if dim is None else int(dim)


def unfilled(conn: Connection) -> bool:
    """Whether some stored vector lacks its pgvector value (written by a process that
    did not know the column, e.g. one opened before pgvector was enabled)."""
    return bool(conn.execute(sa.text(f"SELECT 1 FROM embeddings WHERE {COLUMN} IS NULL LIMIT 1")).first())


def backfill(conn: Connection) -> int:
    """Copy stored vectors without a pgvector value into the column; return how many."""
    done = 0
    while True:
        rows = conn.execute(
            sa.text(f"SELECT id, vector FROM embeddings WHERE {COLUMN} IS NULL ORDER BY id LIMIT :n"),
            {"n": _BACKFILL_ROWS},
        ).all()
        if not rows:
            return done
        write(conn, [(int(r.id), np.frombuffer(r.vector, dtype=np.float32)) for r in rows])
        done += len(rows)


def write(conn: Connection, rows: Sequence[tuple[int, npt.NDArray[np.float32]]]) -> None:
    """Set the pgvector value of embedding rows ``(id, vector)``."""
    if rows:
        conn.execute(
            sa.text(f"UPDATE embeddings SET {COLUMN} = CAST(:v AS vector) WHERE id = :id"),
            [{"id": key, "v": literal(vector)} for key, vector in rows],
        )


def index_dim(conn: Connection) -> int | None:
    """The dimension the HNSW index is built for, or None when there is none."""
    definition = conn.execute(
        sa.text("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = :n"),
        {"n": INDEX},
    ).scalar()
    if definition is None:
        return None
    marker = "::vector("
    start = definition.find(marker)
    if start < 0:
        return None
    return int(definition[start + len(marker) : definition.index(")", start)])


def ensure_index(conn: Connection, dim: int) -> None:
    """Make the HNSW index cover vectors of ``dim`` (rebuilt if it was for another;
    none above :data:`MAX_INDEX_DIM`, where every search is an exact scan)."""
    current = index_dim(conn)
    if current == dim:
        return
    if current is not None:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {INDEX}")
    if dim > MAX_INDEX_DIM:
        logger.info("vectors of %d dimensions: pgvector searches them without an HNSW index", dim)
        return
    conn.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON embeddings USING hnsw (({COLUMN}::vector({dim})) vector_ip_ops)"
    )


def nearest_sql(dim: int) -> str:
    """The search statement (parameters ``:q``, a :func:`literal`, and ``:k``); its
    ``ORDER BY`` is the HNSW index's expression, so the index can serve it."""
    cast = f"{COLUMN}::vector({int(dim)})"
    query = f"CAST(:q AS vector({int(dim)}))"
    return (
        f"SELECT article_id, -({cast} <#> {query}) AS score FROM embeddings "
        f"WHERE {COLUMN} IS NOT NULL ORDER BY {cast} <#> {query} LIMIT :k"
    )


def nearest(
    conn: Connection, queries: npt.NDArray[np.float32], dim: int, limit: int
) -> list[list[tuple[str, float]]]:
    """Top ``limit`` ``(article_id, cosine)`` for each L2-normalised query row, best first."""
    statement = sa.text(nearest_sql(dim))
    if limit > MAX_EF_SEARCH:
        # An HNSW scan returns at most ef_search rows: past its bound, scan exactly.
        conn.execute(sa.text("SELECT set_config('enable_indexscan', 'off', true)"))
    else:
        ef = max(MIN_EF_SEARCH, limit)
        conn.execute(sa.text("SELECT set_config('hnsw.ef_search', :ef, true)"), {"ef": str(ef)})
    return [
        [(row.article_id, float(row.score)) for row in conn.execute(statement, {"q": literal(q), "k": limit})]
        for q in queries
    ]
