"""Contradiction eval on FNC-1: does the detector fire on ``disagree`` and stay quiet otherwise?

FNC-1 (Fake News Challenge stage 1, competition test set) pairs a headline with
an article body labelled ``agree``, ``disagree``, ``discuss`` or ``unrelated``.
Here the headline and the body are two "outlets" (the headline a one-sentence
article) aligned with :func:`storyscope.align.align`; the detector *fires* when
the story holds at least one contradiction.

The corpus stays in ``<shared>/corpora/fnc1`` (read only). To stay well under
90 s on two cores, a fixed, documented sample is used:

* bodies: the :data:`N_BODIES` bodies of at most :data:`MAX_BODY_WORDS` words
  that have at least one ``disagree`` pair, taken in SHA-1 order of their id;
* pairs: for each stance, the first :data:`PER_CLASS` pairs on those bodies in
  SHA-1 order of ``"<headline>|<body id>"`` (fewer if the class has fewer).

Printed: for each stance the share of pairs where the detector fires; precision,
recall and F1 of "fires" as a ``disagree`` detector, and of "stays quiet" for
each other stance (recall = quiet rate; precision = share of quiet pairs with
that stance among the quiet pairs of that stance and ``disagree``). Storyscope
flags only concrete, checkable conflicts (a number, a date, a negation, a name,
a status word), so recall on ``disagree`` is expected to be low (most FNC-1
disagreement is a denial or a debunking, "the report is a hoax") and precision
is what matters. Run ``python eval/fnc1.py`` (``-v`` lists the explanations).
"""

from __future__ import annotations

import csv
import hashlib
import os
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storyscope.align import align
from storyscope.analyze import analyze
from storyscope.model import AnalyzedArticle, Article

STANCES = ("agree", "disagree", "discuss", "unrelated")
#: Bodies in the sample.
N_BODIES = 80
#: Longest body taken (words).
MAX_BODY_WORDS = 1000
#: Pairs per stance (at most).
PER_CLASS = 200


def corpus_dir() -> Path:
    """Where FNC-1 lives (``$STORYSCOPE_SHARED`` overrides the default)."""
    shared = os.environ.get("STORYSCOPE_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared"
    return base / "corpora" / "fnc1"


def available(root: Path | None = None) -> bool:
    """Whether the corpus is present."""
    base = root or corpus_dir()
    return (base / "competition_test_stances.csv").is_file() and (
        base / "competition_test_bodies.csv"
    ).is_file()


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Sample:
    """The fixed sample: bodies by id and (headline, body id, stance) pairs."""

    bodies: dict[str, str]
    pairs: tuple[tuple[str, str, str], ...]


def load_sample(
    root: Path | None = None,
    n_bodies: int = N_BODIES,
    per_class: int = PER_CLASS,
) -> Sample:
    """Read the fixed sample described in the module docstring."""
    base = root or corpus_dir()
    with (base / "competition_test_bodies.csv").open(encoding="utf-8", newline="") as fh:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(fh)}
    with (base / "competition_test_stances.csv").open(encoding="utf-8", newline="") as fh:
        stances = [(r["Headline"], r["Body ID"], r["Stance"]) for r in csv.DictReader(fh)]
    disagree_bodies = {b for _, b, s in stances if s == "disagree"}
    eligible = sorted(
        (b for b in disagree_bodies if len(bodies[b].split()) <= MAX_BODY_WORDS), key=_sha
    )
    chosen = set(eligible[:n_bodies])
    by_class: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for pair in stances:
        if pair[1] in chosen:
            by_class[pair[2]].append(pair)
    pairs: list[tuple[str, str, str]] = []
    for stance in STANCES:
        ranked = sorted(by_class[stance], key=lambda p: _sha(f"{p[0]}|{p[1]}"))
        pairs.extend(ranked[:per_class])
    return Sample(bodies={b: bodies[b] for b in sorted(chosen)}, pairs=tuple(pairs))


