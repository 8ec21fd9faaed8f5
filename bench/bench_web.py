"""Benchmark the web app (issues #7 and #19 targets). Prints figures; asserts nothing.

Targets, on the 2-core reference machine:
  - story page of a 20-article story renders in <= 300 ms warm
  - the API sustains >= 100 requests/s on story reads, measured with a load generator
    (httpx, one keep-alive client per thread) against a live uvicorn on 127.0.0.1
  - (issue #19) the story list of a 10,000-story store: <= 50 ms a page, and >= 100
    requests/s from 20 concurrent clients (httpx async, one connection each), for the
    HTML list (``/``, deep pages, sorts) and ``/api/stories``
  - a warm story page of a store (``store-story``, ``serve --db``) costs no more than a
    memory story's: the check that its members and recorded reprints are unchanged runs
    at most once a second
  - (issue #19) during a compare flood and an alias flood the story page answers in <= 1 s p99
    (``flood``: a live server on a store, the real models; the flood comes from another process,
    the story page is asked every 50 ms meanwhile from this one)

The story is hand-built (tests/web/_stories.py: 20 invented articles with facts,
contradictions, quotes and framing), so no model is loaded. The store of the list
benchmark is invented too (three one-sentence articles a story, a cached report of
about 10 KB per story, as ``ingest --analyze`` leaves them; built once and kept as
``--db`` when given). Servers run in a separate process so that the load generator
does not share their interpreter. ``related`` times related stories in process on that
store, with invented 384-float article vectors.

Usage: python bench/bench_web.py [story|store-story|list|related|flood] [--articles 20] [--paragraphs 10] [--seconds 5]
       [--threads 8] [--stories 10000] [--clients 20] [--db PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
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


# -- the story list of a large store (issue #19) -------------------------------------------

_OUTLETS = 40


def build_store(path: Path, stories: int) -> None:
    """``stories`` stories of three invented one-sentence articles, each with a cached report
    (stats as a real report has them, padded to about 10 KB) under its current version."""
    import json

    import sqlalchemy as sa

    from storyscope.corpus import REPORT_KIND
    from storyscope.model import Article
    from storyscope.settings import default_settings
    from storyscope.store import Store
    from storyscope.store._schema import cache
    from storyscope.store._schema import stories as stories_table

    base = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    t0 = time.perf_counter()
    with Store.open(path) as store:
        members: dict[str, int] = {}
        batch: list[Article] = []
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        with store._write() as conn:  # noqa: SLF001 - one bulk insert of the story rows
            conn.execute(
                sa.insert(stories_table),
                [
                    {"id": k, "title": f"Council vote {k}", "created_at": now, "updated_at": now}
                    for k in range(1, stories + 1)
                ],
            )
        for k in range(1, stories + 1):
            for j in range(3):
                article = Article.create(
                    text=f"The council of town {k} voted {k % 97} to {j} on the harbour plan.",
                    source=f"bench/{k}-{j}.txt",
                    outlet=f"Outlet {(k + j) % _OUTLETS}",
                    title=f"Council vote {k}" if j == 0 else f"Town {k} votes, report {j}",
                    published=base + dt.timedelta(minutes=7 * k + j),
                )
                batch.append(article)
                members[article.id] = k
            if len(batch) >= 3000:
                store.add_articles(batch)
                batch = []
        store.add_articles(batch)
        store.assign_many(members)
        digest = default_settings().digest
        versions = store.story_versions(range(1, stories + 1))
        pad = "x" * 10_000
        rows = []
        for k, version in versions.items():
            report = {
                "stats": {
                    "facts": 4 + k % 5,
                    "contradictions": k % 4,
                    "facts_by_status": {"consensus": 1 + k % 3},
                },
                "padding": pad,
            }
            rows.append(
                {
                    "kind": REPORT_KIND,
                    "key": f"story:{k}",
                    "version": f"{version}:{digest}",
                    "value": json.dumps(report),
                    "updated_at": now,
                }
            )
        with store._write() as conn:  # noqa: SLF001
            for start in range(0, len(rows), 1000):
                conn.execute(sa.insert(cache), rows[start : start + 1000])
        summarise = getattr(store, "summarise_reports", None)
        if summarise is not None:  # summary rows (issue #19) from the cached reports
            summarise(digest)
    print(f"built {stories} stories ({3 * stories} articles) in {time.perf_counter() - t0:.1f} s")


def _serve_store(port: int, db: str, list_ttl_s: float) -> None:
    import uvicorn

    from storyscope.store import Store
    from storyscope.web import WebSettings, create_app
    from storyscope.web._store_source import StoreSource
    from storyscope.web.cli import SWITCH_INTERVAL_S

    source = StoreSource(Store.open(db))
    source.list_ttl_s = list_ttl_s
    app = create_app(source, settings=WebSettings())
    sys.setswitchinterval(SWITCH_INTERVAL_S)  # as storyscope serve does
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _percentiles(values: list[float]) -> str:
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    return f"p50 {statistics.median(values) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _load_async(
    url: str, paths: list[str], seconds: float, clients: int, server: int | None = None
) -> None:
    """``clients`` concurrent keep-alive connections (httpx async, one process) for ``seconds``;
    with ``server`` (its pid) also the server's CPU per request, a figure that the machine's
    other load and the load generator's own CPU do not move."""
    import asyncio

    import httpx

    async def run() -> tuple[list[float], int, float, float]:
        latencies: list[float] = []
        errors = 0
        # clients made and connected before the clock starts: an httpx client builds an SSL
        # context (tens of ms), which would otherwise land on the first request of each
        http = [httpx.AsyncClient(base_url=url, timeout=30) for _ in range(clients)]
        for one in http:
            await one.get("/api/health")
        cpu = _cpu_s(server) if server is not None else 0.0
        stop = time.perf_counter() + seconds

        async def client(offset: int) -> None:
            nonlocal errors
            i = offset
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                r = await http[offset].get(paths[i % len(paths)])
                latencies.append(time.perf_counter() - t0)
                errors += r.status_code != 200
                i += 1

        started = time.perf_counter()
        await asyncio.gather(*(client(k) for k in range(clients)))
        elapsed = time.perf_counter() - started
        for one in http:
            await one.aclose()
        return latencies, errors, elapsed, cpu

    latencies, errors, elapsed, cpu = asyncio.run(run())
    print(
        f"  {len(latencies)} requests in {elapsed:.1f} s from {clients} clients: "
        f"{len(latencies) / elapsed:.0f} req/s, {errors} errors, {_percentiles(latencies)}"
    )
    if server is not None and latencies:
        per = (_cpu_s(server) - cpu) / len(latencies)
        print(
            f"  server CPU {per * 1000:.2f} ms a request (one core: {1 / per:.0f} req/s)"
            if per
            else ""
        )


