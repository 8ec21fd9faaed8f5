"""Engines, connection settings, migrations and error wrapping for the store."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import NullPool

from storyscope.errors import StoreError

from ._light import MIGRATIONS as MIGRATIONS
from ._light import default_db_path as default_db_path
from ._light import newest_file_revision as newest_file_revision

logger = logging.getLogger(__name__)

_PG_MIGRATION_LOCK = 0x5709_5C09  # advisory lock id serialising concurrent migrations


def resolve_url(target: str | os.PathLike[str]) -> URL:
    """Turn a path, ``sqlite:///...`` or ``postgresql://...`` into a SQLAlchemy URL.

    Raises:
        StoreError: For an unsupported scheme or an in-memory SQLite URL.
    """
    text = os.fspath(target)
    if "://" not in text:
        return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser()))
    try:
        url = make_url(text)
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"{text}: not a database URL") from exc
    backend = url.get_backend_name()
    if backend == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise StoreError(f"{text}: in-memory SQLite is not supported; give a file path")
        return url.set(drivername="sqlite+pysqlite")
    raise StoreError(f"{text}: unsupported database {backend!r} (use SQLite or PostgreSQL)")


def display(url: URL) -> str:
    """How a database is named in messages: the file path, or the URL without password."""
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN IMMEDIATE itself (pysqlite's own
    # transaction handling would defer it), so writers serialise at the start.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_connect_read_only(dbapi_connection: Any, _record: Any) -> None:
    # No journal-mode change on a read-only file (setting WAL is a write).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # Readers take a deferred (shared) transaction; writers take the write lock up front.
    read = connection.get_execution_options().get("storyscope_read", False)
    connection.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")


def _sqlite_begin_read_only(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def read_only_reason(url: URL) -> str | None:
    """Why a SQLite store must be opened read-only, or None when it can be written.

    A URL asking for ``mode=ro`` or ``immutable=1``, a file this process may not
    write, or a folder it may not write (SQLite creates its ``-wal`` and ``-shm``
    files next to the database) make the store read-only. A file that does not
    exist yet is not read-only: it is about to be created. PostgreSQL stores are
    never opened read-only here (a read-only role's writes fail one by one).
    """
    if url.get_backend_name() != "sqlite":
        return None
    query = {k: str(v) for k, v in url.query.items()}
    if query.get("mode") == "ro" or query.get("immutable") == "1":
        return "opened with mode=ro"
    path = Path(str(url.database))
    if not path.exists():
        return None
    if not os.access(path, os.W_OK):
        return "the file is not writable"
    if not os.access(path.parent, os.W_OK):
        return "its folder is not writable"
    return None


def read_only_url(url: URL) -> URL:
    """A ``file:`` URI URL that opens the SQLite file at ``url`` read-only.

    In a folder this process cannot write, SQLite cannot create the ``-shm`` file a
    WAL database needs even to read; unless one is there already (a writer has the
    database open), the file is opened ``immutable`` (no locking, no ``-shm``).
    """
    from urllib.parse import quote

    path = Path(str(url.database)).resolve()
    params = {"uri": "true", "mode": "ro"}
    shm = path.with_name(path.name + "-shm")
    if not os.access(path.parent, os.W_OK) and not shm.exists():
        params["immutable"] = "1"
    return URL.create("sqlite+pysqlite", database=f"file:{quote(str(path))}", query=params)


def create_engine(url: URL, *, read_only: bool = False) -> Engine:
    """Create the engine for ``url`` with the store's connection settings.

    ``read_only`` (SQLite): open the existing file through a ``mode=ro`` URI (see
    :func:`read_only_url`); no journal-mode change, no write lock taken.
    """
    if url.get_backend_name() == "sqlite" and read_only:
        path = Path(str(url.database))
        if not path.is_file():
            raise StoreError(f"{path}: no database file to open read-only")
        engine = sa.create_engine(read_only_url(url), poolclass=NullPool)
        event.listen(engine, "connect", _sqlite_connect_read_only)
        event.listen(engine, "begin", _sqlite_begin_read_only)
        return engine
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create its folder ({exc.strerror})") from exc
        engine = sa.create_engine(url, poolclass=NullPool)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(
        url, pool_pre_ping=True, connect_args={"connect_timeout": 10}, pool_size=2, max_overflow=4
    )


def wrap(exc: BaseException, where: str) -> StoreError:
    """One-line :class:`StoreError` for a driver/SQLAlchemy failure at ``where``.

    The driver's own message (its first line: psycopg adds hints on later lines)
    is kept, so the real cause is what the user reads.
    """
    orig = getattr(exc, "orig", None) or exc
    message = str(orig).strip().splitlines()[0].strip() if str(orig).strip() else ""
    message = message or type(orig).__name__
    lowered = message.lower()
    if "attempt to write a readonly database" in lowered:
        return StoreError(f"{where}: the database is read-only (attempt to write a readonly database)")
    if "file is not a database" in lowered or "not a database" in lowered:
        return StoreError(f"{where}: not a storyscope database (the file is not SQLite)")
    if "unable to open database file" in lowered:
        return StoreError(f"{where}: cannot open the database file")
    if isinstance(exc, sa.exc.OperationalError) and (
        "connection" in lowered or "could not" in lowered or "timeout" in lowered
    ):
        return StoreError(f"{where}: cannot reach the database server ({message})")
    return StoreError(f"{where}: {message}")


def check_schema(engine: Engine, where: str) -> None:
    """On a read-only store, check (never change) the schema: it must be the newest.

    Raises:
        StoreError: The database has no storyscope schema, an older one (it must be
            opened once with write access to be upgraded), or a newer one.
    """
    if _at_newest(engine):
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS))
    known = {rev.revision for rev in script.walk_revisions()}
    head = script.get_current_head()
    with engine.connect() as connection:
        current = current_revision(connection)
    if current is None:
        raise StoreError(f"{where}: read-only and not a storyscope store (no schema revision)")
    if current not in known:
        raise StoreError(
            f"{where}: schema revision {current!r} is newer than this storyscope knows "
            f"(latest {head!r}); upgrade storyscope"
        )
    if current != head:
        raise StoreError(
            f"{where}: read-only store at schema revision {current!r}, older than {head!r}; "
            "open it once with write access (any storyscope command) to upgrade it"
        )


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _at_newest(engine: Engine) -> bool:
    """Whether the database is already at the newest revision, read with one query.

    Opening a store at the head (nearly every open) then skips Alembic, whose import and
    revision scan cost about 0.1 s a process. Anything unexpected (no version table, a
    file that is not a database) is left to the full path, which reports it.
    """
    try:
        with engine.connect() as connection:  # a reader's transaction: waits for no writer
            reading = connection.execution_options(storyscope_read=True)
            current = reading.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.SQLAlchemyError:
        return False
    return current is not None and current == newest_file_revision()


def head_revision() -> str:
    """The newest schema revision this code knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The schema revision of the database behind ``connection`` (None when empty)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def lock_migrations(connection: Connection) -> None:
    """On PostgreSQL, wait for (then hold until commit) the lock that serialises schema changes."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_MIGRATION_LOCK})


def migrate(engine: Engine, where: str, target: str = "head") -> None:
    """Bring the schema to ``target`` (default: the newest revision), in one transaction.

    Raises:
        StoreError: The database is at a revision this code does not know (newer), or
            the migration failed.
    """
    if target == "head" and _at_newest(engine):
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS))
    known = {rev.revision for rev in script.walk_revisions()}
    with engine.begin() as connection:
        lock_migrations(connection)
        current = current_revision(connection)
        if current is not None and current not in known:
            raise StoreError(
                f"{where}: schema revision {current!r} is newer than this storyscope knows "
                f"(latest {script.get_current_head()!r}); upgrade storyscope"
            )
        wanted = script.get_current_head() if target == "head" else target
        if current == wanted:
            return
        if current is None:
            tables = set(sa.inspect(connection).get_table_names())
            if "articles" in tables or "stories" in tables:
                raise StoreError(f"{where}: has storyscope-like tables but no schema revision")
        logger.info("%s: migrating schema %s -> %s", where, current, wanted)
        command.upgrade(_alembic_config(connection), target)
