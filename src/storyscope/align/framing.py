"""Framing: how each outlet words the story.

* ``hedges`` and ``anonymous_sources`` cite the analyze stage's cues verbatim.
* ``labels`` list one thing named differently across articles, from three
  sources: the editable lexicon ``storyscope/data/variants.toml`` (Burma /
  Myanmar, militants / fighters, ...); near-identical spellings of named
  entities ("Velmora" / "Velmorra"); and substitutions of up to
  :data:`MAX_PHRASE` words between the aligned sentences of one fact
  ("strikers" / "protesters", "strikers" / "striking dock workers"); the
  sentences are aligned by their embeddings, so these are names the story's
  outlets use in the same place for the same thing.
* :func:`find_outlet_profiles` measures each outlet with evidence spans: hedges
  attached to the claim they hedge (and scare quotes), named and unnamed sources
  by kind with the share of text their quotes take (:mod:`.sourcing`), reliance
  on other media, loaded language (:mod:`.loaded_language`) and the outlet's
  terms for the story's labels.
"""

from __future__ import annotations

import difflib
import functools
import logging
import os
import re
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from storyscope._words import DAY_WORDS, MONTHS, WEEKDAYS
from storyscope.align._claims import ClaimTable
from storyscope.align._text import NEGATIONS, STOPWORDS, norm_words, stem
from storyscope.align.loaded_language import LoadedLexicon, find_loaded_language
from storyscope.align.sourcing import SourceRules, find_media_reliance, find_sources
from storyscope.errors import ConfigError
from storyscope.model import (
    AnalyzedArticle,
    Citation,
    Framing,
    HedgedClaim,
    Label,
    LabelUse,
    LoadedTerm,
    OutletProfile,
    Source,
)

__all__ = ["VariantGroup", "find_framing", "find_outlet_profiles", "load_variants"]

logger = logging.getLogger(__name__)

#: Entity labels whose spellings are compared.
SPELLING_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT"})
#: Shortest entity (in characters) considered for spelling variants.
MIN_SPELLING_LEN = 5
#: difflib ratio two aligned claims need before their word substitutions count.
SUBSTITUTION_RATIO = 0.6
#: Matching words needed on each side of a substitution.
SUBSTITUTION_CONTEXT = 2
#: Longest phrase (in words) on either side of a substitution ("striking dock workers").
MAX_PHRASE = 3

_CALENDAR = (
    frozenset(MONTHS)
    | frozenset(WEEKDAYS)
    | DAY_WORDS
    | frozenset(["morning", "evening", "night", "afternoon", "week", "month", "year"])
)
_NUMBER_WORDS_TEXT = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred thousand million billion trillion dozen dozens hundreds thousands millions "
    "first second third fourth fifth sixth seventh eighth ninth tenth half quarter"
)
_NUMBER_WORDS = frozenset(_NUMBER_WORDS_TEXT.split())
# Surface forms (not lemmas, unlike analyze._speakers.SPEECH_VERBS) of the reporting verbs whose
# swap is a matter of attribution, reported by the hedge/cue measures, not a label for the same thing.
_SPEECH_TEXT = (
    "said says told added stated announced explained noted claimed insisted argued warned "
    "confirmed reported wrote asked replied"
)
_SPEECH = frozenset(_SPEECH_TEXT.split())


@dataclass(frozen=True, slots=True)
class VariantGroup:
    """One lexicon entry: a concept and the terms that name it."""

    concept: str
    terms: tuple[str, ...]
    line: int


def _default_path() -> Path:
    return Path(str(resources.files("storyscope") / "data" / "variants.toml"))


@functools.cache
def _load_cached(path: str) -> tuple[VariantGroup, ...]:
    return _parse_variants(Path(path))


def load_variants(path: str | Path | None = None) -> tuple[VariantGroup, ...]:
    """Load a variant-name lexicon (TOML, a list of ``[[variant]]`` tables).

    Args:
        path: The lexicon file; defaults to the packaged ``data/variants.toml``.

    Returns:
        The lexicon's groups, in file order.

    Raises:
        ConfigError: The file is missing, is not valid TOML, or an entry lacks a
            ``concept`` string or two ``terms``; the message names file and line.
    """
    return _load_cached(str(Path(path) if path is not None else _default_path()))