def _wait_up(url: str, server: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{url}/api/health", timeout=1)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("server did not start") from None
            time.sleep(0.1)


def list_bench(
    stories: int, clients: int, seconds: float, db: str | None, list_ttl_s: float
) -> None:
    import httpx

    tmp = None
    if db is None:
        tmp = tempfile.TemporaryDirectory()
        db = str(Path(tmp.name) / "list.db")
    if not Path(db).exists():
        build_store(Path(db), stories)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve-store",
            str(port),
            "--db",
            db,
            "--list-ttl",
            str(list_ttl_s),
        ],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        _wait_up(url, server)
        middle = max(1, stories // 50)  # a page in the middle of the list
        single = {
            "/": "HTML list, first page",
            f"/?page={middle}": "HTML list, a middle page",
            "/?sort=size": "HTML list by size",
            "/?sort=conflicts": "HTML list by conflicts",
            "/?outlet=Outlet%207": "HTML list of one outlet",
            "/api/stories": "API list, first page",
            f"/api/stories?offset={stories // 2}": "API list, a middle page",
            "/api/stories?sort=conflicts&limit=200": "API list by conflicts, 200 rows",
        }
        print(f"StoreSource.list_ttl_s = {list_ttl_s} (0: every request reads the store)")
        print(f"one client, {stories} stories (20 requests each after one warm-up):")
        with httpx.Client(base_url=url, timeout=60) as client:
            for path, what in single.items():
                client.get(path)
                times = []
                for _ in range(20):
                    t0 = time.perf_counter()
                    r = client.get(path)
                    times.append(time.perf_counter() - t0)
                print(f"  {what:32} {path:40} {_percentiles(times)} ({r.status_code})")
        print(f"HTML list (/ and /?page=2..9), {clients} clients (target >= 100 req/s):")
        _load_async(
            url, ["/", *(f"/?page={k}" for k in range(2, 10))], seconds, clients, server.pid
        )
        print(f"API list (/api/stories, offsets 0..200), {clients} clients:")
        _load_async(
            url, [f"/api/stories?offset={25 * k}" for k in range(9)], seconds, clients, server.pid
        )
        pages = max(1, stories // 25)
        print(f"HTML list, every request another of its {pages} pages, {clients} clients:")
        _load_async(
            url,
            [f"/?page={1 + (k * 37) % pages}" for k in range(pages)],
            seconds,
            clients,
            server.pid,
        )
        print(f"/api/health (the load generator's ceiling on this machine), {clients} clients:")
        _load_async(url, ["/api/health"], seconds, clients, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
        if tmp is not None:
            tmp.cleanup()


def story_bench(args: argparse.Namespace) -> None:
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
        _wait_up(url, server)
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


def store_story_bench(articles: int) -> None:
    """A warm story page of a store, in process (TestClient): a story of ``articles``
    articles (three of them republished by another outlet, recorded as ``ingest`` does),
    analysed by the web tests' counting pipeline (no models). Prints the page with the
    members checked at most every second (the default) and on every request, and the
    check itself."""
    from _store_app import CountingPipeline
    from _stories import make_story
    from fastapi.testclient import TestClient

    from storyscope.corpus import REPRINT_KIND
    from storyscope.store import Store
    from storyscope.web import create_app
    from storyscope.web._store_source import StoreSource

    members = [a.article for a in make_story(articles).articles]
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "story.db") as store:
        store.add_articles(members)
        sid = store.create_story("Ferry collision", [a.id for a in members])
        for a in members[:3]:
            store.cache_put(REPRINT_KIND, a.id, [{"original": a.id, "source": f"copy-{a.id[:8]}",
                                                  "outlet": "Reprint Wire", "kind": "identical"}])
        source = StoreSource(store, pipeline=CountingPipeline())
        with TestClient(create_app(source)) as client:
            for path in (f"/stories/{sid}", f"/api/stories/{sid}"):
                t0 = time.perf_counter()
                assert client.get(path).status_code == 200
                print(f"{path:22} first request (analysis, render): {(time.perf_counter() - t0) * 1000:.1f} ms")
                for ttl in (1.0, 0.0):
                    source.version_ttl_s = ttl
                    times = []
                    for _ in range(200):
                        t0 = time.perf_counter()
                        client.get(path)
                        times.append(time.perf_counter() - t0)
                    print(f"{path:22} warm, members checked every {ttl:.0f} s: {_percentiles(times)}")
        checks = {"story_version": lambda: store.story_version(sid)}
        stamp = getattr(source, "_stamp", None)
        if stamp is not None:
            checks["StoreSource._stamp (members + reprints)"] = lambda: stamp(sid)
        for what, check in checks.items():
            times = []
            for _ in range(200):
                t0 = time.perf_counter()
                check()
                times.append(time.perf_counter() - t0)
            print(f"the check, {what}: {_percentiles(times)}")


def related_bench(stories: int, db: str | None) -> None:
    """Related stories on a ``stories``-story store: one 384-float vector per article (a topic
    shared by every 50th story plus noise), then ``StoreSource.related`` cold (every vector
    read), warm (the vectors in memory), and after a story changed (its vector read again)."""
    import numpy as np

    from storyscope.store import Store
    from storyscope.web._store_source import StoreSource

    path = Path(db) if db else Path(tempfile.mkdtemp()) / "related.db"
    if not path.exists():
        build_store(path, stories)
    with Store.open(path) as store:
        if store.get_embedding(store.story_articles(1)[0].id) is None:
            rng = np.random.default_rng(7)
            topics = rng.standard_normal((50, 384)).astype(np.float32)
            t0 = time.perf_counter()
            for start in range(1, stories + 1, 500):
                ids = range(start, min(stories, start + 499) + 1)
                vectors = {
                    a.id: topics[k % 50] + 0.8 * rng.standard_normal(384).astype(np.float32)
                    for k in ids
                    for a in store.story_articles(k)
                }
                store.put_embeddings(vectors, model="bench")
            print(f"stored {3 * stories} article vectors in {time.perf_counter() - t0:.1f} s")
        source = StoreSource(store)
        t0 = time.perf_counter()
        found = source.related("1")
        cold = time.perf_counter() - t0
        print(f"related, cold (reads {stories} story vectors): {cold * 1000:.0f} ms; {len(found or [])} found")
        warm = []
        source.related_ttl_s = 60.0
        for k in range(1, 201):
            t0 = time.perf_counter()
            source.related(str(k))
            warm.append(time.perf_counter() - t0)
        print(f"related, warm, 200 stories: {_ms(warm)}")
        source.related_ttl_s = 0.0
        checked = []
        for k in range(1, 21):
            t0 = time.perf_counter()
            source.related(str(k))
            checked.append(time.perf_counter() - t0)
        print(f"related, checking the stories on every call (related_ttl_s=0): {_ms(checked)}")
        store.set_story_title(2, "Council vote 2, renamed")  # no member change: no vector read
        victim = store.story_articles(3)[0]
        store.assign(victim.id, 4)
        t0 = time.perf_counter()
        source.related("1")
        print(f"related, after two stories changed members: {(time.perf_counter() - t0) * 1000:.1f} ms")


# -- the story page during floods (issue #19) ---------------------------------------------

_FLOOD_STORIES = 200


def _serve_flood(port: int, db: str) -> None:
    import uvicorn

    from storyscope.store import Store
    from storyscope.web import WebSettings, create_app
    from storyscope.web._store_source import StoreSource
    from storyscope.web.cli import SWITCH_INTERVAL_S

    # the shipped pool sizes and budgets; no per-client compare limit, so that every request of
    # the flood (one address) reaches the compare pool: the pool, not the limit, is measured
    settings = WebSettings(compare_per_minute=None)
    app = create_app(StoreSource(Store.open(db)), settings=settings)
    sys.setswitchinterval(SWITCH_INTERVAL_S)  # as storyscope serve does
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _aliases(k: int) -> list[str]:
    arabic = str(k).translate(str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"))
    wide = str(k).translate(str.maketrans("0123456789", "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19"))
    return [f"0{k}", f"00{k}", arabic, wide]


def _flood_gen(url: str, kind: str, seconds: float, clients: int) -> None:
    """Send the flood for ``seconds`` from ``clients`` connections; print the statuses."""
    import asyncio
    import json
    from collections import Counter

    import httpx

    example = ROOT / "examples" / "port-aster"
    body = {
        "articles": [
            {"text": p.read_text(encoding="utf-8"), "outlet": p.stem, "format": "html" if p.suffix == ".html" else "text"}
            for p in sorted(example.iterdir())
            if p.suffix in (".txt", ".html")
        ]
    }
    payload = json.dumps(body).encode()
    paths = []
    for k in range(2, _FLOOD_STORIES + 1):
        for n, alias in enumerate(_aliases(k)):
            paths.append(f"{('/stories', '/api/stories')[n % 2]}/{alias}")
        if k % 4 == 0:  # and a cold story now and then, which takes its turn on the pool
            paths.append(f"/api/stories/{k}")
    statuses: Counter[int] = Counter()

    async def run() -> None:
        stop = time.perf_counter() + seconds
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:

            async def one(offset: int) -> None:
                i = offset
                while time.perf_counter() < stop:
                    if kind == "compare":
                        r = await client.post(
                            "/api/compare", content=payload, headers={"content-type": "application/json"}
                        )
                    else:
                        r = await client.get(paths[i % len(paths)])
                    statuses[r.status_code] += 1
                    i += 7

            await asyncio.gather(*(one(k) for k in range(clients)))

    asyncio.run(run())
    print(f"  flood ({kind}, {clients} clients): " + ", ".join(f"{n} x {s}" for s, n in sorted(statuses.items())), flush=True)


def flood_bench(seconds: float, clients: int, db: str | None) -> None:
    import httpx

    tmp = None
    if db is None:
        tmp = tempfile.TemporaryDirectory()
        db = str(Path(tmp.name) / "flood.db")
    if not Path(db).exists():
        build_store(Path(db), _FLOOD_STORIES)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve-flood", str(port), "--db", db],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        _wait_up(url, server)
        with httpx.Client(base_url=url, timeout=120) as client:
            t0 = time.perf_counter()
            assert client.get("/stories/1").status_code == 200  # the models load, story 1 warm
            print(f"story 1 analysed and rendered (models loaded) in {time.perf_counter() - t0:.1f} s")
            for kind in ("compare", "alias", "both"):
                kinds = ["compare", "alias"] if kind == "both" else [kind]
                gens = [
                    subprocess.Popen(
                        [sys.executable, __file__, "--flood-gen", url, "--flood-kind", one,
                         "--seconds", str(seconds), "--clients", str(clients)],
                        env={**os.environ, "PYTHONUNBUFFERED": "1"},
                    )
                    for one in kinds
                ]
                time.sleep(0.5)  # the flood is in
                times: list[float] = []
                bad = 0
                stop = time.perf_counter() + seconds - 1
                while time.perf_counter() < stop:
                    for path in ("/stories/1", "/api/stories/1"):
                        t0 = time.perf_counter()
                        r = client.get(path)
                        times.append(time.perf_counter() - t0)
                        bad += r.status_code != 200
                    time.sleep(0.05)
                for gen in gens:
                    gen.wait(timeout=seconds + 300)
                worst = max(times)
                print(
                    f"{kind} flood: story page and its API during it, {len(times)} requests: "
                    f"{_percentiles(times)}, max {worst * 1000:.0f} ms, {bad} not 200 (target p99 <= 1 s)"
                )
                while client.get("/api/health").json().get("comparisons", 0):
                    time.sleep(0.5)  # the last comparisons end before the next flood
    finally:
        server.terminate()
        server.wait(timeout=10)
        if tmp is not None:
            tmp.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", nargs="?", choices=["story", "store-story", "list", "related", "flood", "all"], default="all")
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--paragraphs", type=int, default=10, help="extra paragraphs per article")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--stories", type=int, default=10_000, help="stories in the list benchmark's store"
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients on the list")
    parser.add_argument(
        "--db", default=None, help="the list benchmark's SQLite file (built when missing)"
    )
    parser.add_argument(
        "--list-ttl",
        type=float,
        default=1.0,
        help="StoreSource.list_ttl_s of the list server (0: off)",
    )
    parser.add_argument("--serve", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--serve-store", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--serve-flood", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--flood-gen", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--flood-kind", default="alias", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        _serve(args.serve, args.articles, args.paragraphs)
        return
    if args.serve_store is not None:
        _serve_store(args.serve_store, args.db, args.list_ttl)
        return
    if args.serve_flood is not None:
        _serve_flood(args.serve_flood, args.db)
        return
    if args.flood_gen is not None:
        _flood_gen(args.flood_gen, args.flood_kind, args.seconds, args.clients)
        return
    if args.part in ("story", "all"):
        story_bench(args)
    if args.part in ("store-story", "all"):
        store_story_bench(args.articles)
    if args.part in ("list", "all"):
        list_bench(args.stories, args.clients, args.seconds, args.db, args.list_ttl)
    if args.part in ("related", "all"):
        related_bench(args.stories, args.db)
    if args.part in ("flood", "all"):
        flood_bench(args.seconds, args.clients, None)


if __name__ == "__main__":
    main()
