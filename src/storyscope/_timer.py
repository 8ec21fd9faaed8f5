"""A wall-clock budget for a block of work: :func:`time_budget`.

The budget is enforced with a ``SIGALRM`` interval timer, which interrupts Python
code and the regular-expression engine (both check for signals) and otherwise fires
as soon as a C extension (lxml, spaCy's Cython parts) hands control back. Signals
reach only the main thread, so off it (a web server's worker threads, which have a
budget of their own per request), inside another budget, or when something else
already handles ``SIGALRM``, the block runs without a budget
(:func:`budget_applies` says which).

Used per article: reading and cleaning (:mod:`storyscope.ingest._budget`) and
analysing (:data:`storyscope.analyze.pipeline.MAX_ANALYSIS_SECONDS`).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

__all__ = ["budget_applies", "time_budget"]

_active = False


class _OverBudget(BaseException):
    """Raised by the timer into the running block (a BaseException: a library's
    ``except Exception`` must not swallow it)."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    if _active:
        raise _OverBudget


def budget_applies(seconds: float | None) -> bool:
    """Whether :func:`time_budget` would enforce ``seconds`` here and now."""
    if not seconds or seconds <= 0:
        return False
    if _active or not hasattr(signal, "setitimer"):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    handler = signal.getsignal(signal.SIGALRM)
    return handler in (signal.SIG_DFL, None) or handler is _on_alarm


@contextlib.contextmanager
def time_budget(seconds: float | None, over: Callable[[], Exception]) -> Iterator[None]:
    """Run the block within ``seconds`` of wall-clock time (None or 0: no budget).

    Raises:
        Exception: ``over()``, when the block ran past the budget.
    """
    global _active
    if not budget_applies(seconds):
        yield
        return
    assert seconds is not None
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
        raise over() from None
    finally:
        _active = False
        signal.signal(signal.SIGALRM, previous)
