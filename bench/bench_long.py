"""Benchmark compare on text without sentence breaks (issue 19). Prints figures; asserts nothing.

Each size runs in a fresh process: one article of N characters of words and spaces with
no sentence break, plus the example story's Aster Ledger article, through
``storyscope.api.compare`` with the real models (load time excluded). Printed per size:
analysed characters (at most ``MAX_ANALYSED_CHARS``), sentences and claims of the long
article, seconds for analyze and align, peak RSS of the process, and analyze seconds per
1,000 analysed characters: flat up to the budget (cost linear in length), then the whole
cost flat (only the first ``MAX_ANALYSED_CHARS`` characters are analysed).

Targets (issue 19, on the 2-core reference machine): every size under 60 s and 2 GB.

Before the budgets (same machine, shared cores), `storyscope compare` wall time and peak RSS:
  50,000: 13 s, 0.98 GB; 100,000: 18 s, 1.15 GB; 200,000: 30 s, 1.26 GB;
  990,000: 887 s, 2.39 GB (align 707 s); five articles of 200,000: 337 s, 2.30 GB.

Usage: python bench/bench_long.py [--sizes 12500,25000,50000,100000,200000,400000,990000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NORMAL = ROOT / "examples" / "port-aster" / "aster-ledger.txt"
_WORDS = [
    "the",
    "minister",
    "said",
    "council",
    "water",
    "port",
    "harbour",
    "workers",
    "strike",
    "union",
    "talks",
    "pay",
    "rise",
    "government",
    "announced",
    "plan",
    "funding",
    "million",
    "dollars",
    "yesterday",
    "officials",
    "Aster",
    "Ledger",
    "reported",
    "residents",
    "city",
    "mayor",
    "Brandt",
    "company",
    "shares",
    "fell",
]

_CHILD = r"""
import json, resource, sys, time
from storyscope.analyze.embeddings import get_embedder
from storyscope.analyze.nlp import get_nlp
from storyscope.analyze.pipeline import analysed_end
from storyscope.api import StageTimes, compare

get_nlp(); get_embedder().embed(["warm up"])
folder = sys.argv[1]
st = StageTimes()
t = time.perf_counter()
story = compare([folder], timings=st)
total = time.perf_counter() - t
big = next(a for a in story.articles if a.article.outlet == "big")
print(json.dumps({
    "analysed": len(big.text),
    "analyze": st.analyze,
    "align": st.align,
    "total": total,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "warnings": [w for w in story.warnings if "big.txt" in w],
}))
"""


def _breakless(n: int, seed: int = 1) -> str:
    import random

    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < n:
        out.append(rng.choice(_WORDS))
        size += len(out[-1]) + 1
    return " ".join(out)[:n]


def _run(n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="storyscope-long-") as tmp:
        folder = Path(tmp)
        (folder / "big.txt").write_text(
            f"---\noutlet: big\n---\n{_breakless(n)}\n", encoding="utf-8"
        )
        (folder / NORMAL.name).write_text(NORMAL.read_text(encoding="utf-8"), encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, str(folder)], capture_output=True, text=True, check=False
        )
    if proc.returncode != 0:
        raise SystemExit(f"size {n}: child failed:\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="12500,25000,50000,100000,200000,400000,990000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"{'chars':>9} {'analysed':>9} {'analyze s':>10} {'align s':>8} {'total s':>8} "
        f"{'RSS MB':>7} {'s/1k analysed':>14}  target"
    )
    for n in sizes:
        r = _run(n)
        analysed, analyze, align, total = r["analysed"], r["analyze"], r["align"], r["total"]
        rss = r["rss_mb"]
        ok = "OK" if total <= 60 and rss <= 2048 else "OVER"
        print(
            f"{n:>9,} {analysed:>9,} {analyze:>10.2f} {align:>8.2f} {total:>8.2f} "
            f"{rss:>7.0f} {1000 * analyze / max(analysed, 1):>14.3f}  {ok}"
        )


if __name__ == "__main__":
    main()
