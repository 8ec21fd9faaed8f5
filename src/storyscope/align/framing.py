"""Framing: how each outlet words the story.

* ``hedges`` and ``anonymous_sources`` cite the analyze stage's cues verbatim.
* ``labels`` list one thing named differently across articles: concept-anchored
  word choice (the descriptors outlets put beside one person's name, "North
  Korean dictator" / "North Korean leader"; the nouns of one ``[[concept]]`` in
  aligned claims, "the lawsuit" / "the litigation"; a judging modifier on one
  noun; never words inside a quotation, see ``docs/framing.md``), and three more
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

import bisect
import difflib
import functools
import logging
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from storyscope._toml import packaged, read_toml
from storyscope._words import ATTRIBUTION_SPEECH_FORMS, DAY_WORDS, MONTHS, WEEKDAYS
from storyscope.align._claims import ClaimRef, ClaimTable
from storyscope.align._cues import article_hedges, cue_citations
from storyscope.align._text import NEGATIONS, STOPWORDS, norm_words, stem
from storyscope.align.loaded_language import (
    LoadedLexicon,
    find_loaded_language,
    load_loaded_lexicon,
    match_terms,
)
from storyscope.align.sourcing import SourceRules, find_sources, story_media_reliance
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

__all__ = [
    "ConceptGroup",
    "ConceptLexicon",
    "VariantGroup",
    "find_framing",
    "find_outlet_profiles",
    "load_concepts",
    "load_variants",
]

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
# Surface forms of the reporting verbs whose swap is a matter of attribution, reported by the
# hedge/cue measures, not a label for the same thing ([subsets] attribution of
# data/speech_verbs.toml, the one home of the speech verbs).
_SPEECH = ATTRIBUTION_SPEECH_FORMS


@dataclass(frozen=True, slots=True)
class VariantGroup:
    """One lexicon entry: a concept and the terms that name it."""

    concept: str
    terms: tuple[str, ...]
    line: int


def _default_path() -> Path:
    return packaged("variants.toml")


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
    raw, data = read_toml(path, "variant lexicon")
    header_lines = [
        n for n, text in enumerate(raw.splitlines(), start=1) if text.strip() == "[[variant]]"
    ]
    unknown = set(data) - {"variant", "concept", "descriptors"}
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
    if x == y or x.replace("'", "") == y.replace("'", ""):
        return False  # punctuation only: an editor's bracket, "Worker's" / "Workers'"
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
            labels.append(
                Label(
                    concept=_majority_concept(variants), variants=tuple(variants), kind="spelling"
                )
            )
    return labels


def _fold(term: str) -> str:
    """A term without accents, case, hyphens, spaces or apostrophes: "Kyïv" -> "kyiv"."""
    decomposed = unicodedata.normalize("NFKD", term)
    return "".join(c for c in decomposed.casefold() if c.isalnum())


def _is_capitalised(term: str) -> bool:
    return all(w[:1].isupper() for w in term.split() if w[:1].isalpha())


def _label_kind(terms: Sequence[str]) -> str:
    """``"spelling"`` when ``terms`` are spellings of one name, else ``"wording"``.

    Spellings: the same letters but for accents, case, hyphens, spaces and
    apostrophes ("Kim Jong Un" / "Kim Jong-un"), or names (every word
    capitalised) at most two letter edits apart and no more than half the
    shorter one (transliterations: "Kyiv" / "Kiev", "Gaddafi" / "Qaddafi").
    Inflections ("Democrat" / "Democrats") are not spellings.
    """
    distinct = list(dict.fromkeys(terms))
    if len(distinct) < 2:
        return "wording"
    folded = [_fold(t) for t in distinct]
    if len(set(folded)) == 1 and folded[0]:
        return "spelling"
    if not all(_is_capitalised(t) for t in distinct):
        return "wording"
    for i, a in enumerate(folded):
        for b in folded[i + 1 :]:
            if a == b:
                continue
            if not a or not b or stem(a) == stem(b) or _same_root(a, b):
                return "wording"
            dist = _edit_distance(a, b)
            if dist > 2 or dist > min(len(a), len(b)) // 2:
                return "wording"
    return "spelling"


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
            if x == y or stem(x) == stem(y) or _same_root(x, y) or _same_head(x, y):
                return False
    # The swapped phrases end on their head noun: "workers", not "the".
    return _substitutable(a[-1]) and _substitutable(b[-1])


def _word_in(table: ClaimTable, ref: ClaimRef, word: str) -> tuple[int, bool, bool] | None:
    """Where ``word`` is in a claim: (offset, inside a quotation, printed as a name)."""
    claim = ref.claim
    m = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", claim.text, re.IGNORECASE)
    if m is None:
        return None
    doc = table.articles[ref.doc]
    pos = claim.start + m.start()
    quoted = any(q.kind in _OWN_VOICE_EXCLUDED and q.start <= pos < q.end for q in doc.quotes)
    name = m.group(0)[:1].isupper() and m.start() > 0
    return pos, quoted, name


def _substitution_labels(table: ClaimTable, groups: Sequence[Sequence[int]]) -> list[Label]:
    found: dict[frozenset[str], list[tuple[str, str]]] = {}
    pair_count: Counter[frozenset[str]] = Counter()
    words_of: dict[int, list[str]] = {}
    edits: dict[tuple[tuple[str, ...], tuple[str, ...]], Sequence[tuple[str, int, int, int, int]] | None] = {}

    def words(row: int) -> list[str]:
        if row not in words_of:
            words_of[row] = norm_words(table.refs[row].claim.text)
        return words_of[row]

    for rows in groups:
        if len(rows) < 2:
            continue
        for x, ra in enumerate(rows):
            for rb in rows[x + 1 :]:
                a, b = table.refs[ra], table.refs[rb]
                if a.outlet == b.outlet:
                    continue  # one outlet's two sentences of a fact: not a choice between outlets
                wa, wb = words(ra), words(rb)
                if wa == wb:
                    continue  # word for word the same: nothing swapped
                key_ab = (tuple(wa), tuple(wb))
                if key_ab not in edits:  # copies of a story repeat the same pairs
                    sm = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
                    # the quick ratios bound ratio from above at a fraction of its cost
                    edits[key_ab] = (
                        sm.get_opcodes()
                        if sm.real_quick_ratio() >= SUBSTITUTION_RATIO
                        and sm.quick_ratio() >= SUBSTITUTION_RATIO
                        and sm.ratio() >= SUBSTITUTION_RATIO
                        else None
                    )
                ops = edits[key_ab]
                if ops is None:
                    continue
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
                            or _same_head(u, v)  # "memoranda" / "memorandums"
                        ):
                            continue
                    elif _phrase_swap(wa[i1:i2], wb[j1:j2]):
                        u, v = " ".join(wa[i1:i2]), " ".join(wb[j1:j2])
                    else:
                        continue
                    where = [_word_in(table, a, wa[i1]), _word_in(table, b, wb[j1])]
                    if any(w is not None and w[1] for w in where):
                        continue  # inside a quotation: a quote variant, not the outlet's wording
                    if all(w is not None and w[2] for w in where):
                        continue  # two different names ("Debbie" / "Wendy"): an error, not a label
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


# --- concept-anchored word choice ------------------------------------------------------
#
# A label needs two outlets naming *one* thing differently, so the things are found first:
# people by their names (the descriptors each outlet puts beside a name: "North Korean
# dictator Kim Jong Un", "Mike Pompeo, Trump's secretary of State pick,"; and definite
# descriptions that can only mean that person in the story: "the dictator"), and concepts by
# their head noun (the nouns of one [[concept]] of data/variants.toml, in claims whose sentence
# embeddings agree, name one thing: "the lawsuit" / "the litigation"; a noun one outlet gives a
# judging modifier: "sweeping tariffs" / "U.S. tariffs"). Only the outlet's own voice counts:
# words inside a direct or partial quotation are the speaker's. See docs/framing.md.

_TOKEN_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W_][\w'’-]*[^\W_]|[^\W_]")
_DETERMINERS = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our"]
)
#: Words that open a noun phrase of a concept as an article does.
_OPENERS = _DETERMINERS | frozenset(
    ["another", "any", "some", "every", "each", "no", "such", "one", "other"]
)
_HONORIFICS = frozenset(
    ["mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "miss", "sir", "dame"]
)
_MODALS = frozenset(
    [
        "to",
        "will",
        "would",
        "could",
        "can",
        "may",
        "might",
        "must",
        "should",
        "shall",
        "not",
        "never",
        "did",
        "does",
        "do",
    ]
)
#: Sentence-embedding cosine two claims need before their nouns of one concept are taken to
#: name one thing (a story has several meetings, statements, deals).
CONCEPT_COSINE = 0.5
#: Longest descriptor or concept phrase kept (in words).
MAX_DESCRIPTOR = 6
_OWN_VOICE_EXCLUDED = frozenset({"direct", "partial"})


@dataclass(frozen=True, slots=True)
class ConceptGroup:
    """One ``[[concept]]`` entry: head nouns that name one thing in one story."""

    concept: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConceptLexicon:
    """The concept heads, role nouns and neutral modifiers of data/variants.toml."""

    groups: tuple[ConceptGroup, ...] = ()
    roles: frozenset[str] = frozenset()
    neutral: frozenset[str] = frozenset()


@functools.cache
def _load_concepts_cached(path: str) -> ConceptLexicon:
    _, data = read_toml(path, "concept lexicon")
    desc = data.get("descriptors", {})
    roles = desc.get("roles", []) if isinstance(desc, dict) else []
    neutral = desc.get("neutral", []) if isinstance(desc, dict) else []
    groups: list[ConceptGroup] = []
    for entry in data.get("concept", []):
        name, terms = entry.get("name"), entry.get("terms")
        if not isinstance(name, str) or not isinstance(terms, list) or not terms:
            raise ConfigError(f"{path}: concept {name!r} needs a 'name' and a list of 'terms'")
        groups.append(ConceptGroup(concept=name, terms=tuple(str(t).lower() for t in terms)))
    if not all(isinstance(r, str) for r in (*roles, *neutral)):
        raise ConfigError(f"{path}: [descriptors] roles and neutral must be lists of strings")
    return ConceptLexicon(
        groups=tuple(groups),
        roles=frozenset(r.lower() for r in roles),
        neutral=frozenset(n.lower() for n in neutral),
    )


def load_concepts(path: str | Path | None = None) -> ConceptLexicon:
    """The concept lexicon (``[[concept]]`` and ``[descriptors]`` of the variant lexicon).

    Raises:
        ConfigError: The file cannot be read or an entry is malformed.
    """
    p = Path(path) if path is not None else _default_path()
    load_variants(p)  # the same file: its errors are reported with their line
    return _load_concepts_cached(str(p))


@dataclass(frozen=True, slots=True)
class _Tok:
    start: int
    end: int
    text: str
    low: str


@dataclass(frozen=True, slots=True)
class _Phrase:
    """A descriptor or concept phrase in one article: its words and where it is."""

    article: str
    start: int
    text: str
    key: tuple[str, frozenset[str]]
    loaded: bool
    title: bool = False  # a capitalised title before a name ("Representative"), not a description


class _Doc:
    """One article's tokens by sentence, entity labels per token and quoted spans."""

    def __init__(self, doc: AnalyzedArticle) -> None:
        self.doc = doc
        text = doc.text
        self.tokens = [
            _Tok(m.start(), m.end(), m.group(0), m.group(0).lower().replace("’", "'"))
            for m in _TOKEN_RE.finditer(text)
        ]
        self.starts = [t.start for t in self.tokens]
        self.quoted = [
            (q.start, q.end)
            for q in doc.quotes
            if q.kind in _OWN_VOICE_EXCLUDED and q.end > q.start
        ]
        self.ent_label: dict[int, str] = {}
        for ent in doc.entities:
            if text[ent.start : ent.end] != ent.text:
                continue
            for i in self.span_tokens(ent.start, ent.end):
                self.ent_label[i] = ent.label
        bounds = sorted({s.start for s in doc.sentences} | {0})
        self.sent_of = [bisect.bisect_right(bounds, t.start) - 1 for t in self.tokens]

    def span_tokens(self, start: int, end: int) -> range:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return range(lo, hi)

    def in_quote(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.quoted)

    def gap(self, i: int, j: int) -> str:
        """The text between token i and token j (j > i)."""
        return self.doc.text[self.tokens[i].end : self.tokens[j].start]

    def same_sentence(self, i: int, j: int) -> bool:
        return self.sent_of[i] == self.sent_of[j]


