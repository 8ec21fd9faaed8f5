"""The database every part of the store shares: engine, dialect, transactions, read-only mode."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine

from storyscope.errors import StoreError

from . import _engine
from ._dialect import Dialect, dialect_for

__all__ = ["Database"]

logger = logging.getLogger(__name__)


class Database:
    """One store's engine and what each part needs to talk to it.

    Every read runs in :meth:`read` and every write in :meth:`write`: one transaction
    each, driver errors turned into one-line :class:`StoreError` s naming the store.

    Attributes:
        engine: The SQLAlchemy engine.
        url: Its URL.
        name: How the database is named in messages (path, or URL without password).
        dialect: The backend's :class:`~._dialect.Dialect`.
        read_only: Why writes are refused (None: they are not).
    """

    def __init__(self, engine: Engine, url: URL, *, read_only: str | None = None) -> None:
        self.engine = engine
        self.url = url
        self.name = _engine.display(url)
        self.dialect: Dialect = dialect_for(engine)
        self.read_only = read_only
        self._warm: Any = None  # an idle SQLite connection held by keep_warm()

    def error(self, message: str) -> StoreError:
        """A :class:`StoreError` ``"<store name>: <message>"``."""
        return StoreError(f"{self.name}: {message}")

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction (committed when the block ends without an error).

        Raises:
            StoreError: The store is read-only, or the database failed.
        """
        if self.read_only is not None:
            raise self.error(f"the store is read-only ({self.read_only})")
        try:
            with self.engine.begin() as conn:
                yield conn
        except (sa.exc.SQLAlchemyError, OverflowError) as exc:  # sqlite3: int past 64 bits
            raise _engine.wrap(exc, self.name) from exc

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read connection (a deferred, shared transaction on SQLite).

        Raises:
            StoreError: The database failed.
        """
        try:
            with self.engine.connect() as conn:
                yield conn.execution_options(storyscope_read=True)
        except (sa.exc.SQLAlchemyError, OverflowError) as exc:
            raise _engine.wrap(exc, self.name) from exc

    def keep_warm(self) -> None:
        """Hold one idle connection until :meth:`close` where the dialect gains from it."""
        if not self.dialect.keeps_warm or self._warm is not None:
            return
        try:
            warm = self.engine.raw_connection()
            cursor = warm.cursor()
            cursor.execute("SELECT 1 FROM stories LIMIT 1")  # schema read, shared memory mapped
            cursor.fetchall()
            cursor.close()
            warm.rollback()
        except Exception as exc:  # an optimisation only: never a reason to fail
            logger.info("%s: no warm connection (%s)", self.name, str(exc).splitlines()[0] if str(exc) else exc)
            return
        self._warm = warm

    @property
    def warm(self) -> Any:
        """The connection :meth:`keep_warm` holds, or None."""
        return self._warm

    def close(self) -> None:
        """Close the warm connection and release every pooled one."""
        warm, self._warm = self._warm, None
        if warm is not None:
            with contextlib.suppress(Exception):
                warm.close()
        self.engine.dispose()
