"""Rebuild ``src/storyscope/data/pair_scorer.json``, the learned claim-pair scorer.

Training data: the 20 BASIL events of ``<shared>/gold/basil/dev``. Each event's three
articles are read exactly as the gold's ``score.py`` writes them and analyzed by the
package; every pair of claims from different articles is one example, with the
features of :func:`storyscope.align._pairs.feature_tensor`, labelled 1 when the two
claims' sentences support one gold fact (the gold lists, per fact, every sentence
of every outlet that states it) and 0 otherwise.

Model: L2-regularised logistic regression (Newton's method, numpy only) on
standardised features; positives are weighted so that both classes weigh the same.

Validation: leave-events-out, 5 folds of 4 events. For each fold the model is fit on
16 events and the held-out 4 are scored two ways: pair ranking (ROC AUC, and
precision / recall at the grouping threshold) and end to end, by the gold's own
scorer with the fold's model in the align stage. The pooled held-out figures are
printed and written into the data file under ``"cv"``.

Usage: ``python eval/train_pair_scorer.py [--out PATH] [--l2 1000] [--no-cv]``.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import basil_gold  # noqa: E402

OUTLETS = ("fox", "nyt", "hpo")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src" / "storyscope" / "data" / "pair_scorer.json"
FOLDS = 5


def event_docs(analyses: basil_gold.Analyses, scorer: Any, by: Any, g: dict[str, Any]) -> list[Any]:
    """The event's analyzed articles, read as score.py writes them (fox, nyt, hpo)."""
    from storyscope.ingest import read

    arts = {d["source"].lower(): d for d in by[g["triplet"]]}
    with tempfile.TemporaryDirectory() as work:
        paths = []
        for o in OUTLETS:
            p = Path(work) / f"{o}.txt"
            scorer.write_txt(arts[o], str(p))
            paths.append(str(p))
        result = read(paths)
    return analyses.get(result.articles)


def event_pairs(
    docs: Sequence[Any], scorer: Any, by: Any, g: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of every cross-article claim pair of one event (i < j)."""
    from storyscope.align._claims import build_table
    from storyscope.align._pairs import feature_tensor

    arts = {d["source"].lower(): d for d in by[g["triplet"]]}
    table = build_table(docs)
    sent_fact: dict[tuple[str, int], set[str]] = collections.defaultdict(set)
    for f in g["facts"]:
        for o, ns in f["support"].items():
            for n in ns:
                sent_fact[(o, n)].add(f["id"])
    ranges = {
        o: scorer.locate(docs[k].text, [s for _, s in scorer.sentences(arts[o])])
        for k, o in enumerate(OUTLETS)
    }
    facts_of = []
    for ref in table.refs:
        o = OUTLETS[ref.doc]
        ss = scorer.sents_of(ref.sentence.start, ref.sentence.end, ranges[o])
        facts_of.append(set().union(*[sent_fact[(o, n)] for n in ss]) if ss else set())
    x = feature_tensor(table)
    n = len(table.refs)
    ii, jj = np.triu_indices(n, k=1)
    docs_of = np.asarray([r.doc for r in table.refs])
    keep = docs_of[ii] != docs_of[jj]
    ii, jj = ii[keep], jj[keep]
    y = np.asarray([bool(facts_of[i] & facts_of[j]) for i, j in zip(ii, jj, strict=True)])
    return x[ii, jj], y.astype(np.float64)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1000.0, iters: int = 30) -> dict[str, Any]:
    """Standardise, then fit weighted L2 logistic regression by Newton's method."""
    from storyscope.align._pairs import FEATURES

    bias = FEATURES.index("bias")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    mean[bias], scale[bias] = 0.0, 1.0
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    pos = y.sum()
    sw = np.where(y > 0, (len(y) - pos) / max(pos, 1.0), 1.0)
    sw = sw / sw.mean()
    w = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[bias] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (sw * (p - y)) + reg * w
        h = (z * (sw * p * (1 - p))[:, None]).T @ z + np.diag(reg + 1e-9)
        step = np.linalg.solve(h, grad)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return {"features": list(FEATURES), "mean": mean.tolist(), "scale": scale.tolist(), "weights": w.tolist()}


def predict(model: dict[str, Any], x: np.ndarray) -> np.ndarray:
    z = (x - np.asarray(model["mean"])) / np.asarray(model["scale"])
    return 1.0 / (1.0 + np.exp(-np.clip(z @ np.asarray(model["weights"]), -30, 30)))


def auc(y: np.ndarray, p: np.ndarray) -> float:
    order = np.argsort(p, kind="stable")
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    pos = y > 0
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / max(1, n_pos * n_neg))


