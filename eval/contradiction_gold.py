"""Contradiction gold set: invented statement pairs, contradictory or compatible.

``eval/gold/contradictions.json`` holds about a hundred pairs written for this
eval (every outlet, person and place invented): numbers (intervals, qualifiers,
units), dates (relative dates resolved against each side's publication date,
durations), negation, entities (another place, person or body in the same
role), attribution (the same quote given to two people) and status words
(requested vs obtained, planned vs done), plus compatible look-alikes of each
and paraphrases.

Each pair runs through the real pipeline: two tiny articles from two outlets,
each made of one shared context sentence (so that the pair aligns as one
event) and its statement, read with :func:`storyscope.ingest.text.read_text`
(publication dates from the pair), analyzed in one batch (spaCy + MiniLM) and
aligned with :func:`storyscope.align.align`. A pair is *flagged* when the story
holds a contradiction whose two citations are the two statements.

Per kind of pair: precision (flagged contradictory pairs / flagged pairs),
recall (flagged contradictory pairs / contradictory pairs) and how many of the
flagged contradictory pairs got the right ``kind``. Paraphrase pairs only count
against precision. Run ``python eval/contradiction_gold.py`` (``-v`` lists
misses and false alarms).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storyscope.align import align
from storyscope.analyze import analyze
from storyscope.ingest.text import read_text
from storyscope.model import AnalyzedArticle, Article, Contradiction

GOLD = Path(__file__).resolve().parent / "gold" / "contradictions.json"
#: The sentence both articles of a pair open with.
CONTEXT = "Several outlets reported on the events in Velmora this week."
#: Default publication date of both sides (a Tuesday).
PUBLISHED = "2026-03-10"
OUTLETS = ("Harbor Courier", "Daily Lantern")
KINDS = ("number", "date", "polarity", "entity", "attribution", "status", "paraphrase")


@dataclass(frozen=True, slots=True)
class Pair:
    """One gold pair."""

    id: str
    kind: str
    label: str
    a: str
    b: str
    pub_a: str
    pub_b: str


@dataclass(slots=True)
class KindScore:
    """Counts for one kind of pair."""

    contradictions: int = 0
    compatible: int = 0
    tp: int = 0
    fp: int = 0
    right_kind: int = 0

    @property
    def precision(self) -> float:
        flagged = self.tp + self.fp
        return self.tp / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.contradictions if self.contradictions else 1.0


@dataclass(slots=True)
class Result:
    """Scores per kind and overall, plus the listing of errors."""

    per_kind: dict[str, KindScore]
    total: KindScore
    seconds: float
    errors: list[str] = field(default_factory=list)


def load_pairs(path: Path = GOLD) -> list[Pair]:
    """Read the gold file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Pair(
            id=p["id"],
            kind=p["kind"],
            label=p["label"],
            a=p["a"],
            b=p["b"],
            pub_a=p.get("pub_a", PUBLISHED),
            pub_b=p.get("pub_b", PUBLISHED),
        )
        for p in data["pairs"]
    ]


def _article(pair: Pair, side: str) -> Article:
    statement, published, outlet = (
        (pair.a, pair.pub_a, OUTLETS[0]) if side == "a" else (pair.b, pair.pub_b, OUTLETS[1])
    )
    return read_text(
        f"{CONTEXT}\n\n{statement}\n",
        source=f"gold/{pair.id}/{side}.txt",
        outlet=outlet,
        published=published,
    )


def analyze_pairs(pairs: Sequence[Pair]) -> list[tuple[AnalyzedArticle, AnalyzedArticle]]:
    """Analyze both articles of every pair in one batch."""
    flat = [_article(p, side) for p in pairs for side in ("a", "b")]
    done = analyze(flat)
    return [(done[2 * k], done[2 * k + 1]) for k in range(len(pairs))]


def _about_statements(c: Contradiction) -> bool:
    return CONTEXT not in c.a.text and CONTEXT not in c.b.text


def evaluate(
    pairs: Sequence[Pair], docs: Sequence[tuple[AnalyzedArticle, AnalyzedArticle]]
) -> Result:
    """Align every pair and score the contradictions found."""
    t0 = time.perf_counter()
    per_kind = {k: KindScore() for k in KINDS}
    total = KindScore()
    errors: list[str] = []
    for pair, (a, b) in zip(pairs, docs, strict=True):
        score = per_kind.setdefault(pair.kind, KindScore())
        story = align([a, b])
        found = [c for c in story.contradictions if _about_statements(c)]
        positive = pair.label == "contradiction"
        for s in (score, total):
            s.contradictions += positive
            s.compatible += not positive
            if found and positive:
                s.tp += 1
                s.right_kind += any(c.kind == pair.kind for c in found)
            elif found:
                s.fp += 1
        if positive and not found:
            errors.append(f"MISS {pair.id}: {pair.a} | {pair.b}")
        elif found and not positive:
            errors.append(
                f"FALSE {pair.id}: " + "; ".join(f"{c.kind}: {c.explanation}" for c in found)
            )
        elif found and not any(c.kind == pair.kind for c in found):
            errors.append(f"KIND {pair.id}: " + "; ".join(c.kind for c in found))
    return Result(per_kind, total, time.perf_counter() - t0, errors)


def run() -> Result:
    """Load, analyze and evaluate the whole gold set."""
    pairs = load_pairs()
    return evaluate(pairs, analyze_pairs(pairs))


def main(argv: Sequence[str] = ()) -> int:
    t0 = time.perf_counter()
    r = run()
    if "-v" in argv:
        print("\n".join(r.errors))
    print(
        f"Contradiction gold set: {r.total.contradictions + r.total.compatible} pairs "
        f"({time.perf_counter() - t0:.1f} s, align {r.seconds:.1f} s)"
    )
    print(
        f"{'kind':<12} {'contra':>6} {'compat':>6} {'TP':>4} {'FP':>4} "
        f"{'P':>6} {'R':>6} {'kind ok':>8}"
    )
    for name, s in [*r.per_kind.items(), ("all", r.total)]:
        print(
            f"{name:<12} {s.contradictions:>6} {s.compatible:>6} {s.tp:>4} {s.fp:>4} "
            f"{s.precision:>6.3f} {s.recall:>6.3f} {s.right_kind:>4}/{s.tp:<3}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