def _is_verbish(low: str) -> bool:
    return low.endswith(("ing", "ed")) and low not in ("king", "red", "head")


def _descriptor_ok(words: Sequence[_Tok], roles: frozenset[str]) -> bool:
    """A run of words before or beside a name that says what the person is."""
    if not words:
        return False
    head = words[-1].low
    if head in STOPWORDS or not head.replace("-", "").isalpha():
        return False
    if head.endswith("s") and head not in roles and head[:-1] not in roles:
        return False
    if head[:-1] in roles and head.endswith("s"):
        return False  # "the two leaders": several people
    if any(w.low in _NUMBER_WORDS or any(c.isdigit() for c in w.low) for w in words):
        return False
    if head in roles or head.split("-")[-1] in roles:
        return True
    # An unlisted noun counts when a capitalised modifier anchors it: "North Korean dictator".
    return (
        words[-1].text.islower()
        and not _is_verbish(head)
        and not head.endswith("ly")
        and any(w.text[:1].isupper() for w in words[:-1])
    )


def _descriptor_key(
    words: Sequence[_Tok],
    labels: Sequence[str | None],
    lex: ConceptLexicon,
    common: frozenset[str] = frozenset(),
) -> tuple[str, frozenset[str]]:
    """(head, modifiers) with names, nationalities and neutral words ("former") left out."""
    head = stem(words[-1].low.split("-")[-1])
    mods: set[str] = set()
    for w, lab in zip(words[:-1], labels[:-1], strict=True):
        for part in w.low.split("-"):
            if (
                lab is not None
                or part in STOPWORDS
                or part in lex.neutral
                or part.endswith("'s")
                or (w.text[:1].isupper() and part not in lex.roles and part not in common)
            ):
                continue
            mods.add(part)
    return head, frozenset(mods)


