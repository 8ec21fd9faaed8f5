"""Benchmark end-to-end corpus ingest (issue #6 targets). Prints figures; asserts nothing.

Targets, on the 2-core reference machine:
  - ``ingest_corpus`` (read + clean, near-duplicates, lead embedding, story
    clustering, store) >= 20 articles/s
  - each stage costs no more than 1.3x the bare model inference it wraps

The bench writes a JSONL file of generated articles (``--n`` of them: invented
stories of a few articles each from invented outlets, about 300 words, one in
ten a lightly edited reprint of another) or, with ``--basil``, the 300 BASIL
articles from ``<shared>/corpora/basil``, then runs :func:`storyscope.corpus.ingest_corpus`
into a fresh SQLite store. Each stage is timed by wrapping the functions that
do it (wall time inside them); the bare inference is the same embedder run
alone on the same lead texts, in the same batches (``--batch``). Side by side:

  - embedding stage (``embed_leads`` inside ingest) / bare inference
  - whole ingest / bare inference (what everything else adds around the model)

Usage: python bench/bench_ingest.py [--n 1000] [--basil] [--batch 64]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import random
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

_SYLLABLES = ["ka", "lo", "mi", "ren", "dor", "va", "sel", "tu", "bri", "mon", "est", "ar", "quil", "pe"]
_COMMON = ["council", "officials", "said", "the", "plan", "would", "be", "reviewed", "after", "residents", "raised", "concerns", "about", "costs", "and", "delays", "while", "police", "and", "emergency", "crews", "worked", "through", "the", "night", "and", "a", "spokesperson", "promised", "a", "full", "statement", "later", "this", "week", "as", "investigators", "examined", "the", "records"]


def _name(rng: random.Random, parts: int = 3) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def generate(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` invented article records (JSONL-ready), in publication order."""
    rng = random.Random(seed)
    start = dt.datetime(2031, 5, 1, 6, 0)
    out: list[dict[str, Any]] = []
    story = 0
    while len(out) < n:
        place, person, org = _name(rng), f"{_name(rng, 2)} {_name(rng)}", f"{_name(rng)} Group"
        topic = [_name(rng, 3).lower() for _ in range(30)]
        when = start + dt.timedelta(hours=story * 0.7)
        for k in range(rng.randint(2, 6)):
            if len(out) >= n:
                break
            if out and rng.random() < 0.1:  # syndicated reprint of the previous article
                copy = dict(out[-1])
                copy["text"] = copy["text"].replace(".", " on Tuesday.", 1) + " More to follow."
                copy["outlet"] = f"Outlet {rng.randint(0, 39)}"
                out.append(copy)
                continue
            sentences = []
            for _ in range(14):
                words = rng.sample(_COMMON, 4) + rng.sample(topic, 8)
                rng.shuffle(words)
                sentences.append(
                    f"In {place}, {person} of {org} " + " ".join(words) + f" ({story * 10 + k})."
                )
            out.append(
                {
                    "title": f"{place}: {org} {topic[0]} {topic[1]}",
                    "text": "\n\n".join(" ".join(sentences[i : i + 3]) for i in range(0, 14, 3)),
                    "outlet": f"Outlet {rng.randint(0, 39)}",
                    "published": (when + dt.timedelta(minutes=37 * k)).isoformat(),
                    "language": "en",
                }
            )
        story += 1
    return out


