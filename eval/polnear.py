"""Quote extraction and speaker attribution eval on PolNeAR (political news attributions).

Scores the ``Quote`` records of :class:`storyscope.analyze.Pipeline` against the
attribution relations of the PolNeAR corpus (see the corpus README). Articles are
built with ``Article.create`` straight from each ``.txt`` file (ingest is
bypassed), so quote offsets map 1:1 onto the gold offsets.

Gold
    The ``Content`` spans of attribution relations whose content contains a double
    quotation mark (straight or curly): the direct and mixed quotations. One
    annotation file per article: the first annotator listed in ``metadata.tsv``
    (else the alphabetically first file). "All attributions" recall scores the
    same predictions against every ``Content`` span, for information.

Prediction
    storyscope's direct and partial quotes (``indirect`` and ``scare`` records are
    not quotations and are left out). PolNeAR annotates a quotation interrupted by its
    attribution (``"A," she said, "B."``) as one content; storyscope emits two
    records, so consecutive quotes with the same speaker whose gap holds no other
    quotation mark, no line break and at most :data:`MERGE_GAP` characters are
    merged first. (Session 3: the line-break test used to strip the gap's ends
    first, so a quotation opening the next paragraph was merged into the one
    before it; with the same predictions that rule gave dev exact 0.783 / overlap
    0.890 instead of 0.821 / 0.904. Requiring the gap to hold a cue, or no
    sentence end, was tried and lowers both: PolNeAR merges '"A," she said. "B."'.)

Metrics
    * exact: both spans, after stripping quote marks, whitespace and punctuation at
      their ends (outer extent for discontinuous spans), are identical, or the
      prediction's tokens are exactly the gold's *quoted core* (below);
    * overlap: ``\\w+`` tokens shared by position >= 0.5 of the longer span's tokens,
      against the whole gold content or against its quoted core, whichever is
      higher; predictions and gold are paired one-to-one, greedily by overlap;

    The quoted core (rule added in session 2, issue #3): PolNeAR's content of a
    *mixed* quotation is the whole reported clause ("Clinton says she hopes ...,
    but she knows that \u201cLeBron will always be the king.\u201d" has content
    "she hopes ... king."), while storyscope reports the words inside the marks as
    a ``partial`` quote (and the clause separately as an ``indirect`` record, which
    is not scored here). The core is the tokens of the gold content that lie inside
    double quote marks; for a plain direct quotation it is the whole content, so
    the rule changes nothing there. Before this rule, dev overlap F1 was 0.711.
    * speaker accuracy, on overlap-matched pairs: the predicted speaker is correct
      when, case-insensitively and ignoring honorifics and function words, the
      last word of one of the predicted speaker / gold ``Source`` appears among the
      words of the other ("Todd Akin" vs "Akin", "Rep. Akin", "Missouri Rep. Todd
      Akin"). When the gold source is a pronoun ("he", "she", "they", "I", "we",
      "who"...), it is correct when the predicted speaker's last word occurs in the
      article within the :data:`PRONOUN_WINDOW` characters before the gold source.
      A missing predicted speaker is wrong. Two names made only of honorifics and
      function words ("the president") are compared as whole lower-cased strings.
      A gold source that is a definite role headed by a lower-case noun ("the mayor",
      "the Republican lawmaker") is scored like a pronoun: storyscope resolves roles to the person
      ("Bill de Blasio"), which the gold span does not name (session 2).
      Matched pairs whose gold relation has no ``Source`` (PolNeAR's
      ``Attribution-no-source``) are left out of speaker accuracy (session 2: they
      were counted wrong whatever the prediction, about 1% of pairs).

Run ``python eval/polnear.py [--split dev|test]`` to print a table. Tune on dev,
report test. The corpus lives in ``<shared>/corpora/polnear`` where ``<shared>`` is
``$STORYSCOPE_SHARED`` or the ``shared`` folder beside the repository.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

CORPUS_NAME = "polnear"
MERGE_GAP = 120
PRONOUN_WINDOW = 400
OVERLAP = 0.5

_TOKEN = re.compile(r"\w+")
_QUOTE_MARKS = '"\u201c\u201d\u201e'
_END_STRIP = _QUOTE_MARKS + "'\u2018\u2019 \t\n.,;:!?-\u2014\u2013()[]"
_PRONOUNS = frozenset(
    [
        "he",
        "she",
        "they",
        "i",
        "we",
        "you",
        "it",
        "him",
        "her",
        "them",
        "us",
        "me",
        "who",
        "whom",
        "which",
        "that",
        "his",
        "its",
        "their",
    ]
)
_FUNCTION = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "for",
        "and",
        "to",
        "in",
        "on",
        "at",
        "by",
        "from",
        "with",
        "his",
        "her",
        "their",
        "its",
        "our",
        "mr",
        "mrs",
        "ms",
        "dr",
        "rep",
        "sen",
        "gov",
        "president",
    ]
)


def corpus_dir() -> Path:
    """Where the corpus lives (``$STORYSCOPE_SHARED`` overrides the default)."""
    shared = os.environ.get("STORYSCOPE_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared"
    return base / "corpora" / CORPUS_NAME


Frags = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Relation:
    """One gold attribution: content fragments and source fragments (maybe empty)."""

    content: Frags
    source: Frags


@dataclass(frozen=True, slots=True)
class Doc:
    """One article with its gold relations."""

    name: str
    text: str
    relations: tuple[Relation, ...]


@dataclass(frozen=True, slots=True)
class Pred:
    """One (possibly merged) predicted quotation."""

    content: Frags
    speaker: str | None


@dataclass(frozen=True, slots=True)
class Result:
    """All figures for one split."""

    articles: int
    gold: int
    pred: int
    exact_p: float
    exact_r: float
    exact_f1: float
    overlap_p: float
    overlap_r: float
    overlap_f1: float
    speaker_acc: float
    speaker_n: int
    all_recall: float
    all_gold: int
    seconds: float


def _frags(spec: str) -> Frags:
    out = []
    for part in spec.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return tuple(out)


def _annotators(root: Path) -> dict[str, list[str]]:
    path = root / "metadata.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t")
        return {r["filename"]: r["annotators"].split("|") for r in rows}


def _pick_ann(ann_dir: Path, stem: str, annotators: Sequence[str]) -> Path | None:
    for who in annotators:
        cand = ann_dir / f"{stem}_{who}.ann"
        if cand.is_file():
            return cand
    found = sorted(ann_dir.glob(f"{stem}_*.ann"))
    return found[0] if found else None


def parse_ann(ann: str) -> list[Relation]:
    """Read the ``E`` relations of a brat ``.ann`` file into content/source fragments."""
    spans: dict[str, Frags] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        if line.startswith("T") and "\t" in line:
            tid, rest = line.split("\t", 2)[:2]
            label, _, spec = rest.partition(" ")
            if label in ("Source", "Content"):
                spans[tid] = _frags(spec)
        elif line.startswith("E") and "\t" in line:
            args = line.split("\t", 1)[1].split()
            events.append(dict(a.split(":", 1) for a in args if ":" in a))
    out = []
    for ev in events:
        content = spans.get(ev.get("Content", ""))
        if content is None:
            continue
        out.append(Relation(content=content, source=spans.get(ev.get("Source", ""), ())))
    return out


def load_split(split: str, root: Path | None = None) -> list[Doc]:
    """Load one split (``train``, ``dev`` or ``test``) with its gold relations."""
    root = root or corpus_dir()
    annotators = _annotators(root)
    docs = []
    for txt in sorted((root / split / "text").glob("*.txt")):
        ann = _pick_ann(root / split / "attributions", txt.stem, annotators.get(txt.stem, []))
        relations = parse_ann(ann.read_text(encoding="utf-8")) if ann else []
        docs.append(Doc(txt.stem, txt.read_text(encoding="utf-8"), tuple(relations)))
    return docs


def is_quotation(text: str, rel: Relation) -> bool:
    """Whether a relation's content contains a double quotation mark."""
    return any(ch in text[a:b] for a, b in rel.content for ch in _QUOTE_MARKS)


