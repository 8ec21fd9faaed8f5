"""PostgreSQL full-text search folds accents ("cesse" finds "cessé"), as SQLite's FTS5 does.

Revision ID: 0003_accents
Revises: 0002_search
Create Date: 2026-11-23

A text search configuration ``storyscope`` (a copy of ``english``) is created and
the generated ``tsv`` columns are rebuilt with it. Where the server offers the
``unaccent`` extension (PostgreSQL's contrib, trusted since PostgreSQL 13, so a
database owner may create it), words pass through ``unaccent`` before stemming;
without it the configuration is plain English and search behaves as before.
Nothing changes on SQLite, whose FTS5 tables already remove diacritics.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0003_accents"
down_revision: str | None = "0002_search"
branch_labels: str | None = None
depends_on: str | None = None

logger = logging.getLogger("storyscope.store")

CONFIG = "storyscope"


def _tsv(config: str) -> list[str]:
    return [
        "DROP INDEX IF EXISTS ix_articles_tsv",
        "ALTER TABLE articles DROP COLUMN IF EXISTS tsv",
        "ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
        f"setweight(to_tsvector('{config}', coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector('{config}', text), 'B')) STORED",
        "CREATE INDEX ix_articles_tsv ON articles USING gin (tsv)",
        "DROP INDEX IF EXISTS ix_sentences_tsv",
        "ALTER TABLE sentences DROP COLUMN IF EXISTS tsv",
        f"ALTER TABLE sentences ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('{config}', text)) STORED",
        "CREATE INDEX ix_sentences_tsv ON sentences USING gin (tsv)",
    ]


def _unaccent(bind: sa.engine.Connection) -> bool:
    offered = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")).first()
    if not offered:
        logger.info("PostgreSQL offers no 'unaccent' extension: search will not fold accents")
        return False
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
    except sa.exc.DBAPIError as exc:
        logger.warning("cannot create the 'unaccent' extension (%s): search will not fold accents",
                       str(getattr(exc, "orig", exc)).strip().splitlines()[0])
        return False
    return True


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    folding = _unaccent(bind)
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = english)")
    if folding:
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
        )
        op.execute(  # words with digits ("A320néo"), which English leaves unstemmed
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
            "ALTER MAPPING FOR numword, numhword, hword_numpart WITH unaccent, simple"
        )
    for statement in _tsv(CONFIG):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _tsv("english"):
        op.execute(statement)
    op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
