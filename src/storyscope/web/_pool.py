"""A bounded pool for CPU-heavy work: a few worker threads, a short queue, 503 beyond it.

Analysing a story that is not in memory yet takes seconds of CPU. Run on FastAPI's
shared thread pool (40 threads), a flood of such requests occupies every thread
and a cheap page waits behind them; unbounded, the queue grows with the flood.
:class:`WorkPool` runs such jobs on at most ``workers`` threads of their own, lets
at most ``queue`` more wait (waiting costs no thread), and answers anything beyond
with ``503`` and ``Retry-After``. Requests for the same key (the same cold story
on the same route) share one job instead of queueing twice.

Every method runs on the event loop (one thread), so the counters need no lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from storyscope.web._errors import WebError

__all__ = ["WorkPool"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(slots=True)
class _Job:
    done: anyio.Event = field(default_factory=anyio.Event)
    value: Any = None
    error: BaseException | None = None


class WorkPool:
    """Run blocking jobs on at most ``workers`` threads, with at most ``queue`` waiting.

    Args:
        workers: Jobs running at once.
        queue: Jobs waiting for a worker at most; one more answers 503.
        retry_after: Seconds suggested to a refused client (``Retry-After``).
        what: What the jobs are, for the 503 message ("story analyses").
    """

    def __init__(
        self, workers: int, queue: int, *, retry_after: int = 5, what: str = "jobs"
    ) -> None:
        self.workers = max(1, workers)
        self.queue = max(0, queue)
        self.retry_after = max(1, retry_after)
        self.what = what
        self._limiter: anyio.CapacityLimiter | None = None
        self._pending = 0
        self._jobs: dict[Hashable, _Job] = {}

    @property
    def pending(self) -> int:
        """Jobs running or waiting now."""
        return self._pending

    def _busy(self) -> WebError:
        return WebError(
            503,
            f"the server is busy ({self._pending} {self.what} running or waiting); "
            f"try again in {self.retry_after} s",
            headers={"Retry-After": str(self.retry_after)},
        )

    async def run(self, job: Callable[[], T], *, key: Hashable | None = None) -> T:
        """``job()`` in a worker thread; a request for a ``key`` in flight waits for that job.

        Raises:
            WebError: 503 (with ``Retry-After``) when the queue is full.
            Exception: Whatever ``job`` raised.
        """
        if key is not None and (running := self._jobs.get(key)) is not None:
            await running.done.wait()
            if running.error is None:
                value: T = running.value
                return value
            if not isinstance(running.error, anyio.get_cancelled_exc_class()):
                raise running.error
            # the first requester went away before its job ran: run it for this one
        if self._pending >= self.workers + self.queue:
            raise self._busy()
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.workers)
        entry = _Job()
        if key is not None:
            self._jobs[key] = entry
        self._pending += 1
        try:
            entry.value = await anyio.to_thread.run_sync(job, limiter=self._limiter)
            result: T = entry.value
            return result
        except BaseException as exc:
            entry.error = exc
            raise
        finally:
            self._pending -= 1
            if key is not None and self._jobs.get(key) is entry:
                del self._jobs[key]
            entry.done.set()