def predict(docs: Sequence[Doc]) -> list[list[Pred]]:
    """Run the storyscope analyze pipeline and return merged quotations per document."""
    from storyscope.analyze import Pipeline
    from storyscope.model import Article
    from storyscope.testing import FakeEmbedder

    pipeline = Pipeline(embedder=FakeEmbedder())
    articles = [
        Article.create(text=d.text, source=d.name, outlet=d.name.split("_")[0]) for d in docs
    ]
    out = []
    for doc, analyzed in zip(docs, pipeline.analyze_many(articles), strict=True):
        quotes = [
            ((q.start, q.end), q.speaker)
            for q in analyzed.quotes
            if q.kind not in ("indirect", "scare")
        ]
        out.append(merge_quotes(doc.text, quotes))
    return out


def merge_quotes(text: str, quotes: Iterable[tuple[tuple[int, int], str | None]]) -> list[Pred]:
    """Merge consecutive same-speaker quotations split only by their attribution."""
    merged: list[Pred] = []
    for (start, end), speaker in quotes:
        if merged:
            last = merged[-1]
            gap = text[last.content[-1][1] : start]
            if (
                speaker is not None
                and last.speaker == speaker
                and len(gap) <= MERGE_GAP
                and "\n" not in gap
                and sum(gap.count(m) for m in _QUOTE_MARKS) <= 2
                and re.search(
                    r"[.!?][\"\u201d]?\s*$", text[last.content[0][0] : last.content[-1][1] + 1]
                )
                is None
            ):
                merged[-1] = Pred(last.content + ((start, end),), speaker)
                continue
        merged.append(Pred(((start, end),), speaker))
    return merged


