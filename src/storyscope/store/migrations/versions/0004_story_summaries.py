"""Story summary columns: the story list answers from indexed rows, without reading articles.

Revision ID: 0004_story_summaries
Revises: 0003_accents
Create Date: 2026-12-03

Each ``stories`` row gains the figures the story list shows: member and duplicate
counts, its outlets (a sorted JSON list), its membership version (the hash
``Store.story_version`` computes), a sort title (the display title, casefolded;
byte order on PostgreSQL, as on SQLite) and the fact, contradiction and consensus
counts of its cached report with the membership and settings digest that report was
made for. Indexes serve the list's two plain orders (newest first, largest first),
and ``articles (outlet, story_id)`` the outlet filter and the outlet menu.

The upgrade fills every column from the articles and the reports already cached
(one pass over each; a report made for other members is left out).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004_story_summaries"
down_revision: str | None = "0003_accents"
branch_labels: str | None = None
depends_on: str | None = None

EMPTY = hashlib.sha256().hexdigest()[:32]

_COUNTS = ("fact_count", "contradiction_count", "consensus_count")


def _columns(postgres: bool) -> list[sa.Column[Any]]:
    title = sa.Text(collation="C") if postgres else sa.Text()
    return [
        sa.Column("article_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("duplicate_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("outlets", sa.Text, nullable=False, server_default="[]"),
        sa.Column("members_version", sa.String(32), nullable=False, server_default=EMPTY),
        sa.Column("sort_title", title, nullable=False, server_default=""),
        sa.Column("report_members", sa.String(32), nullable=True),
        sa.Column("report_digest", sa.String(64), nullable=True),
        *(sa.Column(name, sa.Integer, nullable=True) for name in _COUNTS),
    ]


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _report_counts(value: str) -> tuple[int | None, int | None, int | None]:
    try:
        report = json.loads(value)
    except ValueError:
        return None, None, None
    stats = report.get("stats") if isinstance(report, dict) else None
    if not isinstance(stats, dict):
        return None, None, None
    by_status = stats.get("facts_by_status")
    consensus = _count(by_status.get("consensus")) if isinstance(by_status, dict) else None
    return _count(stats.get("facts")), _count(stats.get("contradictions")), consensus


def _members(bind: sa.engine.Connection) -> Iterator[tuple[int, dict[str, Any]]]:
    """(story id, its figures) for every story with members, in one ordered pass."""
    rows = bind.execute(
        sa.text(
            "SELECT story_id, id, duplicate_of, outlet FROM articles "
            "WHERE story_id IS NOT NULL ORDER BY story_id, id"
        )
    )
    current: int | None = None
    digest = hashlib.sha256()
    n = dups = 0
    outlets: set[str] = set()
    for story_id, article_id, duplicate_of, outlet in rows:
        if story_id != current:
            if current is not None:
                yield current, _figures(digest, n, dups, outlets)
            current, digest, n, dups, outlets = story_id, hashlib.sha256(), 0, 0, set()
        digest.update(f"{article_id}:{duplicate_of or ''}\n".encode())
        n += 1
        dups += duplicate_of is not None
        outlets.add(outlet)
    if current is not None:
        yield current, _figures(digest, n, dups, outlets)


def _figures(digest: Any, n: int, dups: int, outlets: set[str]) -> dict[str, Any]:
    return {
        "article_count": n,
        "duplicate_count": dups,
        "outlets": json.dumps(sorted(outlets), ensure_ascii=False),
        "members_version": digest.hexdigest()[:32],
    }


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    for column in _columns(postgres):
        op.add_column("stories", column)
    recent = "last_published DESC NULLS LAST" if postgres else "last_published DESC"
    op.create_index("ix_stories_recent", "stories", [sa.text(recent), "sort_title", "id"])
    op.create_index("ix_stories_size", "stories", [sa.text("article_count DESC"), "sort_title", "id"])
    op.create_index("ix_articles_outlet_story", "articles", ["outlet", "story_id"])

    update = sa.text(
        "UPDATE stories SET article_count = :article_count, duplicate_count = :duplicate_count, "
        "outlets = :outlets, members_version = :members_version WHERE id = :sid"
    )
    versions: dict[int, str] = {}
    batch: list[dict[str, Any]] = []
    for story_id, figures in _members(bind):
        versions[story_id] = figures["members_version"]
        batch.append({"sid": story_id, **figures})
        if len(batch) >= 1000:
            bind.execute(update, batch)
            batch = []
    if batch:
        bind.execute(update, batch)

    titles = [
        {"sid": sid, "sort_title": (title or f"Story {sid}").casefold()}
        for sid, title in bind.execute(sa.text("SELECT id, title FROM stories"))
    ]
    for start in range(0, len(titles), 1000):
        bind.execute(
            sa.text("UPDATE stories SET sort_title = :sort_title WHERE id = :sid"),
            titles[start : start + 1000],
        )

    counts: list[dict[str, Any]] = []
    reports = bind.execute(
        sa.text("SELECT key, version, value FROM cache WHERE kind = 'report' AND key LIKE 'story:%'")
    )
    for key, version, value in reports:
        sid_text = key.removeprefix("story:")
        members, _, digest = version.partition(":")
        if not sid_text.isdigit() or versions.get(int(sid_text), EMPTY) != members:
            continue
        facts, contradictions, consensus = _report_counts(value)
        counts.append(
            {
                "sid": int(sid_text),
                "members": members,
                "digest": digest[:64],
                "fact_count": facts,
                "contradiction_count": contradictions,
                "consensus_count": consensus,
            }
        )
    for start in range(0, len(counts), 1000):
        bind.execute(
            sa.text(
                "UPDATE stories SET report_members = :members, report_digest = :digest, "
                "fact_count = :fact_count, contradiction_count = :contradiction_count, "
                "consensus_count = :consensus_count WHERE id = :sid"
            ),
            counts[start : start + 1000],
        )


def downgrade() -> None:
    op.drop_index("ix_articles_outlet_story", "articles")
    op.drop_index("ix_stories_size", "stories")
    op.drop_index("ix_stories_recent", "stories")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of ``stories`` would have to
    # drop the table the articles' foreign key points at
    for column in reversed(_columns(op.get_bind().dialect.name == "postgresql")):
        op.drop_column("stories", column.name)