def _parse_variants(path: Path) -> tuple[VariantGroup, ...]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read variant lexicon: {exc}") from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else max(1, len(raw.splitlines()))  # "at end of document"
        where = f"line {line}"
        raise ConfigError(f"{path}: {where}: invalid TOML: {exc}") from exc
    header_lines = [
        n for n, text in enumerate(raw.splitlines(), start=1) if text.strip() == "[[variant]]"
    ]
    unknown = set(data) - {"variant"}
    if unknown:
        key = sorted(unknown)[0]
        line = next((n for n, t in enumerate(raw.splitlines(), 1) if t.strip().startswith(key)), 1)
        raise ConfigError(f"{path}: line {line}: unknown key {key!r} (expected [[variant]] tables)")
    entries = data.get("variant", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: line 1: 'variant' must be an array of tables ([[variant]])")
    groups: list[VariantGroup] = []
    for k, entry in enumerate(entries):
        line = header_lines[k] if k < len(header_lines) else 1
        concept = entry.get("concept") if isinstance(entry, dict) else None
        terms = entry.get("terms") if isinstance(entry, dict) else None
        if not isinstance(concept, str) or not concept.strip():
            raise ConfigError(f"{path}: line {line}: variant entry needs a 'concept' string")
        if (
            not isinstance(terms, list)
            or len(terms) < 2
            or not all(isinstance(t, str) and t.strip() for t in terms)
        ):
            raise ConfigError(
                f"{path}: line {line}: variant {concept!r} needs 'terms', a list of two or "
                "more non-empty strings"
            )
        groups.append(VariantGroup(concept=concept, terms=tuple(terms), line=line))
    return tuple(groups)


def _lexicon_labels(
    articles: Sequence[AnalyzedArticle], lexicon: Sequence[VariantGroup]
) -> list[Label]:
    labels: list[Label] = []
    for group in lexicon:
        terms = sorted(group.terms, key=len, reverse=True)
        pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(t) for t in terms) + r")(?![\w-])", re.IGNORECASE
        )
        by_lower = {t.lower(): t for t in group.terms}
        used: list[tuple[str, str]] = []
        for doc in articles:
            found = dict.fromkeys(by_lower[m.group(1).lower()] for m in pattern.finditer(doc.text))
            used.extend((doc.id, term) for term in found)
        distinct = {t for _, t in used}
        docs = {a for a, _ in used}
        if len(distinct) >= 2 and len(docs) >= 2:
            labels.append(Label(concept=group.concept, variants=tuple(used)))
    return labels


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


_SUFFIXES = frozenset(
    [
        "s",
        "es",
        "ic",
        "ics",
        "ical",
        "ian",
        "ians",
        "an",
        "ans",
        "ism",
        "isms",
        "ist",
        "ists",
        "ed",
        "ing",
        "al",
        "ally",
        "ly",
        "n",
    ]
) | {""}


def _same_root(x: str, y: str) -> bool:
    """Whether two words are forms of one word ("Democrat"/"Democratic"/"Democrats")."""
    lx, ly = x.lower(), y.lower()
    prefix = len(os.path.commonprefix([lx, ly]))
    return prefix >= 5 and lx[prefix:] in _SUFFIXES and ly[prefix:] in _SUFFIXES


def _spelling_variant(a: str, b: str) -> bool:
    la, lb = a.lower(), b.lower()
    if la == lb or la in lb or lb in la or la[0] != lb[0]:
        return False
    if min(len(la), len(lb)) < MIN_SPELLING_LEN:
        return False
    wa, wb = la.split(), lb.split()
    if len(wa) != len(wb):
        return False
    diff = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
    if len(diff) != 1:
        return False
    x, y = (re.sub(r"[^\w'-]", "", w) for w in diff[0])
    if min(len(x), len(y)) < MIN_SPELLING_LEN or any(c.isdigit() for c in x + y):
        return False
    if x == y:
        return False  # punctuation only: an editor's bracket ("Barack] Obama")
    if stem(x) == stem(y) or _same_root(x, y):
        return False  # inflection ("Velmoran"/"Velmorans") is not a spelling variant
    dist = _edit_distance(x, y)
    return dist <= 2 and dist <= min(len(x), len(y)) // 4


