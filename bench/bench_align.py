"""Benchmark the align stage alone, warm (issue #4 targets). Prints figures; asserts nothing.

Targets, on the 2-core reference machine, with articles analyzed once beforehand:
  - align 5 articles    <= 0.5 s
  - align 20 articles   <= 3 s

Stories timed:
  - ``port-aster``: the shipped example story (5 outlets);
  - ``mixed-20``: the example story plus 15 BASIL articles (5 events x 3 outlets), when
    the corpus is present;
  - ``same-20``: the example story four times over (each copy's paragraphs rotated, a
    distinct outlet name), the worst case for the pairwise checks: every fact has up to
    20 members; ``same-40`` eight times over, to show the cost grows no faster than
    quadratically in claims (issue #14: twice the claims, at most four times the time).

Each story is aligned once to warm caches (lexicons), then ``--repeat`` times; the best
and the median are printed, with the time of ``find_contradictions`` alone.

Usage: python bench/bench_align.py [--repeat N]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from storyscope import read  # noqa: E402
from storyscope.align import align  # noqa: E402
from storyscope.align._claims import build_table  # noqa: E402
from storyscope.align.contradictions import find_contradictions  # noqa: E402
from storyscope.align.facts import fact_id, group_claims  # noqa: E402
from storyscope.analyze import analyze  # noqa: E402
from storyscope.ingest.text import read_text  # noqa: E402
from storyscope.model import AnalyzedArticle, Article  # noqa: E402


def _example() -> list[Article]:
    result = read([str(ROOT / "examples" / "port-aster")])
    return list(result.articles)


def _basil(n_events: int = 5) -> list[Article]:
    corpus = Path(os.environ.get("STORYSCOPE_SHARED", ROOT.parent / "shared")) / "corpora" / "basil"
    if not (corpus / "articles").is_dir():
        return []
    groups: dict[str, list[Path]] = {}
    for path in sorted(corpus.glob("articles/*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        groups.setdefault(str(data["triplet-uuid"]), []).append(path)
    out: list[Article] = []
    for key in sorted(groups)[:n_events]:
        for path in groups[key]:
            data = json.loads(path.read_text(encoding="utf-8"))
            body = "\n\n".join(" ".join(p) for p in data["body-paragraphs"])
            out.append(read_text(body, source=str(path), outlet=f"{data['source']} {key[:6]}"))
    return out[: 3 * n_events]


def _rotated_copies(articles: Sequence[Article], copies: int) -> list[Article]:
    out: list[Article] = []
    for k in range(copies):
        for art in articles:
            paras = art.text.split("\n\n")
            shift = k % max(1, len(paras))
            text = "\n\n".join(paras[shift:] + paras[:shift])
            if k:
                text += f"\n\nThis is copy {k} of the report."
            out.append(
                Article.create(
                    text=text,
                    source=f"{art.source}#{k}",
                    outlet=f"{art.outlet} {k}",
                    published=art.published,
                )
            )
    return out


def _time_contradictions(docs: Sequence[AnalyzedArticle]) -> float:
    table = build_table(docs)
    groups = group_claims(table)
    fact_of: dict[int, str | None] = {}
    size: dict[str, int] = {}
    for rows in groups:
        fid = fact_id(table, rows)
        for r in rows:
            fact_of[r] = fid
        size[fid] = len({table.refs[r].outlet for r in rows})
    t0 = time.perf_counter()
    find_contradictions(table, fact_of, size)
    return time.perf_counter() - t0


def _bench(name: str, docs: Sequence[AnalyzedArticle], repeat: int, target: float) -> float:
    align(docs)  # warm
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        story = align(docs)
        samples.append(time.perf_counter() - t0)
    claims = sum(len(d.claims) for d in docs)
    best, median = min(samples), statistics.median(samples)
    verdict = "ok" if best <= target else "OVER"
    print(
        f"{name:<11} {len(docs):>3} articles {claims:>5} claims  align best {best:6.3f} s "
        f"median {median:6.3f} s (target {target:.1f} s: {verdict})  "
        f"contradictions {_time_contradictions(docs):.3f} s  "
        f"[{len(story.facts)} facts, {len(story.contradictions)} contradictions]"
    )
    return best


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    example = _example()
    basil = _basil()
    t0 = time.perf_counter()
    copies = _rotated_copies(example, 8)
    analyzed = analyze([*copies, *basil])
    print(f"analyzed {len(analyzed)} articles in {time.perf_counter() - t0:.1f} s (not timed below)")
    by_source = {d.article.source: d for d in analyzed}
    five = [by_source[a.source] for a in copies[: len(example)]]
    # The first copy keeps the original text but a new outlet name; restore the names.
    five = [
        dataclasses.replace(d, article=dataclasses.replace(d.article, outlet=a.outlet))
        for d, a in zip(five, example, strict=True)
    ]
    _bench("port-aster", five, args.repeat, 0.5)
    if basil:
        mixed = five + [by_source[a.source] for a in basil]
        _bench("mixed-20", mixed, args.repeat, 3.0)
    else:
        print("mixed-20   skipped: BASIL corpus not found")
    same = [by_source[a.source] for a in copies]
    t20 = _bench("same-20", same[:20], args.repeat, 3.0)
    t40 = _bench("same-40", same, args.repeat, 12.0)
    # Twice the claims: at most four times the time if the cost is quadratic.
    ratio = t40 / t20 if t20 > 0 else float("nan")
    verdict = "ok" if ratio <= 4.0 else "OVER"
    print(f"scaling     same-40 / same-20 = {ratio:.2f}x for 2x the claims (quadratic: <= 4x: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
