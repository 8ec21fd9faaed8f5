"""Sentences and full-text search: SQLite FTS5 tables, PostgreSQL tsvector + GIN.

Revision ID: 0002_search
Revises: 0001_core
Create Date: 2026-11-24

Articles already stored at 0001 become searchable: the FTS5 index is rebuilt from
the content table, and PostgreSQL computes the generated ``tsv`` column on ALTER.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_search"
down_revision: str | None = "0001_core"
branch_labels: str | None = None
depends_on: str | None = None

_TOKENIZE = "porter unicode61 remove_diacritics 2"

_SQLITE_UP = [
    f"CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
    f"content_rowid='seq', tokenize='{_TOKENIZE}')",
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.seq, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_au AFTER UPDATE OF seq, title, text ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.seq, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
    f"CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences', "
    f"content_rowid='id', tokenize='{_TOKENIZE}')",
    "CREATE TRIGGER sentences_fts_ai AFTER INSERT ON sentences BEGIN "
    "INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER sentences_fts_ad AFTER DELETE ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER sentences_fts_au AFTER UPDATE OF id, text ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text); END",
]

_POSTGRES_UP = [
    "ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', text), 'B')) STORED",
    "CREATE INDEX ix_articles_tsv ON articles USING gin (tsv)",
    "ALTER TABLE sentences ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED",
    "CREATE INDEX ix_sentences_tsv ON sentences USING gin (tsv)",
]


def upgrade() -> None:
    op.create_table(
        "sentences",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "article_id",
            sa.String(64),
            sa.ForeignKey("articles.id", name="fk_sentences_article_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.UniqueConstraint("article_id", "idx", name="uq_sentences_article_idx"),
    )
    dialect = op.get_bind().dialect.name
    for statement in _SQLITE_UP if dialect == "sqlite" else _POSTGRES_UP if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("articles_fts_ai", "articles_fts_ad", "articles_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
        op.execute("DROP TABLE IF EXISTS sentences_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_tsv")
        op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS tsv")
    op.drop_table("sentences")
