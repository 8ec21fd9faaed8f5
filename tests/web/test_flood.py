"""A flood of cold-story and alias requests cannot stall the server (bounded in count and time).

Before: every request for a story not in memory took one of FastAPI's 40 shared
threads and waited there for its analysis, an alias (``01``, ``١``) being a new
story each time, so a flood left the story list and warm pages waiting for seconds.
Now aliases are 404 at once, cold stories go to a pool of ``analysis_workers``
threads with ``analysis_queue`` places, and the rest answer 503 with Retry-After.
"""

from __future__ import annotations

import asyncio
import socket
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from _live import live, live_server  # noqa: E402
from _store_app import CountingPipeline, fill_store  # noqa: E402

from storyscope.model import AnalyzedArticle, Article  # noqa: E402
from storyscope.store import Store  # noqa: E402
from storyscope.web import WebSettings, create_app  # noqa: E402
from storyscope.web._errors import WebError  # noqa: E402
from storyscope.web._pool import WorkPool  # noqa: E402
from storyscope.web._store_source import StoreSource  # noqa: E402
from storyscope.web.cli import SWITCH_INTERVAL_S  # noqa: E402

STORIES = 20
COST_S = 0.15  # CPU burnt per analysis


class BurningPipeline(CountingPipeline):
    """Burns CPU like a real analysis; no ``version``, so nothing is stored and every
    analysis of a story not in memory costs the full price again."""

    version = None  # type: ignore[assignment]

    def analyze_many(self, articles: Sequence[Article]) -> list[AnalyzedArticle]:
        deadline = time.process_time() + COST_S
        while time.process_time() < deadline:
            pass
        return super().analyze_many(articles)


@pytest.fixture(scope="module")
def flood_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, BurningPipeline]]:
    path = tmp_path_factory.mktemp("flood") / "s.db"
    fill_store(path, stories=STORIES)
    pipeline = BurningPipeline()
    store = Store.open(path)
    settings = WebSettings(analysis_workers=1, analysis_queue=4, retry_after_s=3)
    app = create_app(StoreSource(store, pipeline=pipeline), settings=settings)
    try:
        with live_server(app) as url:
            yield url, pipeline
    finally:
        store.close()


def _aliases(n: int) -> list[str]:
    arabic = str(n).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    wide = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return [f"0{n}", arabic, wide]


async def _flood(base: str) -> tuple[list[httpx.Response], dict[str, float]]:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        assert (await client.get("/stories/1")).status_code == 200  # warm before the flood
        cold = range(2, STORIES + 1)
        paths = [f"{route}/{k}" for k in cold for route in ("/api/stories", "/stories")]
        aliases = [a for k in cold for a in _aliases(k)]  # pages and API alike
        paths += [f"{('/stories', '/api/stories')[n % 2]}/{a}" for n, a in enumerate(aliases)]
        flood = [asyncio.ensure_future(client.get(p)) for p in paths]
        await asyncio.sleep(0.2)  # the flood is in
        slowest: dict[str, float] = {}
        for _ in range(3):
            for cheap in ("/api/health", "/stories", "/stories/1", "/api/stories/1"):
                t0 = time.perf_counter()
                r = await client.get(cheap)
                assert r.status_code == 200, (cheap, r.status_code)
                slowest[cheap] = max(slowest.get(cheap, 0.0), time.perf_counter() - t0)
        return list(await asyncio.gather(*flood)), slowest