def analyze_sample(sample: Sample) -> tuple[dict[str, AnalyzedArticle], dict[str, AnalyzedArticle]]:
    """Analyze every body and every distinct headline once (one batch)."""
    heads = sorted({h for h, _, _ in sample.pairs})
    body_ids = sorted({b for _, b, _ in sample.pairs})
    # Built directly: a one-line headline is no article to the text reader.
    arts = [
        Article.create(text=sample.bodies[b].strip(), source=f"fnc1/body/{b}", outlet="Body")
        for b in body_ids
    ] + [
        Article.create(text=h.strip(), source=f"fnc1/headline/{k}", outlet="Headline")
        for k, h in enumerate(heads)
    ]
    done = analyze(arts)
    return (
        dict(zip(body_ids, done[: len(body_ids)], strict=True)),
        dict(zip(heads, done[len(body_ids) :], strict=True)),
    )


@dataclass(slots=True)
class Result:
    """Counts per stance: pairs and pairs where the detector fired."""

    pairs: dict[str, int]
    fired: dict[str, int]
    kinds: dict[str, int]
    seconds: float
    listing: list[str] = field(default_factory=list)

    def fire_rate(self, stance: str) -> float:
        n = self.pairs.get(stance, 0)
        return self.fired.get(stance, 0) / n if n else 0.0

    def scores(self, stance: str) -> tuple[float, float, float]:
        """Precision, recall, F1 for ``stance`` (see the module docstring)."""
        if stance == "disagree":
            tp = self.fired.get("disagree", 0)
            predicted = sum(self.fired.values())
            actual = self.pairs.get("disagree", 0)
        else:
            tp = self.pairs.get(stance, 0) - self.fired.get(stance, 0)
            quiet_disagree = self.pairs.get("disagree", 0) - self.fired.get("disagree", 0)
            predicted = tp + quiet_disagree
            actual = self.pairs.get(stance, 0)
        p = tp / predicted if predicted else 1.0
        r = tp / actual if actual else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def evaluate(
    sample: Sample,
    bodies: dict[str, AnalyzedArticle],
    heads: dict[str, AnalyzedArticle],
) -> Result:
    """Align every pair of the sample and count where the detector fires."""
    t0 = time.perf_counter()
    pairs: dict[str, int] = defaultdict(int)
    fired: dict[str, int] = defaultdict(int)
    kinds: dict[str, int] = defaultdict(int)
    listing: list[str] = []
    for headline, body, stance in sample.pairs:
        story = align([heads[headline], bodies[body]])
        pairs[stance] += 1
        if story.contradictions:
            fired[stance] += 1
            for c in story.contradictions:
                kinds[f"{stance}:{c.kind}"] += 1
                listing.append(f"[{stance}] {c.kind}: {c.explanation}")
    return Result(dict(pairs), dict(fired), dict(kinds), time.perf_counter() - t0, listing)


def run(root: Path | None = None) -> Result:
    """Load, analyze and evaluate the fixed sample."""
    sample = load_sample(root)
    bodies, heads = analyze_sample(sample)
    return evaluate(sample, bodies, heads)


def main(argv: Sequence[str] = ()) -> int:
    root = corpus_dir()
    if not available(root):
        print(f"corpus not found: {root}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    r = run(root)
    if "-v" in argv:
        print("\n".join(r.listing))
    total = time.perf_counter() - t0
    print(
        f"FNC-1 contradiction eval: {sum(r.pairs.values())} pairs ({total:.0f} s, align {r.seconds:.1f} s)"
    )
    print(f"{'stance':<10} {'pairs':>6} {'fired':>6} {'rate':>6}   {'P':>6} {'R':>6} {'F1':>6}")
    for stance in STANCES:
        p, rec, f = r.scores(stance)
        print(
            f"{stance:<10} {r.pairs.get(stance, 0):>6} {r.fired.get(stance, 0):>6} "
            f"{r.fire_rate(stance):>6.3f}   {p:>6.3f} {rec:>6.3f} {f:>6.3f}"
        )
    print("kinds fired: " + ", ".join(f"{k}={v}" for k, v in sorted(r.kinds.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