def _descriptor_text(words: Sequence[_Tok], text: str) -> str:
    return " ".join(text[words[0].start : words[-1].end].split())


def _trim_front(words: list[_Tok]) -> list[_Tok]:
    while words and (
        words[0].low in _DETERMINERS
        or (words[0].low.endswith("'s") and words[0].text[:1].isupper())
    ):
        words = words[1:]
    return words


def _describing(word: str) -> bool:
    """An adjective by its ending ("reclusive", "notorious", "salacious")."""
    return len(word) >= 5 and word.endswith(
        ("ive", "ous", "al", "ic", "ent", "ant", "ful", "less", "ible", "able")
    )


def _modifier_word(t: _Tok, lex: ConceptLexicon) -> bool:
    """A lower-case word that can open a descriptor ("former", "then-national", "reclusive")."""
    first = t.low.split("-")[0]
    return (
        t.low in lex.roles
        or first in lex.neutral
        or "-" in t.low
        or (
            len(t.low) >= 6
            and t.low.endswith(
                ("ive", "ous", "al", "ic", "ent", "ant", "ful", "less", "ible", "able")
            )
        )
    )


def _name_words(name: str) -> tuple[str, ...]:
    name = re.sub(r"['’]s$", "", name.strip())
    words = [w for w in re.split(r"[\s-]+", name.lower().replace(".", " ")) if len(w) > 1]
    if words and words[0] == "the":
        words = words[1:]
    return tuple(words)


