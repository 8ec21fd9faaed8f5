"""A person's role told as current by one outlet and as former by another.

"FBI official Richard McFeely" against "Richard A. McFeely, a former senior
official at the F.B.I.": the reader of the first believes McFeely speaks for
the bureau. Each mention of a person is read with its title: the words just
before the name ("former WWE executive Linda McMahon") or the appositive or
relative clause just after it ("McMahon, the CEO of World Wrestling
Entertainment"; "McFeely, who served in the FBI for 24 years before
retiring"). A title is *former* with a cue (former, ex-, retired, onetime,
before retiring); *current* with a role noun and no such cue. Two titles are
about one role when they share an organisation (an acronym or a name word:
"F.B.I." = "FBI", "WWE" = "World Wrestling Entertainment"). An article that
gives the person only a current title for an organisation conflicts with one
that gives only a former title for it; an article giving both ("the energy
secretary, a former Texas governor") conflicts with nobody.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from storyscope._toml import packaged, read_toml
from storyscope.align._claims import ClaimRef, ClaimTable
from storyscope.align._text import STOPWORDS, fold, same_given_name
from storyscope.errors import ConfigError
from storyscope.model import Quote

__all__ = ["TitleConflict", "title_conflicts"]


#: Role nouns proper (filled by :func:`_lexicon`).
_NOUNS: set[str] = set()


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], re.Pattern[str], re.Pattern[str]]:
    """Role words (nouns and their modifiers), the former-title cue and the not-now cue
    from ``data/titles.toml``."""
    path = packaged("titles.toml")
    _, data = read_toml(path, "title lexicon")
    try:
        roles = frozenset(str(w).lower() for w in [*data["roles"], *data["modifiers"]])
        nouns = frozenset(str(w).lower() for w in data["roles"])
        former = [str(w).lower() for w in data["former"]]
        not_now = [str(w).lower() for w in data["not_now"]]
    except (KeyError, TypeError) as exc:
        raise ConfigError(
            f"{path}: needs lists roles, modifiers, former and not_now ({exc})"
        ) from exc

    def cue(words: list[str]) -> re.Pattern[str]:
        ordered = sorted(words, key=len, reverse=True)
        alts = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)
        return re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)

    _NOUNS.clear()
    _NOUNS.update(nouns)
    return roles, cue(former), cue(not_now)


_WORD = re.compile(r"[A-Za-z][A-Za-z.&'\u2019-]*")
#: Words that end the run of title words before a name (going backwards).
_BREAK = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "and",
        "or",
        "but",
        "by",
        "with",
        "to",
        "for",
        "from",
        "that",
        "when",
        "as",
        "after",
        "before",
        "while",
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "has",
        "had",
        "have",
        "against",
        "on",
        "in",
        "at",
        "than",
        "about",
        "like",
        "also",
        "who",
        "which",
        "whom",
        "whose",
        "according",
        "asked",
        "added",
        "wrote",
        "called",
        "named",
    ]
)
_DETERMINERS = frozenset({"a", "an", "the", "his", "her", "their", "its"})
#: ", a former senior official at the F.B.I." (a period inside an acronym does not end it).
_APPOSITIVE = re.compile(
    r"\s*,\s*((?:a|an|the)\s(?:[^,;:.!?\"\u201c\u201d]|\.(?=\w)){2,120}?)\s*(?=[,;:!?]|\.(?!\w)|$)"
)
_RELATIVE = re.compile(r"\s*,\s*(who\s[^;:!?\"\u201c\u201d]{2,200}?)\s*(?=,|;|\.(?:\s|$)|$)")
_WHO_NOW = re.compile(
    r"who\s+(?:is|are|serves|heads|leads|runs|chairs|directs|represents|oversees|has\s+been)\b"
)
_WHO_BEFORE = re.compile(r"who\s+(?:was|were|served|had\s+been|worked|headed|led)\b")
#: Lower-case words inside an organisation's name ("Department of Justice").
_JOINERS = frozenset({"of", "and", "for", "the"})
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame"})
#: Party names: a shared party is not a shared role.
_PARTIES = frozenset(
    {"democratic", "democrat", "republican", "gop", "independent", "labour", "tory", "conservative"}
)


@dataclass(frozen=True, slots=True)
class TitleConflict:
    """Row ``a`` gives the person a current title, row ``b`` a former one."""

    a: int
    b: int
    person: str
    current: str
    former: str


@dataclass(frozen=True, slots=True)
class _Title:
    doc: int
    row: int
    person: str
    given: str
    text: str
    former: bool
    orgs: frozenset[str]


def _orgs(title: str) -> frozenset[str]:
    """Organisation keys of a title: each run of capitalised words, and its acronym, folded.

    "F.B.I." and "FBI" give "fbi"; "World Wrestling Entertainment" gives
    "world wrestling entertainment" and "wwe"; "Department of Justice" gives
    "department of justice" and "doj". Role words ("Sen.", "Director") and party
    names ("Republican") are not organisations; a run is not split into its
    words, so "White House" does not match "House".
    """
    roles, former, not_now = _lexicon()
    out: set[str] = set()
    run: list[str] = []

    def close() -> None:
        while run and run[-1].lower() in _JOINERS:
            run.pop()
        if run:
            out.add(" ".join(w.lower() for w in run))
            capitals = [w for w in run if w.lower() not in _JOINERS]
            if len(capitals) >= 2:
                out.add("".join(w[0] for w in capitals).lower())
        run.clear()

    for tok in _WORD.findall(title):
        bare = tok.replace(".", "").strip("'\u2019-")
        low = fold(bare.lower())
        if (
            not bare
            or low in roles
            or low in _PARTIES
            or low in _HONORIFICS
            or former.fullmatch(low)
            or not_now.fullmatch(low)
        ):
            close()
        elif bare[0].isupper():
            if len(bare) >= 2 and bare.isupper() and run:
                close()
            run.append(fold(bare))
            if len(bare) >= 2 and bare.isupper():
                close()
        elif low in _JOINERS and run:
            run.append(low)
        else:
            close()
    close()
    return frozenset(o for o in out if len(o) >= 2)


def _before(text: str, start: int, floor: int) -> str:
    """The title words right before a name ("former WWE executive"), or ''.

    Read backwards from the name up to six words, stopping at punctuation, a
    function word or a verb ("exited saying Trump" is no title); a leading
    common word ("Yet House Speaker") is dropped.
    """
    _, former, _ = _lexicon()
    chunk = text[max(floor, start - 80) : start]
    picked: list[str] = []
    for tok in reversed(chunk.rstrip().split()):
        if not _WORD.fullmatch(tok):
            break
        low = tok.lower()
        if low in _BREAK or low in _DETERMINERS:
            break
        # A verb form before a capitalised word ("exited saying Trump", "praising
        # President"); before a lower-case noun it is a modifier ("wrestling executive").
        nxt = picked[-1] if picked else "X"
        verbish = tok.islower() and low.endswith(("ing", "ed")) and not former.fullmatch(low)
        if verbish and nxt[:1].isupper():
            break
        picked.append(tok)
        if len(picked) >= 6:
            break
    words = list(reversed(picked))
    while words and words[0].lower() in STOPWORDS:
        words.pop(0)
    return " ".join(words)


def _is_title(text: str) -> bool:
    """Whether ``text`` holds a role noun ("official", "Sen."), not only a modifier ("vice")."""
    _lexicon()
    return any(fold(w.lower().strip(".'\u2019-")) in _NOUNS for w in _WORD.findall(text))


def _in_quote(quotes: Sequence[Quote], start: int) -> bool:
    return any(q.start <= start < q.end and q.kind != "indirect" for q in quotes)


def _titles(table: ClaimTable) -> list[_Title]:
    _, former_cue, not_now = _lexicon()
    out: list[_Title] = []
    for d, doc in enumerate(table.articles):
        rows = [r for r in table.refs if r.doc == d]
        if not rows:
            continue
        for ent in doc.entities:
            if ent.label != "PERSON":
                continue
            names = [fold(w.lower()) for w in _WORD.findall(ent.text)]
            names = [n.strip(".'\u2019") for n in names if n.strip(".'\u2019")]
            if not names or _in_quote(doc.quotes, ent.start):
                continue
            ref = _row_at(rows, ent.start)
            if ref is None:
                continue
            sent = ref.sentence
            texts = [_before(doc.text, ent.start, sent.start)]
            after = doc.text[ent.end : sent.end]
            for pattern in (_APPOSITIVE, _RELATIVE):
                m = pattern.match(after)
                if m:
                    texts.append(m.group(1))
            for title in texts:
                if not title or not_now.search(title):
                    continue
                former = bool(former_cue.search(title))
                if title.startswith("who "):
                    # A relative clause tells the time by its verb: "who heads the
                    # agency" now, "who was deputy secretary" before; "who ran as
                    # vice president on his ticket" is no role held.
                    if not former and _is_title(title):
                        if _WHO_NOW.match(title):
                            former = False
                        elif _WHO_BEFORE.match(title):
                            former = True
                        else:
                            continue
                    elif not former:
                        continue
                elif not former and not _is_title(title):
                    continue
                orgs = _orgs(title)
                if not orgs:
                    continue
                out.append(
                    _Title(
                        doc=d,
                        row=ref.row,
                        person=names[-1],
                        given=names[0] if len(names) > 1 else "",
                        text=title,
                        former=former,
                        orgs=orgs,
                    )
                )
    return out


def _row_at(rows: Sequence[ClaimRef], pos: int) -> ClaimRef | None:
    for ref in rows:
        if ref.sentence.start <= pos < ref.sentence.end and ref.claim.start <= pos < ref.claim.end:
            return ref
    for ref in rows:
        if ref.sentence.start <= pos < ref.sentence.end:
            return ref
    return None


def title_conflicts(table: ClaimTable) -> list[TitleConflict]:
    """Persons given a current title for an organisation by one article, a former one by another.

    See the module docstring. One conflict per person and article pair: the
    first current and the first former title.
    """
    titles = _titles(table)
    out: list[TitleConflict] = []
    seen: set[tuple[str, int, int]] = set()
    by_person: dict[str, list[_Title]] = {}
    for t in titles:
        by_person.setdefault(t.person, []).append(t)
    for person, items in by_person.items():
        docs = sorted({t.doc for t in items})
        for da in docs:
            for db in docs:
                if da == db or (person, da, db) in seen:
                    continue
                cur = [t for t in items if t.doc == da and not t.former]
                old = [t for t in items if t.doc == db and t.former]
                if not cur or not old:
                    continue
                for c in cur:
                    hit = next(
                        (
                            o
                            for o in old
                            if c.orgs & o.orgs
                            and (not c.given or not o.given or same_given_name(c.given, o.given))
                        ),
                        None,
                    )
                    if hit is None:
                        continue
                    org = c.orgs & hit.orgs
                    # Each article tells one role only: no former title for the
                    # organisation in the first, no current one in the second.
                    if any(t.former and t.orgs & org for t in items if t.doc == da):
                        continue
                    if any(not t.former and t.orgs & org for t in items if t.doc == db):
                        continue
                    seen.add((person, da, db))
                    out.append(
                        TitleConflict(
                            a=c.row, b=hit.row, person=person, current=c.text, former=hit.text
                        )
                    )
                    break
    return out
