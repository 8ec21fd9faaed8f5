"""A wall-clock budget per article read: :func:`article_budget`.

Every article ingest or compare reads passes through
:func:`~storyscope.ingest.html.build_html_article` or
:func:`~storyscope.ingest.text.build_text_article` (decoding, main-text
extraction, boilerplate removal, language detection). Each call gets
:data:`MAX_ARTICLE_SECONDS`; an article that takes longer is stopped and
becomes an :class:`~storyscope.errors.IngestError` naming it, which every reader
turns into that record's failure, so the records and files after it are read
as usual.

The budget is enforced with a ``SIGALRM`` interval timer, which interrupts
Python code and the regular-expression engine (both check for signals) and
otherwise fires as soon as a C extension (lxml) hands control back. Signals
reach only the main thread, so off it (a web server's worker threads, which
never read files), inside another budget, or when something else already
handles ``SIGALRM``, the block runs without a budget.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from storyscope.errors import IngestError
from storyscope.ingest._decode import one_line

__all__ = ["MAX_ARTICLE_SECONDS", "article_budget"]

#: Seconds one article may take to be read and cleaned (a normal article takes
#: 5-50 ms, a 1,000,000-character one about 2 s); ``None`` or 0: no budget.
MAX_ARTICLE_SECONDS: float | None = 30.0

_active = False


class _OverBudget(BaseException):
    """Raised by the timer into the running read (a BaseException: a library's
    ``except Exception`` must not swallow it)."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    if _active:
        raise _OverBudget


def _usable() -> bool:
    if _active or not hasattr(signal, "setitimer"):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    handler = signal.getsignal(signal.SIGALRM)
    return handler in (signal.SIG_DFL, None) or handler is _on_alarm


@contextlib.contextmanager
def article_budget(source: str) -> Iterator[None]:
    """Run the block within :data:`MAX_ARTICLE_SECONDS` of wall-clock time.

    Raises:
        IngestError: The block ran past the budget (``<source>: took over 30 s
            to read and clean (the per-article time budget)``).
    """
    global _active
    seconds = MAX_ARTICLE_SECONDS
    if not seconds or seconds <= 0 or not _usable():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        _active = True
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            _active = False
    except _OverBudget:
        raise IngestError(
            one_line(source), f"took over {seconds:g} s to read and clean (the per-article time budget)"
        ) from None
    finally:
        _active = False
        signal.signal(signal.SIGALRM, previous)
