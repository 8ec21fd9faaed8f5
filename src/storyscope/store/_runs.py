"""Ingest runs: where each run stands on each source, and the failures it recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storyscope.model import Failure

from ._db import Database
from ._dialect import Dialect
from ._rows import from_db, utcnow
from ._schema import failures, ingest_progress
from .records import RunProgress, StoredFailure

__all__ = ["Runs", "upsert_progress"]


def _progress(row: Any) -> RunProgress:
    return RunProgress(
        run_id=row.run_id,
        source=row.source,
        position=row.position,
        status=row.status,
        added=row.added,
        skipped=row.skipped,
        failed=row.failed,
        started_at=from_db(row.started_at),
        updated_at=from_db(row.updated_at),
    )


def upsert_progress(conn: Connection, dialect: Dialect, progress: RunProgress, now: dt.datetime) -> None:
    """Insert or replace one progress row in ``conn``'s transaction (its start time is kept)."""
    values = {
        "run_id": progress.run_id,
        "source": progress.source,
        "position": progress.position,
        "status": progress.status,
        "added": progress.added,
        "skipped": progress.skipped,
        "failed": progress.failed,
        "started_at": now,
        "updated_at": now,
    }
    stmt = dialect.insert(ingest_progress).values(values)
    update = {k: stmt.excluded[k] for k in values if k not in ("run_id", "source", "started_at")}
    conn.execute(stmt.on_conflict_do_update(index_elements=["run_id", "source"], set_=update))


class Runs:
    """The ``ingest_progress`` and ``failures`` tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record_failure(self, failure: Failure, *, run_id: str | None = None) -> None:
        """Record a failure (a source skipped with a reason)."""
        with self._db.write() as conn:
            conn.execute(
                sa.insert(failures).values(
                    run_id=run_id,
                    source=failure.source,
                    stage=failure.stage,
                    error=failure.error,
                    at=utcnow(),
                )
            )

    def failures(self, *, run_id: str | None = None) -> list[StoredFailure]:
        """Recorded failures, oldest first (of one run, when ``run_id`` is given)."""
        query = sa.select(failures).order_by(failures.c.id)
        if run_id is not None:
            query = query.where(failures.c.run_id == run_id)
        with self._db.read() as conn:
            return [
                StoredFailure(
                    source=r.source,
                    stage=r.stage,
                    error=r.error,
                    at=r.at.replace(tzinfo=dt.UTC),
                    run_id=r.run_id,
                )
                for r in conn.execute(query)
            ]

    def set_progress(self, progress: RunProgress) -> None:
        """Record where a run stands on one source (insert or replace)."""
        with self._db.write() as conn:
            upsert_progress(conn, self._db.dialect, progress, utcnow())

    def get_progress(self, run_id: str, source: str) -> RunProgress | None:
        """Where a run stands on one source, or None if it never started there."""
        with self._db.read() as conn:
            row = conn.execute(
                sa.select(ingest_progress).where(
                    ingest_progress.c.run_id == run_id, ingest_progress.c.source == source
                )
            ).first()
        return _progress(row) if row is not None else None

    def list_progress(self, run_id: str | None = None) -> list[RunProgress]:
        """Progress rows, by run then source."""
        query = sa.select(ingest_progress).order_by(ingest_progress.c.run_id, ingest_progress.c.source)
        if run_id is not None:
            query = query.where(ingest_progress.c.run_id == run_id)
        with self._db.read() as conn:
            return [_progress(r) for r in conn.execute(query)]
