"""SQLAlchemy Core tables of the store, as the code reads and writes them.

The DDL itself lives in the Alembic revisions under ``migrations/versions``; these
definitions must describe the head revision. Full-text search objects (SQLite FTS5
virtual tables and triggers, PostgreSQL ``tsvector`` columns) exist only in the
migrations and are queried with hand-written SQL.

Timestamps are stored as naive UTC ``DATETIME``/``TIMESTAMP`` values on both backends.
``articles.published`` keeps the exact ISO 8601 string the article carried (so a
round trip returns the same ``datetime``, offset included), while
``articles.published_at`` is its UTC value for ordering and time windows.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.Text, nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("first_published", sa.DateTime, nullable=True),
    sa.Column("last_published", sa.DateTime, nullable=True),
    # The story list's summary (0004_story_summaries), kept by the store on every change of
    # membership or title; the counts are those of the report cached for ``report_members``
    # (a ``members_version``) and ``report_digest`` (the settings digest).
    sa.Column("article_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("duplicate_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("outlets", sa.Text, nullable=False, server_default="[]"),  # sorted JSON list
    sa.Column("members_version", sa.String(32), nullable=False),
    sa.Column("sort_title", sa.Text, nullable=False, server_default=""),  # COLLATE "C" on PostgreSQL
    sa.Column("report_members", sa.String(32), nullable=True),
    sa.Column("report_digest", sa.String(64), nullable=True),
    sa.Column("fact_count", sa.Integer, nullable=True),
    sa.Column("contradiction_count", sa.Integer, nullable=True),
    sa.Column("consensus_count", sa.Integer, nullable=True),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    # Insertion order; the FTS5 rowid on SQLite (assigned by the store), an identity on PostgreSQL.
    sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False, unique=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("outlet", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=True),
    sa.Column("byline", sa.Text, nullable=True),
    sa.Column("published", sa.String(64), nullable=True),
    sa.Column("published_at", sa.DateTime, nullable=True),
    sa.Column("language", sa.String(32), nullable=True),
    sa.Column("url", sa.Text, nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("removed", sa.JSON, nullable=False),
    sa.Column("ingested_at", sa.DateTime, nullable=False),
    sa.Column("duplicate_of", sa.String(64), sa.ForeignKey("articles.id"), nullable=True),
    sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id"), nullable=True),
)

ingest_progress = sa.Table(
    "ingest_progress",
    metadata,
    sa.Column("run_id", sa.String(128), primary_key=True),
    sa.Column("source", sa.Text, primary_key=True),
    sa.Column("position", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("added", sa.Integer, nullable=False),
    sa.Column("skipped", sa.Integer, nullable=False),
    sa.Column("failed", sa.Integer, nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

failures = sa.Table(
    "failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(128), nullable=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("stage", sa.String(32), nullable=False),
    sa.Column("error", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
)

cache = sa.Table(
    "cache",
    metadata,
    sa.Column("kind", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("version", sa.String(128), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

embeddings = sa.Table(
    "embeddings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "article_id",
        sa.String(64),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    sa.Column("model", sa.String(128), nullable=False),
    sa.Column("dim", sa.Integer, nullable=False),
    sa.Column("vector", sa.LargeBinary, nullable=False),
)

sentences = sa.Table(
    "sentences",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "article_id",
        sa.String(64),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("idx", sa.Integer, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.UniqueConstraint("article_id", "idx", name="uq_sentences_article_idx"),
)
