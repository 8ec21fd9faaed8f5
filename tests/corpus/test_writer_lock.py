"""One ingest at a time per SQLite store: a second run waits for the first (issue 19).

Each run keeps its clustering state in memory and saves it at the end; two at
once used to be last-writer-wins (near-copies not linked, stories opened twice).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from _corpus_articles import ALL, write_jsonl

from storyscope.corpus import ingest_corpus, writer_lock
from storyscope.store import Store
from storyscope.testing import FakeEmbedder


def _reprints() -> list[dict[str, str]]:
    """Every article again, reprinted by another outlet with one more sentence."""
    return [
        {**rec, "outlet": f"{rec['outlet']} Reprints", "text": rec["text"] + " Updated at noon."}
        for rec in ALL
    ]


def _shape(path: Path) -> tuple[int, int, list[int]]:
    with Store.open(path) as store:
        stories = store.list_stories()
        sizes = sorted(len(store.story_articles(s.id)) for s in stories)
        return len(list(store.iter_articles())), len(stories), sizes


def test_a_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    path = tmp_path / "lock.db"
    with Store.open(path) as a, Store.open(path) as b:
        held = threading.Event()
        released_at: list[float] = []

        def first() -> None:
            with writer_lock(a):
                held.set()
                time.sleep(0.4)
                released_at.append(time.monotonic())

        thread = threading.Thread(target=first)
        thread.start()
        assert held.wait(5)
        with writer_lock(b):
            entered = time.monotonic()
        thread.join()
        assert released_at and entered >= released_at[0]


def test_concurrent_ingests_give_the_sequential_result(tmp_path: Path) -> None:
    feeds = [
        write_jsonl(tmp_path / "wire.jsonl"),
        write_jsonl(tmp_path / "reprints.jsonl", _reprints()),
    ]
    sequential = tmp_path / "sequential.db"
    with Store.open(sequential) as store:
        for feed in feeds:
            ingest_corpus([str(feed)], store, embedder=FakeEmbedder(), batch_size=2)

    concurrent = tmp_path / "concurrent.db"
    Store.open(concurrent).close()  # schema first, so both runs find it made
    errors: list[BaseException] = []

    def run(feed: Path) -> None:
        try:
            with Store.open(concurrent) as store:
                ingest_corpus([str(feed)], store, embedder=FakeEmbedder(), batch_size=2)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(feed,)) for feed in feeds]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert _shape(concurrent) == _shape(sequential)
