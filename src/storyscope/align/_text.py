"""Small text helpers shared by the align modules: tokens, crude stems, stopwords."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from storyscope._words import NEGATIONS

__all__ = [
    "NEGATIONS",
    "WORD_RE",
    "Paraphrases",
    "load_paraphrases",
    "paraphrase_terms",
    "STOPWORDS",
    "content_terms",
    "fold",
    "same_given_name",
    "is_dateline_or_caption",
    "negated",
    "norm_words",
    "quoted_share",
    "shorten",
    "stem",
    "words",
]

WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W\d_]+)?")
"""A word token: letters/digits of any script with an apostrophe clitic kept attached.

Unicode-aware so that "Sánchez" or "Peña" is one word, not two fragments
("S", "nchez") that match nothing."""

#: Function words ignored when comparing content (lower-case).
_STOPWORDS_TEXT = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself nor of off on once only or other our ours ourselves
    out over own same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves said says say
    saying told according mr mrs ms dr s t d ll m re ve y o also however
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORDS_TEXT.split())


#: A dateline opening a sentence: "WASHINGTON — ", "LIVINGSTON, N.J. — ", "PARIS (AP) -- ".
_LEADING_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z.'-]{2,}(?: [A-Z][A-Z.'-]+){0,3}(?:,\s*[A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*){0,2})?"
    r"\s*(?:\([A-Za-z .-]{1,40}\)\s*)?(?:\u2014|\u2013|--|-)\s*(?=[A-Z0-9\"\u201c])"
)
_ALLCAPS_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'-]{2,}(?:,\s*[A-Za-z. ]+)?\s*[\u2014\u2013-]\s*$")


def words(text: str) -> list[str]:
    """Word tokens of ``text``, original case, apostrophe clitics kept attached."""
    return WORD_RE.findall(text)


def norm_words(text: str) -> list[str]:
    """Lower-cased word tokens, curly apostrophes straightened, accents folded.

    "Sánchez" and "Sanchez" are one word here: outlets differ in whether they
    print the accent, and a fact should not split on it.
    """
    return [fold(w.lower().replace("\u2019", "'")) for w in WORD_RE.findall(text)]


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """``word`` without combining accents ("sánchez" -> "sanchez"); other letters kept."""
    if word.isascii():
        return word
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)
    )
    return unicodedata.normalize("NFC", stripped)


def stem(word: str) -> str:
    """A crude English stem, enough to match ``includes``/``include``/``included``."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3 or w.isdigit():
        return w
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("ed", ""),
        ("es", "e"),
        ("s", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith("ss"):
                return w
            w = w[: len(w) - len(suffix)] + repl
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def content_terms(text: str) -> set[str]:
    """Stemmed content words of ``text`` (stopwords and negations removed)."""
    out: set[str] = set()
    for w in norm_words(text):
        if w in STOPWORDS or w in NEGATIONS or w.endswith("n't"):
            continue
        out.add(stem(w))
    return out


def negated(text: str) -> bool:
    """Whether ``text`` contains a negation word (``not``, ``never``, ``didn't``...).

    Only for an article without analysed claims, whose sentences stand as claims
    (:func:`storyscope.align._claims.build_table`): otherwise align reads the
    analyze stage's :attr:`~storyscope.model.Claim.negated`.
    """
    return any(w in NEGATIONS or w.endswith("n't") for w in norm_words(text))


def is_dateline_or_caption(text: str) -> bool:
    """Whether a claim is only a dateline, byline or photo caption, not a statement."""
    stripped = text.strip()
    if not stripped:
        return True
    if _ALLCAPS_DATELINE.match(stripped):
        return True
    if re.match(r"^\(?(?:photo|image|caption|credit|pictured|file photo|video)\b", stripped, re.I):
        return True
    return (
        bool(re.match(r"^(?:by|reporting by|editing by)\s+[A-Z]", stripped))
        and len(words(stripped)) <= 8
    )


def strip_dateline(text: str) -> tuple[int, str]:
    """``(offset, rest)``: ``text`` without a leading dateline ("WASHINGTON — ") and where
    the rest starts in ``text``; ``(0, text)`` when it has none."""
    m = _LEADING_DATELINE.match(text)
    if m is None or not any(c.isalpha() for c in text[m.end() :]):
        return 0, text
    return m.end(), text[m.end() :]


_QUOTED = re.compile(r'"[^"]*"|\u201c[^\u201c\u201d]*\u201d')


def quoted_share(text: str) -> float:
    """Share of the words of ``text`` that lie between quotation marks (0..1).

    An unclosed opening mark (a quote running on into the next sentence) counts
    to the end of the text.
    """
    total = len(words(text))
    if not total:
        return 0.0
    inside = sum(len(words(m.group())) for m in _QUOTED.finditer(text))
    rest = _QUOTED.sub(" ", text)
    for mark in ('"', "\u201c"):
        pos = rest.find(mark)
        if pos >= 0:
            inside += len(words(rest[pos:]))
            break
    return min(1.0, inside / total)


def shorten(text: str, limit: int = 120) -> str:
    """``text`` on one line, cut at a word boundary with an ellipsis if longer than ``limit``."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "\u2026"


# --- paraphrase lexicon ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paraphrases:
    """Words and phrases that count as one when claims are compared.

    Attributes:
        phrases: Stemmed word sequences (two or more words) -> group token.
        words: Stemmed single words -> group token.
        ignore: Stemmed words left out of the comparison.
    """

    phrases: dict[tuple[str, ...], str]
    words: dict[str, str]
    ignore: frozenset[str]


def load_paraphrases(path: str | Path | None = None) -> Paraphrases:
    """Load a paraphrase lexicon (default: the packaged ``data/paraphrases.toml``).

    Args:
        path: A TOML file with ``ignore = [...]`` and ``[[group]]`` tables of
            ``name`` and ``terms`` (at least two).

    Returns:
        The lexicon.

    Raises:
        ConfigError: The file cannot be read, is not TOML, or a group is malformed.
    """
    if path is None:
        return _packaged_paraphrases()
    return _read_paraphrases(Path(path))


@lru_cache(maxsize=1)
def _packaged_paraphrases() -> Paraphrases:
    from storyscope._toml import packaged

    return _read_paraphrases(packaged("paraphrases.toml"))


def _read_paraphrases(path: Path) -> Paraphrases:
    from storyscope._toml import read_toml
    from storyscope.align._lexicon import line_of
    from storyscope.errors import ConfigError

    raw, data = read_toml(path, "paraphrase lexicon")
    ignore = data.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(w, str) for w in ignore):
        raise ConfigError(f"{path}: line {line_of(raw, 'ignore')}: ignore must be a list of words")
    groups = data.get("group", [])
    if not isinstance(groups, list):
        raise ConfigError(f"{path}: line {line_of(raw, 'group')}: group must be [[group]] tables")
    phrases: dict[tuple[str, ...], str] = {}
    single: dict[str, str] = {}
    after = 1
    for number, group in enumerate(groups, start=1):
        after = line_of(raw, "[[group]]", after + 1 if number > 1 else 1)
        name = group.get("name") if isinstance(group, dict) else None
        terms = group.get("terms") if isinstance(group, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{path}: line {after}: group {number} needs a name")
        if (
            not isinstance(terms, list)
            or len(terms) < 2
            or not all(isinstance(t, str) and norm_words(t) for t in terms)
        ):
            raise ConfigError(
                f"{path}: line {after}: group {name!r} needs terms, a list of two or more words"
            )
        token = "~" + "_".join(norm_words(name))
        for term in terms:
            key = tuple(stem(w) for w in norm_words(term))
            if len(key) == 1:
                single[key[0]] = token
            else:
                phrases[key] = token
    return Paraphrases(
        phrases=phrases,
        words=single,
        ignore=frozenset(stem(w) for w in ignore for w in norm_words(w)),
    )


def paraphrase_terms(text: str, lexicon: Paraphrases | None = None) -> frozenset[str]:
    """Content terms of ``text`` with paraphrases folded into one token per group.

    Like :func:`content_terms`, but lexicon phrases ("pays for") and words
    ("funded", "council") become their group's token (``"~fund"``,
    ``"~city_government"``) and ignored adverbs ("already") are dropped.

    Args:
        text: A claim.
        lexicon: The lexicon (default: the packaged one).

    Returns:
        The folded terms.

    Raises:
        ConfigError: The packaged lexicon cannot be loaded.
    """
    lex = lexicon if lexicon is not None else _packaged_paraphrases()
    toks = norm_words(text)
    stems = [stem(w) for w in toks]
    out: set[str] = set()
    longest = max((len(k) for k in lex.phrases), default=0)
    i = 0
    while i < len(toks):
        matched = 0
        for size in range(min(longest, len(toks) - i), 1, -1):
            token = lex.phrases.get(tuple(stems[i : i + size]))
            if token is not None:
                out.add(token)
                matched = size
                break
        if matched:
            i += matched
            continue
        w = toks[i]
        i += 1
        if w in STOPWORDS or w in NEGATIONS or w.endswith("n't"):
            continue
        st = stems[i - 1]
        if st in lex.ignore:
            continue
        out.add(lex.words.get(st, st))
    return frozenset(out)


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, frozenset[str]]:
    """Given name or short form -> every name it may stand for (itself included)."""
    from storyscope._toml import packaged, read_toml
    from storyscope.align._lexicon import line_of
    from storyscope.errors import ConfigError

    path = packaged("nicknames.toml")
    raw, data = read_toml(path, "nickname list")
    names = data.get("names", {})
    if not isinstance(names, dict):
        raise ConfigError(f"{path}: line {line_of(raw, 'names')}: [names] must be a table")
    out: dict[str, set[str]] = {}
    for formal, shorts in names.items():
        if not isinstance(shorts, list) or not all(isinstance(x, str) for x in shorts):
            raise ConfigError(
                f"{path}: line {line_of(raw, formal)}: {formal} must list its short forms"
            )
        for name in (formal, *shorts):
            out.setdefault(fold(name.lower()), set()).add(fold(formal.lower()))
    return {k: frozenset(v) for k, v in out.items()}


def same_given_name(a: str, b: str) -> bool:
    """Whether two given names may name one person: equal, one a short form of the other
    ("Jim" / "James", "Bill" / "William"), one a prefix of the other ("Dan" / "Daniel")
    or an initial ("J." / "James")."""
    a, b = fold(a.lower().rstrip(".")), fold(b.lower().rstrip("."))
    if not a or not b:
        return False
    if a == b or a.startswith(b) or b.startswith(a):
        return True
    table = _nicknames()
    ra, rb = table.get(a, frozenset({a})), table.get(b, frozenset({b}))
    return bool(ra & rb) or a in rb or b in ra
