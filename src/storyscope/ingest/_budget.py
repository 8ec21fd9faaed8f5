"""A wall-clock budget per article read: :func:`article_budget`.

Every article ingest or compare reads passes through
:func:`~storyscope.ingest.html.build_html_article` or
:func:`~storyscope.ingest.text.build_text_article` (decoding, main-text
extraction, boilerplate removal, language detection). Each call gets
:data:`MAX_ARTICLE_SECONDS`; an article that takes longer is stopped and
becomes an :class:`~storyscope.errors.IngestError` naming it, which every reader
turns into that record's failure, so the records and files after it are read
as usual. The timer and where it applies (the main thread only):
:func:`storyscope._timer.time_budget`. The analysis of each article has a budget
of its own (:data:`storyscope.analyze.pipeline.MAX_ANALYSIS_SECONDS`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from storyscope._timer import time_budget
from storyscope.errors import IngestError
from storyscope.ingest._decode import one_line

__all__ = ["MAX_ARTICLE_SECONDS", "article_budget"]

#: Seconds one article may take to be read and cleaned (a normal article takes
#: 5-50 ms, a 1,000,000-character one about 2 s); ``None`` or 0: no budget.
MAX_ARTICLE_SECONDS: float | None = 30.0


@contextlib.contextmanager
def article_budget(source: str) -> Iterator[None]:
    """Run the block within :data:`MAX_ARTICLE_SECONDS` of wall-clock time.

    Raises:
        IngestError: The block ran past the budget (``<source>: took over 30 s
            to read and clean (the per-article time budget)``).
    """
    seconds = MAX_ARTICLE_SECONDS

    def over() -> Exception:
        return IngestError(
            one_line(source), f"took over {seconds:g} s to read and clean (the per-article time budget)"
        )

    with time_budget(seconds, over):
        yield
