"""Fixtures for the store tests: every store test runs on SQLite and on a real PostgreSQL 15.

The PostgreSQL server is a throwaway cluster started once per session from the
binaries in ``/usr/lib/postgresql/15/bin`` (``STORYSCOPE_PG_BIN`` overrides), owned by
the ``postgres`` user when the tests run as root. Set ``STORYSCOPE_PG_URL`` to use an
existing server instead. Each test gets its own fresh database.

The vector tests also run on a second throwaway server that has the pgvector
extension: PostgreSQL 16 + pgvector from the ``pgserver`` package (a dev dependency),
or the binaries in ``STORYSCOPE_PGVECTOR_BIN``; ``STORYSCOPE_PGVECTOR_URL`` names an
existing server instead.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from storyscope.store import Store
from storyscope.testing import PostgresUnavailable, pgvector_bin, postgres_for_tests

_counter = itertools.count()


def _server(url_env: str, prefix: str, bin_dir: Path | None = None) -> Iterator[str]:
    try:
        with postgres_for_tests(url_env, prefix, bin_dir=bin_dir) as url:
            yield url
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """Base URL of a PostgreSQL server for the session (started here unless given)."""
    yield from _server("STORYSCOPE_PG_URL", "storyscope-pg-")


@pytest.fixture(scope="session")
def pgvector_server() -> Iterator[str]:
    """Base URL of a PostgreSQL server with the pgvector extension available."""
    bin_dir = pgvector_bin()
    if bin_dir is None and not os.environ.get("STORYSCOPE_PGVECTOR_URL"):
        pytest.skip("no PostgreSQL with pgvector: install the dev group (pgserver) or set STORYSCOPE_PGVECTOR_BIN")
    yield from _server("STORYSCOPE_PGVECTOR_URL", "storyscope-pgvector-", bin_dir)


@pytest.fixture
def pgvector_url(pgvector_server: str) -> Iterator[str]:
    """URL of a fresh, empty database on the pgvector server, dropped after the test."""
    with _database(pgvector_server) as url:
        yield url


@contextmanager
def _database(server: str, template: str = "template0") -> Iterator[str]:
    name = f"storyscope_test_{os.getpid()}_{next(_counter)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    try:
        yield sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _template(server: str) -> str:
    name = f"storyscope_head_{os.getpid()}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    Store.open(sa.make_url(server).set(database=name).render_as_string(hide_password=False)).close()
    return name


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> str:
    """Name of a database already migrated to the newest revision, to clone per test."""
    return _template(pg_server)


@pytest.fixture(scope="session")
def pgvector_template(pgvector_server: str) -> str:
    """:func:`pg_template` on the pgvector server (the extension and its column in place)."""
    return _template(pgvector_server)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database, dropped after the test."""
    with _database(pg_server) as url:
        yield url


@pytest.fixture
def pg_head_url(pg_server: str, pg_template: str) -> Iterator[str]:
    """URL of a fresh PostgreSQL database already at the newest schema revision."""
    with _database(pg_server, pg_template) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL for each backend (a file path for SQLite)."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(params=["sqlite", "postgresql", "pgvector"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An open, empty store on each backend: SQLite, PostgreSQL 15, PostgreSQL with pgvector."""
    if request.param == "sqlite":
        opened = Store.open(tmp_path / "store.db")
    elif request.param == "postgresql":
        opened = Store.open(request.getfixturevalue("pg_head_url"), index_dir=tmp_path / "index")
    else:
        server = request.getfixturevalue("pgvector_server")
        template = request.getfixturevalue("pgvector_template")
        with _database(server, template) as url:
            opened = Store.open(url, index_dir=tmp_path / "index")
            try:
                yield opened
            finally:
                opened.close()
        return
    try:
        yield opened
    finally:
        opened.close()