def _majority_concept(variants: Sequence[tuple[str, str]]) -> str:
    counts = Counter(term for _, term in variants)
    first: dict[str, int] = {}
    for pos, (_, term) in enumerate(variants):
        first.setdefault(term, pos)
    return min(counts, key=lambda t: (-counts[t], first[t]))


def _root(parent: dict[str, str], n: str) -> str:
    while parent[n] != n:
        n = parent[n]
    return n


def _spelling_labels(articles: Sequence[AnalyzedArticle]) -> list[Label]:
    by_label: dict[str, dict[str, set[int]]] = {}
    for d, doc in enumerate(articles):
        for ent in doc.entities:
            if ent.label in SPELLING_LABELS and doc.text[ent.start : ent.end] == ent.text:
                name = " ".join(ent.text.split())
                if name.lower().startswith("the "):
                    name = name[4:]
                # NER often labels one rare name differently per article (GPE,
                # NORP, PERSON): compare spellings across all name labels.
                by_label.setdefault("NAME", {}).setdefault(name, set()).add(d)
    labels: list[Label] = []
    for names in by_label.values():
        items = sorted(names, key=lambda n: (min(names[n]), n))
        parent = {n: n for n in items}
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                if names[a] & names[b]:
                    continue  # both spellings in one article: two different names
                if _spelling_variant(a, b):
                    parent[_root(parent, b)] = _root(parent, a)
        clusters: dict[str, list[str]] = {}
        for n in items:
            clusters.setdefault(_root(parent, n), []).append(n)
        for members in clusters.values():
            if len(members) < 2:
                continue
            variants = [
                (articles[d].id, n) for d in range(len(articles)) for n in members if d in names[n]
            ]
            labels.append(Label(concept=_majority_concept(variants), variants=tuple(variants)))
    return labels


def _substitutable(word: str) -> bool:
    return (
        word.isalpha()
        and len(word) >= 3
        and word not in STOPWORDS
        and word not in NEGATIONS
        and word not in _CALENDAR
        and word not in _NUMBER_WORDS
        and word not in _SPEECH
    )


def _nounish(word: str) -> bool:
    return not word.endswith(("ed", "ing", "ly", "est", "er"))


