"""What quote extraction adds to the analyze stage (issue #3: at most 20%).

Runs the analyze pipeline over the example story (and, when the corpus is there,
30 BASIL articles) twice: as shipped, and with the quote component replaced by
one that finds nothing. Prints the best of several interleaved runs of each, the
difference as a share of the analyze time, and the quote component alone on
pre-parsed documents (the steadier figure on a busy machine). spaCy and the sentence embedder are loaded and warmed up first.

Usage: ``python bench/bench_quotes.py [--repeat N] [--fake-embedder]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASIL_ARTICLES = 30


def _example_articles() -> list[Any]:
    from storyscope import read

    return list(read([str(ROOT / "examples" / "port-aster")]).articles)


def _basil_articles(n: int = BASIL_ARTICLES) -> list[Any]:
    from storyscope.model import Article

    shared = Path(os.environ.get("STORYSCOPE_SHARED", ROOT.parent / "shared"))
    corpus = shared / "corpora" / "basil" / "articles"
    if not corpus.is_dir():
        return []
    out = []
    for path in sorted(corpus.glob("*/*.json"))[:n]:
        data = json.loads(path.read_text(encoding="utf-8"))
        body = "\n\n".join(" ".join(p) for p in data["body-paragraphs"])
        out.append(Article.create(text=body, source=path.name, outlet=str(data["source"])))
    return out


def _no_quotes(*_args: Any, **_kwargs: Any) -> list[Any]:
    return []


def _time(pipeline: Any, articles: Sequence[Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        pipeline.analyze_many(articles)
        best = min(best, time.perf_counter() - t0)
    return best


def _quote_step(pipeline: Any, articles: Sequence[Any], repeat: int) -> float:
    from storyscope.analyze.quotes import find_quotes

    prepared = []
    for article in articles:
        doc = pipeline.nlp(article.text)
        sentences = pipeline.sentences(article.text, doc)
        prepared.append(
            (article.text, doc, sentences, pipeline.entities(article.text, doc, sentences))
        )
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for text, doc, sentences, entities in prepared:
            find_quotes(text, doc, sentences, entities)
        best = min(best, time.perf_counter() - t0)
    return best


def _report(name: str, pipeline: Any, articles: Sequence[Any], repeat: int) -> None:
    from storyscope.analyze.quotes import QuoteFinder

    words = sum(len(a.text.split()) for a in articles)
    with_quotes = without = float("inf")
    for _ in range(repeat):  # interleaved, so that load from elsewhere hits both alike
        pipeline.quotes = QuoteFinder()
        with_quotes = min(with_quotes, _time(pipeline, articles, 1))
        pipeline.quotes = _no_quotes
        without = min(without, _time(pipeline, articles, 1))
    pipeline.quotes = QuoteFinder()
    step = _quote_step(pipeline, articles, repeat)
    n_quotes = sum(len(a.quotes) for a in pipeline.analyze_many(articles))
    share = (with_quotes - without) / without if without else 0.0
    print(
        f"{name}: {len(articles)} articles, {words} words, {n_quotes} quote records\n"
        f"  analyze with quotes    {with_quotes * 1000:8.1f} ms\n"
        f"  analyze without quotes {without * 1000:8.1f} ms\n"
        f"  difference             {share * 100:+8.1f} %   (budget +20 %)\n"
        f"  quote step alone       {step * 1000:8.1f} ms = {step / without * 100:.1f} % of analyze"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fake-embedder", action="store_true", help="skip MiniLM (faster)")
    args = parser.parse_args(argv)
    from storyscope.analyze import Pipeline

    embedder = None
    if args.fake_embedder:
        from storyscope.testing import FakeEmbedder

        embedder = FakeEmbedder()
    pipeline = Pipeline(embedder=embedder)
    example = _example_articles()
    pipeline.analyze_many(example)  # load and warm up the models
    _report("examples/port-aster", pipeline, example, args.repeat)
    basil = _basil_articles()
    if basil:
        _report(f"BASIL (first {len(basil)})", pipeline, basil, args.repeat)
    else:
        print("BASIL corpus not found: skipped (set STORYSCOPE_SHARED)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
