"""Web UI and REST API: browse stories, compare articles side by side, check every claim.

The app reads stories from a :class:`StorySource` (:class:`MemorySource` here; a
store-backed source plugs in the same way) and is built by :func:`create_app`.
``storyscope serve`` (:mod:`storyscope.web.cli`) runs it with uvicorn on loopback.
FastAPI and uvicorn are imported only when this package is.
"""

from __future__ import annotations

from storyscope.web._errors import WebError, error_body
from storyscope.web._security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS
from storyscope.web._settings import Comparer, WebSettings
from storyscope.web._source import (
    SORTS,
    ArticleEntry,
    MemorySource,
    OutletArticle,
    OutletSummary,
    StoryInfo,
    StoryPage,
    StorySort,
    StorySource,
    story_info,
    story_key,
)
from storyscope.web.app import create_app

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "SECURITY_HEADERS",
    "SORTS",
    "ArticleEntry",
    "Comparer",
    "MemorySource",
    "OutletArticle",
    "OutletSummary",
    "StoryInfo",
    "StoryPage",
    "StorySort",
    "StorySource",
    "WebError",
    "WebSettings",
    "create_app",
    "error_body",
    "story_info",
    "story_key",
]
