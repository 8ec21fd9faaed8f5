"""Benchmark the web app (issue #7 targets). Prints figures; asserts nothing.

Targets, on the 2-core reference machine:
  - story page of a 20-article story renders in <= 300 ms warm
  - the API sustains >= 100 requests/s on story reads, measured with a load generator
    (httpx, one keep-alive client per thread) against a live uvicorn on 127.0.0.1

The story is hand-built (tests/web/_stories.py: 20 invented articles with facts,
contradictions, quotes and framing), so no model is loaded. The server runs in a
separate process so that the load generator does not share its interpreter.

Usage: python bench/bench_web.py [--articles 20] [--paragraphs 10] [--seconds 5] [--threads 8]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "web"))


def _app(articles: int, paragraphs: int, cache_size: int = 64):  # type: ignore[no-untyped-def]
    from _stories import make_story

    from storyscope.web import MemorySource, WebSettings, create_app

    story = make_story(articles, extra_paragraphs=paragraphs)
    return story, create_app(
        MemorySource({"big": story}), settings=WebSettings(cache_size=cache_size)
    )


def _serve(port: int, articles: int, paragraphs: int) -> None:
    import uvicorn

    _, app = _app(articles, paragraphs)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return f"median {statistics.median(values) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def _in_process(articles: int, paragraphs: int) -> None:
    from fastapi.testclient import TestClient

    story, app = _app(articles, paragraphs, cache_size=0)
    words = sum(a.article.word_count for a in story.articles)
    print(f"story: {len(story.articles)} articles, {words} words, {len(story.facts)} facts")
    with TestClient(app) as client:
        client.get("/stories/big")  # templates compiled, imports done
        times = []
        for _ in range(10):
            t0 = time.perf_counter()
            r = client.get("/stories/big")
            times.append(time.perf_counter() - t0)
        print(
            f"story page, full render every time (cache off), in process: {_ms(times)}, {len(r.content)} bytes"
        )


def _load(url: str, paths: list[str], seconds: float, threads: int) -> None:
    import httpx

    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        nonlocal errors
        mine: list[float] = []
        bad = 0
        with httpx.Client(base_url=url, timeout=10) as client:
            i = offset
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                r = client.get(paths[i % len(paths)])
                mine.append(time.perf_counter() - t0)
                bad += r.status_code != 200
                i += 1
        with lock:
            latencies.extend(mine)
            errors += bad

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    print(
        f"  {len(latencies)} requests in {elapsed:.1f} s with {threads} threads: "
        f"{len(latencies) / elapsed:.0f} req/s, {errors} errors, latency {_ms(latencies)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--paragraphs", type=int, default=10, help="extra paragraphs per article")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--serve", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        _serve(args.serve, args.articles, args.paragraphs)
        return

    _in_process(args.articles, args.paragraphs)

    import httpx

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve",
            str(port),
            "--articles",
            str(args.articles),
            "--paragraphs",
            str(args.paragraphs),
        ],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/api/stories", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("server did not start") from None
                time.sleep(0.1)
        with httpx.Client(base_url=url) as client:
            t0 = time.perf_counter()
            client.get("/stories/big")
            print(
                f"live server, story page first request (render + cache fill): {(time.perf_counter() - t0) * 1000:.1f} ms"
            )
            times = []
            for _ in range(30):
                t0 = time.perf_counter()
                client.get("/stories/big")
                times.append(time.perf_counter() - t0)
            print(f"live server, story page warm: {_ms(times)} (target <= 300 ms)")
        print(
            "API story reads (/api/stories/big, /facts, /contradictions, /quotes), target >= 100 req/s:"
        )
        _load(
            url,
            [
                "/api/stories/big",
                "/api/stories/big/facts",
                "/api/stories/big/contradictions",
                "/api/stories/big/quotes",
            ],
            args.seconds,
            args.threads,
        )
        print("API story list (/api/stories):")
        _load(url, ["/api/stories"], args.seconds, args.threads)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
