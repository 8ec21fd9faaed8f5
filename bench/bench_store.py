"""Store benchmark: ingest rate, search latency, embedding cache reads and RSS on synthetic articles.

Usage::

    python bench/bench_store.py --n 10000              # SQLite in a temp folder
    python bench/bench_store.py --n 100000 --checkpoints 10000,100000
    python bench/bench_store.py --n 5000 --db postgresql://postgres@127.0.0.1:55432/bench

Articles are generated here (random words from a fixed vocabulary, ~250 words each,
with a few planted topic words so queries have hits). RSS is read from /proc after
each checkpoint: flat memory means it stays within about 10% from the first to the last.
Embeddings are stored as the corpus's embedding cache (``put_embeddings`` /
``get_embedding``); there is no vector index to query.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from storyscope.model import Article
from storyscope.store import Store

_TOPICS = ["harbour", "strike", "footbridge", "election", "wildfire", "ferry", "budget", "vaccine"]


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _articles(start: int, count: int, rng: random.Random, vocab: list[str]) -> list[Article]:
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    out = []
    for i in range(start, start + count):
        topic = _TOPICS[i % len(_TOPICS)]
        words = rng.choices(vocab, k=250)
        for slot in rng.sample(range(250), 5):
            words[slot] = topic
        text = f"Report {i}. " + " ".join(words) + "."
        out.append(
            Article.create(
                text=text,
                source=f"bench/{i}.txt",
                outlet=f"Outlet {i % 40}",
                title=f"{topic.title()} update {i}",
                published=base + dt.timedelta(minutes=i),
                language="en",
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles to ingest")
    parser.add_argument("--batch", type=int, default=500, help="articles per add_articles call")
    parser.add_argument("--checkpoints", default="", help="comma-separated counts to report RSS at")
    parser.add_argument("--dim", type=int, default=384, help="embedding dimension (0 skips vectors)")
    parser.add_argument("--db", default=None, help="database path or URL (default: a temp SQLite file)")
    args = parser.parse_args()

    checkpoints = sorted({int(c) for c in args.checkpoints.split(",") if c} | {args.n})
    rng = random.Random(42)
    vocab = ["".join(rng.choices("abcdefghijklmnoprstuvw", k=rng.randint(3, 9))) for _ in range(20_000)]
    nprng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        target = args.db or str(Path(tmp) / "bench.db")
        store = Store.open(target)
        print(f"store: {store.name} ({store.dialect}), n={args.n}, batch={args.batch}, dim={args.dim}")
        done, ingest_s, vector_s = 0, 0.0, 0.0
        sample: list[str] = []  # ids of the first articles, read back from the embedding cache
        for checkpoint in checkpoints:
            while done < checkpoint:
                count = min(args.batch, checkpoint - done)
                batch = _articles(done, count, rng, vocab)
                t0 = time.perf_counter()
                store.add_articles(batch)
                sample += [a.id for a in batch[: 200 - len(sample)]]
                ingest_s += time.perf_counter() - t0
                if args.dim:
                    vectors = nprng.normal(size=(count, args.dim)).astype(np.float32)
                    t0 = time.perf_counter()
                    store.put_embeddings({a.id: vectors[k] for k, a in enumerate(batch)}, model="bench")
                    vector_s += time.perf_counter() - t0
                done += count
            print(
                f"[{done:>7} articles] add_articles {done / ingest_s:8.0f} articles/s"
                + (f" | put_embeddings {done / vector_s:8.0f} vectors/s" if args.dim else "")
                + f" | RSS {_rss_mib():7.1f} MiB"
            )
        queries = [f"{a} {b}" for a, b in zip(_TOPICS, _TOPICS[1:] + _TOPICS[:1], strict=True)]
        queries += list(_TOPICS) + [f'"{t} update"' for t in _TOPICS] + ["harbour -strike", "ferry OR budget"]
        times = []
        for query in queries * 2:
            t0 = time.perf_counter()
            store.search(query, limit=20)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        print(
            f"search (limit 20, {len(times)} queries): median {statistics.median(times):.1f} ms, "
            f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms"
        )
        t0 = time.perf_counter()
        streamed = sum(1 for _ in store.iter_articles())
        print(f"iter_articles: {streamed / (time.perf_counter() - t0):.0f} articles/s, RSS {_rss_mib():.1f} MiB")
        if args.dim:
            t0 = time.perf_counter()
            found = sum(store.get_embedding(article_id) is not None for article_id in sample)
            per_read = (time.perf_counter() - t0) / max(len(sample), 1) * 1000
            print(f"get_embedding (embedding cache): {per_read:.2f} ms/article ({found} of {len(sample)} found)")
        store.close()
        print(f"final RSS {_rss_mib():.1f} MiB")


if __name__ == "__main__":
    main()
