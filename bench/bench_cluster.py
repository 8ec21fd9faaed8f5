"""Benchmark story clustering at scale (issue #6 targets). Prints figures; asserts nothing.

Targets, on the 2-core reference machine:
  - clustering 100k stored articles                     <= 2 min
  - RSS flat (+-10%) from 10k to 100k articles

The input is generated here: ``--stories-per-day`` planted stories a day, each
with a random unit centroid (384 dimensions, like MiniLM) and a few keywords of
its own; its articles (``--per-story`` on average, over two days) are the
centroid plus Gaussian noise, renormalised, with the story's keywords plus
common ones. Articles arrive in date order, as from a feed, and the clusterer
retires stories a week old (``retire_after``), as a store would. Embeddings are
given, so this measures clustering only (not MiniLM). It also prints BCubed F1
against the planted stories as a sanity check.

Usage: python bench/bench_cluster.py [--n 100000] [--consolidate-every 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator

import numpy as np

from storyscope.cluster import StoryClusterer, StoryInfo
from storyscope.model import Article

DIM = 384


def rss_mb() -> float:
    """Current resident set size in MiB (Linux ``/proc``)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def stream(
    n: int, stories_per_day: int, per_story: float, noise: float, seed: int
) -> Iterator[tuple[Article, np.ndarray, dict[str, float], int]]:
    """Yield ``(article, embedding, keywords, planted story)`` in date order."""
    rng = np.random.default_rng(seed)
    start = dt.datetime(2030, 1, 1)
    common = [f"common{i}" for i in range(300)]
    made = 0
    day = 0
    story = 0
    while made < n:
        batch = []
        for _ in range(stories_per_day):
            centroid = rng.normal(size=DIM)
            centroid /= np.linalg.norm(centroid)
            own = {f"s{story}w{k}": 2.0 for k in range(6)}
            for _ in range(max(1, int(rng.poisson(per_story)))):
                batch.append((float(rng.uniform(0, 2)), story, centroid, own))
            story += 1
        batch.sort(key=lambda b: b[0])
        for offset, sid, centroid, own in batch:
            if made >= n:
                return
            vec = centroid + rng.normal(scale=noise / np.sqrt(DIM), size=DIM)
            vec /= np.linalg.norm(vec)
            kw = dict(own)
            for w in rng.choice(common, size=5, replace=False):
                kw[str(w)] = 1.0
            when = start + dt.timedelta(days=day + offset)
            art = Article(id=f"a{made:08d}", source="bench", outlet="bench", text="", published=when)
            yield art, vec.astype(np.float32), kw, sid
            made += 1
        day += 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="articles to cluster")
    ap.add_argument("--stories-per-day", type=int, default=60)
    ap.add_argument("--per-story", type=float, default=5.0)
    ap.add_argument("--noise", type=float, default=0.8, help="noise norm relative to the centroid")
    ap.add_argument("--consolidate-every", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    retired: list[int] = [0]

    def on_retire(info: StoryInfo) -> None:  # a store would persist it here
        retired[0] += 1

    clusterer = StoryClusterer(
        retire_after=dt.timedelta(days=7), window=dt.timedelta(days=3), on_retire=on_retire
    )
    # BCubed needs every article's final story; keep two small int arrays, not the articles.
    story_of = np.zeros(args.n, dtype=np.int64)
    planted = np.zeros(args.n, dtype=np.int64)
    ids: dict[str, int] = {}
    merged_into: dict[int, int] = {}

    def sid(name: str) -> int:
        return ids.setdefault(name, len(ids))

    rss_start = rss_mb()
    marks: list[tuple[int, float, float]] = []
    t0 = time.perf_counter()
    for i, (art, vec, kw, truth) in enumerate(
        stream(args.n, args.stories_per_day, args.per_story, args.noise, args.seed)
    ):
        a = clusterer.add(art, vec, keywords=kw)
        story_of[i] = sid(a.story)
        planted[i] = truth
        for gone in a.merged:
            merged_into[sid(gone)] = sid(a.story)
        if args.consolidate_every and (i + 1) % args.consolidate_every == 0:
            for keep, gone in clusterer.consolidate():
                merged_into[sid(gone)] = sid(keep)
        if i + 1 in (10_000, 20_000, 50_000, args.n) or (i + 1) % 100_000 == 0:
            marks.append((i + 1, time.perf_counter() - t0, rss_mb()))
    elapsed = time.perf_counter() - t0

    def root(x: int) -> int:
        while x in merged_into:
            x = merged_into[x]
        return x

    final = np.fromiter((root(int(x)) for x in story_of), dtype=np.int64, count=args.n)
    pair = Counter(zip(final.tolist(), planted.tolist(), strict=True))
    psize, gsize = Counter(final.tolist()), Counter(planted.tolist())
    p = sum(c * c / psize[a] for (a, _), c in pair.items()) / args.n
    r = sum(c * c / gsize[g] for (_, g), c in pair.items()) / args.n

    print(f"articles {args.n}, planted stories {len(gsize)}, found {len(psize)}, "
          f"active at end {len(clusterer)}, retired {retired[0]}")
    print(f"{'articles':>10}{'seconds':>10}{'art/s':>10}{'RSS MiB':>10}")
    for n, secs, rss in marks:
        print(f"{n:>10}{secs:>10.1f}{n / secs:>10.0f}{rss:>10.1f}")
    print(f"total {elapsed:.1f}s ({args.n / elapsed:.0f} articles/s); RSS at start {rss_start:.1f} MiB")
    if len(marks) >= 2 and marks[0][0] == 10_000:
        print(f"RSS {marks[-1][0]} vs 10000: {marks[-1][2] / marks[0][2] - 1:+.1%}")
    print(f"BCubed vs planted: P {p:.4f} R {r:.4f} F1 {2 * p * r / (p + r):.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
