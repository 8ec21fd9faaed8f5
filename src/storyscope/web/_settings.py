"""Settings of the web app, resolved once and passed to :func:`storyscope.web.create_app`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from storyscope.api import COMPARE_MAX_CHARS
from storyscope.model import Article, Story
from storyscope.outlets import OutletDirectory

__all__ = ["Comparer", "WebSettings"]

Comparer = Callable[[Sequence[Article]], Story]
"""Analyze and align read articles (default: :func:`storyscope.api.compare_articles`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WebSettings:
    """Limits and switches of the web app.

    Attributes:
        max_upload_bytes: Largest request body accepted by the compare endpoints (413 above).
        max_articles: Most articles one compare request may hold (422 above).
        min_articles: Fewest articles a compare request needs (422 below).
        max_article_chars: Longest pasted or uploaded article, in characters (422 above).
        max_compare_chars: Most characters one compare request may give to analyse in all,
            after reading (each article counts at most its first 50,000:
            :func:`storyscope.api.compare_chars`; 422 above). The default,
            :data:`storyscope.api.COMPARE_MAX_CHARS`, keeps a comparison well within 60 s.
        compare_enabled: Whether the compare page and ``POST /api/compare`` exist.
        compare_workers: Compare jobs run at once (each in a worker thread); others wait.
        compare_queue: Compare jobs waiting at most; one more answers 503 with ``Retry-After``.
        analysis_workers: Story analyses (a story page or API call for a story not in
            memory yet) run at once, each in a worker thread of their own.
        analysis_queue: Story analyses waiting at most; one more answers 503. Requests for
            the same story on the same route share one analysis and one queue place.
        retry_after_s: The ``Retry-After`` of a 503, in seconds.
        compare_per_minute: Comparisons (``POST /api/compare`` and the compare form) one
            client address (an IPv6 client's /64) may start a minute, after a burst of
            ``compare_burst``; past it, 429 with ``Retry-After``. None: no limit.
        compare_burst: Comparisons a client may start at once before the rate applies.
        request_budget_s: Longest a request waits for its analysis or comparison (queue
            included); past it, 503 with ``Retry-After`` while the job goes on (a story's
            analysis is then kept for the retry). None: no limit.
        comparer: Replaces :func:`storyscope.api.compare_articles` (tests pass a cheap one).
        page_size: Stories per page of the story list.
        cache_size: Stories whose rendered pages and JSON are kept in memory.
        outlets: The outlets file (docs/outlets.md): the blindspot filter of the story
            list and the outlet pages' details. None (the default): no metadata.
    """

    max_upload_bytes: int = 2_000_000
    max_articles: int = 20
    min_articles: int = 2
    max_article_chars: int = 200_000
    max_compare_chars: int = COMPARE_MAX_CHARS
    compare_enabled: bool = True
    compare_workers: int = 1
    compare_queue: int = 4
    analysis_workers: int = 1
    analysis_queue: int = 8
    retry_after_s: int = 5
    compare_per_minute: float | None = 30.0
    compare_burst: int = 10
    request_budget_s: float | None = 60.0
    comparer: Comparer | None = None
    page_size: int = 25
    cache_size: int = 64
    outlets: OutletDirectory | None = None
