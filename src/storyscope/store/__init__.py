"""The article store: SQLite by default, PostgreSQL for teams, same schema and API.

>>> from storyscope.store import open_store
>>> with open_store("news.db") as store:            # doctest: +SKIP
...     store.add_articles(articles)
...     hits = store.search('"harbour fire" -sports')
"""

from __future__ import annotations

from ._engine import default_db_path, head_revision
from .database import Store, open_store
from .records import (
    ArticleInfo,
    RunProgress,
    SearchHit,
    SentenceHit,
    StoredFailure,
    StoredStory,
    StoryCounts,
    StorySummary,
    SummaryPage,
)

__all__ = [
    "ArticleInfo",
    "RunProgress",
    "SearchHit",
    "SentenceHit",
    "Store",
    "StoredFailure",
    "StoredStory",
    "StoryCounts",
    "StorySummary",
    "SummaryPage",
    "default_db_path",
    "head_revision",
    "open_store",
]
