"""A process killed mid-ingest loses nothing it committed and corrupts nothing (both backends)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np

from storyscope.model import article_id
from storyscope.store import Store

_WRITER = textwrap.dedent(
    """
    import sys
    import numpy as np
    from storyscope.model import Article
    from storyscope.store import RunProgress, Store

    store = Store.open(sys.argv[1])
    batch_no = 0
    while True:
        batch = [
            Article.create(
                text=f"Bulletin {batch_no}-{i}: the Quell ferry ran late again. " * (1 + i % 7),
                source=f"wire/{batch_no}-{i}.txt",
                outlet="Coastline Wire",
            )
            for i in range(25)
        ]
        progress = RunProgress(run_id="crash", source="wire", position=str(batch_no))
        store.add_articles(batch, progress=progress)
        store.put_embeddings({a.id: np.random.default_rng(batch_no * 25 + i).normal(size=8)
                              for i, a in enumerate(batch)})
        sys.stdout.write(" ".join(a.id for a in batch) + "\\n")
        sys.stdout.flush()
        batch_no += 1
    """
)


def test_killing_a_writer_loses_no_committed_article(store_url: str) -> None:
    Store.open(store_url).close()  # migrate before the race
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, store_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    committed: list[str] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while len(committed) < 8 * 25 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        committed.extend(line.split())
    time.sleep(0.05)  # let it get into the middle of another transaction
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    errors = proc.stderr.read() if proc.stderr else ""
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    assert len(committed) >= 8 * 25, errors

    with Store.open(store_url) as store:
        assert store.integrity_check() == []
        stored = {a.id: a for a in store.iter_articles()}
        assert set(committed) <= set(stored)
        assert all(article_id(a.text) == a.id for a in stored.values())
        assert len(stored) % 25 == 0  # batches are all-or-nothing
        progress = store.get_progress("crash", "wire")
        assert progress is not None and int(progress.position) == len(stored) // 25 - 1
        first = np.random.default_rng(0).normal(size=8)  # the writer's first vector, as stored
        got = store.get_embedding(committed[0])
        assert got is not None and np.allclose(got, first / np.linalg.norm(first))
        assert all(store.get_embedding(i) is not None for i in committed)
