"""The store contract (:class:`storyscope.testing.StoreContract`) on SQLite and on a real PostgreSQL.

Each ``make_store`` call opens a new, empty store: its own SQLite file, or its own
PostgreSQL database cloned from one already at the newest revision (see ``conftest.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from storyscope.store import Store
from storyscope.testing import MakeStore, StoreContract


class TestSqliteStore(StoreContract):
    @pytest.fixture
    def make_store(self, tmp_path: Path) -> Iterator[MakeStore]:
        names = itertools.count()
        with ExitStack() as opened:

            def make() -> Store:
                return opened.enter_context(Store.open(tmp_path / f"store-{next(names)}.db"))

            yield make


class TestPostgresStore(StoreContract):
    @pytest.fixture
    def make_store(self, pg_head_urls: Callable[[], str]) -> Iterator[MakeStore]:
        with ExitStack() as opened:

            def make() -> Store:
                return opened.enter_context(Store.open(pg_head_urls()))

            yield make
