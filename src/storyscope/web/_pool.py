"""A bounded pool for CPU-heavy work: a few worker threads, a short queue, 503 beyond it.

Analysing a story that is not in memory yet takes seconds of CPU. Run on FastAPI's
shared thread pool (40 threads), a flood of such requests occupies every thread
and a cheap page waits behind them; unbounded, the queue grows with the flood.
:class:`WorkPool` runs such jobs on at most ``workers`` threads of their own, lets
at most ``queue`` more wait (waiting costs no thread), and answers anything beyond
with ``503`` and ``Retry-After``. Requests for the same key (the same cold story
on the same route) share one job instead of queueing twice.

Every method runs on the event loop (one thread), so the counters need no lock.
Jobs run in daemon threads of their own, so a job still computing never keeps the
process alive after the server stopped (SIGTERM); the pool needs the asyncio loop
(uvicorn's, or the test client's anyio one on asyncio).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio

from storyscope.web._errors import WebError

__all__ = ["WorkPool", "until_disconnect"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(slots=True)
class _Job:
    result: asyncio.Future[Any]


class WorkPool:
    """Run blocking jobs on at most ``workers`` threads, with at most ``queue`` waiting.

    Args:
        workers: Jobs running at once.
        queue: Jobs waiting for a worker at most; one more answers 503.
        retry_after: Seconds suggested to a refused client (``Retry-After``).
        what: What the jobs are, for the 503 message ("story analyses").
        budget_s: Longest a request waits for its job (queue included); past it the
            request answers 503 with ``Retry-After`` while the job goes on, so a retry
            finds its result (a story is kept in memory). None: no limit.
    """

    def __init__(
        self,
        workers: int,
        queue: int,
        *,
        retry_after: int = 5,
        what: str = "jobs",
        budget_s: float | None = None,
    ) -> None:
        self.workers = max(1, workers)
        self.queue = max(0, queue)
        self.retry_after = max(1, retry_after)
        self.what = what
        self.budget_s = budget_s
        self._limiter: anyio.CapacityLimiter | None = None
        self._pending = 0
        self._jobs: dict[Hashable, _Job] = {}

    @property
    def pending(self) -> int:
        """Jobs running or waiting now."""
        return self._pending

    def check_room(self) -> None:
        """Refuse now, as :meth:`run` would, when no job can start or wait: before a request
        spends anything on preparing its job (a compare request reads and cleans its
        articles first).

        Raises:
            WebError: 503 with ``Retry-After`` when the queue is full.
        """
        if self._pending >= self.workers + self.queue:
            raise self._busy()

    def _busy(self) -> WebError:
        return WebError(
            503,
            f"the server is busy ({self._pending} {self.what} running or waiting); "
            f"try again in {self.retry_after} s",
            headers={"Retry-After": str(self.retry_after)},
        )

    def _late(self) -> WebError:
        return WebError(
            503,
            f"still working after {self.budget_s:g} s (it goes on); try again in {self.retry_after} s",
            headers={"Retry-After": str(self.retry_after)},
        )

    async def _wait(self, result: asyncio.Future[T], deadline: float | None) -> T:
        """The job's result; 503 past ``deadline`` (loop time) without stopping the job."""
        loop = asyncio.get_running_loop()
        timeout = None if deadline is None else max(0.0, deadline - loop.time())
        try:
            return await asyncio.wait_for(asyncio.shield(result), timeout)
        except TimeoutError:
            raise self._late() from None

    async def run(self, job: Callable[[], T], *, key: Hashable | None = None) -> T:
        """``job()`` in a worker thread; a request for a ``key`` in flight shares that job.

        Cancelling the caller (its client went away, the server is stopping) drops a
        job still waiting for a worker; a running job cannot be stopped, so it finishes
        in its thread (a daemon thread: it never holds the process at exit) and keeps
        its worker until then, so no more than ``workers`` jobs ever run at once.

        Raises:
            WebError: 503 (with ``Retry-After``) when the queue is full, or when the
                job is not done within :attr:`budget_s` (it goes on).
            Exception: Whatever ``job`` raised.
        """
        loop = asyncio.get_running_loop()
        deadline = None if self.budget_s is None else loop.time() + self.budget_s
        if key is not None and (shared := self._jobs.get(key)) is not None:
            try:
                return await self._wait(shared.result, deadline)
            except asyncio.CancelledError:
                if not shared.result.cancelled():
                    raise  # this request itself was cancelled
                # the job's first requester left before it started: run it for this one
        if self._pending >= self.workers + self.queue:
            raise self._busy()
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.workers)
        limiter = self._limiter
        entry = _Job(result=loop.create_future())
        entry.result.add_done_callback(_retrieve)
        if key is not None:
            self._jobs[key] = entry
        self._pending += 1
        borrower = object()

        def finished() -> None:  # on the loop, when the job's thread ends
            self._pending -= 1
            limiter.release_on_behalf_of(borrower)
            if key is not None and self._jobs.get(key) is entry:
                del self._jobs[key]

        try:
            timeout = None if deadline is None else max(0.0, deadline - loop.time())
            with anyio.fail_after(timeout):  # cancellable: a waiting job is dropped
                await limiter.acquire_on_behalf_of(borrower)
        except BaseException as exc:
            self._pending -= 1
            if key is not None and self._jobs.get(key) is entry:
                del self._jobs[key]
            entry.result.cancel()  # requests sharing it run it themselves
            if isinstance(exc, TimeoutError):
                raise self._late() from None
            raise
        _start(job, entry.result, finished)
        return await self._wait(entry.result, deadline)


def _retrieve(future: asyncio.Future[Any]) -> None:
    """Mark a job's error as seen (nobody may be waiting for it any more)."""
    if not future.cancelled():
        future.exception()


def _start(job: Callable[[], T], result: asyncio.Future[T], finished: Callable[[], None]) -> None:
    """Run ``job`` in a new daemon thread; ``result`` settles (and ``finished`` runs) on the loop."""
    loop = asyncio.get_running_loop()

    def settle(value: Any, error: BaseException | None) -> None:
        finished()
        if result.done():
            return
        if error is not None:
            result.set_exception(error)
        else:
            result.set_result(value)

    def target() -> None:
        value: Any = None
        error: BaseException | None = None
        try:
            value = job()
        except BaseException as exc:  # noqa: BLE001 -- handed to the awaiting tasks
            error = exc
        try:
            loop.call_soon_threadsafe(settle, value, error)
        except RuntimeError:  # the loop is closed: the server stopped meanwhile
            logger.debug("a job finished after its event loop closed")

    threading.Thread(target=target, name="storyscope-work", daemon=True).start()


async def until_disconnect(receive: Callable[[], Awaitable[Any]], work: Awaitable[T]) -> T:
    """Await ``work``, cancelling it when the client disconnects (read from ASGI ``receive``).

    For a request whose body has been read (or that has none): the next message is
    ``http.disconnect``, sent when the client goes (or once the response is sent).
    A job still waiting in a :class:`WorkPool` is dropped then; a running one ends
    in its thread.

    Raises:
        WebError: 499 when the client went away first.
    """
    task = asyncio.ensure_future(work)

    async def gone() -> None:
        while (await receive()).get("type") != "http.disconnect":
            pass

    watcher = asyncio.ensure_future(gone())
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if not task.done():
            task.cancel()
        watcher.cancel()
    if task.cancelled() or not task.done():
        with contextlib.suppress(asyncio.CancelledError):
            await task
        logger.info("client went away; its job was dropped")
        raise WebError(499, "the client closed the request")
    return task.result()
