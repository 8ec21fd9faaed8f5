"""Quotes and speakers on BASIL's quote spans: the 722 bias spans inside quotations, with speakers.

BASIL (``<shared>/corpora/basil``, read only, never copied; 100 real events x Fox News / NYT /
HuffPost, 2010-2019) marks phrase-level bias spans, and every span annotated as lying inside a
quotation (``quote`` = ``yes``: 722 of 1,726) carries a ``speaker`` label: a normalised name
(``Donald_Trump``, ``Democratic_lawmakers``, ``Felipe_Calder``) or one of the buckets
``other_pro`` / ``other_anti`` / ``other_neutral`` (342 spans), which name nobody. Only *biased*
quotations were annotated, so this measures recall and speaker accuracy, not precision.

Articles
    Each article is built with ``Article.create`` from its ``body-paragraphs`` (sentences joined
    by a space, paragraphs by a blank line; the title is the article's ``title``, not part of its
    text), so the gold offsets (``pN`` sentence + ``start``/``end``) map straight onto the text,
    and analysed by the default pipeline (``storyscope.analyze.analyze``: spaCy + MiniLM), with
    the analysis cache of ``eval/basil_gold.py`` (:class:`basil_gold.Analyses`, ``eval/.cache``,
    keyed by the code that reads and analyses an article and the article's text), so a rerun
    without a change under ``analyze/`` takes seconds.

Matching a gold span to storyscope's quotes
    The span's ``\\w+`` words are taken by position. A storyscope quote *covers* a word when the
    word lies inside the quote's ``start``/``end``; ``indirect`` records (a reported clause) and
    ``scare`` records (a quoted term that is not a statement) are not quotations and are left
    out. The span is **found** when one quote covers at least half of its words (the quote that
    covers most is its match; ties go to the first). 55 spans lie in a sentence with no quotation
    mark (a quotation running over several sentences or paragraphs, or reported speech the
    annotators counted as quoted); they are scored like the rest and counted apart
    (``no mark``).

Speaker accuracy
    On found spans whose label names someone (not a bucket): the match's ``speaker`` against the
    label, leniently, as ``<shared>/gold/basil/score.py`` compares a speaker with its aliases. Both
    are lower-cased, accents and a possessive ``'s`` dropped, ``_`` read as a space, and cut into
    words; honorifics and titles (``mr``, ``sen``, ``president``...), function words and generic
    group nouns (``lawmakers``, ``officials``, ``campaign``, ``members``...) are dropped, plurals
    lose their ``s`` and a few party words are aliased (``democratic`` = ``democrat``, ``gop`` =
    ``republican``). The speaker is right when the label's last word is one of the speaker's
    words or the speaker's last word one of the label's, a word matching another that it begins
    (at least 5 letters: BASIL cuts ``Calder\u00f3n`` to ``Calder``). So ``Donald_Trump`` matches
    "Trump", "President Trump", "Donald J. Trump"; ``Democratic_lawmakers`` matches "Democrats"
    and "Senate Democrats", not "Nancy Pelosi"; ``Obama_campaign`` matches "the Obama campaign".
    No speaker is wrong.

Slices
    By year, 2010-2014 and 2015-2019, and by whether the event is one of the 20 events of the
    BASIL alignment gold (``<shared>/gold/basil/dev``), which earlier quote and speaker work was
    tuned on. Those 20 events (gold index: year) are 29, 44, 56: 2010; 14, 35: 2011; 41: 2013;
    8, 17, 20, 32: 2015; 50, 53, 59: 2016; 38, 47: 2017; 2: 2018; 5, 11, 23, 26: 2019 -- 6 of the
    50 events of 2010-2014 and 14 of the 50 of 2015-2019; 160 of the 722 spans. The ``other
    events`` row (80 events, 562 spans) is the part no tuning looked at before this eval existed.

Run ``python eval/basil_speakers.py`` for the table (``-v`` lists every missed span and wrong
speaker with its sentence; ``--no-cache`` analyses again). ``<shared>`` is ``$STORYSCOPE_SHARED``
or the ``shared`` folder beside the repository; without the corpus the eval says so and exits 2
(the test skips).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import basil_bias  # noqa: E402  (the corpus layout: one reader for both evals)
import basil_gold  # noqa: E402
from basil_gold import Analyses, shared_dir  # noqa: E402

#: Years of the first half (the rest is the second half).
FIRST_HALF = basil_bias.FIRST_HALF
#: Speaker labels that name nobody.
BUCKETS = frozenset({"other_pro", "other_anti", "other_neutral"})
#: Labels that name a group or a body rather than one person: a lower-case word, a plural or
#: group noun, or one of BASIL's bodies. Their quotes are scored apart (``group`` rows): the
#: annotators file a member's words under the group ("Chuck Schumer" under
#: ``Democratic_lawmakers``), which a name match cannot check.
_GROUP_WORDS = frozenset(
    [
        "lawmakers",
        "democrats",
        "republicans",
        "officials",
        "members",
        "campaign",
        "party",
        "catholics",
        "plaintiffs",
        "protestors",
        "companies",
    ]
)
_BODIES = frozenset({"NAACP", "BuzzFeed", "Secure_America_Now"})
#: Share of a span's words one quote must cover for the span to count as found.
MIN_COVER = 0.5
_QUOTE_MARKS = '"\u201c\u201d'
#: Words dropped from both names before comparing: function words, honorifics and titles,
#: generic group nouns.
_DROP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "for",
        "in",
        "on",
        "at",
        "to",
        "s",
        "jr",
        "sr",
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "rev",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "president",
        "pres",
        "vice",
        "secretary",
        "sec",
        "gen",
        "general",
        "chairman",
        "chair",
        "speaker",
        "leader",
        "minister",
        "mayor",
        "judge",
        "justice",
        "attorney",
        "former",
        "first",
        "lady",
        "house",
        "senate",
        "us",
        "u",
        "lawmakers",
        "lawmaker",
        "officials",
        "official",
        "members",
        "member",
        "committee",
        "campaign",
        "party",
        "group",
        "groups",
        "administration",
        "office",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "aides",
        "aide",
        "staff",
        "supporters",
        "people",
    ]
)
_ALIAS = {"democratic": "democrat", "dem": "democrat", "gop": "republican"}


def corpus_dir() -> Path:
    """Where BASIL lives (``$STORYSCOPE_SHARED`` overrides the default)."""
    return shared_dir() / "corpora" / "basil"


def available(root: Path | None = None) -> bool:
    """Whether the corpus is there."""
    return basil_bias.available(root or corpus_dir())


def dev_events() -> frozenset[str]:
    """Event ids (``triplet-uuid``) of the BASIL alignment gold's dev events (empty without it)."""
    return frozenset(
        str(json.loads(p.read_text(encoding="utf-8"))["triplet"]) for p in basil_gold.gold_files()
    )


