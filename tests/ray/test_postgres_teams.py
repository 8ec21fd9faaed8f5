"""Teams share one PostgreSQL store: two processes ingesting at once store every article once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyscope.store import Store
from storyscope.testing import PostgresUnavailable, postgres_for_tests

_WRITER = """
import sys
from storyscope.corpus import ingest_corpus
from storyscope.store import Store
from storyscope.testing import postgres_unavailable, throwaway_postgres
from storyscope.testing import FakeEmbedder

url, source = sys.argv[1], sys.argv[2]
with Store.open(url) as store:
    summary = ingest_corpus([source], store, embedder=FakeEmbedder(), batch_size=5)
print(summary.added, summary.already_stored, summary.failed)
"""

_PLACES = ["Arlen", "Brisk", "Corvath", "Dunmere", "Eskholt", "Farrow", "Gildon", "Hesketh", "Ilmar", "Jorvik"]
_THINGS = ["library", "footbridge", "tram depot", "market hall", "water tower", "sports ground"]


def _article(n: int) -> dict[str, str]:
    place, thing = _PLACES[n % len(_PLACES)], _THINGS[n % len(_THINGS)]
    return {
        "outlet": f"Outlet {n % 4}",
        "title": f"{place} {thing} plan number {n} goes to a vote",
        "published": f"2026-10-{1 + n % 28:02d}T09:00:00+00:00",
        "text": (
            f"Councillors in {place} will vote on plan {n} for the {thing} next week. "
            f"The plan would cost {n * 7 + 3} thousand dollars, officials said. "
            f"Residents have sent {n * 11 + 5} letters about the {thing} so far."
        ),
    }


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """A throwaway PostgreSQL 15 server (or $STORYSCOPE_PG_URL)."""
    try:
        with postgres_for_tests("STORYSCOPE_PG_URL", "storyscope-pgteam-") as url:
            yield url
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))


def _write(path: Path, numbers: range) -> str:
    path.write_text("".join(json.dumps(_article(n)) + "\n" for n in numbers), encoding="utf-8")
    return str(path)


def test_two_writers_disjoint_and_overlapping(pg_url: str, tmp_path: Path) -> None:
    Store.open(pg_url).close()  # migrate once, as a deployment does before the team starts
    first = _write(tmp_path / "first.jsonl", range(0, 60))
    second = _write(tmp_path / "second.jsonl", range(30, 90))  # 30 shared with the first
    third = _write(tmp_path / "third.jsonl", range(90, 120))  # disjoint
    script = tmp_path / "writer.py"
    script.write_text(_WRITER, encoding="utf-8")
    env = {**os.environ, "STORYSCOPE_INDEX_DIR": str(tmp_path / "index")}
    procs = [
        subprocess.Popen([sys.executable, str(script), pg_url, source], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
        for source in (first, second, third)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (_out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err[-2000:]
    added = [int(out.split()[0]) for out, _ in results]
    skipped = [int(out.split()[1]) for out, _ in results]
    assert sum(added) == 120  # every article stored exactly once, whoever got it first
    assert sum(skipped) == 30  # the overlap, counted by whichever writer came second
    with Store.open(pg_url) as store:
        stored = list(store.iter_articles(include_duplicates=True))
        ids = [a.id for a in stored]
        assert len(ids) == len(set(ids)) == 120
        assert store.count() == 120
        assert store.integrity_check() == []
        placed = sum(len(store.story_articles(s.id)) for s in store.list_stories())
        assert placed >= 120 - store.count()  # sanity: stories exist and hold stored articles
        assert store.list_stories()


def test_sequential_runs_keep_story_ids_valid(tmp_path: Path) -> None:
    """Regression: a merge late in a batch left earlier assignments on a deleted story ('no story N')."""
    from storyscope.corpus import ingest_corpus
    from storyscope.testing import FakeEmbedder

    sources = [_write(tmp_path / "c.jsonl", range(90, 120)), _write(tmp_path / "a.jsonl", range(0, 60)),
               _write(tmp_path / "b.jsonl", range(30, 90))]
    with Store.open(tmp_path / "store.db") as store:
        for source in sources:
            ingest_corpus([source], store, embedder=FakeEmbedder(), batch_size=5)
        assert store.count() == 120