def test_a_cold_and_alias_flood_leaves_cheap_pages_answering_within_a_second(
    flood_server: tuple[str, BurningPipeline],
) -> None:
    base, pipeline = flood_server
    t0 = time.monotonic()
    interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL_S)  # as `storyscope serve` sets it
    try:
        responses, slowest = asyncio.run(_flood(base))
    finally:
        sys.setswitchinterval(interval)
    took = time.monotonic() - t0
    # The bar is 1 s (measured 0.01-0.2 s on an idle machine; bench/bench_web.py
    # prints it). A timed test on a shared 2-core CI machine holds a looser bound that
    # still fails the old behaviour (pages unanswered for tens of seconds).
    assert max(slowest["/api/health"], slowest["/stories/1"], slowest["/api/stories/1"]) < 5.0, (
        slowest
    )
    # The story list reads each story's row and cached counts from the store: a few
    # queries a story, each waiting for the GIL that the busy analysis holds (0.2-0.5 s
    # here, ~0.06 s idle); bounded, where a starved thread pool made it wait for the flood.
    assert slowest["/stories"] < 3.0, slowest
    by_status: dict[int, list[httpx.Response]] = {}
    for r in responses:
        by_status.setdefault(r.status_code, []).append(r)
    assert set(by_status) <= {200, 404, 503}, {s: len(v) for s, v in by_status.items()}
    assert len(by_status[404]) == 3 * (STORIES - 1)  # every alias, without an analysis
    refused = by_status.get(503, [])
    assert refused, "a full queue must answer 503"
    for r in refused:
        assert r.headers["Retry-After"] == "3"
        if r.url.path.startswith("/api/"):
            body: dict[str, Any] = r.json()
            assert body["code"] == "unavailable" and body["status"] == 503 and not body["ok"]
        else:
            assert r.headers["content-type"].startswith("text/html") and "busy" in r.text
    analysed = pipeline.analyzed // 4  # four articles a story
    assert analysed <= 1 + len(by_status.get(200, []))  # the warm story, and each accepted one
    # How many cold stories get analysed while the flood lasts depends on the machine's
    # speed (a job done frees its queue place for a later request): the bound that holds
    # on any machine is the one above, one analysis per accepted request, none for an alias.
    assert took < 15, took


def test_the_pool_shares_one_job_per_key_and_refuses_past_its_queue() -> None:
    async def main() -> tuple[list[Any], int]:
        pool = WorkPool(1, 1, retry_after=7, what="jobs")
        calls = 0

        def job() -> int:
            nonlocal calls
            calls += 1
            time.sleep(0.1)
            return calls

        results: list[Any] = [None] * 4

        async def one(i: int, key: str) -> None:
            try:
                results[i] = await pool.run(job, key=key)
            except WebError as exc:
                results[i] = (exc.status, exc.headers)

        async with anyio.create_task_group() as tg:
            tg.start_soon(one, 0, "a")
            tg.start_soon(one, 1, "a")  # shares job "a"
            tg.start_soon(one, 2, "b")  # waits in the queue
            tg.start_soon(one, 3, "c")  # past the queue: refused
        return results, pool.pending

    results, pending = anyio.run(main)
    assert results[0] == results[1] == 1 and results[2] == 2
    assert results[3] == (503, {"Retry-After": "7"}) and pending == 0


class StoppablePipeline(CountingPipeline):
    """Burns CPU for ``cost`` seconds an analysis, or until ``stop`` is set."""

    version = None  # type: ignore[assignment]

    def __init__(self, cost: float) -> None:
        super().__init__()
        self.cost = cost
        self.started = threading.Event()
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    def analyze_many(self, articles: Sequence[Article]) -> list[AnalyzedArticle]:
        self.threads.append(threading.current_thread())
        self.started.set()
        deadline = time.monotonic() + self.cost
        while time.monotonic() < deadline and not self.stop.is_set():
            sum(range(1000))
        return super().analyze_many(articles)


@pytest.fixture
def small_store(tmp_path: Path) -> Iterator[Store]:
    fill_store(tmp_path / "s.db", stories=2)
    with Store.open(tmp_path / "s.db") as store:
        yield store


