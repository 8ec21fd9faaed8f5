"""What quote extraction adds to the analyze stage (issue #3: at most 20%).

Runs the analyze pipeline over the example story (and, when the corpus is there,
the first ``--n`` BASIL articles) as two declared pipelines: the shipped analyzers,
and the same list with the quotes analyzer swapped for one that finds nothing
(``Pipeline(analyzers=[...])``; claims then see no quotes, as they would in an
article without any). Prints the best of several interleaved runs of each, the
difference as a share of the analyze time, and the quotes analyzer alone on drafts
parsed and analysed up to it (the steadier figure on a busy machine). spaCy and the
sentence embedder are loaded and warmed up first; installed plugins are not loaded.

Usage: ``python bench/bench_quotes.py [--repeat N] [--n N] [--fake-embedder]``.
"""

from __future__ import annotations

import argparse
import dataclasses
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


class NoQuotes:
    """An analyzer in the quotes analyzer's place that finds no quotes."""

    name = "no-quotes.v1"
    requires = frozenset({"doc", "sentences", "entities"})
    assigns = frozenset({"quotes"})

    def __call__(self, draft: Any) -> Any:
        return dataclasses.replace(draft, quotes=())


def _is_quotes(analyzer: Any) -> bool:
    from storyscope.analyze.pipeline import analyzer_key

    return analyzer_key(analyzer.name) == "quotes"


def _without_quotes(pipeline: Any) -> Any:
    """``pipeline`` with its quotes analyzer swapped for :class:`NoQuotes` (same models)."""
    from storyscope.analyze import Pipeline

    swapped = [NoQuotes() if _is_quotes(a) else a for a in pipeline.analyzers]
    return Pipeline(
        nlp=pipeline.nlp, embedder=pipeline.embedder, analyzers=swapped, load_plugins=False
    )


def _time(pipeline: Any, articles: Sequence[Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        pipeline.analyze_many(articles)
        best = min(best, time.perf_counter() - t0)
    return best


def _quote_step(pipeline: Any, articles: Sequence[Any], repeat: int) -> float:
    """Best time of the quotes analyzer alone over drafts analysed up to it."""
    from storyscope.analyze.pipeline import Draft, analysed_end

    position = next(i for i, a in enumerate(pipeline.analyzers) if _is_quotes(a))
    quotes = pipeline.analyzers[position]
    drafts = []
    for article in articles:
        text = article.text[: analysed_end(article.text)]
        draft = Draft(article=article, text=text, doc=pipeline.nlp(text))
        for analyzer in pipeline.analyzers[:position]:
            draft = analyzer(draft)
        drafts.append(draft)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for draft in drafts:
            quotes(draft)
        best = min(best, time.perf_counter() - t0)
    return best


def _report(name: str, pipeline: Any, articles: Sequence[Any], repeat: int) -> None:
    words = sum(len(a.text.split()) for a in articles)
    without_quotes = _without_quotes(pipeline)
    with_quotes = without = float("inf")
    for _ in range(repeat):  # interleaved, so that load from elsewhere hits both alike
        with_quotes = min(with_quotes, _time(pipeline, articles, 1))
        without = min(without, _time(without_quotes, articles, 1))
    step = _quote_step(pipeline, articles, repeat)
    n_quotes = sum(len(a.quotes) for a in pipeline.analyze_many(articles))
    assert not any(a.quotes for a in without_quotes.analyze_many(articles[:1]))
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
    parser.add_argument(
        "--n", type=int, default=BASIL_ARTICLES, help="BASIL articles (default %(default)s)"
    )
    parser.add_argument("--fake-embedder", action="store_true", help="skip MiniLM (faster)")
    args = parser.parse_args(argv)
    from storyscope.analyze import Pipeline

    embedder = None
    if args.fake_embedder:
        from storyscope.testing import FakeEmbedder

        embedder = FakeEmbedder()
    pipeline = Pipeline(embedder=embedder, load_plugins=False)
    example = _example_articles()
    pipeline.analyze_many(example)  # load and warm up the models
    _report("examples/port-aster", pipeline, example, args.repeat)
    basil = _basil_articles(args.n)
    if basil:
        _report(f"BASIL (first {len(basil)})", pipeline, basil, args.repeat)
    else:
        print("BASIL corpus not found: skipped (set STORYSCOPE_SHARED)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
