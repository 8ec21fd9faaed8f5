"""Benchmark ``storyscope report STORY --db`` on a stored story (issue #15 target). Prints figures.

Target, on the 2-core reference machine: a story analysed before answers from the
store in <= 0.3 s (the library call, models loaded or not; the CLI process adds its
own start-up, printed too).

The shipped example story (five outlets) is ingested into a temporary SQLite store,
reported once (each article analysed and stored), then reported again ``--repeat``
times with a fresh :class:`storyscope.corpus.StoredAnalyses` each time (nothing kept
in memory): best and median are printed, with the first (analysing) call and the
CLI from cold.

Usage: python bench/bench_report.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from storyscope.corpus import ingest_corpus, story_report
    from storyscope.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        with Store.open(db) as store:
            ingest_corpus([str(ROOT / "examples" / "port-aster")], store)
            sid = max(store.list_stories(), key=lambda s: s.article_count).id
            t0 = time.perf_counter()
            story_report(store, sid)
            first = time.perf_counter() - t0
            samples = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                story, _ = story_report(store, sid)
                samples.append(time.perf_counter() - t0)
        best, median = min(samples), statistics.median(samples)
        verdict = "ok" if best <= 0.3 else "OVER"
        print(f"story {sid}: {len(story.articles)} articles, {len(story.facts)} facts")
        print(f"first report (analyses every article, stores it): {first:.2f} s")
        print(f"report from the store: best {best:.3f} s, median {median:.3f} s (target 0.3 s: {verdict})")
        exe = Path(sys.executable).with_name("storyscope")
        t0 = time.perf_counter()
        proc = subprocess.run(
            [str(exe), "report", str(sid), "--db", str(db), "--format", "json", "-o", os.devnull],
            capture_output=True,
            text=True,
        )
        print(f"CLI from cold: {time.perf_counter() - t0:.2f} s, exit {proc.returncode}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
