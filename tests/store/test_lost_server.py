"""Losing PostgreSQL mid-run: every store error is one line carrying the driver's real message.

Runs on a throwaway server of its own (stopped with ``pg_ctl -m immediate`` mid-test),
so the session's shared server is untouched. Before: a lost server inside the
ingest lock came out as the unlock's six-line ``OperationalError`` (SQL, parameters,
a link), hiding the real error.
"""

from __future__ import annotations

import glob
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _store_articles import ALL, BRIDGE, HARBOUR

from storyscope.errors import StoreError
from storyscope.model import Failure
from storyscope.store import Store
from storyscope.testing import PG_BIN, _as_postgres, postgres_unavailable, throwaway_postgres

_LOCK = 0x5709_7E57


@pytest.fixture
def doomed() -> Iterator[tuple[Store, Callable[[], None]]]:
    """A store on a throwaway server, and a function that kills the server."""
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    with throwaway_postgres("storyscope-doomed-") as url:
        port = url.rsplit(":", 1)[1].split("/")[0]
        data = next(
            Path(d)
            for d in glob.glob(f"{tempfile.gettempdir()}/storyscope-doomed-*/data")
            if _port_of(Path(d)) == port
        )

        def kill() -> None:
            subprocess.run(
                _as_postgres(
                    [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
                ),
                capture_output=True,
                check=True,
            )

        store = Store.open(url)
        try:
            store.add_articles(ALL[:2])
            yield store, kill
        finally:
            store.close()


def _port_of(data: Path) -> str:
    try:
        return (data / "postmaster.pid").read_text().splitlines()[3].strip()
    except (OSError, IndexError):
        return ""


def _one_line(exc: BaseException, store: Store) -> str:
    message = str(exc)
    assert isinstance(exc, StoreError), f"{type(exc).__name__}: {message}"
    assert "\n" not in message and message.startswith(store.name), message
    assert "[SQL:" not in message and "sqlalche.me" not in message, message
    return message


def test_a_lost_server_gives_one_line_with_the_real_error_inside_the_lock_and_after(
    doomed: tuple[Store, Callable[[], None]],
) -> None:
    store, kill = doomed
    with store.advisory_lock(_LOCK):  # taken and released while the server is up
        assert store.count() == 2
    with pytest.raises(StoreError) as info, store.advisory_lock(_LOCK):
        kill()
        store.add_articles([BRIDGE])  # the real error: the unlock must not replace it
    message = _one_line(info.value, store)
    assert "cannot reach the database server" in message and "refused" in message
    assert "pg_advisory_unlock" not in message
    calls: dict[str, Callable[[], Any]] = {
        "add_articles": lambda: store.add_articles([BRIDGE]),
        "list_stories": store.list_stories,
        "get_article": lambda: store.get_article(HARBOUR.id),
        "iter_articles": lambda: list(store.iter_articles()),
        "search": lambda: store.search("strike"),
        "cache_put": lambda: store.cache_put("k", "v", {"a": 1}),
        "record_failure": lambda: store.record_failure(
            Failure(stage="ingest", source="x", error="y")
        ),
        "put_embeddings": lambda: store.put_embeddings({HARBOUR.id: np.ones(4)}),
        "advisory_lock": lambda: store.advisory_lock(_LOCK).__enter__(),
    }
    for name, call in calls.items():
        with pytest.raises(StoreError) as info:
            call()
        message = _one_line(info.value, store)
        assert "cannot reach the database server" in message and "refused" in message, (
            name,
            message,
        )


def test_losing_the_server_inside_the_ingest_lock_surfaces_the_real_error(
    doomed: tuple[Store, Callable[[], None]],
) -> None:
    from storyscope.corpus import writer_lock

    store, kill = doomed
    with pytest.raises(StoreError) as info, writer_lock(store):
        kill()
        store.add_articles([BRIDGE])
    assert "cannot reach the database server" in _one_line(info.value, store)
