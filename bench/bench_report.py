"""Benchmark ``storyscope report STORY --db`` on a stored, analysed story (issue #15 target). Prints figures.

Target, on the 2-core reference machine: a story analysed before answers from the
store in <= 0.3 s (the library call; the CLI process adds its own start-up, printed
beside it).

The shipped example story (five outlets) is ingested into a temporary SQLite store
and reported once (each article analysed and stored). Then, ``--repeat`` times each:

- ``story_report`` in process, with a fresh :class:`storyscope.corpus.StoredAnalyses`
  each time (nothing kept in memory but the loaded code): what ``report`` runs;
- ``cached_report`` in process: the cached JSON report the story list reads;
- the ``storyscope report`` CLI as a new process (``--format json`` and ``markdown``),
  wall time from start to exit, with ``storyscope --version`` for the bare start-up.

Best and median are printed; no assertion.

Figures (2 shared cores, --repeat 3, noisy): ``import storyscope.cli`` 548 -> 79 ms
(-X importtime) once ``import storyscope`` became lazy; ``storyscope --version``
0.30 -> 0.09 s; story_report in process 0.20-0.26 s; the CLI report stays ~1.1-1.5 s:
it needs sqlalchemy (~0.19 s), align and analyze (~0.2 s), their regex compiles
(~0.27 s) and the shared pipeline (~0.15 s).

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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _example() -> Path:
    for folder in (ROOT / "examples" / "port-aster", ROOT / "src" / "storyscope" / "examples" / "port-aster"):
        if folder.is_dir():
            return folder
    raise SystemExit("the port-aster example story is not in this checkout")


def _times(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        samples.append(time.perf_counter() - t0)
    return min(samples), statistics.median(samples)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from storyscope.corpus import cached_report, ingest_corpus, story_report
    from storyscope.store import Store

    exe = Path(sys.executable).with_name("storyscope")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        with Store.open(db) as store:
            ingest_corpus([str(_example())], store)
            sid = max(store.list_stories(), key=lambda s: s.article_count).id
            t0 = time.perf_counter()
            story, _ = story_report(store, sid)
            first = time.perf_counter() - t0
            print(f"story {sid}: {len(story.articles)} articles, {len(story.facts)} facts")
            print(f"first report (analyses every article, stores it): {first:.2f} s")
            best, median = _times(lambda: story_report(store, sid), args.repeat)
            verdict = "ok" if best <= 0.3 else "OVER"
            print(
                f"story_report from the store, in process: best {best:.3f} s, median {median:.3f} s "
                f"(target 0.3 s: {verdict})"
            )
            assert cached_report(store, sid) is not None
            best, median = _times(lambda: cached_report(store, sid), args.repeat)
            print(f"cached_report (the story list's read), in process: best {best * 1000:.1f} ms, "
                  f"median {median * 1000:.1f} ms")

        def cli(*words: str) -> Callable[[], object]:
            def run() -> None:
                proc = subprocess.run([str(exe), *words], capture_output=True, text=True)
                if proc.returncode:
                    raise SystemExit(f"storyscope {' '.join(words)}: exit {proc.returncode}\n{proc.stderr}")

            return run

        best, median = _times(cli("--version"), args.repeat)
        print(f"CLI start-up (storyscope --version): best {best:.2f} s, median {median:.2f} s")
        for fmt in ("json", "markdown"):
            command = cli("report", str(sid), "--db", str(db), "--format", fmt, "-o", os.devnull)
            best, median = _times(command, args.repeat)
            print(f"CLI storyscope report {sid} --db ... --format {fmt}: best {best:.2f} s, median {median:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
