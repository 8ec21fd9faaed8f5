"""Core tables: articles, stories, ingest progress, failures, cache, embeddings.

Revision ID: 0001_core
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_core"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("first_published", sa.DateTime, nullable=True),
        sa.Column("last_published", sa.DateTime, nullable=True),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False),
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
        sa.Column(
            "duplicate_of",
            sa.String(64),
            sa.ForeignKey("articles.id", name="fk_articles_duplicate_of"),
            nullable=True,
        ),
        sa.Column(
            "story_id",
            sa.Integer,
            sa.ForeignKey("stories.id", name="fk_articles_story_id"),
            nullable=True,
        ),
        sa.UniqueConstraint("seq", name="uq_articles_seq"),
    )
    op.create_index("ix_articles_story_id", "articles", ["story_id"])
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.create_index("ix_articles_duplicate_of", "articles", ["duplicate_of"])
    op.create_table(
        "ingest_progress",
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
    op.create_table(
        "failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(128), nullable=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_failures_run_id", "failures", ["run_id"])
    op.create_table(
        "cache",
        sa.Column("kind", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("version", sa.String(128), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "embeddings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "article_id",
            sa.String(64),
            sa.ForeignKey("articles.id", name="fk_embeddings_article_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("model", sa.String(128), nullable=False),
        sa.Column("dim", sa.Integer, nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("article_id", name="uq_embeddings_article_id"),
    )


def downgrade() -> None:
    op.drop_table("embeddings")
    op.drop_table("cache")
    op.drop_table("failures")
    op.drop_table("ingest_progress")
    op.drop_index("ix_articles_duplicate_of", "articles")
    op.drop_index("ix_articles_published_at", "articles")
    op.drop_index("ix_articles_story_id", "articles")
    op.drop_table("articles")
    op.drop_table("stories")
