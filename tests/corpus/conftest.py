"""Fixtures for the corpus tests: a throwaway PostgreSQL 15 database (skipped cleanly without one).

Like tests/store: the binaries in ``/usr/lib/postgresql/15/bin`` (``STORYSCOPE_PG_BIN``
overrides) start one server for the session, or ``STORYSCOPE_PG_URL`` names an
existing one; each test gets its own database, dropped afterwards.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from storyscope.testing import PostgresUnavailable, postgres_for_tests

_counter = itertools.count()


@pytest.fixture(scope="session")
def corpus_pg_server() -> Iterator[str]:
    try:
        with postgres_for_tests("STORYSCOPE_PG_URL", "storyscope-corpus-pg-") as url:
            yield url
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture
def corpus_pg_url(corpus_pg_server: str) -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database."""
    name = f"storyscope_corpus_{os.getpid()}_{next(_counter)}"
    admin = sa.create_engine(corpus_pg_server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE template0')
    try:
        yield sa.make_url(corpus_pg_server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