def _phrase_swap(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two short phrases swapped between aligned claims name one thing differently.

    ("striking dock workers" / "strikers", "tax relief" / "tax cuts" is a
    one-word swap). Both need a content word; no word, stem or root may be
    shared across the two (that is an added modifier or an inflection, not a
    new name), and none may be a number, date, negation or speech verb.
    """
    if not a or not b or not all(w.isalpha() for w in (*a, *b)):
        return False
    bad = _CALENDAR | _NUMBER_WORDS | NEGATIONS | _SPEECH
    if any(w in bad for w in (*a, *b)):
        return False
    if not any(_substitutable(w) for w in a) or not any(_substitutable(w) for w in b):
        return False
    for x in a:
        for y in b:
            if x == y or stem(x) == stem(y) or _same_root(x, y):
                return False
    # The swapped phrases end on their head noun: "workers", not "the".
    return _substitutable(a[-1]) and _substitutable(b[-1])


def _substitution_labels(table: ClaimTable, groups: Sequence[Sequence[int]]) -> list[Label]:
    found: dict[frozenset[str], list[tuple[str, str]]] = {}
    pair_count: Counter[frozenset[str]] = Counter()
    for rows in groups:
        if len(rows) < 2:
            continue
        for x, ra in enumerate(rows):
            for rb in rows[x + 1 :]:
                a, b = table.refs[ra], table.refs[rb]
                wa, wb = norm_words(a.claim.text), norm_words(b.claim.text)
                sm = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
                if sm.ratio() < SUBSTITUTION_RATIO:
                    continue
                ops = sm.get_opcodes()
                for k, (tag, i1, i2, j1, j2) in enumerate(ops):
                    if tag != "replace" or i2 - i1 > MAX_PHRASE or j2 - j1 > MAX_PHRASE:
                        continue
                    # A real swap sits between matching words on both sides.
                    before = ops[k - 1] if k > 0 else None
                    after = ops[k + 1] if k + 1 < len(ops) else None
                    if not (
                        before
                        and before[0] == "equal"
                        and before[2] - before[1] >= SUBSTITUTION_CONTEXT
                        and after
                        and after[0] == "equal"
                        and after[2] - after[1] >= SUBSTITUTION_CONTEXT
                    ):
                        continue
                    if i2 - i1 == 1 and j2 - j1 == 1:
                        u, v = wa[i1], wb[j1]
                        if (
                            not (_substitutable(u) and _substitutable(v))
                            or stem(u) == stem(v)
                            or _same_root(u, v)
                        ):
                            continue
                    elif _phrase_swap(wa[i1:i2], wb[j1:j2]):
                        u, v = " ".join(wa[i1:i2]), " ".join(wb[j1:j2])
                    else:
                        continue
                    key = frozenset({u, v})
                    pair_count[key] += 1
                    bucket = found.setdefault(key, [])
                    for item in ((table.articles[a.doc].id, u), (table.articles[b.doc].id, v)):
                        if item not in bucket:
                            bucket.append(item)
    labels: list[Label] = []
    for key, variants in found.items():
        if pair_count[key] >= 2 or all(_nounish(w.split()[-1]) for w in key):
            labels.append(Label(concept=_majority_concept(variants), variants=tuple(variants)))
    return labels


def _cue_citations(articles: Sequence[AnalyzedArticle], kind: str) -> tuple[Citation, ...]:
    out: list[Citation] = []
    for doc in articles:
        for cue in doc.cues:
            if cue.kind != kind:
                continue
            if doc.text[cue.start : cue.end] != cue.text:
                logger.warning("cue %r in %s does not match its span; skipped", cue.text, doc.id)
                continue
            if kind == "hedge" and any(
                q.kind in ("direct", "partial") and q.start <= cue.start and cue.end <= q.end
                for q in doc.quotes
            ):
                continue  # "It seems to me ...": the speaker hedges, not the outlet
            out.append(Citation(article=doc.id, start=cue.start, end=cue.end, text=cue.text))
    return tuple(out)


def find_framing(
    articles: Sequence[AnalyzedArticle],
    table: ClaimTable,
    groups: Sequence[Sequence[int]],
    *,
    lexicon: Sequence[VariantGroup] | None = None,
) -> Framing:
    """Collect labels, hedges and anonymous sources of a story.

    Args:
        articles: Analyzed articles of the story.
        table: The story's claim table.
        groups: Claim groups (facts) from :func:`storyscope.align.facts.group_claims`.
        lexicon: Variant lexicon; defaults to :func:`load_variants`.

    Returns:
        The story's framing.

    Raises:
        ConfigError: The default lexicon cannot be loaded.
    """
    groups_lex = load_variants() if lexicon is None else lexicon
    labels: list[Label] = []
    seen: set[frozenset[str]] = set()
    candidates = (
        _lexicon_labels(articles, groups_lex)
        + _spelling_labels(articles)
        + (_substitution_labels(table, groups) if len(articles) > 1 else [])
    )
    for label in candidates:
        key = frozenset(t.lower() for _, t in label.variants)
        if key in seen or any(key <= other for other in seen):
            continue
        seen.add(key)
        labels.append(label)
    return Framing(
        labels=tuple(labels),
        hedges=_cue_citations(articles, "hedge"),
        anonymous_sources=_cue_citations(articles, "anonymous_source"),
    )


def _hedged_claims(doc: AnalyzedArticle, hedges: Sequence[Citation]) -> list[HedgedClaim]:
    """Each hedge with the claim (else the sentence) it sits in; scare quotes too."""
    text = doc.text

    def claim_of(start: int, end: int) -> Citation:
        spans = [(c.start, c.end) for c in doc.claims if c.start <= start and end <= c.end]
        spans += [(s.start, s.end) for s in doc.sentences if s.start <= start and end <= s.end]
        lo, hi = min(spans, key=lambda sp: sp[1] - sp[0]) if spans else (start, end)
        return Citation(article=doc.id, start=lo, end=hi, text=text[lo:hi])

    out = [HedgedClaim(hedge=h, claim=claim_of(h.start, h.end)) for h in hedges]
    for q in doc.quotes:
        if q.kind != "scare" or text[q.start : q.end] != q.text:
            continue
        # Cite the marks too when they are there: 'the "temporary" tariffs'.
        lo = q.start - 1 if q.start > 0 and text[q.start - 1] in "\"“‘'" else q.start
        hi = q.end + 1 if q.end < len(text) and text[q.end] in "\"”’'" else q.end
        out.append(
            HedgedClaim(
                hedge=Citation(article=doc.id, start=lo, end=hi, text=text[lo:hi]),
                claim=claim_of(lo, hi),
                kind="scare_quote",
            )
        )
    out.sort(key=lambda h: (h.hedge.start, h.hedge.end))
    return out


def _label_uses(doc: AnalyzedArticle, labels: Sequence[Label]) -> list[LabelUse]:
    uses: list[LabelUse] = []
    for label in labels:
        for article, term in label.variants:
            if article != doc.id:
                continue
            words = r"\s+".join(re.escape(w) for w in term.split())
            m = re.search(rf"(?<![\w-]){words}(?![\w-])", doc.text, re.IGNORECASE)
            if m is None:
                logger.debug("label term %r not found in %s", term, doc.id)
                continue
            cite = Citation(article=doc.id, start=m.start(), end=m.end(), text=m.group(0))
            uses.append(LabelUse(concept=label.concept, citation=cite))
    return uses


def find_outlet_profiles(
    articles: Sequence[AnalyzedArticle],
    framing: Framing,
    *,
    loaded: LoadedLexicon | None = None,
    rules: SourceRules | None = None,
) -> tuple[OutletProfile, ...]:
    """Measure how each outlet tells the story, every figure backed by spans.

    Works for any number of articles, one included; an outlet with several
    articles gets their measures summed.

    Args:
        articles: Analyzed articles of the story.
        framing: The story's framing (its hedges, anonymous sources and labels are reused).
        loaded: Loaded-language lexicon; the packaged default when None.
        rules: Source-type rules; the packaged default when None.

    Returns:
        One profile per outlet, in order of first appearance.

    Raises:
        ConfigError: A default lexicon cannot be loaded.
    """
    outlets = list(dict.fromkeys(doc.article.outlet for doc in articles))
    profiles: list[OutletProfile] = []
    for outlet in outlets:
        members = [doc for doc in articles if doc.article.outlet == outlet]
        ids = {doc.id for doc in members}
        hedges: list[HedgedClaim] = []
        sources: list[Source] = []
        media: list[Citation] = []
        terms: list[LoadedTerm] = []
        labels: list[LabelUse] = []
        for doc in members:
            mine = [h for h in framing.hedges if h.article == doc.id]
            hedges.extend(_hedged_claims(doc, mine))
            sources.extend(find_sources(doc, rules))
            media.extend(find_media_reliance(doc, rules, outlets=outlets))
            terms.extend(find_loaded_language(doc, loaded))
            labels.extend(_label_uses(doc, framing.labels))
        profiles.append(
            OutletProfile(
                outlet=outlet,
                articles=tuple(doc.id for doc in members),
                words=sum(doc.article.word_count for doc in members),
                hedges=tuple(hedges),
                anonymous_sources=tuple(c for c in framing.anonymous_sources if c.article in ids),
                sources=tuple(sources),
                media=tuple(media),
                loaded=tuple(terms),
                labels=tuple(labels),
            )
        )
    return tuple(profiles)
