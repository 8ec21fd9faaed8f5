"""Rebuild ``src/storyscope/data/loaded_scorer.json``, the loaded-language scorer.

Training data: BASIL's lexical-bias spans (``<shared>/corpora/basil``, read by
``eval/basil_bias.py``) in the events of 2010-2014 only, the half the lexicon was
tuned on; the 2015-2019 half stays held out and is scored once, after the fit.
Every hit of the packaged lexicon (``data/loaded_language.toml``, its ``terms`` and
its ``contextual`` candidates) in an article's body is one example, with the features of
:func:`storyscope.align.loaded_language.term_features`, labelled 1 when it overlaps
a lexical-bias span of its article.

The ``prior`` feature is a term's smoothed log-odds of being in a span, learnt from
the training events: for a training example it is computed without the example's
own event (leave-one-event-out), so the regression does not learn to trust it more
than it deserves on unseen events.

Model: L2-regularised logistic regression (Newton's method, numpy only) on
standardised features. Threshold: the one that maximises span-level F1 (recall of
spans, precision of hits, as ``basil_bias.score`` counts them) on the pooled
cross-validated predictions.

Validation: leave-events-out, 5 folds of 10 events of 2010-2014 (seeded
shuffle). The pooled held-out figures, of the lexicon alone and of the scorer,
are printed and written into the data file under ``"cv"``; the 2015-2019 figures
under ``"held_out"``. Leave-one-year-out (5 folds, one year of 2010-2014 each: the
test year's topics are unseen, as 2015-2019's are) is written under ``"cv_years"``,
and the precision/recall curve over the threshold (both cross-validations and
2015-2019, the final model) under ``"curve"``.

Usage: ``python eval/train_loaded_language.py [--out PATH] [--l2 1.0] [--check] [--curve]``
(``--check`` prints the figures and writes nothing; ``--curve`` also prints the curve).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import basil_bias  # noqa: E402

from storyscope.align.loaded_language import (  # noqa: E402
    FEATURES,
    candidates,
    load_loaded_lexicon,
    term_features,
)

DEFAULT_OUT = (
    Path(__file__).resolve().parents[1] / "src" / "storyscope" / "data" / "loaded_scorer.json"
)
FOLDS = 5
SEED = 0
#: Smoothing of a term's prior (pseudo-examples at the base rate).
PRIOR_STRENGTH = 4.0
#: Training occurrences a term needs before its prior is written to the data file.
PRIOR_MIN_COUNT = 2
PRIOR = FEATURES.index("prior")
BIAS = FEATURES.index("bias")


@dataclass(slots=True)
class Example:
    """One lexicon hit in one article."""

    doc: int  # index into the docs
    event: str
    start: int
    end: int
    category: str
    term: str
    row: list[float]
    label: float


def examples(docs: Sequence[basil_bias.Doc]) -> list[Example]:
    """Every lexicon hit of ``docs`` with its features (prior 0) and label."""
    lexicon = load_loaded_lexicon()
    out: list[Example] = []
    for k, doc in enumerate(docs):
        text = doc.analyzed.text
        hits, contextual = candidates(text, lexicon)
        rows = term_features(
            text, [(s.start, s.end) for s in doc.analyzed.sentences], hits, None, contextual
        )
        lex = [g for g in doc.gold if g.bias == "lex"]
        for (start, end, category), row in zip(hits, rows, strict=True):
            label = float(any(g.start < end and start < g.end for g in lex))
            term = " ".join(text[start:end].split()).casefold().replace("\u2019", "'")
            out.append(Example(k, doc.event, start, end, category, term, row, label))
    return out


def priors(train: Sequence[Example], min_count: int = 1) -> dict[str, float]:
    """Smoothed log-odds shift of each term over the base rate of ``train``."""
    base = sum(e.label for e in train) / max(1, len(train))
    base = min(max(base, 1e-3), 1 - 1e-3)
    pos: dict[str, float] = {}
    n: dict[str, int] = {}
    for e in train:
        pos[e.term] = pos.get(e.term, 0.0) + e.label
        n[e.term] = n.get(e.term, 0) + 1
    logit = math.log(base / (1 - base))
    return {
        t: round(
            math.log(
                (pos[t] + PRIOR_STRENGTH * base) / (n[t] - pos[t] + PRIOR_STRENGTH * (1 - base))
            )
            - logit,
            4,
        )
        for t in sorted(n)
        if n[t] >= min_count
    }


def matrix(rows: Sequence[Example], table: dict[str, float] | None) -> np.ndarray:
    """Feature matrix; the prior from ``table`` (None: leave-one-event-out within ``rows``)."""
    x = np.asarray([e.row for e in rows], dtype=np.float64).reshape(len(rows), len(FEATURES))
    if table is not None:
        x[:, PRIOR] = [table.get(e.term, 0.0) for e in rows]
        return x
    by_event: dict[str, list[int]] = {}
    for i, e in enumerate(rows):
        by_event.setdefault(e.event, []).append(i)
    for event, idx in by_event.items():
        others = [e for e in rows if e.event != event]
        loo = priors(others)
        for i in idx:
            x[i, PRIOR] = loo.get(rows[i].term, 0.0)
    return x


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> dict[str, Any]:
    """Standardise, then fit L2 logistic regression by Newton's method."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    mean[BIAS], scale[BIAS] = 0.0, 1.0
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    w = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[BIAS] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (p - y) + reg * w
        h = (z * (p * (1 - p))[:, None]).T @ z + np.diag(reg + 1e-9)
        step = np.linalg.solve(h, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return {"mean": mean.tolist(), "scale": scale.tolist(), "weights": w.tolist()}


def predict(model: dict[str, Any], x: np.ndarray) -> np.ndarray:
    z = (x - np.asarray(model["mean"])) / np.asarray(model["scale"])
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z @ np.asarray(model["weights"]), -30, 30))))