def _common_words(docs: Sequence[_Doc]) -> frozenset[str]:
    """Words the story prints in lower case somewhere (so a capitalised one is a title word)."""
    return frozenset(t.low for d in docs for t in d.tokens if t.text.islower())


def _person_clusters(docs: Sequence[_Doc]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each PERSON name (as words) -> the story's fullest name that contains it."""
    counts: Counter[tuple[str, ...]] = Counter()
    for d in docs:
        for ent in d.doc.entities:
            if ent.label == "PERSON":
                w = _name_words(ent.text)
                if w:
                    counts[w] += 1
    full = sorted((n for n in counts if len(n) >= 2), key=lambda n: (-len(n), -counts[n], n))
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for n in counts:
        owners = [f for f in full if set(n) <= set(f)]
        # the fullest name holding every word; one-word names only when one person has them
        tops = {f for f in owners if not any(set(f) < set(g) for g in owners)}
        if len(tops) == 1:
            out[n] = next(iter(tops))
        elif not owners:
            out[n] = n
    return out


def _person_descriptors(
    docs: Sequence[_Doc], lex: ConceptLexicon, loaded: LoadedLexicon
) -> dict[tuple[str, ...], list[_Phrase]]:
    clusters = _person_clusters(docs)
    found: dict[tuple[str, ...], list[_Phrase]] = {}
    common = _common_words(docs)

    def add(d: _Doc, who: tuple[str, ...], idx: list[int]) -> None:
        words = [d.tokens[i] for i in idx]
        words = _trim_front(words)
        if not _descriptor_ok(words, lex.roles):
            return
        idx = idx[len(idx) - len(words) :]
        start, end = words[0].start, words[-1].end
        if d.in_quote(start, end):
            return
        key = _descriptor_key(words, [d.ent_label.get(i) for i in idx], lex, common)
        title = words[-1].text[:1].isupper() and words[-1].text.lower() != words[-1].text
        judging = any(_loaded_word(w.low, loaded) for w in words)
        found.setdefault(who, []).append(
            _Phrase(d.doc.id, start, _descriptor_text(words, d.doc.text), key, judging, title)
        )

    for d in docs:
        text = d.doc.text
        for ent in d.doc.entities:
            if ent.label != "PERSON" or text[ent.start : ent.end] != ent.text:
                continue
            who = clusters.get(_name_words(ent.text))
            if who is None:
                continue
            span = d.span_tokens(ent.start, ent.end)
            if not span:
                continue
            first, last = span[0], span[-1]
            # (a) a title run just before the name: "North Korean dictator Kim Jong Un"
            run: list[int] = []
            i = first - 1
            while i >= 0 and len(run) < MAX_DESCRIPTOR and d.same_sentence(i, first):
                t = d.tokens[i]
                if d.gap(i, run[-1] if run else first).strip() not in ("",):
                    break
                if t.low in _HONORIFICS or d.ent_label.get(i) == "PERSON":
                    break
                if t.low in _DETERMINERS:
                    break
                if t.low.endswith("'s"):
                    run.append(i)
                    break
                if (
                    t.low == "of"
                    and run
                    and d.tokens[run[-1]].text[:1].isupper()
                    and i > 0
                    and d.tokens[i - 1].low in lex.roles
                ):
                    run.append(i)  # "secretary of State-designate"
                    i -= 1
                    continue
                if t.low in STOPWORDS or t.low in _SPEECH or t.low in _MODALS:
                    break
                if _is_verbish(t.low) and t.low not in lex.roles:
                    # "the fired FBI director": a participle after a determiner modifies
                    if i > 0 and d.tokens[i - 1].low in _DETERMINERS and run:
                        run.append(i)
                    break
                run.append(i)
                i -= 1
            run.sort()
            if run and not (i >= 0 and d.tokens[i].low in _DETERMINERS):
                # no article before the run: a lower-case opener is a verb ("discuss", "hurt")
                # unless it reads as a modifier
                while (
                    run
                    and d.tokens[run[0]].text.islower()
                    and not _modifier_word(d.tokens[run[0]], lex)
                ):
                    run = run[1:]
            if run:
                add(d, who, run)
            # (b) an apposition after the name: "Mike Pompeo, Trump's secretary of State pick,"
            j = last + 1
            if j < len(d.tokens) and d.gap(last, j).strip() == "," and d.same_sentence(j, last):
                app: list[int] = []
                k = j
                while k < len(d.tokens) and len(app) < MAX_DESCRIPTOR + 2:
                    if app and d.gap(app[-1], k).strip() not in ("",):
                        break
                    if d.tokens[k].low in ("who", "which", "that", "and", "said", "says"):
                        app = []
                        break
                    app.append(k)
                    k += 1
                closed = bool(app) and (
                    k >= len(d.tokens) or d.gap(app[-1], k).strip()[:1] in (",", ".", ";")
                )
                while app and d.tokens[app[0]].low in lex.neutral:
                    app = app[1:]
                cut_at = [x for x in app if d.tokens[x].low in ("to", "who", "since", "until")]
                if cut_at:
                    app = app[: app.index(cut_at[0])]
                owner = [x for x in app if d.tokens[x].low.endswith("'s")]
                if (
                    app
                    and closed
                    and (
                        d.tokens[app[0]].low in _DETERMINERS
                        or d.tokens[app[0]].low.endswith("'s")
                        or (
                            owner
                            and all(
                                d.tokens[x].text[:1].isupper()
                                for x in app[: app.index(owner[0]) + 1]
                            )
                        )
                    )
                ):
                    if owner and d.tokens[app[0]].low not in _DETERMINERS:
                        app = app[app.index(owner[0]) :]
                    words = [d.tokens[x].low for x in app]
                    if "of" in words:
                        cut = words.index("of")
                        tail = [d.tokens[x] for x in app[cut + 1 :]]
                        if tail and tail[-1].text[:1].isupper():
                            app = app[:cut]  # "the leader of Japan": the head is "leader"
                    add(d, who, app)
    return found


def _definite_descriptions(
    docs: Sequence[_Doc],
    found: dict[tuple[str, ...], list[_Phrase]],
    lex: ConceptLexicon,
    loaded: LoadedLexicon,
) -> None:
    """Attach "the dictator", "the fired FBI director" to the one person they can mean."""
    by_head: dict[str, set[tuple[str, ...]]] = {}
    by_mod: dict[str, set[tuple[str, ...]]] = {}
    for who, phrases in found.items():
        for p in phrases:
            by_head.setdefault(p.key[0], set()).add(who)
            for word in p.text.split():
                if word[:1].isupper() and word.lower() not in lex.roles:
                    by_mod.setdefault(_bare(word.lower()), set()).add(who)
    seen = {(p.article, p.start) for ps in found.values() for p in ps}
    common = _common_words(docs)
    head_articles: dict[tuple[tuple[str, ...], str], set[str]] = {}
    for who, phrases in found.items():
        for p in phrases:
            head_articles.setdefault((who, p.key[0]), set()).add(p.article)
    for d in docs:
        n = len(d.tokens)
        for i, t in enumerate(d.tokens):
            if t.low not in ("the", "his", "her", "their"):
                continue
            run: list[int] = []
            k = i + 1
            while k < n and len(run) < 4 and d.gap(k - 1, k).strip() == "":
                run.append(k)
                if _bare(d.tokens[k].low) in lex.roles and not d.tokens[k].text[:1].isupper():
                    break
                k += 1
            if not run:
                continue
            htok = d.tokens[run[-1]]
            if _bare(htok.low) in lex.roles and htok.low != _bare(htok.low):
                # "the North Korean leader's move": the leader, without the clitic
                htok = _Tok(htok.start, htok.end - 2, htok.text[:-2], _bare(htok.low))
            if htok.low not in lex.roles:
                continue
            nxt = run[-1] + 1
            if nxt < n and d.gap(run[-1], nxt).strip() == "" and d.tokens[nxt].text[:1].isupper():
                continue  # a title before a name: found by the name
            if (
                nxt < n
                and d.gap(run[-1], nxt).strip() == ""
                and d.tokens[nxt].text.islower()
                and d.tokens[nxt].low in lex.roles
            ):
                continue  # "the FBI's general counsel": the role goes on
            if nxt < n and d.tokens[nxt].low in ("of", "for", "at", "in", "to", "with", "from"):
                continue  # "the senior director for Asia": a role of its own
            words = [d.tokens[x] for x in run[:-1]] + [htok]
            if any(w.low in STOPWORDS or w.low in _NUMBER_WORDS for w in words[:-1]):
                continue
            anchored = any(w.text[:1].isupper() and w.low not in lex.roles for w in words[:-1])
            cands = set(found) if anchored else set(by_head.get(stem(htok.low), set()))
            for w in words[:-1]:
                if w.text[:1].isupper() and w.low not in lex.roles:
                    cands &= by_mod.get(_bare(w.low), set())
            if len(cands) != 1 or (d.doc.id, words[0].start) in seen:
                continue
            if not anchored and any(
                w.low not in lex.neutral and not w.low.endswith("'s") for w in words[:-1]
            ):
                continue  # "the deputy director": another role
            if not anchored and len(head_articles.get((next(iter(cands)), stem(htok.low)), ())) < 2:
                continue  # a bare "the director": only for a role two articles give one person
            if d.in_quote(words[0].start, words[-1].end):
                continue
            who = next(iter(cands))
            key = _descriptor_key(words, [d.ent_label.get(x) for x in run], lex, common)
            judging = any(_loaded_word(w.low, loaded) for w in words)
            found[who].append(
                _Phrase(d.doc.id, words[0].start, _descriptor_text(words, d.doc.text), key, judging)
            )


def _bare(word: str) -> str:
    """A word without its possessive clitic ("leader's" -> "leader", "North's" -> "north")."""
    return word[:-2] if word.endswith("'s") else word


def _same_head(a: str, b: str) -> bool:
    """One word in two forms: stems, roots, a clipping ("suit"/"lawsuit"), "memo"/"memoranda"."""
    if a == b or stem(a) == stem(b) or _same_root(a, b):
        return True
    if min(len(a), len(b)) >= 4 and (a.endswith(b) or b.endswith(a)):
        return True
    prefix = len(os.path.commonprefix([a, b]))
    return prefix >= 4 and prefix >= 0.8 * min(len(a), len(b))


def _same_key(a: tuple[str, frozenset[str]], b: tuple[str, frozenset[str]]) -> bool:
    return _same_head(a[0], b[0]) and a[1] == b[1]


def _wording_differs(p: _Phrase, q: _Phrase, roles: frozenset[str]) -> bool:
    """Whether two wordings of one thing differ as word choice.

    The same head with other modifiers does ("the fired FBI director" / "the former FBI
    director": "former" is neutral, "fired" is not). Two role nouns do only when one of the
    two judges ("dictator" / "leader"): "CIA chief" / "CIA director", "campaign chairman" /
    "campaign manager", "Representative" / "Chairman" are titles and facts, not framing.
    """
    if _same_key(p.key, q.key):
        return False
    if _same_head(p.key[0], q.key[0]):
        # a modifier one outlet adds: word choice when it judges or describes ("fired",
        # "reclusive"), not when it only narrows ("campaign chairman" / "chair")
        extra = (p.key[1] - q.key[1]) | (q.key[1] - p.key[1])
        return (
            bool(p.key[1] - q.key[1] and q.key[1] - p.key[1])
            or any(_is_verbish(m) or _describing(m) for m in extra)
            or p.loaded != q.loaded
        )
    if p.title and q.title:
        return False
    both_roles = all(k[0] in roles or any(stem(r) == k[0] for r in roles) for k in (p.key, q.key))
    return not both_roles or p.loaded or q.loaded


def _choose_label(
    concept: str,
    phrases: Sequence[_Phrase],
    articles: Sequence[AnalyzedArticle],
    roles: frozenset[str] = frozenset(),
) -> Label | None:
    """One term per article: its most distinctive wording of the concept."""
    by_article: dict[str, list[_Phrase]] = {}
    for p in phrases:
        by_article.setdefault(p.article, []).append(p)
    if len(by_article) < 2:
        return None
    outlet = {a.id: a.article.outlet for a in articles}
    chosen: list[tuple[str, _Phrase]] = []
    for doc in articles:
        mine = by_article.get(doc.id)
        if not mine:
            continue
        keys: list[tuple[str, frozenset[str]]] = []
        for p in mine:
            if not any(_same_key(p.key, k) for k in keys):
                keys.append(p.key)

        def others(k: tuple[str, frozenset[str]], me: str = doc.id) -> int:
            return len(
                {
                    outlet[p.article]
                    for p in phrases
                    if outlet[p.article] != outlet[me] and _same_key(p.key, k)
                }
            )

        def rank(k: tuple[str, frozenset[str]], mine: list[_Phrase] = mine) -> tuple[int, ...]:
            uses = [p for p in mine if _same_key(p.key, k)]
            return (others(k), -int(any(p.loaded for p in uses)), -len(uses), uses[0].start)

        best = min(keys, key=rank)
        uses = [p for p in mine if _same_key(p.key, best)]
        surface = Counter(p.text.lower() for p in uses)
        pick = max(uses, key=lambda p: (surface[p.text.lower()], len(p.text.split()), -p.start))
        chosen.append((doc.id, pick))
    differ = any(
        outlet[a] != outlet[b] and _wording_differs(p, q, roles)
        for x, (a, p) in enumerate(chosen)
        for b, q in chosen[x + 1 :]
    )
    if not differ:
        return None
    return Label(concept=concept, variants=tuple((a, p.text) for a, p in chosen))


def _person_labels(
    docs: Sequence[_Doc],
    articles: Sequence[AnalyzedArticle],
    lex: ConceptLexicon,
    loaded: LoadedLexicon,
) -> list[Label]:
    found = _person_descriptors(docs, lex, loaded)
    _definite_descriptions(docs, found, lex, loaded)
    labels: list[Label] = []
    names: Counter[str] = Counter()
    for d in docs:
        for ent in d.doc.entities:
            if ent.label == "PERSON" and len(_name_words(ent.text)) >= 2:
                names[" ".join(ent.text.split())] += 1
    for who, phrases in found.items():
        # the story's most frequent full name of the person ("James Comey", not a stray
        # "James Comey Memos" the recogniser took for a name)
        spelled = [n for n in names if set(_name_words(n)) <= set(who)]
        name = (
            max(spelled, key=lambda n: (names[n], -len(n)))
            if spelled
            else " ".join(w.capitalize() for w in who)
        )
        label = _choose_label(name, phrases, articles, lex.roles)
        if label is not None:
            labels.append(label)
    return labels


#: Loaded-language categories whose words, put before a noun, make a wording of their own.
_JUDGING = frozenset({"emotive", "evaluative"})


def _loaded_word(word: str, loaded: LoadedLexicon) -> bool:
    return any(cat in _JUDGING for _, _, cat in match_terms(word, loaded))


def _concept_phrases(
    d: _Doc,
    terms: Sequence[str],
    lex: ConceptLexicon,
    loaded: LoadedLexicon,
    *,
    plain_needs_article: bool = False,
) -> list[_Phrase]:
    """Own-voice noun phrases headed by one of ``terms`` (plural forms too)."""
    text = d.doc.text
    alts = "|".join(
        re.escape(t).replace(r"\ ", r"\s+") for t in sorted(terms, key=len, reverse=True)
    )
    pattern = re.compile(rf"(?<![\w-])(?:{alts})(?:s|es)?(?![\w-])", re.IGNORECASE)
    out: list[_Phrase] = []
    for m in pattern.finditer(text):
        span = d.span_tokens(m.start(), m.end())
        if not span or d.in_quote(m.start(), m.end()):
            continue
        head_i = span[-1]
        nxt = head_i + 1
        if (
            nxt < len(d.tokens)
            and d.gap(head_i, nxt).strip() == ""
            and d.tokens[nxt].low
            in (
                "with",
                "to",
            )
            and m.group(0).lower() in ("deal", "talk", "halt", "freeze", "probe")
        ):
            continue  # "deal with", "talk to": verbs
        head_tok = d.tokens[head_i]
        if head_tok.text[:1].isupper() and (head_i == 0 or not d.same_sentence(head_i - 1, head_i)):
            pass  # sentence-initial capital: an ordinary noun
        elif head_tok.text[:1].isupper() or head_i in d.ent_label:
            continue  # part of a name: "the Paris Climate Accord"
        mods: list[int] = []
        i = span[0] - 1
        determined = False
        while i >= 0 and len(mods) < 3 and d.same_sentence(i, span[0]):
            if d.gap(i, mods[-1] if mods else span[0]).strip() not in ("",):
                break
            t = d.tokens[i]
            if t.low in _OPENERS:
                determined = True
                break
            if t.low.endswith("'s"):
                if t.text[:1].isupper():
                    mods.append(i)
                    # the whole name before the possessive: "North Korea's"
                    while (
                        i > 0
                        and d.tokens[i - 1].text[:1].isupper()
                        and d.gap(i - 1, i).strip() == ""
                        and d.same_sentence(i - 1, i)
                        and d.tokens[i - 1].low not in _OPENERS
                    ):
                        i -= 1
                        mods.append(i)
                determined = True
                break
            if any(t.low == term or stem(t.low) == stem(term) for term in terms):
                break  # "lawsuit opens another legal challenge": a phrase of its own
            if t.low in STOPWORDS or t.low in _SPEECH or t.low in _MODALS:
                if t.low in _MODALS and not mods:
                    mods = [-1]  # "to halt", "will freeze": a verb
                break
            if _is_verbish(t.low) and not _loaded_word(t.low, loaded):
                break
            if t.low in _NUMBER_WORDS or any(c.isdigit() for c in t.low):
                break
            mods.append(i)
            i -= 1
        if mods == [-1]:
            continue
        if not determined:
            # no article before the phrase: a lower-case opener is a verb ("create side deals")
            # unless it reads as a modifier or judges
            while (
                mods
                and d.tokens[min(mods)].text.islower()
                and not (
                    _modifier_word(d.tokens[min(mods)], lex)
                    or _loaded_word(d.tokens[min(mods)].low, loaded)
                )
            ):
                mods.remove(min(mods))
        idx = sorted(mods) + list(span)
        # a complement that says which one: "a freeze on tests", "the investigation into Flynn"
        j = head_i + 1
        if (
            j < len(d.tokens)
            and d.gap(head_i, j).strip() == ""
            and d.tokens[j].low in ("of", "on", "into", "against", "with", "between")
        ):
            tail: list[int] = []
            k = j + 1
            while k < len(d.tokens) and len(tail) < 4 and d.gap(k - 1, k).strip() == "":
                low = d.tokens[k].low
                if (low in STOPWORDS and low not in ("the", "and", "a", "an")) or low in _SPEECH:
                    break
                if _is_verbish(low) and not tail:
                    break
                tail.append(k)
                k += 1
            while tail and d.tokens[tail[-1]].low in STOPWORDS:
                tail.pop()
            if tail and not d.in_quote(d.tokens[j].start, d.tokens[tail[-1]].end):
                idx += [j, *tail]
        words = [d.tokens[x] for x in idx]
        if plain_needs_article and not determined and not mods:
            continue
        loaded_mods = frozenset(
            stem(w.low) for w in words[: len(mods)] if _loaded_word(w.low, loaded)
        )
        head = m.group(0).lower()
        head = " ".join(head.split())
        out.append(
            _Phrase(
                d.doc.id,
                words[0].start,
                _descriptor_text(words, text),
                (head, loaded_mods),
                bool(loaded_mods),
            )
        )
    return out


def _choose_aligned(
    concept: str,
    phrases: Sequence[_Phrase],
    articles: Sequence[AnalyzedArticle],
    table: ClaimTable,
) -> Label | None:
    """Per article, the wording it gives where another outlet words the same claim otherwise."""
    rows: dict[str, list[tuple[int, int, int]]] = {}
    for ref in table.refs:
        c = ref.claim
        rows.setdefault(table.articles[ref.doc].id, []).append((c.start, c.end, ref.row))

    def row_of(p: _Phrase) -> int | None:
        for lo, hi, row in rows.get(p.article, ()):
            if lo <= p.start < hi:
                return row
        return None

    outlet = {a.id: a.article.outlet for a in articles}
    placed = [(p, row_of(p)) for p in phrases]
    best: dict[str, tuple[float, _Phrase]] = {}
    for x, (p, rp) in enumerate(placed):
        if rp is None:
            continue
        for q, rq in placed[x + 1 :]:
            if rq is None or outlet[p.article] == outlet[q.article] or _same_key(p.key, q.key):
                continue
            cos = float(table.cosine[rp, rq])
            if cos < CONCEPT_COSINE:
                continue
            for item in (p, q):
                if item.article not in best or best[item.article][0] < cos:
                    best[item.article] = (cos, item)
    if len({outlet[a] for a in best}) < 2:
        return None
    variants = tuple((a.id, best[a.id][1].text) for a in articles if a.id in best)
    return Label(concept=concept, variants=variants)


def _concept_labels(
    docs: Sequence[_Doc],
    articles: Sequence[AnalyzedArticle],
    lex: ConceptLexicon,
    loaded: LoadedLexicon,
    table: ClaimTable,
) -> list[Label]:
    labels: list[Label] = []
    for group in lex.groups:
        phrases = [p for d in docs for p in _concept_phrases(d, group.terms, lex, loaded)]
        label = _choose_aligned(group.concept, phrases, articles, table)
        if label is not None:
            labels.append(label)
    # A head noun one outlet gives a loaded modifier and another names plainly.
    grouped = {t for g in lex.groups for t in g.terms}
    heads: Counter[str] = Counter()
    for d in docs:
        toks = d.tokens
        for i in range(len(toks) - 1):
            a, b = toks[i], toks[i + 1]
            c = toks[i + 2] if i + 2 < len(toks) else None
            ends = (
                c is None
                or d.gap(i + 1, i + 2).strip() != ""
                or c.low in STOPWORDS
                or not c.text.islower()
            )
            if (
                ends
                and not a.low.endswith("ly")
                and _loaded_word(a.low, loaded)
                and b.text.islower()
                and b.low.isalpha()
                and b.low not in STOPWORDS
                and not _is_verbish(b.low)
                and not b.low.endswith("ly")
                and d.gap(i, i + 1).strip() == ""
                and not d.in_quote(a.start, b.end)
                and stem(b.low) not in {stem(t) for t in grouped}
                and b.low not in lex.roles
            ):
                heads[stem(b.low)] += 1
    for head in sorted(heads):
        forms = {
            t.low
            for d in docs
            for t in d.tokens
            if stem(t.low) == head and t.text.islower() and t.low.isalpha()
        }
        phrases = [
            p
            for d in docs
            for p in _concept_phrases(d, sorted(forms), lex, loaded, plain_needs_article=True)
        ]
        # The shortest form names the concept; ties by spelling, never by set order.
        label = _choose_label(min(forms, key=lambda f: (len(f), f)), phrases, articles)
        if label is not None and any(
            not p.loaded for p in phrases if (p.article, p.text) in set(label.variants)
        ):
            labels.append(label)
    return labels


def _concept_anchored_labels(
    articles: Sequence[AnalyzedArticle],
    table: ClaimTable,
    lex: ConceptLexicon,
    loaded: LoadedLexicon,
) -> list[Label]:
    docs = [_Doc(a) for a in articles]
    return _person_labels(docs, articles, lex, loaded) + _concept_labels(
        docs, articles, lex, loaded, table
    )


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
        + (
            _concept_anchored_labels(articles, table, load_concepts(), load_loaded_lexicon())
            if len(articles) > 1
            else []
        )
        + _spelling_labels(articles)
        + (_substitution_labels(table, groups) if len(articles) > 1 else [])
    )
    for label in candidates:
        key = frozenset(t.lower() for _, t in label.variants)
        if key in seen or any(key <= other for other in seen):
            continue
        seen.add(key)
        if label.kind != "spelling" and _label_kind([t for _, t in label.variants]) == "spelling":
            label = replace(label, kind="spelling")
        labels.append(label)
    return Framing(
        labels=tuple(labels),
        hedges=cue_citations(articles, "hedge"),
        anonymous_sources=anonymous_citations(articles),
    )


