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
       python bench/bench_long.py --totals 100000,200000 [--shapes breakless,dense,many]

``--totals`` measures the cost of one compare per analysed character in all, the basis of
``storyscope.api.COMPARE_MAX_CHARS``, run without that budget, in three shapes of the same
total: ``breakless`` (articles of 50,000 characters without a sentence break), ``dense``
(articles of 50,000 characters of real BASIL sentences, so as many claims as fit) and
``many`` (whole BASIL events, three articles of ~4,000 characters each, as many as fit).
Measured (2-core reference machine, shared cores, models loaded; total s, peak RSS):

      shape     100,000          200,000          400,000
      dense     18.5 s 0.64 GB   30.3 s 0.98 GB   82.9 s 2.07 GB  (align 1.2 / 4.4 / 18.3 s)
      many      15.2 s 0.52 GB   18.8 s 0.83 GB   56.8 s 1.93 GB  (align 1.6 / 4.0 / 20.1 s)
      breakless  5.7 s 0.72 GB   19.1 s 0.95 GB   34.4 s 1.16 GB

The align stage compares every pair of claims, so past ~200,000 characters the cost grows
with the square of the total: ``COMPARE_MAX_CHARS`` = 200,000 keeps the worst shape at about
half the 60 s target and under 1 GB.
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


_TOTAL_CHILD = r"""
import inspect, json, resource, sys, time
from storyscope.analyze.embeddings import get_embedder
from storyscope.analyze.nlp import get_nlp
from storyscope.analyze.pipeline import analysed_end
from storyscope.api import StageTimes, compare

get_nlp(); get_embedder().embed(["warm up"])
folder = sys.argv[1]
st = StageTimes()
extra = {"max_chars": None} if "max_chars" in inspect.signature(compare).parameters else {}
t = time.perf_counter()
story = compare([folder], timings=st, **extra)
total = time.perf_counter() - t
print(json.dumps({
    "articles": len(story.articles),
    "analysed": sum(analysed_end(a.text) for a in story.articles),
    "claims": sum(len(a.claims) for a in story.articles),
    "analyze": st.analyze,
    "align": st.align,
    "total": total,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def _basil_events() -> list[list[tuple[str, str]]]:
    """BASIL events as lists of (outlet, body), in a fixed order."""
    import os

    corpus = Path(os.environ.get("STORYSCOPE_SHARED", ROOT.parent / "shared")) / "corpora" / "basil"
    if not corpus.exists():
        raise SystemExit(f"{corpus} not found: BASIL articles unavailable")
    events: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(corpus.glob("articles/*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        body = "\n\n".join(" ".join(p) for p in data["body-paragraphs"])
        events.setdefault(path.stem.rsplit("_", 1)[0], []).append((data["source"].lower(), body))
    return [events[k] for k in sorted(events)]


def _write_shape(folder: Path, shape: str, total: int) -> None:
    """Articles of ``shape`` holding about ``total`` characters in all, as front-matter files."""
    size = 0
    index = 0
    if shape == "breakless":
        while size < total:
            n = min(50_000, total - size)
            body = _breakless(n, seed=index + 1)
            (folder / f"big{index}.txt").write_text(
                f"---\noutlet: big{index}\n---\n{body}\n", encoding="utf-8"
            )
            size += n
            index += 1
        return
    events = _basil_events()
    if shape == "many":
        for event in events:
            for outlet, body in event:
                if size >= total:
                    return
                (folder / f"a{index}.txt").write_text(
                    f"---\noutlet: {outlet}\n---\n{body}\n", encoding="utf-8"
                )
                size += len(body)
                index += 1
        return
    # dense: article k holds the (k mod 3)-th article of every event from event 20 * (k // 3)
    # on (the same events told by other outlets) to 50,000 characters: many claims, and many
    # that match across articles.
    while size < total:
        parts: list[str] = []
        length = 0
        for event in events[(index // 3) * 20 :]:
            if index % 3 < len(event) and length < min(50_000, total - size):
                parts.append(event[index % 3][1])
                length += len(parts[-1]) + 2
        body = "\n\n".join(parts)[: min(50_000, total - size)]
        (folder / f"dense{index}.txt").write_text(
            f"---\noutlet: dense{index}\n---\n{body}\n", encoding="utf-8"
        )
        size += len(body)
        index += 1


def _run_total(shape: str, total: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="storyscope-total-") as tmp:
        folder = Path(tmp)
        _write_shape(folder, shape, total)
        proc = subprocess.run(
            [sys.executable, "-c", _TOTAL_CHILD, str(folder)],
            capture_output=True,
            text=True,
            check=False,
        )
    if proc.returncode != 0:
        raise SystemExit(f"{shape} {total}: child failed:\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _totals(totals: list[int], shapes: list[str]) -> None:
    print(
        f"{'shape':>9} {'chars':>9} {'articles':>8} {'analysed':>9} {'claims':>6} "
        f"{'analyze s':>9} {'align s':>8} {'total s':>8} {'RSS MB':>7} {'s/1k':>6}"
    )
    for shape in shapes:
        for total in totals:
            r = _run_total(shape, total)
            print(
                f"{shape:>9} {total:>9,} {r['articles']:>8} {r['analysed']:>9,} {r['claims']:>6} "
                f"{r['analyze']:>9.2f} {r['align']:>8.2f} {r['total']:>8.2f} {r['rss_mb']:>7.0f} "
                f"{1000 * r['total'] / max(r['analysed'], 1):>6.3f}",
                flush=True,
            )


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
    parser.add_argument("--totals", help="characters in all per compare, comma-separated")
    parser.add_argument("--shapes", default="breakless,dense,many")
    args = parser.parse_args()
    if args.totals:
        _totals([int(t) for t in args.totals.split(",")], args.shapes.split(","))
        return
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
