"""HTML extraction eval on the Zyte article-extraction benchmark.

Scores ``storyscope.ingest.read_html(...).text`` (trafilatura extraction plus
storyscope's ``clean_text``) against the gold ``articleBody`` of 181 pages, with
the benchmark's own metric (see the corpus README):

* tokens are ``\\w+`` matches; each text becomes a multiset of 4-token shingles;
* per page, TP/FP/FN are multiset overlaps, normalised by TP+FP+FN;
* precision and recall are macro-averaged over pages (with the benchmark's edge
  cases), and F1 is the harmonic mean of mean-P and mean-R;
* accuracy is the share of pages whose token sequences are exactly equal.

Run ``python eval/zyte.py`` to print a table of the reference systems and
storyscope. The corpus lives in ``<shared>/corpora/zyte-article-extraction-benchmark``
where ``<shared>`` is ``$STORYSCOPE_SHARED`` or the ``shared`` folder beside the
repository.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

CORPUS_NAME = "zyte-article-extraction-benchmark"
REFERENCE_SYSTEMS = ("trafilatura", "readability_js", "newspaper", "html-text")

_TOKEN = re.compile(r"\w+")


def corpus_dir() -> Path:
    """Where the benchmark lives (``$STORYSCOPE_SHARED`` overrides the default)."""
    shared = os.environ.get("STORYSCOPE_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared"
    return base / "corpora" / CORPUS_NAME


@dataclass(frozen=True, slots=True)
class Score:
    """Macro precision, recall, F1 and exact-match accuracy over pages."""

    precision: float
    recall: float
    f1: float
    accuracy: float
    pages: int


def tokenize(text: str) -> list[str]:
    """Split text into ``\\w+`` tokens."""
    return _TOKEN.findall(text)


def shingles(tokens: list[str], n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of ``n``-token shingles."""
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_counts(gold: str, pred: str) -> tuple[float, float, float]:
    """Normalised TP, FP, FN for one page."""
    g = shingles(tokenize(gold))
    p = shingles(tokenize(pred))
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    if total == 0:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def _page_pr(tp: float, fp: float, fn: float) -> tuple[float | None, float | None]:
    """Per-page precision/recall (None where the page does not count)."""
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp > 0 else None
    recall = tp / (tp + fn) if tp + fn > 0 else None
    return precision, recall


def score(gold: Mapping[str, str], pred: Mapping[str, str]) -> Score:
    """Score predictions (id -> text) against gold (id -> text); missing predictions are empty."""
    precisions: list[float] = []
    recalls: list[float] = []
    exact = 0
    for key, gold_text in gold.items():
        pred_text = pred.get(key, "")
        precision, recall = _page_pr(*page_counts(gold_text, pred_text))
        if precision is not None:
            precisions.append(precision)
        if recall is not None:
            recalls.append(recall)
        exact += tokenize(gold_text) == tokenize(pred_text)
    mean_p = sum(precisions) / len(precisions) if precisions else 0.0
    mean_r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * mean_p * mean_r / (mean_p + mean_r) if mean_p + mean_r else 0.0
    return Score(mean_p, mean_r, f1, exact / len(gold) if gold else 0.0, len(gold))


def load_gold(root: Path | None = None) -> dict[str, str]:
    """Gold article bodies by page id."""
    root = root or corpus_dir()
    data = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    return {key: item["articleBody"] for key, item in data.items()}


def load_reference(system: str, root: Path | None = None) -> dict[str, str]:
    """A reference system's predictions by page id."""
    root = root or corpus_dir()
    data = json.loads((root / "reference-outputs" / f"{system}.json").read_text(encoding="utf-8"))
    if "output" in data and isinstance(data["output"], dict):
        data = data["output"]
    return {key: (item.get("articleBody") or "") for key, item in data.items()}


def _extract_one(path: str) -> tuple[str, str]:
    from storyscope.errors import IngestError
    from storyscope.ingest import read_html

    key = Path(path).name.removesuffix(".html.gz")
    html = gzip.decompress(Path(path).read_bytes()).decode("utf-8", errors="replace")
    try:
        return key, read_html(html, source=key).text
    except IngestError:
        return key, ""


def predict_storyscope(root: Path | None = None, *, workers: int = 2) -> dict[str, str]:
    """Run storyscope's HTML reader on every page (id -> extracted text)."""
    root = root or corpus_dir()
    paths = sorted(str(p) for p in (root / "html").glob("*.html.gz"))
    if workers <= 1:
        return dict(map(_extract_one, paths))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return dict(pool.map(_extract_one, paths, chunksize=8))


def main() -> int:
    root = corpus_dir()
    if not (root / "ground-truth.json").is_file():
        print(f"corpus not found: {root}", file=sys.stderr)
        return 2
    gold = load_gold(root)
    rows: list[tuple[str, Score]] = []
    for system in REFERENCE_SYSTEMS:
        if (root / "reference-outputs" / f"{system}.json").is_file():
            rows.append((system, score(gold, load_reference(system, root))))
    t0 = time.perf_counter()
    ours = predict_storyscope(root)
    elapsed = time.perf_counter() - t0
    rows.append(("storyscope", score(gold, ours)))
    print(f"{'system':<16} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6}")
    for name, s in rows:
        print(f"{name:<16} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.accuracy:6.3f}")
    print(f"({len(gold)} pages; storyscope extraction took {elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
