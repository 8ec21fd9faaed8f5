"""Schema migrations and open-time errors (both backends where it applies)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from _store_articles import HARBOUR

from storyscope.errors import StoreError
from storyscope.store import Store, _engine, head_revision


def _migrate_to(url: str, revision: str) -> None:
    resolved = _engine.resolve_url(url)
    engine = _engine.create_engine(resolved)
    try:
        _engine.migrate(engine, "test", target=revision)
    finally:
        engine.dispose()


def test_open_upgrades_an_older_schema_and_keeps_its_articles(store_url: str) -> None:
    _migrate_to(store_url, "0001_core")
    engine = _engine.create_engine(_engine.resolve_url(store_url))
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO articles (id, seq, source, outlet, text, removed, ingested_at) "
                "VALUES (:id, 1, :source, :outlet, :text, '[]', CURRENT_TIMESTAMP)"
            ),
            {"id": HARBOUR.id, "source": HARBOUR.source, "outlet": HARBOUR.outlet, "text": HARBOUR.text},
        )
        assert _engine.current_revision(conn) == "0001_core"
    engine.dispose()
    with Store.open(store_url) as store:
        assert store.revision() == head_revision()
        got = store.get_article(HARBOUR.id)
        assert got is not None and got.text == HARBOUR.text
        assert [h.article_id for h in store.search("dock workers")] == [HARBOUR.id]
        assert store.add_article(HARBOUR) is False
        assert store.integrity_check() == []


def test_reopening_at_head_is_a_no_op(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.add_article(HARBOUR)
    with Store.open(store_url) as store:
        assert store.count() == 1 and store.revision() == head_revision()


def test_a_newer_schema_is_refused_with_one_line(store_url: str) -> None:
    Store.open(store_url).close()
    engine = _engine.create_engine(_engine.resolve_url(store_url))
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(StoreError, match="9999_future.*newer than this storyscope knows") as info:
        Store.open(store_url)
    assert "\n" not in str(info.value)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("This is a reporter's notebook, not SQLite.\n" * 50)
    with pytest.raises(StoreError, match=r"notes\.txt: not a storyscope database") as info:
        Store.open(notes)
    assert "\n" not in str(info.value)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        Store.open(tmp_path)


def test_an_unreachable_server_is_reported_without_the_password() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(StoreError, match="cannot reach the database server") as info:
        Store.open(f"postgresql://reader:s3cret@127.0.0.1:{port}/news")
    assert "s3cret" not in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("target", "problem"),
    [("mysql://db/news", "unsupported database"), ("sqlite://", "in-memory"), ("sqlite:///:memory:", "in-memory")],
)
def test_unsupported_targets_are_refused(target: str, problem: str) -> None:
    with pytest.raises(StoreError, match=problem):
        Store.open(target)


def test_paths_and_urls_resolve_to_the_same_sqlite_file(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "news.db"
    with Store.open(db) as store:
        store.add_article(HARBOUR)
    with Store.open(f"sqlite:///{db}") as store:
        assert store.count() == 1 and store.dialect == "sqlite"
        assert store.name == str(db)


def test_default_path_honours_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STORYSCOPE_DB", str(tmp_path / "env.db"))
    with Store.open() as store:
        assert store.name == str(tmp_path / "env.db")
    monkeypatch.delenv("STORYSCOPE_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert _engine.default_db_path() == tmp_path / "xdg" / "storyscope" / "storyscope.db"


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    with Store.open(tmp_path / "wal.db") as store, store._read() as conn:  # noqa: SLF001
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_revisions_are_named_after_their_files_in_one_line() -> None:
    # Store.open skips Alembic for a store at the newest file's revision: that needs this.
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(_engine.MIGRATIONS))
    revisions = list(script.walk_revisions())
    assert sorted(rev.revision for rev in revisions) == sorted(
        p.stem for p in (_engine.MIGRATIONS / "versions").glob("[0-9]*.py")
    )
    assert len(script.get_heads()) == 1 and script.get_current_head() == _engine.newest_file_revision()
    assert _engine.newest_file_revision() == head_revision()


def test_opening_at_the_newest_revision_loads_no_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    Store.open(tmp_path / "s.db").close()
    probe = (
        "import sys; from storyscope.store import Store; "
        f"Store.open({str(tmp_path / 's.db')!r}).close(); "
        f"Store.open({str(tmp_path / 's.db')!r}, read_only=True).close(); "
        "print('alembic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False", done.stderr
