"""A store that may not be written still reads: report and pages work, nothing is migrated.

Three ways in: a ``mode=ro`` open (works as any user, root included), a file and
folder this process may not write (chmod; as root, checked in a child process
that drops to ``nobody``, since root may write anything), and an older schema,
which a read-only open refuses in one line instead of migrating.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from _store_articles import ALL, BRIDGE, HARBOUR, HARBOUR_WIRE

from storyscope.errors import StoreError
from storyscope.store import Store, _engine, head_revision

sys.path.insert(0, str(Path(__file__).parents[1] / "web"))

from _store_app import CountingPipeline  # noqa: E402


def _make(path: Path) -> int:
    with Store.open(path) as store:
        store.add_articles(ALL)
        return store.create_story("Strike", [HARBOUR.id, HARBOUR_WIRE.id])


def _digest(folder: Path) -> dict[str, str]:
    """Hashes of the database files; a WAL file counts only when it holds frames (a
    read-only reader in a writable folder may leave an empty ``-wal`` and its ``-shm``)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if not p.name.endswith("-shm") and not (p.name.endswith("-wal") and not p.stat().st_size)
    }


def _reads(store: Store, sid: int) -> dict[str, Any]:
    """Everything `report` and the pages read, and what a write does."""
    from storyscope.corpus import cached_report, story_report

    pipeline = CountingPipeline()
    story, report = story_report(store, sid, pipeline=pipeline)
    try:
        store.cache_put("test", "k", {"v": 1})
        refused = ""
    except StoreError as exc:
        refused = str(exc)
    return {
        "read_only": store.read_only,
        "stories": [s.id for s in store.list_stories()],
        "members": sorted(a.id for a in store.story_articles(sid)),
        "search": sorted(h.article_id for h in store.search("footbridge")),
        "article": (store.get_article(BRIDGE.id) or BRIDGE).title,
        "report_articles": report["stats"]["articles"],
        "analyzed": pipeline.analyzed,
        "cached": cached_report(store, sid) is not None,
        "refused": refused,
        "revision": store.revision(),
    }


def test_a_read_only_open_reads_everything_and_refuses_writes_in_one_line(tmp_path: Path) -> None:
    sid = _make(tmp_path / "s.db")
    before = _digest(tmp_path)
    with Store.open(tmp_path / "s.db", read_only=True) as store:
        got = _reads(store, sid)
        with pytest.raises(
            StoreError, match=r"s\.db: the store is read-only \(opened read-only\)$"
        ):
            store.add_article(BRIDGE)
    assert got["read_only"] is True and got["revision"] == head_revision()
    assert got["stories"] == [sid] and got["search"] == [BRIDGE.id]
    assert got["members"] == sorted([HARBOUR.id, HARBOUR_WIRE.id])
    assert got["report_articles"] == 2 and got["analyzed"] == 2 and got["cached"] is False
    assert "read-only" in got["refused"] and "\n" not in got["refused"]
    assert _digest(tmp_path) == before  # not a byte written


def test_a_mode_ro_url_opens_read_only(tmp_path: Path) -> None:
    _make(tmp_path / "s.db")
    with Store.open(f"sqlite:///{tmp_path / 's.db'}?mode=ro") as store:
        assert store.read_only and store.count() == len(ALL)
        assert store.name == str(tmp_path / "s.db")


def test_a_writable_store_is_not_read_only(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        assert store.read_only is False
        store.add_article(BRIDGE)


def test_a_read_only_store_is_never_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = _engine.create_engine(_engine.resolve_url(str(path)))
    _engine.migrate(engine, "test", target="0001_core")
    engine.dispose()
    before = _digest(tmp_path)
    with pytest.raises(StoreError) as info:
        Store.open(path, read_only=True)
    message = str(info.value)
    assert "read-only store at schema revision '0001_core', older than" in message
    assert "open it once with write access" in message and "\n" not in message
    assert _digest(tmp_path) == before
    with pytest.raises(StoreError, match="read-only and not a storyscope store"):
        empty = tmp_path / "empty.db"
        sa.create_engine(f"sqlite:///{empty}").connect().close()
        empty.write_bytes(b"")
        Store.open(empty, read_only=True)


def test_a_file_the_process_may_not_write_opens_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.db"
    sid = _make(path)
    real = os.access

    def access(target: Any, mode: int, **kwargs: Any) -> bool:
        if mode == os.W_OK and Path(target) == path:
            return False
        return real(target, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    with Store.open(path) as store:
        assert store.read_only
        assert _reads(store, sid)["report_articles"] == 2
    with pytest.raises(StoreError, match="cannot open for writing: the file is not writable"):
        Store.open(path, read_only=False)


# -- real permissions ------------------------------------------------------------------------


def _unprivileged(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run ``work`` as a user the chmod applies to: this process, or (as root) a forked
    child that becomes ``nobody`` and sends its result back as JSON."""
    if os.geteuid() != 0:
        return work()
    if not hasattr(os, "fork"):
        pytest.skip("running as root without fork: chmod cannot make a file read-only")
    import storyscope.align  # noqa: F401  -- the child may not read root's files: import now
    import storyscope.api  # noqa: F401
    import storyscope.corpus  # noqa: F401
    import storyscope.report  # noqa: F401
    import storyscope.store._analysis  # noqa: F401

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read)
        try:
            os.setgid(65534)
            os.setuid(65534)
            result: dict[str, Any] = work()
        except BaseException as exc:  # noqa: BLE001 -- reported to the parent
            result = {"error": f"{type(exc).__name__}: {exc}"}
        os.write(write, json.dumps(result).encode())
        os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 1 << 16):
        data += chunk
    os.close(read)
    os.waitpid(pid, 0)
    got: dict[str, Any] = json.loads(data)
    return got


@pytest.fixture
def public_dir() -> Iterator[Path]:
    """A folder outside root's private pytest folders, readable by ``nobody``."""
    with tempfile.TemporaryDirectory(prefix="storyscope-ro-") as name:
        folder = Path(name)
        folder.chmod(0o755)
        try:
            yield folder
        finally:
            folder.chmod(0o755)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_chmod_read_only_store_reads(public_dir: Path, what: str) -> None:
    path = public_dir / "s.db"
    sid = _make(path)
    path.chmod(0o444 if what == "file" else 0o666)  # folder: the file is writable, its folder not
    public_dir.chmod(0o555)
    before = _digest(public_dir)

    def work() -> dict[str, Any]:
        if os.access(path, os.W_OK) and os.access(public_dir, os.W_OK):
            return {"skip": "chmod did not make the store read-only for this user"}
        with Store.open(path) as store:
            return _reads(store, sid)

    got = _unprivileged(work)
    if "skip" in got:
        pytest.skip(got["skip"])
    assert "error" not in got, got["error"]
    assert got["read_only"] is True and got["report_articles"] == 2
    assert got["stories"] == [sid] and got["search"] == [BRIDGE.id]
    reason = "the file is not writable" if what == "file" else "its folder is not writable"
    assert got["refused"].endswith(f"the store is read-only ({reason})")
    assert _digest(public_dir) == before
    assert stat.S_IMODE(public_dir.stat().st_mode) == 0o555