def basil_records() -> list[dict[str, Any]]:
    """The 300 BASIL articles as JSONL records (measurement only; text not kept)."""
    shared = os.environ.get("STORYSCOPE_SHARED")
    root = (Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared") / "corpora" / "basil"
    out = []
    for path in sorted((root / "articles").glob("*/*.json")):
        rec = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = [" ".join(p) for p in rec["body-paragraphs"]]
        out.append(
            {
                "title": rec.get("title"),
                "text": "\n\n".join(p for p in paragraphs if p.strip()),
                "outlet": str(rec["source"]).lower(),
                "published": rec.get("date"),
                "language": "en",
            }
        )
    if not out:
        raise SystemExit(f"BASIL not found under {root} (set STORYSCOPE_SHARED)")
    return out


class Timers:
    """Wall time spent inside wrapped callables, by stage (outermost call only)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._depth = 0

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth:
                return fn(*args, **kwargs)
            self._depth += 1
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - t0
                self.calls[stage] += 1
                self._depth -= 1

        return timed

    def wrap_iter(self, stage: str, fn: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            it = fn(*args, **kwargs)
            while True:
                t0 = time.perf_counter()
                try:
                    item = next(it)
                except StopIteration:
                    self.seconds[stage] += time.perf_counter() - t0
                    return
                self.seconds[stage] += time.perf_counter() - t0
                yield item

        return timed


def instrument(timers: Timers) -> None:
    """Wrap the functions ``ingest_corpus`` calls for each stage (for this process only)."""
    import storyscope.cluster as cluster
    import storyscope.ingest as ingest
    from storyscope.store import Store

    setattr(ingest, "iter_sources", timers.wrap_iter("read + clean", ingest.iter_sources))  # noqa: B010
    dup_add = timers.wrap("near-duplicates", cluster.DuplicateIndex.add)
    setattr(cluster.DuplicateIndex, "add", dup_add)  # noqa: B010
    setattr(cluster, "embed_leads", timers.wrap("embed leads", cluster.embed_leads))  # noqa: B010
    for name in ("add", "consolidate", "to_state"):
        setattr(cluster.StoryClusterer, name, timers.wrap("cluster", getattr(cluster.StoryClusterer, name)))
    for name in (
        "add_articles", "put_embeddings", "get_embedding", "assign_many", "create_story",
        "merge_stories", "mark_duplicate", "cache_put", "cache_get", "article_info",
        "record_failure", "get_progress", "iter_articles",
    ):
        if hasattr(Store, name):
            setattr(Store, name, timers.wrap("store", getattr(Store, name)))


def bare_inference(embedder: Any, records: list[dict[str, Any]], batch: int) -> float:
    """Seconds to embed the records' leads alone, in batches of ``batch``."""
    from storyscope.cluster._text import lead_text

    leads = [lead_text(r.get("title"), r["text"]) for r in records]
    t0 = time.perf_counter()
    for i in range(0, len(leads), batch):
        embedder.embed(leads[i : i + batch])
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="generated articles")
    ap.add_argument("--basil", action="store_true", help="ingest the 300 BASIL articles instead")
    ap.add_argument("--batch", type=int, default=64, help="articles per ingest batch")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from storyscope.analyze.embeddings import get_embedder
    from storyscope.corpus import ingest_corpus
    from storyscope.store import Store

    records = basil_records() if args.basil else generate(args.n, args.seed)
    embedder = get_embedder()
    embedder.embed(["warm-up"])  # model load is not part of either side

    # Bare inference before and after the ingest (the mean is compared: load on a
    # shared machine drifts), on the same leads in the same batches.
    bare_before = bare_inference(embedder, records, args.batch)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "articles.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        store = Store.open(Path(tmp) / "bench.db")
        timers = Timers()
        instrument(timers)
        t0 = time.perf_counter()
        summary = ingest_corpus([str(src)], store, embedder=embedder, batch_size=args.batch)
        total = time.perf_counter() - t0
        store.close()

    # Bare inference: the same leads through the same embedder, in ingest-sized batches.
    bare = (bare_before + bare_inference(embedder, records, args.batch)) / 2

    n = summary.read
    print(f"articles read {n}, stored {summary.added}, near-duplicates {summary.duplicates}, "
          f"stories {summary.stories_created - summary.stories_merged} "
          f"(opened {summary.stories_created}, merged {summary.stories_merged}), failed {summary.failed}")
    print(f"ingest_corpus: {total:.2f}s = {n / total:.1f} articles/s (target >= 20)")
    print(f"{'stage':<18}{'seconds':>9}{'ms/article':>12}{'share':>8}")
    stages = ["read + clean", "near-duplicates", "embed leads", "cluster", "store"]
    for stage in stages:
        secs = timers.seconds.get(stage, 0.0)
        print(f"{stage:<18}{secs:>9.2f}{1000 * secs / max(n, 1):>12.2f}{secs / total:>8.1%}")
    other = total - sum(timers.seconds.get(s, 0.0) for s in stages)
    print(f"{'other':<18}{other:>9.2f}{1000 * other / max(n, 1):>12.2f}{other / total:>8.1%}")
    embedded = timers.seconds.get("embed leads", 0.0)
    print(f"bare inference (same leads, batches of {args.batch}): {bare:.2f}s "
          f"(mean of {bare_before:.2f}s before and {2 * bare - bare_before:.2f}s after the ingest)")
    print(f"embed-leads stage / bare inference: {embedded / bare:.2f}x (target <= 1.3x)")
    print(f"whole ingest / bare inference: {total / bare:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
