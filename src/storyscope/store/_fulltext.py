"""Sentences and full-text search over articles and sentences.

The query syntax, its translation for FTS5 and the exact-span snippets are in
:mod:`._search`; the ranking SQL of each backend is the dialect's
(:meth:`~._dialect.Dialect.find_articles`, :meth:`~._dialect.Dialect.find_sentences`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from storyscope.model import Sentence

from . import _search
from ._db import Database
from ._schema import articles, sentences
from .records import SearchHit, SentenceHit

__all__ = ["FullText"]


class FullText:
    """The ``sentences`` table and both full-text indexes."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def save_sentences(self, article_id: str, items: Sequence[Sentence]) -> None:
        """Store an article's sentences (replacing earlier ones) for sentence search.

        Raises:
            StoreError: The article is not stored, or a sentence's text is not
                ``article.text[start:end]``.
        """
        with self._db.write() as conn:
            text = conn.execute(sa.select(articles.c.text).where(articles.c.id == article_id)).scalar()
            if text is None:
                raise self._db.error(f"no stored article {article_id}")
            for s in items:
                if text[s.start : s.end] != s.text:
                    raise self._db.error(
                        f"sentence {s.index} of {article_id} does not match "
                        f"the article text at [{s.start}, {s.end})"
                    )
            conn.execute(sa.delete(sentences).where(sentences.c.article_id == article_id))
            if items:
                conn.execute(
                    sa.insert(sentences),
                    [
                        {"article_id": article_id, "idx": s.index, "start": s.start, "end": s.end, "text": s.text}
                        for s in items
                    ],
                )

    def load_sentences(self, article_id: str) -> tuple[Sentence, ...]:
        """The stored sentences of an article, in order (empty when none were saved)."""
        with self._db.read() as conn:
            rows = conn.execute(
                sa.select(sentences).where(sentences.c.article_id == article_id).order_by(sentences.c.idx)
            )
            return tuple(Sentence(index=r.idx, start=r.start, end=r.end, text=r.text) for r in rows)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over article titles and texts, best match first."""
        query = _search.clean_query(query)
        if limit <= 0 or _search.fts5_query(query) is None:
            return []
        with self._db.read() as conn:
            ranked, marked = self._db.dialect.find_articles(conn, query, limit)
        hits = []
        for row in ranked:
            text = row.text
            matches = _search.match_spans(marked.get(row.id), text)
            window = _search.snippet_span(text, matches)
            published = dt.datetime.fromisoformat(row.published) if row.published else None
            hits.append(
                SearchHit(
                    article_id=row.id,
                    outlet=row.outlet,
                    title=row.title,
                    published=published,
                    score=float(row.score),
                    start=window.start,
                    end=window.end,
                    snippet=text[window.start : window.end],
                    matches=matches,
                )
            )
        return hits

    def search_sentences(self, query: str, limit: int = 20) -> list[SentenceHit]:
        """Full-text search over stored sentences (the syntax of :meth:`search`)."""
        query = _search.clean_query(query)
        if limit <= 0 or _search.fts5_query(query) is None:
            return []
        with self._db.read() as conn:
            rows = self._db.dialect.find_sentences(conn, query, limit)
        return [
            SentenceHit(
                article_id=r.article_id, index=r.idx, start=r.start, end=r.end, text=r.text, score=float(r.score)
            )
            for r in rows
        ]