def _wait_for(condition: Any, what: str, timeout: float = 10.0) -> None:
    """Poll ``condition()`` until it holds (a state to reach, not a time to wait)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def test_a_waiting_analysis_is_dropped_when_its_client_goes(small_store: Store) -> None:
    # Story 1's analysis runs until the test releases it, so story 2's job waits behind it
    # for as long as the test needs: no step depends on how fast the machine is.
    pipeline = StoppablePipeline(cost=60)
    app = create_app(StoreSource(small_store, pipeline=pipeline))

    def jobs(base: str) -> int:
        return int(httpx.get(f"{base}/api/health").json()["analyses"])

    try:
        with live_server(app) as base:
            first = threading.Thread(target=lambda: httpx.get(f"{base}/api/stories/1", timeout=30))
            first.start()
            assert pipeline.started.wait(10)
            _wait_for(lambda: jobs(base) == 1, "story 1's analysis to run")
            host, port = base.removeprefix("http://").split(":")
            with socket.create_connection((host, int(port)), timeout=10) as client:
                client.sendall(f"GET /api/stories/2 HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
                _wait_for(lambda: jobs(base) == 2, "story 2's job to wait in the queue")
            # the client went away while its job waited: the job leaves the queue
            _wait_for(lambda: jobs(base) == 1, "story 2's job to be dropped")
            pipeline.stop.set()  # story 1's analysis ends; the worker is free
            first.join(timeout=30)
            assert not first.is_alive()
            _wait_for(lambda: jobs(base) == 0, "story 1's job to end")
    finally:
        pipeline.stop.set()
    assert pipeline.analyzed == 4  # story 1 only: story 2's job left the queue with its client


def test_stopping_the_server_does_not_wait_for_a_running_analysis(small_store: Store) -> None:
    graceful = 1  # `storyscope serve` passes GRACEFUL_SHUTDOWN_S (test_serve_cli checks it)
    pipeline = StoppablePipeline(cost=60)
    app = create_app(StoreSource(small_store, pipeline=pipeline))
    try:
        with live(app, timeout_graceful_shutdown=graceful) as (base, (server, thread)):
            threading.Thread(
                target=lambda: httpx.get(f"{base}/stories/1", timeout=30), daemon=True
            ).start()
            assert pipeline.started.wait(5)
            t0 = time.monotonic()
            server.should_exit = True  # what uvicorn's SIGTERM handler does
            thread.join(timeout=graceful + 5)
            took = time.monotonic() - t0
            assert not thread.is_alive() and took < graceful + 2, took
            # the analysis still runs, in a daemon thread: it cannot hold the process at exit
            assert all(t.daemon for t in pipeline.threads) and pipeline.threads
    finally:
        pipeline.stop.set()


def test_a_job_past_the_budget_answers_503_and_a_second_request_shares_it() -> None:
    async def main() -> tuple[Any, Any, Any, int]:
        pool = WorkPool(1, 2, retry_after=4, what="jobs", budget_s=0.2)
        calls = 0

        def job() -> str:
            nonlocal calls
            calls += 1
            time.sleep(0.3)
            return "done"

        def boom() -> str:
            raise ValueError("bad story")

        async def attempt(key: str, work: Any = job) -> Any:
            try:
                return await pool.run(work, key=key)
            except (WebError, ValueError) as exc:
                return (getattr(exc, "status", None), getattr(exc, "headers", {}), str(exc))

        first = await attempt("a")  # 0.2 s: too slow; the job goes on
        second = await attempt("a")  # joins the running job, done at 0.3 s
        error = await attempt("b", boom)
        return first, second, error, calls

    first, second, error, calls = anyio.run(main)
    assert first[0] == 503 and first[1] == {"Retry-After": "4"} and "goes on" in first[2]
    assert second == "done" and calls == 1
    assert error == (None, {}, "bad story")


def test_a_story_past_the_budget_is_kept_for_the_retry(small_store: Store) -> None:
    pipeline = StoppablePipeline(cost=0.5)
    settings = WebSettings(request_budget_s=0.1, retry_after_s=1)
    app = create_app(StoreSource(small_store, pipeline=pipeline), settings=settings)
    with live_server(app) as base:
        late = httpx.get(f"{base}/api/stories/1", timeout=10)
        assert late.status_code == 503 and late.headers["Retry-After"] == "1"
        assert late.json()["code"] == "unavailable"
        time.sleep(0.7)
        assert httpx.get(f"{base}/api/stories/1", timeout=10).status_code == 200
    assert pipeline.analyzed == 4  # analysed once: the retry read it from memory


def test_a_warm_story_evicted_by_another_thread_meanwhile_is_still_answered(
    small_store: Store,
) -> None:
    # A flood of cold stories evicts warm ones from the cache (cache_size) while other
    # threads answer them: found in memory, then gone before it is marked recently used
    # (this was a KeyError, a 500, in bench/bench_web.py flood).
    source = StoreSource(small_store, pipeline=CountingPipeline())
    story = source.get_story("1")
    assert story is not None
    found_then_evicted = source._cached

    def cached(sid: str) -> Any:
        found = found_then_evicted(sid)
        with source._lock:
            source._stories.pop(sid, None)  # what another thread's eviction does meanwhile
        return found

    source._cached = cached  # type: ignore[method-assign]
    assert source.get_story("1") is story