def _tokens(text: str, frags: Frags) -> set[int]:
    return {m.start() + a for a, b in frags for m in _TOKEN.finditer(text[a:b])}


def _core_tokens(text: str, frags: Frags) -> set[int]:
    """Tokens of a gold content that lie inside double quote marks (its quoted core)."""
    inside = False
    out: set[int] = set()
    for a, b in frags:
        piece = text[a:b]
        last = 0
        for k, ch in enumerate(piece + '"'):
            if k < len(piece) and ch not in _QUOTE_MARKS:
                continue
            if inside:
                out.update(m.start() + a + last for m in _TOKEN.finditer(piece[last:k]))
            if k == len(piece):
                break
            if ch == "\u201d":
                inside = False
            elif ch in "\u201c\u201e":
                inside = True
            else:
                inside = not inside
            last = k + 1
    return out


def _norm_extent(text: str, frags: Frags) -> tuple[int, int]:
    a, b = frags[0][0], frags[-1][1]
    while a < b and text[a] in _END_STRIP:
        a += 1
    while b > a and text[b - 1] in _END_STRIP:
        b -= 1
    return a, b


def _words(name: str) -> list[str]:
    return [w for w in _TOKEN.findall(name.lower()) if w not in _FUNCTION and w != "s"]


def speaker_correct(text: str, pred: str | None, rel: Relation) -> bool:
    """The speaker rule of the module docstring."""
    if not pred or not rel.source:
        return False
    gold = " ".join(text[a:b] for a, b in rel.source)
    pw, gw = _words(pred), _words(gold)
    if not pw or not gw:
        plain = " ".join(_TOKEN.findall(pred.lower())) == " ".join(_TOKEN.findall(gold.lower()))
        if plain:
            return True
    if not pw:
        return False
    # "the mayor", "the Republican lawmaker": a definite description headed by a common noun
    role = re.fullmatch(r"[Tt]he(?: [\w-]+)* [a-z][\w-]*", gold.strip()) is not None
    named = bool(gw) and (pw[-1] in gw or gw[-1] in pw)
    if gold.strip().lower() in _PRONOUNS or not gw or (role and not named):
        lo = max(0, rel.source[0][0] - PRONOUN_WINDOW)
        window = {w.lower() for w in _TOKEN.findall(text[lo : rel.source[0][0]])}
        return pw[-1] in window
    return named


