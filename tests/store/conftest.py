"""Fixtures for the store tests: every store test runs on SQLite and on a real PostgreSQL 15.

The PostgreSQL server is a throwaway cluster started once per session from the
binaries in ``/usr/lib/postgresql/15/bin`` (``STORYSCOPE_PG_BIN`` overrides), owned by
the ``postgres`` user when the tests run as root. Set ``STORYSCOPE_PG_URL`` to use an
existing server instead. Each test gets its own fresh database.

The shared behaviour of both backends is :class:`storyscope.testing.StoreContract`,
run by ``test_contract.py``; the other modules here test what only one backend, or
the migrations, do.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from storyscope.store import Store
from storyscope.testing import PostgresUnavailable, postgres_for_tests

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """Base URL of a PostgreSQL server for the session (started here unless given)."""
    try:
        with postgres_for_tests("STORYSCOPE_PG_URL", "storyscope-pg-") as url:
            yield url
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))


@contextmanager
def _database(server: str, template: str = "template0") -> Iterator[str]:
    """A fresh database on ``server`` cloned from ``template``; yields its URL, drops it after."""
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


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> str:
    """Name of a database already migrated to the newest revision, to clone per test."""
    name = f"storyscope_head_{os.getpid()}"
    admin = sa.create_engine(pg_server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    Store.open(sa.make_url(pg_server).set(database=name).render_as_string(hide_password=False)).close()
    return name


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


@pytest.fixture
def pg_head_urls(pg_server: str, pg_template: str) -> Iterator[Callable[[], str]]:
    """A function giving the URL of another fresh database at the newest revision each call;
    every one is dropped after the test."""
    with ExitStack() as made:
        yield lambda: made.enter_context(_database(pg_server, pg_template))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL for each backend (a file path for SQLite)."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An open, empty store on each backend: SQLite and PostgreSQL 15."""
    if request.param == "sqlite":
        opened = Store.open(tmp_path / "store.db")
    else:
        opened = Store.open(request.getfixturevalue("pg_head_url"))
    try:
        yield opened
    finally:
        opened.close()