def anonymous_citations(articles: Sequence[AnalyzedArticle]) -> tuple[Citation, ...]:
    """Every unnamed source of the story, one citation per source, in article and text order.

    The analyze stage's cue phrases ("on condition of anonymity") and the unnamed
    sources the ``[anonymous]`` rules of ``data/sources.toml`` find ("people
    familiar with the talks", "a source within the committee", "a senior port
    official said"; :func:`storyscope.align.sourcing.find_anonymous_mentions`),
    one per sentence; a later mention of one already introduced ("the source
    said") is not another. Read from each article's stored ``anonymous``
    (:func:`storyscope.align.sourcing.find_anonymous_citations`, run by the analyze
    stage), found here only for an article analysed without it.
    """
    from storyscope.align.sourcing import find_anonymous_citations

    out: list[Citation] = []
    for doc in articles:
        out.extend(doc.anonymous if doc.anonymous is not None else find_anonymous_citations(doc))
    return tuple(out)


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
            # What the analyze stage stored on the article, else found here (an analysis
            # without those analyzers, or lexicons other than the packaged ones).
            hedges.extend(article_hedges(doc, mine))
            sources.extend(
                doc.sources if doc.sources is not None and rules is None else find_sources(doc, rules)
            )
            media.extend(story_media_reliance(doc, outlets, rules))
            terms.extend(
                doc.loaded
                if doc.loaded is not None and loaded is None
                else find_loaded_language(doc, loaded)
            )
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
