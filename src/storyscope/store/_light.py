"""What the store computes without SQLAlchemy, and one read of a SQLite store with sqlite3 alone.

``storyscope report ID --db FILE`` on a story reported before needs three reads: the
schema revision, the story's members and its cached report. Importing SQLAlchemy and
opening an engine cost more than all the rest of that command (about 0.1 s of 0.25 s),
so :func:`read_story_cache` makes them with the standard library's ``sqlite3`` on a
read-only connection, in one read transaction, with the SQL and the membership hash the
store uses (:meth:`Store.story_version <storyscope.store.Store.story_version>`,
:meth:`Store.cache_get <storyscope.store.Store.cache_get>`; tests/store/test_light.py
checks that they agree). Anything else (a URL, a file that is missing, not a database
or not at the newest schema, a folder SQLite could not keep its ``-shm`` file in, any
database error) answers None, and the caller opens the :class:`~storyscope.store.Store`,
which migrates, waits or reports.

This module imports neither SQLAlchemy nor the rest of the store.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

__all__ = [
    "MIGRATIONS",
    "NO_MEMBERS",
    "default_db_path",
    "member_line",
    "newest_file_revision",
    "read_story_cache",
]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
NO_MEMBERS = hashlib.sha256().hexdigest()[:32]  # the membership version of an empty story


def default_db_path() -> Path:
    """``$STORYSCOPE_DB``, else ``storyscope.db`` in the user's data directory."""
    env = os.environ.get("STORYSCOPE_DB")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "storyscope" / "storyscope.db"


def newest_file_revision() -> str:
    """The newest revision by file name, without loading Alembic: revisions are named after
    their files (``NNNN_name.py``) and form one line (``tests/store/test_migrations.py``
    checks both), so the greatest name is the head."""
    return max(p.stem for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def member_line(article_id: str, duplicate_of: str | None) -> bytes:
    """One member's line in its story's membership version (sha256 over its members
    in id order, first 32 hex digits)."""
    return f"{article_id}:{duplicate_of or ''}\n".encode()


def read_story_cache(
    target: str | os.PathLike[str], kind: str, story_id: int
) -> tuple[str, str, str] | None:
    """The membership version of a story and the entry cached under ``(kind, "story:<id>")``.

    Args:
        target: What ``--db`` names: read here only when it is a file path (no ``://``)
            of a SQLite store at the newest schema.
        kind: The cache kind.
        story_id: The story.

    Returns:
        ``(membership version, the entry's version, its JSON text)``, read in one
        transaction; None when there is no such entry or the store is not one read here.
    """
    text = os.fspath(target)
    if "://" in text:
        return None
    path = Path(text).expanduser()
    try:
        path = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    shm = path.with_name(path.name + "-shm")
    if not path.is_file() or (not os.access(path.parent, os.W_OK) and not shm.exists()):
        return None  # the Store opens that one immutable
    try:
        conn = sqlite3.connect(
            f"file:{quote(str(path))}?mode=ro", uri=True, timeout=30.0, isolation_level=None
        )
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")  # one read transaction: members and entry of one moment
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None or row[0] != newest_file_revision():
            return None
        entry = conn.execute(
            "SELECT version, value FROM cache WHERE kind = ? AND key = ?",
            (kind, f"story:{story_id}"),
        ).fetchone()
        if entry is None:
            return None
        digest = hashlib.sha256()
        members = conn.execute(
            "SELECT id, duplicate_of FROM articles WHERE story_id = ? ORDER BY id", (story_id,)
        )
        for article_id, duplicate_of in members:
            digest.update(member_line(article_id, duplicate_of))
        conn.execute("COMMIT")
    except (sqlite3.Error, OverflowError):  # OverflowError: an id past 64 bits
        return None
    finally:
        conn.close()
    return digest.hexdigest()[:32], str(entry[0]), str(entry[1])
