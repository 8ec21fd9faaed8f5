"""Benchmark the single-story pipeline (issue #2 targets). Prints figures; asserts nothing.

Targets, on the 2-core reference machine, for five articles of ~700 words:
  - library call (read+analyze+align) with models loaded   <= 2 s
  - ... and <= 1.3x the bare model inference on the same text (spaCy pipeline + sentence embeddings)
  - CLI from cold (new process, models not loaded)          <= 10 s
  - peak RSS                                                <= 1.5 GB

Usage: python bench/bench_compare.py [SOURCE...] [--repeat N]
(default source: the shipped example story, examples/port-aster)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _basil_sample(out: Path, n: int = 5) -> str:
    """Write the n BASIL articles closest to 700 words as front-matter text files (not kept)."""
    corpus = Path(os.environ.get("STORYSCOPE_SHARED", ROOT.parent / "shared")) / "corpora" / "basil"
    if not corpus.exists():
        raise SystemExit(f"{corpus} not found: BASIL sample unavailable")
    records = []
    for path in sorted(corpus.glob("articles/*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        body = "\n\n".join(" ".join(p) for p in data["body-paragraphs"])
        records.append((abs(len(body.split()) - 700), path.stem, data, body))
    for _, stem, data, body in sorted(records)[:n]:
        (out / f"{stem}.txt").write_text(
            f"---\noutlet: {data['source'].lower()}\ntitle: {data['title']}\n---\n{body}\n",
            encoding="utf-8",
        )
    return str(out)


def _best(samples: list[float]) -> float:
    return min(samples)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("sources", nargs="*", default=[str(ROOT / "examples" / "port-aster")])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--basil",
        action="store_true",
        help="use five ~700-word real articles from ../shared/corpora/basil instead",
    )
    args = parser.parse_args()
    if args.basil:
        args.sources = [_basil_sample(Path(tempfile.mkdtemp(prefix="storyscope-bench-")))]

    import storyscope
    from storyscope.analyze import Pipeline
    from storyscope.analyze.embeddings import get_embedder
    from storyscope.analyze.nlp import get_nlp
    from storyscope.api import StageTimes, compare

    t = time.perf_counter()
    result = storyscope.read(args.sources)
    articles = list(result.articles)
    words = sum(a.word_count for a in articles)
    print(f"input: {len(articles)} articles, {words} words, from {', '.join(args.sources)}")

    t = time.perf_counter()
    nlp = get_nlp()
    embedder = get_embedder()
    embedder.embed(["warm up the embedding session"])
    load_s = time.perf_counter() - t
    print(f"model load (spaCy + MiniLM ONNX): {load_s:.2f} s")

    pipeline = Pipeline(nlp=nlp, embedder=embedder)
    analyzed = pipeline.analyze_many(articles)  # warm-up
    n_sentences = sum(len(a.sentences) for a in analyzed)
    sentence_texts = [s.text for a in analyzed for s in a.sentences]

    bare_nlp: list[float] = []
    bare_emb: list[float] = []
    bare_total: list[float] = []
    full: list[float] = []
    stages: list[StageTimes] = []
    for _ in range(args.repeat):
        # Bare inference and the full call are interleaved so machine noise hits both alike.
        t = time.perf_counter()
        list(nlp.pipe([a.text for a in articles]))
        t_nlp = time.perf_counter() - t
        t = time.perf_counter()
        embedder.embed(sentence_texts)
        t_emb = time.perf_counter() - t
        bare_nlp.append(t_nlp)
        bare_emb.append(t_emb)
        bare_total.append(t_nlp + t_emb)
        st = StageTimes()
        t = time.perf_counter()
        story = compare(args.sources, pipeline=pipeline, timings=st)
        full.append(time.perf_counter() - t)
        stages.append(st)

    bare = statistics.median(bare_total)
    best_full = _best(full)
    print(
        f"sentences: {n_sentences}; facts: {len(story.facts)}; contradictions: {len(story.contradictions)}"
    )
    print(
        f"bare inference (median): spaCy {statistics.median(bare_nlp):.3f} s"
        f" + embeddings {statistics.median(bare_emb):.3f} s = {bare:.3f} s"
    )
    print("library call per stage (best of runs):")
    for stage in ("read", "analyze", "align"):
        values = [getattr(s, stage) for s in stages]
        print(f"  {stage:<8} {min(values):.3f} s  (median {statistics.median(values):.3f} s)")
    t = time.perf_counter()
    storyscope.render(story, "json")
    storyscope.render(story, "html")
    storyscope.render(story, "markdown")
    print(f"  render   {time.perf_counter() - t:.3f} s  (json + html + markdown)")
    ok = "OK" if best_full <= 2.0 else "OVER"
    print(
        f"library call total: {best_full:.3f} s (target <= 2 s: {ok}); median {statistics.median(full):.3f} s"
    )
    ratio = statistics.median(full) / bare
    print(
        f"overhead vs bare inference (medians): {ratio:.2f}x (target <= 1.3x: {'OK' if ratio <= 1.3 else 'OVER'})"
    )

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak RSS (this process): {rss_mb:.0f} MB (target <= 1536 MB: {'OK' if rss_mb <= 1536 else 'OVER'})"
    )

    exe = Path(sys.executable).with_name("storyscope")
    cmd = [
        str(exe) if exe.exists() else sys.executable,
        *([] if exe.exists() else ["-m", "storyscope"]),
    ]
    out = ROOT / "bench" / ".cold-report.json"
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    t = time.perf_counter()
    proc = subprocess.run(
        [*cmd, "compare", *args.sources, "-o", str(out), "-q"],
        env=env,
        capture_output=True,
        text=True,
    )
    cold = time.perf_counter() - t
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out.unlink(missing_ok=True)
    print(
        f"CLI from cold: {cold:.2f} s, exit {proc.returncode} (target <= 10 s: {'OK' if cold <= 10 else 'OVER'});"
        f" its peak RSS {child:.0f} MB"
    )
    if proc.returncode not in (0, 1):
        print(proc.stderr, file=sys.stderr)


if __name__ == "__main__":
    main()