@contextlib.contextmanager
def using(model: dict[str, Any]) -> Iterator[None]:
    """Run the align stage with ``model`` instead of the packaged pair scorer."""
    from storyscope.align import _pairs

    loaded = _pairs.PairModel(
        features=tuple(model["features"]),
        mean=np.asarray(model["mean"], dtype=np.float32),
        scale=np.asarray(model["scale"], dtype=np.float32),
        weights=np.asarray(model["weights"], dtype=np.float32),
        meta={},
    )
    real = _pairs.load_pair_model
    _pairs.load_pair_model = lambda name="pair_scorer.json": loaded  # type: ignore[assignment]
    try:
        yield
    finally:
        _pairs.load_pair_model = real  # type: ignore[assignment]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--l2", type=float, default=1000.0)
    ap.add_argument("--no-cv", action="store_true")
    a = ap.parse_args(argv)
    if not basil_gold.available():
        print(f"skipped: BASIL gold not found under {basil_gold.shared_dir()}")
        return 0
    scorer = basil_gold.load_scorer()
    by = scorer.load_basil(str(basil_gold.shared_dir() / "corpora" / "basil"))
    analyses = basil_gold.Analyses()
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in basil_gold.gold_files()]
    data = []
    for g in golds:
        docs = event_docs(analyses, scorer, by, g)
        data.append(event_pairs(docs, scorer, by, g))
    x = np.vstack([d[0] for d in data]).astype(np.float64)
    y = np.concatenate([d[1] for d in data])
    print(f"{len(golds)} events, {len(y)} cross-article claim pairs, {int(y.sum())} positive")
    model = fit(x, y, a.l2)
    model["trained_on"] = "BASIL alignment gold, dev split (20 events, Fox News / NYT / HuffPost)"
    model["examples"] = {"pairs": int(len(y)), "positive": int(y.sum())}
    model["l2"] = a.l2
    if not a.no_cv:
        model["cv"] = cross_validate(golds, data, a.l2)
    a.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {a.out}")
    return 0


def cross_validate(
    golds: Sequence[dict[str, Any]], data: Sequence[tuple[np.ndarray, np.ndarray]], l2: float
) -> dict[str, Any]:
    """Leave-events-out: pair AUC and the gold scorer's figures on held-out events."""
    n = len(golds)
    folds = [list(range(k, n, FOLDS)) for k in range(FOLDS)]
    ps, ys = [], []
    tot: collections.Counter[str] = collections.Counter()
    scorer = basil_gold.load_scorer()
    by = scorer.load_basil(str(basil_gold.shared_dir() / "corpora" / "basil"))
    analyses = basil_gold.Analyses()
    for held in folds:
        train = [k for k in range(n) if k not in held]
        model = fit(np.vstack([data[k][0] for k in train]), np.concatenate([data[k][1] for k in train]), l2)
        for k in held:
            ps.append(predict(model, data[k][0]))
            ys.append(data[k][1])
        with using(model), basil_gold._patched(scorer, basil_gold.in_process_compare(analyses)):
            for k in held:
                with tempfile.TemporaryDirectory() as work, contextlib.redirect_stdout(None):
                    tot.update(scorer.score_event(golds[k], by, "storyscope", work, False))
    p, y = np.concatenate(ps), np.concatenate(ys)
    metrics = basil_gold.totals_to_metrics(tot, n)
    out = {
        "folds": f"{FOLDS} folds of {n // FOLDS} events (event k in fold k mod {FOLDS})",
        "pair_auc": round(auc(y, p), 4),
    }
    out.update({k: round(v, 4) for k, v in metrics.items() if k in ("fact_recall", "fact_full", "fact_precision", "omission_recall", "omission_precision", "summary_points", "contra_recall", "contra_precision")})
    print("cross-validated (held-out events): " + " ".join(f"{k}={v}" for k, v in out.items() if k != "folds"))
    return out


if __name__ == "__main__":
    raise SystemExit(main())
