"""Benchmark ``storyscope report STORY --db`` on a stored, analysed story (issue #15 target). Prints figures.

Target, on the 2-core reference machine: a story analysed before answers from the
store in <= 0.3 s, the ``storyscope report`` command as a new process (start-up,
store read, rendering and exit).

The shipped example story (five outlets) is ingested into a temporary SQLite store
and reported once (each article analysed and stored, the JSON report cached). Then,
``--repeat`` times each:

- ``story_report`` in process, with a fresh :class:`storyscope.corpus.StoredAnalyses`
  each time (nothing kept in memory but the loaded code): the stored analyses aligned
  again, what ``report`` runs when the cached report is not current;
- ``stored_report`` in process: the cached JSON report read through the Store, and
  ``stored_report_from_file``: the same read with sqlite3 alone, as ``report`` reads it;
- the ``storyscope report`` CLI as a new process (``--format json``, ``markdown`` and
  ``html``), wall time from start to exit, with ``storyscope --version`` for the bare
  start-up; then JSON again with storyscope's own modules compiled from source each
  time (a copy of the package without ``__pycache__``, ``PYTHONDONTWRITEBYTECODE=1``:
  a checkout that never wrote byte-code).

Best and median are printed; no assertion.

Figures (2 shared cores used by other jobs too, load 2.5-7, --repeat 5; byte-code
written; best / median). Before (3cb03db): CLI report --format json 1.09-1.33 / 1.15-1.43 s,
markdown 1.17-1.22 / 1.34-1.37 s: it imported sqlalchemy (~0.19 s), numpy, align and
analyze with their regex compiles (~0.27 s), built the shared pipeline (~0.15 s) and
aligned the story again each time. After: the cached report is read from the SQLite file
with sqlite3 alone and rendered; no pipeline is built and neither analyze, align, numpy
nor sqlalchemy is imported: --format json 0.11-0.15 / 0.11-0.22 s, markdown 0.12-0.18 /
0.12-0.20 s, html 0.17-0.26 / 0.18-0.29 s (jinja2 and its template compile, ~0.07 s);
storyscope without byte-code 0.11-0.21 s; storyscope --version 0.05-0.07 s (the low
figures at load 2.8, the high ones at 5-7);
stored_report_from_file in process 1.7 ms (stored_report through the Store 2.8 ms);
story_report (aligned again) in process 0.17-0.52 s, as before.

Usage: python bench/bench_report.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
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

    from storyscope.corpus import (
        ingest_corpus,
        stored_report,
        stored_report_from_file,
        story_report,
    )
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
            print(
                f"story_report (stored analyses aligned again), in process: best {best:.3f} s, "
                f"median {median:.3f} s"
            )
            assert stored_report(store, sid) is not None
            best, median = _times(lambda: stored_report(store, sid), args.repeat)
            print(f"stored_report (the cached report, through the Store), in process: best {best * 1000:.1f} ms, "
                  f"median {median * 1000:.1f} ms")
        assert stored_report_from_file(db, sid) is not None
        best, median = _times(lambda: stored_report_from_file(db, sid), args.repeat)
        print(f"stored_report_from_file (what report reads, sqlite3 alone), in process: "
              f"best {best * 1000:.1f} ms, median {median * 1000:.1f} ms")

        def cli(*words: str, env: dict[str, str] | None = None) -> Callable[[], object]:
            def run() -> None:
                proc = subprocess.run([str(exe), *words], capture_output=True, text=True, env=env)
                if proc.returncode:
                    raise SystemExit(f"storyscope {' '.join(words)}: exit {proc.returncode}\n{proc.stderr}")

            return run

        best, median = _times(cli("--version"), args.repeat)
        print(f"CLI start-up (storyscope --version): best {best:.2f} s, median {median:.2f} s")
        for fmt in ("json", "markdown", "html"):
            command = cli("report", str(sid), "--db", str(db), "--format", fmt, "-o", os.devnull)
            command()  # byte-code written where it may be
            best, median = _times(command, args.repeat)
            verdict = "ok" if best <= 0.3 else "OVER"
            print(
                f"CLI storyscope report {sid} --db ... --format {fmt}: best {best:.2f} s, "
                f"median {median:.2f} s (target 0.3 s: {verdict})"
            )
        # storyscope's own modules compiled from source each time: a copy of the package
        # without __pycache__, imported first, and no byte-code written
        import storyscope

        with tempfile.TemporaryDirectory() as bare:
            package = Path(storyscope.__file__).parent
            shutil.copytree(package, Path(bare) / "storyscope", ignore=shutil.ignore_patterns("__pycache__"))
            path = os.pathsep.join(p for p in (bare, os.environ.get("PYTHONPATH", "")) if p)
            env = {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}
            words = ("report", str(sid), "--db", str(db), "--format", "json", "-o", os.devnull)
            best, median = _times(cli(*words, env=env), args.repeat)
            print(
                f"CLI storyscope report {sid} --db ... --format json, storyscope without byte-code: "
                f"best {best:.2f} s, median {median:.2f} s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
