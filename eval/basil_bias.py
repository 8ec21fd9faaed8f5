"""Loaded-language and label eval on BASIL's lexical-bias spans (Fox News / NYT / HuffPost).

BASIL (``<shared>/corpora/basil``, read only, never copied) marks phrase-level
bias spans in 300 articles (100 events x 3 outlets); 480 of them are
**lexical** bias (``bias = lex``): loaded word choice. This eval runs the two
framing detectors that need no model on every article:

* **loaded language** -- :func:`storyscope.align.loaded_language.find_loaded_language`
  with the packaged lexicon (``data/loaded_language.toml``) and its scorer
  (``data/loaded_scorer.json``, fit by ``eval/train_loaded_language.py`` on the
  2010-2014 events only: its 2010-2014 row is in-sample, the 2015-2019 row is
  held out; the cross-validated 2010-2014 figures are in the data file and in
  ``docs/framing.md``). The lexicon alone (its ``terms``, every hit kept, as
  before the scorer) is printed beside it for comparison;
* **labels** -- the variant-name lexicon (``data/variants.toml``) as
  :func:`storyscope.align.framing.find_framing` applies it within each event's
  triple: a term counts where the three outlets use two or more terms of one
  concept, and every occurrence of such a term is a hit. (Spelling variants and
  word swaps between aligned sentences need the spaCy + embedding pipeline and
  are left out here to keep the eval fast.)

and scores them against the annotated lexical spans:

* **recall** -- share of lexical-bias spans that overlap (by a character) at
  least one hit;
* **precision** -- share of hits that overlap a lexical-bias span; also against
  any annotated span (lexical or informational), since annotators marked bias
  in some sentences only and many loaded words sit in informational spans.

BASIL annotates sparsely (about 1.6 lexical spans per article), so precision
against it is a lower bound: an unannotated "furious" is not necessarily
neutral. The lexicon was written from general knowledge before this eval was
run; the figures are reported for the years 2010-2014 and 2015-2019
separately so a later tuning pass on one half can be checked on the other.

Run ``python eval/basil_bias.py`` to print the table (``-v`` lists missed spans
and false hits by frequency). The corpus lives in ``<shared>/corpora/basil``
where ``<shared>`` is ``$STORYSCOPE_SHARED`` or the ``shared`` folder beside
the repository.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storyscope.align.framing import _lexicon_labels, load_variants
from storyscope.align.loaded_language import find_loaded_language, load_loaded_lexicon
from storyscope.model import AnalyzedArticle, Article, Sentence

#: Outlets of one BASIL event.
OUTLETS = ("fox", "nyt", "hpo")
#: Years of the first half (the rest is the second half).
FIRST_HALF = frozenset(range(2010, 2015))


def corpus_dir() -> Path:
    """Where BASIL lives (``$STORYSCOPE_SHARED`` overrides the default)."""
    shared = os.environ.get("STORYSCOPE_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared"
    return base / "corpora" / "basil"


def available(root: Path) -> bool:
    """Whether the corpus is there."""
    return (root / "articles").is_dir() and (root / "annotations").is_dir()


@dataclass(frozen=True, slots=True)
class Gold:
    """One annotated span, as offsets into the joined article text."""

    start: int
    end: int
    text: str
    bias: str  # "lex" | "inf"


@dataclass(slots=True)
class Doc:
    """One BASIL article: joined text, sentences, gold spans."""

    event: str
    outlet: str
    year: int
    analyzed: AnalyzedArticle
    gold: list[Gold] = field(default_factory=list)


def _join(paragraphs: Sequence[Sequence[str]]) -> tuple[str, list[tuple[int, int]]]:
    """Paragraphs joined by blank lines, sentences by spaces; sentence offsets in order."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for p, paragraph in enumerate(paragraphs):
        if p:
            parts.append("\n\n")
            pos += 2
        for s, sentence in enumerate(paragraph):
            if s:
                parts.append(" ")
                pos += 1
            spans.append((pos, pos + len(sentence)))
            parts.append(sentence)
            pos += len(sentence)
    return "".join(parts), spans


