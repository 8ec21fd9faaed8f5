"""``storyscope.store._light.read_story_cache`` reads what the Store reads, with sqlite3 alone.

It serves ``storyscope report ID --db FILE`` on a story reported before; where it
cannot tell (a URL, no such file, not a store, an older schema, a database error) it
answers None and the caller opens the Store.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storyscope.store import Store
from storyscope.store._light import NO_MEMBERS, read_story_cache
from storyscope.testing import BRIDGE, HARBOUR, HARBOUR_WIRE, SAMPLE_ARTICLES, UNDATED

KIND = "report"


@pytest.fixture()
def stored(tmp_path: Path) -> tuple[Path, list[int]]:
    """A SQLite store: a story with a near-duplicate, one of one article, an empty one;
    each with a cached entry."""
    path = tmp_path / "light.db"
    with Store.open(path) as store:
        store.add_articles(SAMPLE_ARTICLES)
        store.mark_duplicate(HARBOUR_WIRE.id, HARBOUR.id)
        ids = [
            store.create_story("Harbour", [HARBOUR.id, HARBOUR_WIRE.id, UNDATED.id]),
            store.create_story("Bridge", [BRIDGE.id]),
            store.create_story("Empty"),
        ]
        for n, sid in enumerate(ids):
            value = {"n": n, "text": 'é \u2028 "quoted"', "x": [1.5, None, True]}
            store.cache_put(KIND, f"story:{sid}", value, version=f"{store.story_version(sid)}:d{n}")
    return path, ids


def test_it_reads_what_the_store_reads(stored: tuple[Path, list[int]]) -> None:
    path, ids = stored
    with Store.open(path) as store:
        for n, sid in enumerate(ids):
            found = read_story_cache(path, KIND, sid)
            assert found is not None
            members, version, text = found
            assert members == store.story_version(sid)
            assert version == f"{members}:d{n}"
            assert json.loads(text) == store.cache_get(KIND, f"story:{sid}", version=version)
        assert read_story_cache(str(path), KIND, ids[2]) == (
            NO_MEMBERS,
            f"{NO_MEMBERS}:d2",
            found[2],
        )
        # membership changes: the hash follows, as the store's does
        store.assign(BRIDGE.id, ids[0])
        members, version, _ = read_story_cache(path, KIND, ids[0]) or ("", "", "")
        assert members == store.story_version(ids[0]) != version.partition(":")[0]


def test_what_it_cannot_tell_is_none(stored: tuple[Path, list[int]], tmp_path: Path) -> None:
    path, ids = stored
    assert read_story_cache(path, "other-kind", ids[0]) is None
    assert read_story_cache(path, KIND, 999) is None
    assert read_story_cache(path, KIND, 2**70) is None  # past 64 bits
    assert read_story_cache(f"sqlite:///{path}", KIND, ids[0]) is None  # URLs: the Store's
    assert read_story_cache(tmp_path / "missing.db", KIND, ids[0]) is None
    assert read_story_cache(tmp_path, KIND, ids[0]) is None  # a folder
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert read_story_cache(junk, KIND, ids[0]) is None
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    assert read_story_cache(empty, KIND, ids[0]) is None
    with sqlite3.connect(path) as conn:  # an older (or newer) schema: the Store decides
        conn.execute("UPDATE alembic_version SET version_num = '0001_core'")
    assert read_story_cache(path, KIND, ids[0]) is None


def test_it_imports_no_sqlalchemy(stored: tuple[Path, list[int]]) -> None:
    path, ids = stored
    script = (
        "import sys\n"
        "from storyscope.store._light import read_story_cache\n"
        f"assert read_story_cache({str(path)!r}, 'report', {ids[0]}) is not None\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split())
    assert "storyscope.store._light" in loaded
    assert not {"sqlalchemy", "storyscope.store.database", "storyscope.model"} & loaded