@dataclass(frozen=True, slots=True)
class Span:
    """One gold quote span, as offsets into the article text."""

    start: int
    end: int
    text: str
    speaker: str  # BASIL's label: "Donald_Trump", "other_anti"
    sentence: int
    marked: bool  # its sentence holds a quotation mark

    @property
    def named(self) -> bool:
        return self.speaker not in BUCKETS

    @property
    def person(self) -> bool:
        """The label names one person (see :data:`_GROUP_WORDS`)."""
        return self.named and is_person_label(self.speaker)


@dataclass(slots=True)
class Doc:
    """One BASIL article and its gold quote spans."""

    name: str  # "<year>/<uuid>_<n>"
    event: str
    outlet: str
    year: int
    article: object  # storyscope.model.Article
    sentences: list[tuple[int, int]]
    spans: list[Span] = field(default_factory=list)


def load_docs(root: Path | None = None) -> list[Doc]:
    """Every article with its quote spans (``tN`` title spans hold none)."""
    from storyscope.model import Article

    root = root or corpus_dir()
    docs: list[Doc] = []
    for path in sorted((root / "articles").glob("*/*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        ann_path = root / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        ann = json.loads(ann_path.read_text(encoding="utf-8"))
        text, sents = basil_bias._join(raw["body-paragraphs"])
        outlet = str(raw["source"]).lower()
        name = f"{path.parent.name}/{path.stem}"
        article = Article.create(
            text=text, source=f"basil/{name}.json", outlet=outlet, title=str(raw["title"]).strip()
        )
        doc = Doc(name, str(raw["triplet-uuid"]), outlet, int(path.parent.name), article, sents)
        for span in ann["phrase-level-annotations"]:
            sid = str(span["id"])
            if span.get("quote") != "yes" or not sid.startswith("p"):
                continue
            k = int(sid[1:])
            s0, s1 = sents[k]
            start, end = s0 + int(span["start"]), s0 + int(span["end"])
            if text[start:end] != span["txt"]:
                continue  # the README reports none; skip rather than mis-score
            marked = any(ch in text[s0:s1] for ch in _QUOTE_MARKS)
            doc.spans.append(Span(start, end, span["txt"], str(span["speaker"]), k, marked))
        docs.append(doc)
    return docs


# --- matching --------------------------------------------------------------------------


def match(text: str, span: Span, quotes: Sequence[object]) -> object | None:
    """The storyscope quote covering most of ``span``'s words, if it covers half or more."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", text[span.start : span.end])]
    words = [(span.start + a, span.start + b) for a, b in words]
    if not words:
        return None
    best, best_n = None, 0
    for q in quotes:
        if getattr(q, "kind", "direct") in ("indirect", "scare"):
            continue
        qs, qe = q.start, q.end  # type: ignore[attr-defined]
        n = sum(1 for a, b in words if qs <= a and b <= qe)
        if n > best_n:
            best, best_n = q, n
    return best if best_n >= MIN_COVER * len(words) else None


def is_person_label(label: str) -> bool:
    """Whether a BASIL speaker label names one person, not a group or a body."""
    words = label.split("_")
    return label not in _BODIES and not any(
        w[:1].islower() or w.lower() in _GROUP_WORDS for w in words
    )


def _name_words(name: str) -> list[str]:
    name = unicodedata.normalize("NFKD", name.replace("_", " ").lower())
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = re.sub(r"['\u2019]s\b", "", name)
    out = []
    for w in re.findall(r"[a-z0-9]+", name):
        if w in _DROP:
            continue
        w = _ALIAS.get(w, w)
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = _ALIAS.get(w[:-1], w[:-1])
        out.append(w)
    return out


def _same_word(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a)))


def speaker_correct(label: str, speaker: str | None) -> bool:
    """The lenient name match of the module docstring."""
    if not speaker:
        return False
    gold, got = _name_words(label), _name_words(speaker)
    if not gold or not got:
        return label.replace("_", " ").lower().strip() == speaker.lower().strip()
    return any(_same_word(gold[-1], w) for w in got) or any(_same_word(got[-1], w) for w in gold)


# --- scoring ---------------------------------------------------------------------------


@dataclass(slots=True)
class Scores:
    """Counts for one slice."""

    spans: int = 0
    found: int = 0
    no_mark: int = 0
    no_mark_found: int = 0
    person: int = 0
    person_found: int = 0
    person_ok: int = 0
    group: int = 0
    group_found: int = 0
    group_ok: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.spans if self.spans else float("nan")

    @property
    def speaker_acc(self) -> float:
        """On found spans whose label names one person."""
        return self.person_ok / self.person_found if self.person_found else float("nan")

    @property
    def group_acc(self) -> float:
        """On found spans whose label names a group or body (lenient name match, a lower bound)."""
        return self.group_ok / self.group_found if self.group_found else float("nan")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One gold span and what storyscope made of it."""

    doc: Doc
    span: Span
    found: bool
    speaker: str | None
    speaker_ok: bool | None  # None: a bucket label or not found


@dataclass(slots=True)
class Result:
    slices: dict[str, Scores]
    outcomes: list[Outcome]
    articles: int
    seconds: float


SLICES = ("all", "2010-2014", "2015-2019", "dev-gold events", "other events")


def score(docs: Sequence[Doc], analyzed: Sequence[object], dev: frozenset[str]) -> Result:
    """Match every gold span and count by slice."""
    slices = {n: Scores() for n in SLICES}
    outcomes: list[Outcome] = []
    for doc, an in zip(docs, analyzed, strict=True):
        text = an.text  # type: ignore[attr-defined]
        quotes = an.quotes  # type: ignore[attr-defined]
        period = "2010-2014" if doc.year in FIRST_HALF else "2015-2019"
        group = "dev-gold events" if doc.event in dev else "other events"
        for span in doc.spans:
            q = match(text, span, quotes)
            speaker = q.speaker if q is not None else None  # type: ignore[attr-defined]
            ok = speaker_correct(span.speaker, speaker) if q is not None and span.named else None
            outcomes.append(Outcome(doc, span, q is not None, speaker, ok))
            for n in ("all", period, group):
                s = slices[n]
                s.spans += 1
                s.found += q is not None
                s.no_mark += not span.marked
                s.no_mark_found += q is not None and not span.marked
                if span.person:
                    s.person += 1
                    s.person_found += q is not None
                    s.person_ok += bool(ok)
                elif span.named:
                    s.group += 1
                    s.group_found += q is not None
                    s.group_ok += bool(ok)
    return Result(slices, outcomes, len(docs), 0.0)


def evaluate(docs: Sequence[Doc] | None = None, *, analyses: Analyses | None = None) -> Result:
    """Analyse every article (through the cache) and score its quote spans."""
    docs = list(docs) if docs is not None else load_docs()
    t0 = time.perf_counter()
    analyzed = (analyses or Analyses()).get([d.article for d in docs])
    seconds = time.perf_counter() - t0
    result = score(docs, analyzed, dev_events())
    result.seconds = seconds
    return result


def metrics(result: Result) -> dict[str, float]:
    """The figures the floors pin: recall and speaker accuracy, all, by period, other events."""
    out: dict[str, float] = {}
    for key, name in (
        ("", "all"),
        ("_2010_2014", "2010-2014"),
        ("_2015_2019", "2015-2019"),
        ("_other_events", "other events"),
    ):
        s = result.slices[name]
        out[f"quote_recall{key}"] = s.recall
        out[f"speaker_acc{key}"] = s.speaker_acc
    out["group_speaker_acc"] = result.slices["all"].group_acc
    return out


def _excerpt(doc: Doc, span: Span, width: int = 220) -> str:
    text = doc.article.text  # type: ignore[attr-defined]
    s0, s1 = doc.sentences[span.sentence]
    sent = text[s0:s1]
    return sent if len(sent) <= width else sent[: width - 3] + "..."


def report(result: Result, *, verbose: bool = False) -> str:
    """The printed table (and, verbose, every miss)."""
    a = result.slices["all"]
    lines = [
        f"BASIL quote spans: {result.articles} articles, {a.spans} spans ({a.person} labelled "
        f"with a person, {a.group} with a group or body, the rest a bucket); analysis "
        f"{result.seconds:.1f} s",
        "",
        f"{'slice':<17}{'spans':>6}{'found':>6}{'recall':>8}{'no mark':>9}"
        f"{'person':>8}{'right':>6}{'speaker':>9}{'group':>7}{'right':>6}{'lenient':>9}",
    ]
    for name, s in result.slices.items():
        lines.append(
            f"{name:<17}{s.spans:>6}{s.found:>6}{s.recall:>8.3f}"
            f"{f'{s.no_mark_found}/{s.no_mark}':>9}{s.person_found:>8}{s.person_ok:>6}"
            f"{s.speaker_acc:>9.3f}{s.group_found:>7}{s.group_ok:>6}{s.group_acc:>9.3f}"
        )
    lines += [
        "",
        "speaker: right / found spans labelled with one person; lenient: the same name match "
        "on group labels (a member's name counts wrong there, so it is a lower bound)",
    ]
    if verbose:
        lines += ["", "missed spans (doc, sentence, label: span | sentence):"]
        for o in result.outcomes:
            if not o.found:
                lines.append(
                    f"  {o.doc.name} p{o.span.sentence} {o.span.speaker}: {o.span.text[:80]!r}"
                    f"\n      | {_excerpt(o.doc, o.span)}"
                )
        for title, person in (("person", True), ("group", False)):
            lines += ["", f"wrong speakers, {title} labels (doc, sentence, label -> storyscope):"]
            for o in result.outcomes:
                if o.speaker_ok is False and o.span.person is person:
                    lines.append(
                        f"  {o.doc.name} p{o.span.sentence} {o.span.speaker} -> {o.speaker!r}: "
                        f"{o.span.text[:60]!r}\n      | {_excerpt(o.doc, o.span)}"
                    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("-v", action="store_true", help="list every missed span and wrong speaker")
    ap.add_argument("--no-cache", action="store_true", help="analyse again, do not read the cache")
    a = ap.parse_args(argv)
    root = corpus_dir()
    if not available(root):
        print(f"BASIL corpus not found at {root} (set STORYSCOPE_SHARED)", file=sys.stderr)
        return 2
    analyses = Analyses(cache=None) if a.no_cache else Analyses()
    print(report(evaluate(load_docs(root), analyses=analyses), verbose=a.v))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