def load_docs(root: Path) -> list[Doc]:
    """Every article with its gold spans (title spans, ``tN``, are skipped)."""
    docs: list[Doc] = []
    for path in sorted((root / "articles").glob("*/*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        ann_path = root / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        ann = json.loads(ann_path.read_text(encoding="utf-8"))
        text, spans = _join(raw["body-paragraphs"])
        outlet = str(raw["source"]).lower()
        article = Article.create(text=text, source=str(path.name), outlet=outlet)
        sentences = tuple(
            Sentence(index=k, start=s, end=e, text=text[s:e]) for k, (s, e) in enumerate(spans)
        )
        doc = Doc(
            event=str(raw["triplet-uuid"]),
            outlet=outlet,
            year=int(path.parent.name),
            analyzed=AnalyzedArticle(article=article, sentences=sentences),
        )
        for span in ann["phrase-level-annotations"]:
            sid = str(span["id"])
            if not sid.startswith("p"):
                continue
            offset = spans[int(sid[1:])][0]
            start, end = offset + int(span["start"]), offset + int(span["end"])
            if text[start:end] != span["txt"]:
                continue  # the README reports none; skip rather than mis-score
            doc.gold.append(Gold(start=start, end=end, text=span["txt"], bias=str(span["bias"])))
        docs.append(doc)
    return docs


@dataclass(frozen=True, slots=True)
class Hit:
    """One detector hit."""

    start: int
    end: int
    text: str
    detector: str  # "emotive" | "evaluative" | "intensifier" | "label"


def label_hits(docs: Sequence[Doc]) -> dict[int, list[Hit]]:
    """Label-lexicon hits per document index, decided within each event's triple."""
    by_event: dict[str, list[int]] = {}
    for k, doc in enumerate(docs):
        by_event.setdefault(doc.event, []).append(k)
    lexicon = load_variants()
    out: dict[int, list[Hit]] = {k: [] for k in range(len(docs))}
    for members in by_event.values():
        analyzed = [docs[k].analyzed for k in members]
        for label in _lexicon_labels(analyzed, lexicon):
            for k in members:
                terms = {t.lower() for a, t in label.variants if a == docs[k].analyzed.id}
                text = docs[k].analyzed.text
                lowered = text.lower()
                for term in terms:
                    pos = lowered.find(term)
                    while pos >= 0:
                        end = pos + len(term)
                        before = text[pos - 1] if pos else " "
                        after = text[end] if end < len(text) else " "
                        if not (before.isalnum() or after.isalnum()):
                            out[k].append(Hit(pos, end, text[pos:end], "label"))
                        pos = lowered.find(term, end)
    return out


def detect(docs: Sequence[Doc], *, scored: bool = True) -> list[list[Hit]]:
    """All hits per document, in document order.

    Args:
        docs: The articles.
        scored: Loaded language as reported (the packaged lexicon and scorer); False
            for the lexicon's ``terms`` alone, every hit kept.
    """
    lexicon = None if scored else load_loaded_lexicon()
    labels = label_hits(docs)
    out: list[list[Hit]] = []
    for k, doc in enumerate(docs):
        hits = [
            Hit(t.citation.start, t.citation.end, t.citation.text, t.category)
            for t in find_loaded_language(doc.analyzed, lexicon)
        ]
        covered = [(h.start, h.end) for h in hits]
        hits += [
            h for h in labels[k] if all(h.end <= s or e <= h.start for s, e in covered)
        ]  # a word both loaded and a label counts once
        out.append(sorted(hits, key=lambda h: (h.start, h.end)))
    return out


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


@dataclass(slots=True)
class Scores:
    """Counts and derived scores for one slice of the corpus."""

    gold_lex: int = 0
    lex_found: int = 0
    hits: int = 0
    hits_in_lex: int = 0
    hits_in_any: int = 0
    by_detector: Counter[str] = field(default_factory=Counter)
    by_detector_in_lex: Counter[str] = field(default_factory=Counter)
    missed: Counter[str] = field(default_factory=Counter)
    false_hits: Counter[str] = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        return self.lex_found / self.gold_lex if self.gold_lex else 0.0

    @property
    def precision(self) -> float:
        return self.hits_in_lex / self.hits if self.hits else 0.0

    @property
    def precision_any(self) -> float:
        return self.hits_in_any / self.hits if self.hits else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(docs: Sequence[Doc], hits: Sequence[Sequence[Hit]]) -> Scores:
    """Score hits against the lexical-bias spans of ``docs``."""
    out = Scores()
    for doc, found in zip(docs, hits, strict=True):
        lex = [g for g in doc.gold if g.bias == "lex"]
        out.gold_lex += len(lex)
        for g in lex:
            if any(_overlaps(g.start, g.end, h.start, h.end) for h in found):
                out.lex_found += 1
            else:
                out.missed[g.text.lower()] += 1
        for h in found:
            out.hits += 1
            out.by_detector[h.detector] += 1
            if any(_overlaps(g.start, g.end, h.start, h.end) for g in lex):
                out.hits_in_lex += 1
                out.by_detector_in_lex[h.detector] += 1
            else:
                out.false_hits[h.text.lower()] += 1
            if any(_overlaps(g.start, g.end, h.start, h.end) for g in doc.gold):
                out.hits_in_any += 1
    return out


@dataclass(frozen=True, slots=True)
class Result:
    """Scores on the whole corpus and on each half."""

    all: Scores
    first: Scores
    second: Scores
    articles: int
    seconds: float
    #: The same slices with the lexicon's terms alone (no scorer): all, 2010-2014, 2015-2019.
    lexicon: tuple[Scores, Scores, Scores] | None = None


def _slices(docs: Sequence[Doc], hits: Sequence[Sequence[Hit]]) -> tuple[Scores, Scores, Scores]:
    first = [k for k, d in enumerate(docs) if d.year in FIRST_HALF]
    second = [k for k, d in enumerate(docs) if d.year not in FIRST_HALF]
    return (
        score(docs, hits),
        score([docs[k] for k in first], [hits[k] for k in first]),
        score([docs[k] for k in second], [hits[k] for k in second]),
    )


def evaluate(docs: Sequence[Doc]) -> Result:
    """Run both detectors on every article and score them (and the lexicon alone)."""
    t0 = time.perf_counter()
    hits = detect(docs)
    seconds = time.perf_counter() - t0
    all_, first, second = _slices(docs, hits)
    return Result(
        all=all_,
        first=first,
        second=second,
        articles=len(docs),
        seconds=seconds,
        lexicon=_slices(docs, detect(docs, scored=False)),
    )


def report(result: Result, *, verbose: bool = False) -> str:
    """The printed table."""
    lines = [
        f"BASIL lexical-bias spans: {result.articles} articles, "
        f"{result.all.gold_lex} lexical spans; detectors ran in {result.seconds:.2f} s",
        "",
        f"{'slice':<16}{'lex spans':>10}{'found':>7}{'recall':>8}{'hits':>7}"
        f"{'in lex':>8}{'precision':>11}{'prec. any':>11}{'F1':>7}",
    ]
    for name, s in (
        ("all", result.all),
        ("2010-2014", result.first),
        ("2015-2019", result.second),
    ):
        lines.append(
            f"{name:<16}{s.gold_lex:>10}{s.lex_found:>7}{s.recall:>8.3f}{s.hits:>7}"
            f"{s.hits_in_lex:>8}{s.precision:>11.3f}{s.precision_any:>11.3f}{s.f1:>7.3f}"
        )
    if result.lexicon is not None:
        lines += ["", "lexicon alone (its terms, every hit kept; before the scorer):"]
        for name, s in zip(("all", "2010-2014", "2015-2019"), result.lexicon, strict=True):
            lines.append(
                f"{name:<16}{s.gold_lex:>10}{s.lex_found:>7}{s.recall:>8.3f}{s.hits:>7}"
                f"{s.hits_in_lex:>8}{s.precision:>11.3f}{s.precision_any:>11.3f}{s.f1:>7.3f}"
            )
    lines += ["", "hits by detector (all): hits, in a lexical span, precision"]
    for detector, n in sorted(result.all.by_detector.items()):
        inside = result.all.by_detector_in_lex[detector]
        lines.append(f"  {detector:<12}{n:>6}{inside:>6}{inside / n:>8.3f}")
    if verbose:
        lines += ["", "most missed lexical spans:"]
        lines += [f"  {n:>3} {t}" for t, n in result.all.missed.most_common(40)]
        lines += ["", "most frequent hits outside lexical spans:"]
        lines += [f"  {n:>3} {t}" for t, n in result.all.false_hits.most_common(40)]
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    root = corpus_dir()
    if not available(root):
        print(f"BASIL corpus not found at {root} (set STORYSCOPE_SHARED)", file=sys.stderr)
        return 2
    result = evaluate(load_docs(root))
    print(report(result, verbose="-v" in argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
