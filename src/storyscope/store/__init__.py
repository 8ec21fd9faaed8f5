"""The article store: SQLite by default, PostgreSQL for teams, same schema and API.

>>> from storyscope.store import open_store
>>> with open_store("news.db") as store:            # doctest: +SKIP
...     store.add_articles(articles)
...     hits = store.search('"harbour fire" -sports')

The public names are imported on first use (PEP 562): importing a part that needs no
SQLAlchemy (``storyscope.store._light``, what ``storyscope report`` reads a cached report
with) does not import it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ._engine import head_revision
    from ._light import default_db_path
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

#: Public name -> the module it is imported from on first use.
_LAZY: dict[str, str] = {
    "default_db_path": "._light",
    "head_revision": "._engine",
    "Store": ".database",
    "open_store": ".database",
    **{
        name: ".records"
        for name in (
            "ArticleInfo",
            "RunProgress",
            "SearchHit",
            "SentenceHit",
            "StoredFailure",
            "StoredStory",
            "StoryCounts",
            "StorySummary",
            "SummaryPage",
        )
    },
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