def span_scores(
    docs: Sequence[basil_bias.Doc], rows: Sequence[Example], keep: Sequence[bool]
) -> basil_bias.Scores:
    """``basil_bias.score`` of the kept hits (loaded language only, no labels)."""
    hits: list[list[basil_bias.Hit]] = [[] for _ in docs]
    for e, k in zip(rows, keep, strict=True):
        if k:
            hits[e.doc].append(basil_bias.Hit(e.start, e.end, e.term, e.category))
    return basil_bias.score(docs, hits)


def figures(s: basil_bias.Scores) -> dict[str, float]:
    return {
        "recall": round(s.recall, 3),
        "precision": round(s.precision, 3),
        "f1": round(s.f1, 3),
        "hits": s.hits,
    }


def cross_validate(
    docs: Sequence[basil_bias.Doc], rows: Sequence[Example], l2: float
) -> np.ndarray:
    """Pooled out-of-fold probabilities, folds by event."""
    events = sorted({e.event for e in rows})
    rng = np.random.default_rng(SEED)
    rng.shuffle(events)
    probs = np.zeros(len(rows))
    for f in range(FOLDS):
        held = set(events[f::FOLDS])
        train = [e for e in rows if e.event not in held]
        test_idx = [i for i, e in enumerate(rows) if e.event in held]
        model = fit(matrix(train, None), np.asarray([e.label for e in train]), l2)
        test = [rows[i] for i in test_idx]
        probs[test_idx] = predict(model, matrix(test, priors(train)))
    return probs


def cross_validate_years(
    docs: Sequence[basil_bias.Doc], rows: Sequence[Example], l2: float
) -> np.ndarray:
    """Pooled out-of-fold probabilities, one fold per year."""
    probs = np.zeros(len(rows))
    for year in sorted({docs[e.doc].year for e in rows}):
        train = [e for e in rows if docs[e.doc].year != year]
        test_idx = [i for i, e in enumerate(rows) if docs[e.doc].year == year]
        model = fit(matrix(train, None), np.asarray([e.label for e in train]), l2)
        probs[test_idx] = predict(model, matrix([rows[i] for i in test_idx], priors(train)))
    return probs


#: Thresholds of the written precision/recall curve.
CURVE = tuple(round(0.04 + 0.02 * k, 2) for k in range(19))  # 0.04 .. 0.40


def curve(
    sets: Sequence[tuple[Sequence[basil_bias.Doc], Sequence[Example], np.ndarray]],
) -> list[dict[str, Any]]:
    """Recall, precision and hits of each ``(docs, rows, probabilities)`` at each threshold."""
    out: list[dict[str, Any]] = []
    for t in CURVE:
        point: dict[str, Any] = {"threshold": t}
        for name, (docs, rows, probs) in zip(("cv", "cv_years", "held_out"), sets, strict=True):
            s = span_scores(docs, rows, list(probs >= t - 1e-9))
            point[name] = [round(s.recall, 3), round(s.precision, 3), s.hits]
        out.append(point)
    return out


