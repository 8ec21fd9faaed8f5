"""A wall-clock budget for a block of work: :func:`time_budget`.

On the main thread the budget is enforced with a ``SIGALRM`` interval timer, which
interrupts Python code and the regular-expression engine (both check for signals)
and otherwise fires as soon as a C extension (lxml, spaCy's Cython parts) hands
control back. Signals reach only the main thread, so off it the block runs without
a budget (a web server's worker threads have a budget of their own per request),
unless the thread asked for one with :func:`thread_budgets`: then a watchdog thread
raises into the block's thread when its time is up (``PyThreadState_SetAsyncExc``),
which interrupts Python code and waits for a C extension, the regular-expression
engine included, to hand control back. The Ray engine's workers, which Ray Data
runs on a thread of their own, use it. Inside another budget, or on the main thread
when something else already handles ``SIGALRM``, the block runs without a budget
(:func:`budget_applies` says which).

Used per article: reading and cleaning (:mod:`storyscope.ingest._budget`) and
analysing (:data:`storyscope.analyze.pipeline.MAX_ANALYSIS_SECONDS`).
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

__all__ = ["budget_applies", "thread_budgets", "time_budget"]

_active = False
_local = threading.local()  # .allowed: thread_budgets() is on; .active: a watched block runs

# Raises an exception into another thread at its next bytecode; NULL clears a pending one.
_raise_in = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
)
_clear_in = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
)


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
    if threading.current_thread() is not threading.main_thread():
        return getattr(_local, "allowed", False) and not getattr(_local, "active", False)
    if _active or not hasattr(signal, "setitimer"):
        return False
    handler = signal.getsignal(signal.SIGALRM)
    return handler in (signal.SIG_DFL, None) or handler is _on_alarm


@contextlib.contextmanager
def thread_budgets() -> Iterator[None]:
    """Let :func:`time_budget` enforce budgets on this (non-main) thread, with a watchdog."""
    before = getattr(_local, "allowed", False)
    _local.allowed = True
    try:
        yield
    finally:
        _local.allowed = before


@contextlib.contextmanager
def time_budget(seconds: float | None, over: Callable[[], Exception]) -> Iterator[None]:
    """Run the block within ``seconds`` of wall-clock time (None or 0: no budget).

    Raises:
        Exception: ``over()``, when the block ran past the budget.
    """
    if not budget_applies(seconds):
        yield
        return
    assert seconds is not None
    if threading.current_thread() is not threading.main_thread():
        with _watched(seconds, over):
            yield
        return
    global _active
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


class _Watch:
    """The watchdog of one block on one thread: fires once, and never after :meth:`disarm`."""

    def __init__(self, thread_id: int) -> None:
        self.thread_id = thread_id
        self.lock = threading.Lock()
        self.armed = True
        self.fired = False

    def fire(self) -> None:
        with self.lock:
            if self.armed:
                self.fired = True
                _raise_in(self.thread_id, _OverBudget)

    def disarm(self) -> None:
        with self.lock:
            self.armed = False
            if self.fired:  # raised already, or still pending: clear it
                _clear_in(self.thread_id, None)


@contextlib.contextmanager
def _watched(seconds: float, over: Callable[[], Exception]) -> Iterator[None]:
    watch = _Watch(threading.get_ident())
    timer = threading.Timer(seconds, watch.fire)
    timer.daemon = True
    _local.active = True
    try:
        try:
            timer.start()
            try:
                yield
            finally:
                watch.disarm()
                timer.cancel()
        except _OverBudget:
            raise over() from None
        if watch.fired:  # it fired as the block ended: over budget all the same
            raise over()
    finally:
        _local.active = False