def _prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _overlap_pairs(
    text: str, gold: Sequence[Relation], preds: Sequence[Pred]
) -> list[tuple[int, int]]:
    gtok = [_tokens(text, g.content) for g in gold]
    gcore = [_core_tokens(text, g.content) for g in gold]
    ptok = [_tokens(text, p.content) for p in preds]
    cands = []
    for i, (g, core) in enumerate(zip(gtok, gcore, strict=True)):
        for j, p in enumerate(ptok):
            best = 0.0
            for ref in (g, core):
                longer = max(len(ref), len(p))
                if longer:
                    best = max(best, len(ref & p) / longer)
            if best >= OVERLAP:
                cands.append((best, i, j))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in sorted(cands, reverse=True):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def score(docs: Sequence[Doc], preds: Sequence[Sequence[Pred]], seconds: float = 0.0) -> Result:
    """Score predictions against the gold of ``docs``."""
    n_gold = n_pred = n_all = 0
    ex_g = ex_p = ov = sp_ok = sp_n = all_hit = 0
    for doc, pred in zip(docs, preds, strict=True):
        text = doc.text
        gold = [r for r in doc.relations if is_quotation(text, r)]
        n_gold += len(gold)
        n_pred += len(pred)
        n_all += len(doc.relations)
        gext = {_norm_extent(text, g.content) for g in gold}
        pext = {_norm_extent(text, p.content) for p in pred}
        cores = {frozenset(c) for c in (_core_tokens(text, g.content) for g in gold) if c}
        ptoks = {frozenset(_tokens(text, p.content)) for p in pred}
        ex_g += sum(
            1
            for g in gold
            if _norm_extent(text, g.content) in pext
            or frozenset(_core_tokens(text, g.content)) in ptoks
        )
        ex_p += sum(
            1
            for p in pred
            if _norm_extent(text, p.content) in gext or frozenset(_tokens(text, p.content)) in cores
        )
        pairs = _overlap_pairs(text, gold, pred)
        ov += len(pairs)
        sourced = [(i, j) for i, j in pairs if gold[i].source]
        sp_n += len(sourced)
        sp_ok += sum(speaker_correct(text, pred[j].speaker, gold[i]) for i, j in sourced)
        all_hit += len(_overlap_pairs(text, doc.relations, pred))
    ep, er, ef = _prf(ex_p, n_pred, ex_g, n_gold)
    op, orr, of = _prf(ov, n_pred, ov, n_gold)
    return Result(
        articles=len(docs),
        gold=n_gold,
        pred=n_pred,
        exact_p=ep,
        exact_r=er,
        exact_f1=ef,
        overlap_p=op,
        overlap_r=orr,
        overlap_f1=of,
        speaker_acc=sp_ok / sp_n if sp_n else 0.0,
        speaker_n=sp_n,
        all_recall=all_hit / n_all if n_all else 0.0,
        all_gold=n_all,
        seconds=seconds,
    )


def evaluate(split: str = "test") -> Result:
    """Load a split, run storyscope on it and score it."""
    docs = load_split(split)
    t0 = time.perf_counter()
    preds = predict(docs)
    return score(docs, preds, time.perf_counter() - t0)


def format_table(split: str, r: Result) -> str:
    """A plain-text table of one result."""
    rows = [
        f"PolNeAR {split}: {r.articles} articles, {r.gold} gold quotations, "
        f"{r.pred} predicted ({r.seconds:.1f} s)",
        f"{'metric':<22}{'P':>8}{'R':>8}{'F1':>8}",
        f"{'content exact':<22}{r.exact_p:>8.3f}{r.exact_r:>8.3f}{r.exact_f1:>8.3f}",
        f"{'content overlap>=0.5':<22}{r.overlap_p:>8.3f}{r.overlap_r:>8.3f}{r.overlap_f1:>8.3f}",
        f"{'speaker accuracy':<22}{r.speaker_acc:>24.3f}  (on {r.speaker_n} matched)",
        f"{'all-attribution recall':<22}{r.all_recall:>16.3f}  (of {r.all_gold} contents)",
        "anchor: Citron on PARC 3.0 (BBC): 56.7 exact / 83.2 overlap F1, 82.0 speaker F1",
    ]
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("train", "dev", "test"))
    args = parser.parse_args(argv)
    if not (corpus_dir() / args.split / "text").is_dir():
        print(
            f"PolNeAR corpus not found at {corpus_dir()} (set STORYSCOPE_SHARED)", file=sys.stderr
        )
        return 2
    print(format_table(args.split, evaluate(args.split)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