def best_threshold(
    docs: Sequence[basil_bias.Doc], rows: Sequence[Example], probs: np.ndarray
) -> tuple[float, basil_bias.Scores]:
    best: tuple[float, float, basil_bias.Scores] | None = None
    for t in np.arange(0.02, 0.6, 0.01):
        s = span_scores(docs, rows, list(probs >= t))
        if best is None or s.f1 > best[1] + 1e-9:
            best = (round(float(t), 2), s.f1, s)
    assert best is not None
    return best[0], best[2]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--check", action="store_true", help="print the figures, write nothing")
    ap.add_argument("--curve", action="store_true", help="also print the precision/recall curve")
    a = ap.parse_args(argv)
    root = basil_bias.corpus_dir()
    if not basil_bias.available(root):
        print(f"BASIL corpus not found at {root} (set STORYSCOPE_SHARED)", file=sys.stderr)
        return 2
    all_docs = basil_bias.load_docs(root)
    dev = [d for d in all_docs if d.year in basil_bias.FIRST_HALF]
    held = [d for d in all_docs if d.year not in basil_bias.FIRST_HALF]
    rows = examples(dev)
    probs = cross_validate(dev, rows, a.l2)
    threshold, cv = best_threshold(dev, rows, probs)
    ctx = FEATURES.index("contextual")
    lexicon_cv = span_scores(dev, rows, [not e.row[ctx] for e in rows])
    candidates_cv = span_scores(dev, rows, [True] * len(rows))
    model = fit(matrix(rows, None), np.asarray([e.label for e in rows]), a.l2)
    table = priors(rows, PRIOR_MIN_COUNT)
    held_rows = examples(held)
    held_probs = predict(model, matrix(held_rows, table))
    held_scored = span_scores(held, held_rows, list(held_probs >= threshold))
    held_lexicon = span_scores(held, held_rows, [not e.row[ctx] for e in held_rows])
    held_candidates = span_scores(held, held_rows, [True] * len(held_rows))
    year_probs = cross_validate_years(dev, rows, a.l2)
    cv_years = span_scores(dev, rows, list(year_probs >= threshold))
    points = curve([(dev, rows, probs), (dev, rows, year_probs), (held, held_rows, held_probs)])
    out = {
        "about": (
            "Loaded-language scorer: logistic regression over storyscope.align.loaded_language."
            "FEATURES; rebuilt by eval/train_loaded_language.py on BASIL 2010-2014 "
            "lexical-bias spans (see docs/framing.md)."
        ),
        "features": list(FEATURES),
        "mean": [round(v, 6) for v in model["mean"]],
        "scale": [round(v, 6) for v in model["scale"]],
        "weights": [round(v, 6) for v in model["weights"]],
        "threshold": threshold,
        "training": {
            "events": len({d.event for d in dev}),
            "articles": len(dev),
            "examples": len(rows),
            "positives": int(sum(e.label for e in rows)),
            "l2": a.l2,
            "folds": FOLDS,
            "prior_strength": PRIOR_STRENGTH,
            "prior_min_count": PRIOR_MIN_COUNT,
        },
        "cv": {
            "lexicon": figures(lexicon_cv),
            "candidates": figures(candidates_cv),
            "scored": figures(cv),
        },
        "cv_years": {"folds": "one per year of 2010-2014", "scored": figures(cv_years)},
        "held_out": {
            "years": "2015-2019",
            "lexicon": figures(held_lexicon),
            "candidates": figures(held_candidates),
            "scored": figures(held_scored),
        },
        "curve": {
            "about": (
                "[recall, precision, hits] at each threshold: cv (5 folds by event) and "
                "cv_years (one fold per year) on 2010-2014, held_out 2015-2019 (final model)"
            ),
            "points": points,
        },
        "priors": table,
    }
    print(
        f"{len(rows)} examples ({out['training']['positives']} in a lexical span), "
        f"{out['training']['events']} events of 2010-2014; threshold {threshold}"
    )
    for name, s in (
        ("cv lexicon terms", lexicon_cv),
        ("cv + contextual", candidates_cv),
        ("cv scored", cv),
        ("cv by year scored", cv_years),
        ("2015-2019 lexicon terms", held_lexicon),
        ("2015-2019 + contextual", held_candidates),
        ("2015-2019 scored", held_scored),
    ):
        print(
            f"  {name:<24} recall {s.recall:.3f}  precision {s.precision:.3f}  "
            f"F1 {s.f1:.3f}  hits {s.hits}"
        )
    print(
        "  weights: "
        + ", ".join(f"{n} {w:+.2f}" for n, w in zip(FEATURES, model["weights"], strict=True))
    )
    if a.curve:
        print(
            f"  {'threshold':>9} | {'cv R':>9} {'P':>6} {'hits':>5} | {'by year R':>9} {'P':>6} "
            f"{'hits':>5} | {'2015-19 R':>9} {'P':>6} {'hits':>5}"
        )
        for p in points:
            cells = [p[k] for k in ("cv", "cv_years", "held_out")]
            print(
                f"  {p['threshold']:>9.2f} | "
                + " | ".join(f"{r:>9.3f} {q:>6.3f} {n:>5}" for r, q, n in cells)
            )
    if not a.check:
        a.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
