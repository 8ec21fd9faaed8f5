"""Private speaker helpers shared by quotes and claims: speech verbs, subjects, names.

The speech verbs are ``storyscope._words.SPEECH_VERBS`` (data/speech_verbs.toml).

Speaker rules: the subject (``nsubj``) of the speech verb, or the agent of a
passive one; a participle ("..., saying") or a conjoined verb takes its head's
subject; "who said" takes the noun the relative clause modifies; "according to X"
gives X; the object of "told" is the audience and a prepositional object ("said
in a statement") is never the speaker. A DATE/TIME/number entity is never a
speaker; pronouns resolve to the most recent person named as a subject (else the
most recent person); names resolve to the longest full name the article uses,
without titles ("Akin", "Rep. Akin" -> "Todd Akin").
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyscope._words import SPEECH_VERBS
from storyscope.analyze._text import ALL_MARKS, QuoteRegion, SentenceLookup, strip_span
from storyscope.model import Entity, Sentence, Span

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

_PRONOUNS = frozenset({"he", "she", "him", "her"})
_MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
_FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
_PLURAL_PRONOUNS = frozenset({"they", "we", "i", "it", "you", "them", "us", "me"})
#: Pronouns that may stand for a body, a group or a document ("it said", "they wrote").
_BODY_PRONOUNS = frozenset({"it", "they"})
_RELATIVE = frozenset({"who", "that", "which", "whom"})
#: Words after "Name, " that open a clause, not a title ("Ted Cruz, who ...").
_NOT_TITLE = _RELATIVE | {
    "whose",
    "and",
    "but",
    "or",
    "the",
    "a",
    "an",
    "said",
    "says",
    "he",
    "she",
}
#: Nouns naming people who may be quoted (lemmas): "analysts described it as ...".
PERSON_NOUNS = frozenset(
    [
        "official",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "aide",
        "adviser",
        "advisor",
        "analyst",
        "critic",
        "lawmaker",
        "legislator",
        "protester",
        "protestor",
        "demonstrator",
        "doctor",
        "expert",
        "source",
        "leader",
        "member",
        "voter",
        "resident",
        "officer",
        "president",
        "senator",
        "governor",
        "minister",
        "nominee",
        "candidate",
        "director",
        "chief",
        "lawyer",
        "attorney",
        "judge",
        "mayor",
        "secretary",
        "chairman",
        "chairwoman",
        "chair",
        "manager",
        "executive",
        "supporter",
        "opponent",
        "activist",
        "economist",
        "researcher",
        "scientist",
        "professor",
        "people",
        "man",
        "woman",
        "father",
        "mother",
        "son",
        "daughter",
        "wife",
        "husband",
        "student",
        "teacher",
        "worker",
        "owner",
        "witness",
        "victim",
        "parent",
        "police",
        "prosecutor",
        "investigator",
        "representative",
        "congressman",
        "congresswoman",
        "strategist",
        "pollster",
        "commentator",
        "columnist",
        "editor",
        "reporter",
        "journalist",
        "host",
        "moderator",
        "author",
        "writer",
        "observer",
        "diplomat",
        "ambassador",
        "general",
        "commander",
        "soldier",
        "veteran",
        "employee",
        "staffer",
        "operative",
        "insider",
    ]
)
#: Nouns naming a text or a body that can "say" something: "the letter reads", "it added".
SOURCE_NOUNS = frozenset(
    [
        "article",
        "editorial",
        "letter",
        "memo",
        "statement",
        "report",
        "study",
        "survey",
        "poll",
        "piece",
        "column",
        "complaint",
        "lawsuit",
        "suit",
        "filing",
        "brief",
        "ruling",
        "order",
        "document",
        "email",
        "post",
        "tweet",
        "ad",
        "advertisement",
        "video",
        "release",
        "announcement",
        "paper",
        "newspaper",
        "magazine",
        "website",
        "site",
        "network",
        "campaign",
        "administration",
        "government",
        "agency",
        "committee",
        "council",
        "court",
        "department",
        "ministry",
        "company",
        "firm",
        "group",
        "organization",
        "organisation",
        "party",
        "union",
    ]
)
_POSSESSIVE = frozenset({"his", "her", "its", "their", "our", "my", "your"})
#: Nouns naming an utterance, whose content clause ("its prediction that X would be
#: \u201c...\u201d", "a comment that described Y as \u201c...\u201d") holds the words of the
#: noun's owner, not of the clause's subject.
SPEECH_NOUNS = frozenset(
    [
        "comment",
        "remark",
        "prediction",
        "claim",
        "statement",
        "assertion",
        "promise",
        "pledge",
        "warning",
        "suggestion",
        "accusation",
        "boast",
        "vow",
        "insistence",
        "contention",
        "declaration",
        "quip",
        "joke",
        "tweet",
        "post",
        "admission",
        "assurance",
        "allegation",
        "argument",
        "forecast",
    ]
)
#: Role nouns a definite description may name a person by ("the presumptive
#: nominee", "the former governor"), resolved to the one person just named.
_DESCRIBED_ROLES = frozenset(
    {
        "president",
        "senator",
        "governor",
        "minister",
        "nominee",
        "candidate",
        "director",
        "lawyer",
        "attorney",
        "judge",
        "justice",
        "mayor",
        "secretary",
        "chairman",
        "chairwoman",
        "congressman",
        "congresswoman",
        "representative",
        "prosecutor",
        "lawmaker",
        "billionaire",
        "businessman",
        "businesswoman",
        "actor",
        "actress",
        "singer",
        "star",
    }
)
#: "The California Democrat said": a party member described by party.
_PARTY_MEMBERS = frozenset({"democrat", "republican"})
#: Bodies that speak for the person who owns them ("his campaign said").
_OWNED_BODIES = frozenset(
    {"campaign", "office", "team", "administration", "government", "foundation", "company"}
)
#: Bodies a sentence may go on to call "they" ("the campaign ... what they call").
_COLLECTIVE_BODIES = frozenset(
    {
        "campaign",
        "administration",
        "government",
        "committee",
        "council",
        "party",
        "team",
        "company",
        "group",
        "organization",
        "organisation",
        "union",
        "agency",
        "department",
    }
)
#: Entity labels that can never name a speaker.
NOT_SPEAKER_LABELS = frozenset(
    {"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}
)
_HONORIFICS = re.compile(
    r"^(?:(?:mr|mrs|ms|miss|dr|prof|professor|sir|dame|gen|col|capt|lt|sgt|rep|sen|gov|"
    r"president|minister|mayor|judge|justice|chief|officer|inspector|detective|rev|"
    r"father|sister|lord|lady|st|senator|congressman|congresswoman|councilman|councilwoman|"
    r"councillor|chairman|chairwoman|chair|governor|secretary|sheriff|commissioner|"
    r"ambassador|spokesman|spokeswoman|spokesperson|chancellor|speaker|leader)\.?\s+)+",
    re.IGNORECASE,
)
_ANONYMOUS = re.compile(
    r"not\s+to\s+be\s+(?:named|identified)|anonymity|\bfamiliar\s+with\b|\bsources?\b|"
    r"\binsiders?\b|\bclose\s+to\b|not\s+authori[sz]ed|declined\s+to\s+be\s+named|"
    r"did\s+not\s+want\s+to\s+be\s+named",
    re.IGNORECASE,
)
#: Titles that give a person's gender: "Mr. Clarke", "Congresswoman Ida Voss".
_GENDERED_TITLE = re.compile(
    r"\b(?:(Mr|Sir|Lord|Father|Brother|Congressman|Councilman|Spokesman|Chairman|King|Prince)"
    r"|(Mrs|Ms|Miss|Dame|Lady|Sister|Congresswoman|Councilwoman|Spokeswoman|Chairwoman|"
    r"Queen|Princess))\.?\s+(?:[A-Z][\w.'\u2019-]*\s+){0,2}([A-Z][\w'\u2019-]+)"
)
#: Family words naming a person's gender: "her son Matthew Denice", "his wife, Ida Voss".
_GENDERED_RELATIVE = re.compile(
    r"\b(?:(son|brother|father|husband|nephew|uncle|grandson|grandfather|stepson|stepfather)"
    r"|(daughter|sister|mother|wife|niece|aunt|granddaughter|grandmother|stepdaughter|"
    r"stepmother|widow)),?\s+(?:[A-Z][\w.'\u2019-]*\s+){0,2}([A-Z][\w'\u2019-]+)(?![\w'\u2019-])"
)
#: Dashes, quote marks and other punctuation the NER may glue to a name ("― Ada Okafor").
_EDGE_PUNCT = re.compile(r"^[^\w]+|[^\w.]+$")
_INDEFINITE = frozenset({"a", "an", "one", "some", "two", "three", "several", "another"})
_NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
#: Person nouns that give a gender ("my father", "the woman"): a speaker so described.
_GENDERED_NOUNS = {
    **dict.fromkeys(
        ["father", "husband", "son", "brother", "uncle", "man", "grandfather", "boyfriend"], "m"
    ),
    **dict.fromkeys(
        ["mother", "wife", "daughter", "sister", "aunt", "woman", "grandmother", "girlfriend"],
        "f",
    ),
}
_MAX_SPEAKER_TOKENS = 12
#: A closing bio line: "Ada Quill is a playwright ..." (at most this long).
_BIO_MAX_CHARS = 400
_BIO_VERB = re.compile(
    r",?\s+(?:is|was)\s+(?!(?:not|also|set|due|to|expected|scheduled)\b|\w+(?:ed|ing)\b)"
    r"(?:an?\s+|the\s+)?[\w-]"
)
_SUBJECT_WINDOW = 600
#: Most sentences a run of the same subject pronoun is followed back (:meth:`_chain_subject`).
_CHAIN_SENTENCES = 6


def _strip_honorific(name: str) -> str:
    return _HONORIFICS.sub("", name).strip()


def _bare_name(text: str) -> str:
    """An entity's text without edge punctuation, editorial brackets or a leading title
    ("Mr. Ruiz," -> "Ruiz"; "Tilda] Brann" from '"[Mayor Tilda] Brann's ..."' -> "Tilda Brann")."""
    if "[" in text or "]" in text:
        text = " ".join(text.replace("[", " ").replace("]", " ").split())
    return _strip_honorific(_EDGE_PUNCT.sub("", text))


def _surnames(ents: Sequence[Entity]) -> set[str]:
    """The lower-cased last words of the names of ``ents`` (one per person, in effect)."""
    return {bare.split()[-1].lower() for e in ents if (bare := _bare_name(e.text))}


def _genders(text: str) -> dict[str, str]:
    """Surname (lower-cased) -> "m" / "f" where a gendered title or a family word names
    the person ("Mr. Clarke", "her son Matthew Denice")."""
    found: dict[str, set[str]] = {}
    for pattern in (_GENDERED_TITLE, _GENDERED_RELATIVE):
        for match in pattern.finditer(text):
            gender = "m" if match.group(1) else "f"
            found.setdefault(match.group(3).lower(), set()).add(gender)
            # The full name too ("Mrs. Ada Voss"), for a surname two people share.
            title_end = match.end(1) if match.group(1) else match.end(2)
            full = " ".join(text[title_end : match.end()].split())
            full = full.strip(" ,.").lower()
            if len(full.split()) >= 2:
                found.setdefault(full, set()).add(gender)
    return {name: next(iter(g)) for name, g in found.items() if len(g) == 1}


def _namesakes(entities: Sequence[Entity]) -> dict[str, list[tuple[int, str]]]:
    """Surname -> (offset, full name) of every full-name mention, for surnames that two
    people of the article share (different first names); other surnames are left out."""
    found: dict[str, list[tuple[int, str]]] = {}
    for ent in entities:
        if ent.label != "PERSON":
            continue
        parts = _bare_name(ent.text).split()
        if len(parts) >= 2 and parts[0][:1].isupper():
            found.setdefault(parts[-1].lower(), []).append((ent.start, " ".join(parts)))
    return {
        surname: mentions
        for surname, mentions in found.items()
        if len({full.split()[0].lower() for _, full in mentions}) >= 2
    }


def canonical_names(entities: Sequence[Entity]) -> dict[str, str]:
    """Map each person mention form (surname, titled name) to the longest full name.

    Args:
        entities: The article's entities.

    Returns:
        A dict from lower-cased surname / name to the canonical full name.
    """
    best: dict[str, str] = {}
    for ent in entities:
        if ent.label != "PERSON":
            continue
        name = _bare_name(ent.text)
        parts = name.split()
        if not parts:
            continue
        for key in {parts[-1].lower(), name.lower()}:
            cur = best.get(key)
            if cur is None or len(name) > len(cur):
                best[key] = name
    # Second pass: a two-word "First Last" mention the NER labelled ORG/GPE ("Petra Vosk")
    # names the surname only when no PERSON mention does.
    for ent in entities:
        parts = ent.text.split()
        if (
            ent.label in ("ORG", "GPE", "NORP", "LOC")
            and len(parts) == 2
            and all(p[:1].isupper() and p[1:].islower() and p.isalpha() for p in parts)
            and not {p.lower() for p in parts} & _BODY_WORDS
        ):
            best.setdefault(parts[-1].lower(), ent.text)
    return best


#: Title abbreviations and synonyms, folded so that "Gov. Ilse Varga" holds "the governor".
_ROLE_EQUIVALENT = {
    "gov": "governor",
    "sen": "senator",
    "rep": "representative",
    "congressman": "representative",
    "congresswoman": "representative",
    "lawmaker": "representative",
    "pres": "president",
    "gen": "general",
    "lt": "lieutenant",
    "sec": "secretary",
    "atty": "attorney",
    "supt": "superintendent",
    "adm": "admiral",
    "col": "colonel",
    "sgt": "sergeant",
    "capt": "captain",
    "prof": "professor",
    "det": "detective",
}

#: Party words that tell two holders of the same role apart.
_PARTY_WORDS = frozenset({"republican", "democratic", "democrat", "gop", "libertarian", "green"})
_SECOND_RANKS = frozenset({"vice", "deputy", "assistant", "under", "lieutenant", "lt", "lt."})
_SECOND_RANK = re.compile(r"\b(vice|deputy|assistant|under|lieutenant|lt\.?)\s+")

#: Capitalised words that open a title, never a first name ("Harbour master Lise Varn").
_ROLE_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "former",
        "acting",
        "deputy",
        "finance",
        "foreign",
        "prime",
        "vice",
        "opposition",
        "harbour",
        "harbor",
        "port",
        "city",
        "state",
        "police",
        "fire",
        "health",
        "interior",
        "defence",
        "defense",
        "justice",
        "party",
        "union",
        "council",
        "when",
        "but",
        "and",
        "after",
        "as",
        "in",
        "on",
        "at",
        "said",
        "says",
        "told",
        "then",
        "while",
        "if",
    ]
)
#: Words that make a two-word capitalised name a body or place, not a person.
_BODY_WORDS = frozenset(
    [
        "agency",
        "army",
        "association",
        "authority",
        "bank",
        "board",
        "bureau",
        "city",
        "club",
        "college",
        "committee",
        "company",
        "council",
        "county",
        "court",
        "department",
        "district",
        "fund",
        "group",
        "guard",
        "hall",
        "harbour",
        "harbor",
        "hospital",
        "house",
        "institute",
        "league",
        "logistics",
        "ministry",
        "museum",
        "navy",
        "office",
        "party",
        "police",
        "port",
        "press",
        "school",
        "senate",
        "service",
        "society",
        "station",
        "street",
        "times",
        "tribune",
        "union",
        "university",
        "valley",
        "watch",
        "wire",
    ]
)


#: Months and weekdays that are no first names ("May", "June", "August" can be).
_CALENDAR_WORDS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
#: What follows a dateline's place: ", N.J." or ", Ukraine", an agency in brackets, a dash.
_DATELINE_TAIL = re.compile(
    r"\s*(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\s*(?:\([^)]{1,30}\)\s*)?(?:\u2014|\u2013|--|-)\s"
)


#: A paragraph's opening dateline: "LIVINGSTON, N.J. — ", "WASHINGTON (AP) -- ".
_DATELINE = re.compile(r"[A-Z][A-Z.'-]{2,}(?: [A-Z][A-Z.'-]+){0,3}" + _DATELINE_TAIL.pattern)


#: A possessive that ends its noun phrase ("at Macy's and Sears"), not "at Trump's rally".
_SHOP = re.compile(r"['\u2019]s(?=\s*(?:[,.;)]|and\b|or\b|$))")
_AT = re.compile(r"\bat\s+$")


def _not_a_person(ent: Entity, text: str) -> bool:
    """An entity that names nobody who speaks: a dateline's place, a month or weekday."""
    if ent.label == "PERSON" and ent.text.lower().strip(" .,") in _CALENDAR_WORDS:
        return True
    # A shop named after someone: "stints at Chuck E. Cheese's and Sears".
    if (
        ent.label == "PERSON"
        and _SHOP.match(text, ent.end)
        and _AT.search(text, max(0, ent.start - 8), ent.start)
    ):
        return True
    line_start = text.rfind("\n", 0, ent.start) + 1
    m = _DATELINE.match(text, line_start)
    return m is not None and ent.end <= m.end()


#: Social platforms the small NER model takes for people ("she wrote on Twitter"): a body,
#: never "he" or "she".
_PLATFORMS = frozenset(
    [
        "twitter",
        "facebook",
        "instagram",
        "youtube",
        "tiktok",
        "snapchat",
        "linkedin",
        "reddit",
        "whatsapp",
        "telegram",
        "tumblr",
        "periscope",
    ]
)


def _platforms_relabelled(entities: Sequence[Entity]) -> list[Entity]:
    """``entities`` with a PERSON-labelled platform name ("Twitter") labelled ORG."""
    return [
        dataclasses.replace(e, label="ORG")
        if e.label == "PERSON" and _bare_name(e.text).lower() in _PLATFORMS
        else e
        for e in entities
    ]


def _people_relabelled(entities: Sequence[Entity]) -> list[Entity]:
    """``entities`` with every mention of a person's name labelled PERSON.

    The small NER model labels one name differently from mention to mention
    ("Trump" is PERSON once and ORG three times in one article); a pronoun
    after an ORG-labelled "Trump" then skips him for a person named earlier.
    A one- or two-word mention whose text is a PERSON's full name or surname
    elsewhere in the article is that person.
    """
    people: set[str] = set()
    for e in entities:
        if e.label == "PERSON":
            bare = _bare_name(e.text).lower()
            if bare:
                people.add(bare)
                people.add(bare.split()[-1])
    out: list[Entity] = []
    for e in entities:
        if e.label in ("ORG", "NORP", "GPE", "PRODUCT", "WORK_OF_ART", "FAC"):
            bare = _bare_name(e.text).lower()
            if bare in people and len(bare.split()) <= 2:
                e = dataclasses.replace(e, label="PERSON")
        out.append(e)
    return out


def _with_surname_mentions(
    text: str, entities: Sequence[Entity], lookup: SentenceLookup
) -> list[Entity]:
    """``entities`` plus a PERSON mention for each bare surname the NER missed.

    The small model finds "Nancy Pelosi" but often not a later "Pelosi, who is
    expected to ...": a pronoun after that sentence then skips her for a man
    named earlier. A capitalised surname of a person named in full elsewhere
    in the article, outside every entity, is that person.
    """
    surnames: set[str] = set()
    for e in entities:
        if e.label == "PERSON":
            parts = _bare_name(e.text).split()
            if len(parts) >= 2 and len(parts[-1]) >= 3 and parts[-1][:1].isupper():
                surnames.add(parts[-1].rstrip(".,"))
    if not surnames:
        return list(entities)
    pattern = re.compile(
        r"(?<![\w'\u2019-])(" + "|".join(re.escape(n) for n in sorted(surnames)) + r")(?![\w-])"
    )
    starts = [e.start for e in entities]
    out = list(entities)
    for match in pattern.finditer(text):
        k = bisect.bisect_right(starts, match.start()) - 1
        if k >= 0 and entities[k].end > match.start():
            continue  # inside a found entity
        if k + 1 < len(entities) and entities[k + 1].start < match.end():
            continue
        out.append(
            Entity(
                start=match.start(),
                end=match.end(),
                text=match.group(1),
                label="PERSON",
                sentence=max(0, lookup.index_at(match.start())),
            )
        )
    out.sort(key=lambda e: (e.start, e.end))
    return out


class SpeakerContext:
    """Per-article lookups shared by the quote rules."""

    def __init__(
        self,
        text: str,
        doc: Doc,
        sentences: Sequence[Sentence],
        entities: Sequence[Entity],
        regions: Sequence[QuoteRegion],
    ) -> None:
        self.text = text
        self.doc = doc
        self.lookup = SentenceLookup(sentences)
        self.sentences = sentences
        # A dateline ("LIVINGSTON, N.J. —") or a month or weekday the NER took for a
        # person never speaks.
        entities = _people_relabelled([e for e in entities if not _not_a_person(e, text)])
        entities = _platforms_relabelled(entities)
        entities = _with_surname_mentions(text, entities, self.lookup)
        self.entities = entities
        self.ent_starts = [e.start for e in entities]
        self.names = canonical_names(entities)
        self._namesakes = _namesakes(entities)
        self.token_starts = [t.idx for t in doc]
        self.regions = regions
        self.region_starts = [r.open for r in regions]
        # Titles and family words are surer than pronouns: they win a disagreement.
        self.gender = {**self._pronoun_genders(), **_genders(text)}
        self._descriptions: dict[str, tuple[int, str]] | None = None
        self._mentions: dict[str, list[int]] | None = None
        #: (start, speaker) of the last direct quotation attributed so far, set by
        #: the quote finder: "he" after '"...," Okafor said.' prefers Okafor.
        self.last_quote: tuple[int, str] | None = None
        self._titles: dict[str, str] = {}
        self._full_names: dict[str, str | None] = {}
        self._author: str | None = None

    def _pronoun_genders(self) -> dict[str, str]:
        """Surname (lower-cased) -> "m" / "f" from the pronouns of sentences naming one person.

        In a sentence (outside quotation marks) that names exactly one person,
        as the subject of its main clause, with no gendered pronoun before the
        name, a "he"/"his" or "she"/"her" after the name is that person's, as a
        reader takes it ("The 76-year-old Pelosi ... vowed that her party would ...").
        Only one-sided evidence counts; a person with both is left unknown.
        """
        votes: dict[str, set[str]] = {}
        by_sentence: dict[int, list[Entity]] = {}
        for ent in self.entities:
            if ent.label == "PERSON" and not self.in_quote(ent.start):
                by_sentence.setdefault(ent.sentence, []).append(ent)
        for index, ents in by_sentence.items():
            surnames = _surnames(ents)
            if len(surnames) != 1 or not 0 <= index < len(self.sentences):
                continue
            sent = self.sentences[index]
            first = ents[0]
            if not self._is_subject(first, main_only=True):
                continue  # "She later claimed Trump was among them": her, not his
            if any(
                t.lower_ in _MALE_PRONOUNS or t.lower_ in _FEMALE_PRONOUNS
                for t in self.tokens_in(sent.start, first.start)
            ):
                continue
            after = first.end
            for tok in self.tokens_in(after, sent.end):
                low = tok.lower_
                gendered = low in _MALE_PRONOUNS or low in _FEMALE_PRONOUNS
                if gendered and not self.in_quote(tok.idx):
                    gender = "m" if low in _MALE_PRONOUNS else "f"
                    votes.setdefault(next(iter(surnames)), set()).add(gender)
                    # Keyed by the full name as well: "Bill Clinton ... his" and
                    # "Hillary Clinton ... her" share the surname, not the gender.
                    full = self.canonical(first.text, "PERSON", first.start).lower()
                    if len(full.split()) >= 2:
                        votes.setdefault(full, set()).add(gender)
        return {name: next(iter(g)) for name, g in votes.items() if len(g) == 1}

    def gender_of(self, name: str, pos: int | None = None) -> str | None:
        """A person's gender as the article gives it ("m" / "f" / None).

        By the mention's own title ("Mrs. Voss"), else by the full name ("Ada Voss",
        from pronouns after it or a title before it), else by the surname, unless two
        people of the article share it ("Bill Clinton" and "Hillary Clinton"): then
        only the full name tells.
        """
        title = _GENDERED_TITLE.match(name.strip())
        if title is not None:
            return "m" if title.group(1) else "f"
        bare = _strip_honorific(name)
        parts = bare.split()
        if not parts:
            return None
        full = self.canonical(bare, "PERSON", pos).lower()
        if len(full.split()) >= 2 and full in self.gender:
            return self.gender[full]
        surname = parts[-1].lower()
        if surname in self._namesakes:
            return None
        return self.gender.get(surname)

    def namesake_for(self, name: str, pronoun: str | None, pos: int | None = None) -> str:
        """The canonical person a mention names, chosen among the article's namesakes by
        a gendered pronoun: "Clinton ... she said" is Hillary Clinton, not Bill."""
        canon = self.canonical(name, "PERSON", pos)
        if pronoun not in ("he", "him", "she", "her"):
            return canon
        want = "m" if pronoun in ("he", "him") else "f"
        if self.gender_of(canon) == want:
            return canon
        parts = _strip_honorific(name).split()
        surname = parts[-1].lower() if parts else ""
        fits = {
            full for _, full in self._namesakes.get(surname, []) if self.gender_of(full) == want
        }
        if len(fits) == 1:
            # The namesake known to fit beats one whose gender the article never gives.
            full = next(iter(fits))
            return self.names.get(full.lower(), full)
        return canon

    def author(self) -> str | None:
        """The author a closing bio line names: the last paragraph, short, opening on a
        person's full name followed by "is" or "was" ("Ada Quill is a playwright ...")."""
        if self._author is None:
            found = ""
            paragraphs = [p for p in self.text.rstrip().split("\n") if p.strip()]
            last = paragraphs[-1] if paragraphs else ""
            offset = self.text.rfind(last) if last else -1
            lead = len(last) - len(last.lstrip())
            bare = not any(mark in last for mark in ALL_MARKS)
            if 0 < len(last) <= _BIO_MAX_CHARS and offset >= 0 and bare:
                i = bisect.bisect_left(self.ent_starts, offset + lead)
                ent = self.entities[i] if i < len(self.entities) else None
                if (
                    ent is not None
                    and ent.start == offset + lead
                    and ent.label == "PERSON"
                    and len(_bare_name(ent.text).split()) >= 2
                    and _BIO_VERB.match(self.text, ent.end)
                ):
                    found = _bare_name(ent.text)
            self._author = found
        return self._author or None

    def full_name(self, surname: str) -> str | None:
        """The longest "First [Middle] Surname" the text writes for a name the NER missed.

        Titles are dropped ("Mayor Ana Ruiz" -> "Ana Ruiz"); None when the text
        never writes the surname after a capitalised first name. Each surname's
        answer is kept: finding it reads the whole text, once per surname, not
        once per quotation.
        """
        if surname in self._full_names:
            return self._full_names[surname]
        found = self._find_full_name(surname)
        self._full_names[surname] = found
        return found

    def _find_full_name(self, surname: str) -> str | None:
        if surname.lower() in _BODY_WORDS:
            return None
        pattern = re.compile(r"\b((?:[A-Z][\w.'\u2019-]*\s){1,3})" + re.escape(surname) + r"\b")
        best: str | None = None
        for match in pattern.finditer(self.text):
            if self.in_quote(match.start()):
                continue
            raw = match.group(0).split()
            words = _strip_honorific(match.group(0)).split()
            while words and words[0].lower() in _ROLE_WORDS:
                words = words[1:]
            if len(words) < 2 or any(w.lower() in _BODY_WORDS for w in words):
                continue
            name = " ".join(words)
            title = " ".join(raw[: len(raw) - len(words)])
            if title and title.lower() not in _ROLE_WORDS:
                self._titles.setdefault(name, title)
            if best is None or len(name) > len(best):
                best = name
        return best

    def description_at(self, ent: Entity) -> str | None:
        """The title or role the text gives a person at one mention.

        Words before the name that modify it ("Finance Minister", "port authority
        spokesperson") or an apposition after it ("Okafor, the finance minister").
        """
        i = bisect.bisect_left(self.token_starts, ent.start)
        k = bisect.bisect_right(self.token_starts, ent.end - 1) - 1
        if not 0 <= i <= k < len(self.doc):
            return None
        root = self.doc[k]
        for tok in self.doc[i : k + 1]:
            if tok.head.i > k or tok.head.i < i:
                root = tok
                break
        lo = i
        while lo > 0:
            prev = self.doc[lo - 1]
            if (
                prev.dep_ in ("compound", "amod", "nmod")
                and prev.head.i >= lo - 1
                and prev.head.i <= k
            ):
                lo -= 1
            elif prev.text in (".",) or prev.dep_ == "punct":
                break
            else:
                break
        if lo < i:
            start, end = self.doc[lo].idx, self.doc[i].idx
            prefix = self.text[start:end].strip()
            if prefix and not self.in_quote(start):
                return prefix
        for child in root.children:
            if child.dep_ == "appos" and child.i > k and child.pos_ in ("NOUN", "PROPN"):
                left = child.left_edge
                right = child.right_edge
                if right.i - left.i > _MAX_SPEAKER_TOKENS or child.ent_type_ == "PERSON":
                    continue
                phrase = self.text[left.idx : right.idx + len(right)].strip(" ,")
                if phrase:
                    return phrase
        return None

    def descriptions(self) -> dict[str, tuple[int, str]]:
        """Canonical person -> (offset, description) of the first described mention."""
        if self._descriptions is None:
            found: dict[str, tuple[int, str]] = {}
            for ent in self.entities:
                if ent.label != "PERSON" or self.in_quote(ent.start):
                    continue
                name = self.canonical(ent.text, "PERSON", ent.start)
                if name in found:
                    continue
                desc = self.description_at(ent)
                if desc:
                    found[name] = (ent.start, desc)
            self._descriptions = found
        return self._descriptions

    def description_of(self, name: str | None) -> str | None:
        """The first description the article gives a canonical person, if any."""
        if name is None:
            return None
        got = self.descriptions().get(name)
        return got[1] if got else self._titles.get(name)

    def last_mention_before(self, name: str, pos: int) -> int:
        """Offset of the last mention of canonical person ``name`` before ``pos`` (-1: none)."""
        if self._mentions is None:
            found: dict[str, list[int]] = {}
            for ent in self.entities:
                if ent.label == "PERSON" and not self.in_quote(ent.start):
                    found.setdefault(self.canonical(ent.text, "PERSON", ent.start), []).append(
                        ent.start
                    )
            self._mentions = found
        starts = self._mentions.get(name, [])
        i = bisect.bisect_left(starts, pos) - 1
        return starts[i] if i >= 0 else -1

    def role_holder(self, role: str, pos: int, modifiers: Sequence[str] = ()) -> str | None:
        """The person or body a definite role ("the minister", "the authority") names.

        Of the people described with that word before ``pos`` (titles abbreviated
        or not: "Gov. Ilse Varga" holds "the governor"), the one mentioned last
        before ``pos`` ("radio host X ... host Y ... Y ... the host" is Y), else the most
        recent organisation whose name holds the word ("the authority" -> "Harbor
        Authority").
        """
        role = _ROLE_EQUIVALENT.get(role.lower(), role.lower())
        mods = {m.lower() for m in modifiers}
        parties = mods & _PARTY_WORDS
        best: tuple[int, str] | None = None
        for name, (at, desc) in self.descriptions().items():
            # "Vice President Pence" is no "the president": a second-rank title is one word.
            folded = _SECOND_RANK.sub(r"\1-", desc.lower())
            words = {_ROLE_EQUIVALENT.get(w, w) for w in re.findall(r"[\w-]+", folded)}
            if at >= pos or role not in words:
                continue
            # "the Republican nominee" is not "Democratic vice presidential nominee
            # Cal Ostrow": the party, and a second rank, must fit the description.
            if parties and words & _PARTY_WORDS and not parties & words:
                continue
            second = any(w.split("-")[0] in _SECOND_RANKS for w in words if "-" in w)
            if second and not mods & _SECOND_RANKS:
                continue
            # The holder talked about last, not the one described last: "talk show host
            # Beck ... radio host Limbaugh ... Beck ... the host complained" is Beck.
            last = self.last_mention_before(name, pos)
            if best is None or last > best[0]:
                best = (last, name)
        if best is not None:
            return best[1]
        i = bisect.bisect_left(self.ent_starts, pos) - 1
        while i >= 0:
            ent = self.entities[i]
            if ent.label == "ORG" and role in {w.lower() for w in ent.text.split()}:
                return self.canonical(ent.text, ent.label)
            i -= 1
        return None

    def described_person(self, pos: int) -> str | None:
        """The one person a definite description at ``pos`` can name ("the presumptive
        nominee said", "which the former governor called ...").

        A reader takes "the former governor" for the person just named when that
        person is the only one named in the description's sentence (before it)
        and the sentence before; gendered pronouns there must fit that person's
        known gender, and with the gender unknown there must be none (they may
        stand for someone else: "If Ryan had replaced her, ... The California
        Democrat said"). Only for a person the text gives no title: a titled one
        is found by its title or not at all ("the president" is not "Vice
        President Brandt").
        """
        here = self.lookup.index_at(pos)
        if here < 0:
            return None
        lo_pos = self.sentences[here - 1].start if here > 0 else self.sentences[here].start
        lo = bisect.bisect_left(self.ent_starts, lo_pos)
        hi = bisect.bisect_left(self.ent_starts, pos)
        people = [
            e for e in self.entities[lo:hi] if e.label == "PERSON" and not self.in_quote(e.start)
        ]
        if len(_surnames(people)) != 1:
            return None
        person = people[-1]
        name = self.canonical(person.text, "PERSON", person.start)
        # A person the text gives a title is named by that title (role_holder):
        # "the president" is not "Vice President Brandt".
        if self.description_of(name):
            return None
        known = self.gender_of(person.text, person.start)
        for tok in self.tokens_in(lo_pos, pos):
            low = tok.lower_
            if self.in_quote(tok.idx):
                continue
            gendered = low in _MALE_PRONOUNS or low in _FEMALE_PRONOUNS
            if gendered and known != ("m" if low in _MALE_PRONOUNS else "f"):
                return None
        return name

    def possessor_before(self, pos: int, pronoun: str) -> str | None:
        """The person a possessive pronoun at ``pos`` most likely names ("according to his
        campaign"): the nearest person named before it in its sentence, else the one
        person the sentence before names; gender must fit."""
        here = self.lookup.index_at(pos)
        if here < 0:
            return None
        hi = bisect.bisect_left(self.ent_starts, pos)
        own = self.sentences[here].start
        for ent in reversed(self.entities[bisect.bisect_left(self.ent_starts, own) : hi]):
            if ent.label == "PERSON" and not self.in_quote(ent.start):
                if not self._agrees(ent, pronoun):
                    return None
                return self.canonical(ent.text, "PERSON", ent.start)
        if here == 0:
            return None
        lo = bisect.bisect_left(self.ent_starts, self.sentences[here - 1].start)
        people = [
            e for e in self.entities[lo:hi] if e.label == "PERSON" and not self.in_quote(e.start)
        ]
        if len(_surnames(people)) != 1 or not self._agrees(people[-1], pronoun):
            return None
        return self.canonical(people[-1].text, "PERSON", people[-1].start)

    def unnamed_source(self, role: str, pos: int) -> str | None:
        """The unnamed source a definite role points back to: "the official" -> "A senior
        port official" (the last "a/an ... official" before ``pos``)."""
        pattern = re.compile(r"\b(?:[Aa]n?|[Oo]ne)\s+(?:[\w-]+\s+){0,3}" + re.escape(role) + r"\b")
        found = [m for m in pattern.finditer(self.text, 0, pos) if not self.in_quote(m.start())]
        return found[-1].group(0) if found else None

    def _agrees(self, ent: Entity, pronoun: str | None) -> bool:
        if pronoun not in ("he", "him", "she", "her"):
            return True
        return self.agrees_name(self.namesake_for(ent.text, pronoun, ent.start), pronoun)

    def agrees_name(self, name: str, pronoun: str | None, pos: int | None = None) -> bool:
        """Whether a person's known gender (from titles and pronouns) allows ``pronoun``."""
        if pronoun not in ("he", "him", "she", "her"):
            return True
        known = self.gender_of(name, pos)
        return known is None or known == ("m" if pronoun in ("he", "him") else "f")

    def tokens_in(self, start: int, end: int) -> list[Token]:
        lo = bisect.bisect_left(self.token_starts, start)
        hi = bisect.bisect_left(self.token_starts, end)
        return [t for t in self.doc[lo:hi] if t.idx + len(t) <= end]

    def in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.region_starts, pos) - 1
        return i >= 0 and self.regions[i].open <= pos <= self.regions[i].close

    def entity_at(self, start: int, end: int) -> Entity | None:
        i = bisect.bisect_right(self.ent_starts, start) - 1
        for ent in self.entities[max(i - 1, 0) : i + 2]:
            if ent.start <= start and end <= ent.end and ent.label in _NAME_LABELS:
                return ent
            if start <= ent.start and ent.end <= end and ent.label in ("PERSON", "ORG"):
                return ent
        return None

    def not_speaker(self, tok: Token) -> bool:
        """Whether ``tok`` lies in a date, time or number entity, or in a dateline."""
        if self._in_dateline(tok.idx):
            return True
        i = bisect.bisect_right(self.ent_starts, tok.idx) - 1
        if i < 0:
            return False
        ent = self.entities[i]
        return ent.start <= tok.idx < ent.end and ent.label in NOT_SPEAKER_LABELS

    def _in_dateline(self, pos: int) -> bool:
        """Whether ``pos`` is in a capitalised place name opening a paragraph before a
        dash ("LIVINGSTON, N.J. — ..."): a dateline, never a speaker."""
        line_start = self.text.rfind("\n", 0, pos) + 1
        m = _DATELINE.match(self.text, line_start)
        return m is not None and line_start <= pos < m.end()

    def last_person_before(self, pos: int, pronoun: str | None = None) -> Entity | None:
        """The person a pronoun at ``pos`` most likely names.

        The most recent person mentioned as a subject within the last
        :data:`_SUBJECT_WINDOW` characters, else the most recent person; a person
        whose title gives the other gender ("Ms. Lynch" for "he") is skipped.
        """
        return self.person_for_pronoun(pos, pronoun)[0]

    def person_for_pronoun(
        self, pos: int, pronoun: str | None = None
    ) -> tuple[Entity | None, bool]:
        """:meth:`last_person_before` and whether the choice is sure: the one person
        just named, or a main-clause subject (a subject of a clause below, or any
        person, is a weaker guess that the last quotation's speaker may beat)."""
        only = self._only_person_just_before(pos, pronoun)
        if only is not None:
            return only, True
        lo = bisect.bisect_left(self.ent_starts, pos) - 1
        # The subject of a main clause first ("Trump ... offered a 'yes' when asked
        # whether Lieberman was a finalist": "he" is Trump), then any subject.
        for main_only in (True, False):
            i = lo
            while i >= 0 and self.entities[i].start >= pos - _SUBJECT_WINDOW:
                ent = self.entities[i]
                if (
                    ent.label == "PERSON"
                    and not self.in_quote(ent.start)
                    and self._is_subject(ent, main_only=main_only)
                    and self._agrees(ent, pronoun)
                ):
                    return ent, main_only
                i -= 1
        chained = self._chain_subject(pos, pronoun)
        if chained is not None:
            return chained, False
        return self._last_person_before(pos, pronoun), False

    def _chain_subject(self, pos: int, pronoun: str | None) -> Entity | None:
        """The person a run of sentences led by the same "he" or "she" starts from.

        '"...," Lynch said. (new paragraph) She has faced questions since her meeting
        with Ada Frell's husband ... She has called it ... (new paragraph) She said she
        was not aware ...': each sentence before the pronoun's has that pronoun as
        its main subject, back to one whose main subject is a named person of the
        right gender: the sentences are about that person, not about one named in
        passing. Any other main subject (or none) breaks the run.
        """
        if pronoun not in ("he", "she"):
            return None
        k = self.lookup.index_at(pos) - 1
        for _ in range(_CHAIN_SENTENCES):
            if k < 0:
                return None
            subj = self._main_subject(self.sentences[k])
            if subj is None:
                return None
            if subj.lower_ == pronoun:
                k -= 1
                continue
            ent = self.entity_at(subj.idx, subj.idx + len(subj))
            if ent is not None and ent.label == "PERSON" and self._agrees(ent, pronoun):
                return ent
            return None
        return None

    def _main_subject(self, sent: Sentence) -> Token | None:
        """The subject of a sentence's main clause (or of its speaker's tag), outside
        quotation marks: the first one in the sentence."""
        for tok in self.tokens_in(sent.start, sent.end):
            if tok.dep_ not in ("nsubj", "nsubjpass") or self.in_quote(tok.idx):
                continue
            head = tok.head
            if head.dep_ == "ROOT" or is_speech_verb(head):
                return tok
        return None

    def _only_person_just_before(self, pos: int, pronoun: str | None) -> Entity | None:
        """The one person the sentence before a pronoun's names, as subject or not.

        '"...," Sellers said. That did not satisfy Justice Rudd. "...," he said.':
        a reader takes "he" for the person just named, object or not, when that
        sentence names no one else and the pronoun's own sentence names no one
        before it (quoted words aside). Not after a question ("Governor Rudd?
        'Strong,' he said." answers about Rudd).
        """
        here = self.lookup.index_at(pos)
        if here <= 0:
            return None
        own, prev = self.sentences[here], self.sentences[here - 1]
        if self.text[prev.start : prev.end].rstrip().endswith("?"):
            return None  # "Governor Christie? 'Strong,' he said.": the one asked about
        led = self._main_subject(prev)
        if pronoun in ("he", "she") and led is not None and led.lower_ == pronoun:
            # "Weller stepped up his attacks on Brann. In a statement, he criticized the
            # Brann administration. '...,' he said.": the sentence before is led by the
            # same pronoun, so the one it names in passing is not who "he" is.
            return None
        lo = bisect.bisect_left(self.ent_starts, prev.start)
        hi = bisect.bisect_left(self.ent_starts, pos)
        found: list[Entity] = []
        for ent in self.entities[lo:hi]:
            if ent.label != "PERSON" or self.in_quote(ent.start):
                continue
            if ent.start >= own.start:
                return None  # someone is named before the pronoun in its own sentence
            found.append(ent)
        surnames = _surnames(found)
        if len(surnames) != 1 or not self._agrees(found[-1], pronoun):
            return self._introduced_just_before(found, pronoun, prev.end)
        return found[-1]

    def _introduced_just_before(
        self, found: Sequence[Entity], pronoun: str | None, prev_end: int
    ) -> Entity | None:
        """The one person of the sentence before who is new to the article and introduced
        by a title after a comma ('... concerns Tomas Reyes, chairman of the guild.'),
        when the pronoun opens a paragraph of its own quotation."""
        if pronoun is None or not found or "\n" not in self.text[prev_end : prev_end + 3]:
            return None
        new = []
        for ent in found:
            if not self._agrees(ent, pronoun):
                continue
            last = ent.text.split()[-1].lower()
            earlier = self.entities[: bisect.bisect_left(self.ent_starts, ent.start)]
            if any(e.label == "PERSON" and last in _surnames([e]) for e in earlier):
                continue
            after = self.text[ent.end : ent.end + 40]
            word = after[2:].split(" ", 1)[0].lower()
            if after.startswith(", ") and after[2:3].islower() and word not in _NOT_TITLE:
                new.append(ent)
        return new[0] if len(new) == 1 else None

    def last_body_before(self, pos: int, *, plural: bool) -> Token | None:
        """The subject an "it" or "they" at ``pos`` most likely stands for.

        The most recent subject outside quotation marks within
        :data:`_SUBJECT_WINDOW` characters that is an organisation, or (for "it") a
        singular noun naming a text or body ("the letter", "the campaign"), or (for
        "they") a plural noun or a coordinated pair of names ("Obama and Clinton").
        """
        k = bisect.bisect_left(self.token_starts, pos) - 1
        while k >= 0 and self.doc[k].idx >= pos - _SUBJECT_WINDOW:
            tok = self.doc[k]
            k -= 1
            if tok.dep_ not in ("nsubj", "nsubjpass") or self.in_quote(tok.idx):
                continue
            if tok.pos_ == "PRON" or tok.lower_ in _RELATIVE:
                continue
            i = bisect.bisect_right(self.ent_starts, tok.idx) - 1
            ent = self.entities[i] if i >= 0 else None
            label = ent.label if ent is not None and ent.start <= tok.idx < ent.end else ""
            if label in ("ORG", "NORP"):
                return tok
            if plural:
                if tok.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in tok.children):
                    return tok
                if tok.lemma_.lower() in _COLLECTIVE_BODIES and self.lookup.index_at(
                    tok.idx
                ) == self.lookup.index_at(pos):
                    # "Clinton's campaign is seeking to contrast it with what they call
                    # ...": a body spoken of as "they" in its own sentence.
                    return tok
            elif tok.tag_ in ("NN", "NNP") and tok.lemma_.lower() in SOURCE_NOUNS:
                return tok
        return None

    def recent_speaker(self, pos: int, pronoun: str) -> tuple[int, str] | None:
        """(start, name) of the last quotation's speaker when a pronoun at ``pos`` may
        continue it: a named person of the right gender, quoted in the same or the
        previous paragraph (news convention: '"...," Okafor said. "...," she added.')."""
        if self.last_quote is None:
            return None
        start, name = self.last_quote
        between = self.text[start:pos]
        if start >= pos or len(between) > _SUBJECT_WINDOW:
            return None
        if sum(1 for line in between.split("\n")[1:-1] if line.strip()) > 0:
            return None  # a whole paragraph in between
        if name.lower() not in self._person_names():
            # '"...," my father often said. He also told ...': a speaker described by
            # a gendered person noun continues as "he"/"she" too.
            words = name.lower().split()
            gender = _GENDERED_NOUNS.get(words[-1]) if 1 < len(words) <= 3 else None
            if gender is None or gender != ("m" if pronoun in ("he", "him") else "f"):
                return None
            return start, name
        return (start, name) if self.agrees_name(name, pronoun) else None

    def _person_names(self) -> set[str]:
        return {v.lower() for v in self.names.values()}

    def may_speak(self, tok: Token) -> bool:
        """Whether a subject can be someone who speaks: a name, a personal pronoun,
        a person noun ("analysts", "the official") or a text or body ("the letter")."""
        i = bisect.bisect_right(self.ent_starts, tok.idx) - 1
        if i >= 0 and self.entities[i].start <= tok.idx < self.entities[i].end:
            return self.entities[i].label in _NAME_LABELS
        if tok.pos_ == "PRON":
            return tok.lower_ in _PRONOUNS or tok.lower_ in ("they", "we", "i")
        if tok.pos_ == "PROPN":
            return True
        lemma = tok.lemma_.lower()
        return lemma in SOURCE_NOUNS or lemma in PERSON_NOUNS

    def _is_subject(self, ent: Entity, *, main_only: bool = False) -> bool:
        k = bisect.bisect_right(self.token_starts, ent.end - 1) - 1
        if k < 0:
            return False
        tok = self.doc[k]
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            return False
        if not main_only:
            return True
        head = tok.head
        # A speaker's tag ('"...," Trump said') is parsed below the quoted clause;
        # its subject is as salient as a main clause's.
        return (
            head.dep_ == "ROOT"
            or (head.dep_ == "conj" and head.head.dep_ == "ROOT")
            or is_speech_verb(head)
        )

    def _last_person_before(self, pos: int, pronoun: str | None = None) -> Entity | None:
        i = bisect.bisect_left(self.ent_starts, pos) - 1
        while i >= 0:
            ent = self.entities[i]
            if (
                ent.label == "PERSON"
                and not self.in_quote(ent.start)
                and self._agrees(ent, pronoun)
            ):
                return ent
            i -= 1
        return None

    def canonical(self, name: str, label: str, pos: int | None = None) -> str:
        """The full name a mention stands for.

        A bare surname shared by two people of the article ("Asa Hutchinson" and his
        son "Seth Hutchinson") is the one whose full name was written last before
        ``pos`` (when given), not the longest name with that surname.
        """
        bare = _strip_honorific(name)
        if pos is not None and len(bare.split()) == 1 and bare.lower() in self._namesakes:
            before = [full for at, full in self._namesakes[bare.lower()] if at < pos]
            if before:
                return self.names.get(before[-1].lower(), before[-1])
        if label != "PERSON" and bare.lower() in self.names:
            return self.names[bare.lower()]  # a surname the NER mislabelled
        if label == "PERSON":
            full = self.names.get(bare.lower())
            if full is None and bare.split():
                full = self.names.get(bare.split()[-1].lower())
            return full or bare or name
        words = bare.split()
        if bare != name.strip() and len(words) >= 2 and all(w[:1].isupper() for w in words):
            # A titled name mislabelled: "Councilman Eli Varga".
            return self.canonical(bare, "PERSON")
        if label == "ORG" and name.lower().startswith("the "):
            return name[4:]
        return name


def is_speech_verb(token: Token) -> bool:
    if token.pos_ not in ("VERB", "AUX"):
        return False
    lemma = token.lemma_.lower()
    if lemma in SPEECH_VERBS:
        return True
    # "as Varga went on about \u201c...\u201d": talking at length about something.
    return (
        lemma == "go"
        and {(c.dep_, c.lower_) for c in token.children if c.dep_ in ("prt", "prep")}
        >= _PHRASAL_SPEECH
    )


#: The particle and preposition that make "go" a speech verb ("went on about").
_PHRASAL_SPEECH = frozenset({("prt", "on"), ("prep", "about")})


EMBEDDED_DEPS = frozenset({"relcl", "acl", "advcl", "xcomp", "amod", "pcomp", "csubj"})


def _good_subject(tok: Token, ctx: SpeakerContext) -> bool:
    # A dash the parse took for a subject ("... made public ― Trump boasted") is none.
    return (
        any(c.isalnum() for c in tok.text)
        and not ctx.in_quote(tok.idx)
        and tok.lower_ not in _POSSESSIVE
        and not ctx.not_speaker(tok)
    )


def subject_of(verb: Token, ctx: SpeakerContext) -> Token | None:
    """The token naming who utters ``verb``: agent, subject, or its head's subject.

    "who said" gives the noun the relative clause modifies; a participle ("...,
    saying") or a conjoined verb takes the subject of its head. Objects ("told
    KTVI", "said in a statement") are never returned.
    """
    # "Her comments, said Josh Earnest, are ...": an inverted "said X" set off by
    # commas names its speaker after it, whatever the parse takes for the subject.
    # Not when the verb's own subject is a person ("Ana Cruz, former head of the
    # party, says Hillsborough is ..."), and only with the name set off by a comma.
    doc = verb.doc
    if (
        verb.lower_ in ("said", "says")
        and 0 < verb.i < len(doc) - 1
        and doc[verb.i - 1].text == ","
        and doc[verb.i + 1].ent_type_ == "PERSON"
        and _good_subject(doc[verb.i + 1], ctx)
        and not any(c.dep_ == "nsubj" and c.ent_type_ == "PERSON" for c in verb.children)
    ):
        k = verb.i + 1
        while k + 1 < len(doc) and doc[k + 1].ent_type_ == "PERSON":
            k += 1
        if k + 1 < len(doc) and doc[k + 1].text == ",":
            return doc[verb.i + 1]
    for child in verb.children:
        if child.dep_ == "agent":  # "was called ... by the union"
            for pobj in child.children:
                if pobj.dep_ == "pobj" and _good_subject(pobj, ctx):
                    return pobj
    for child in verb.children:
        if child.dep_ == "nsubj" and _good_subject(child, ctx):
            if child.lower_ in _RELATIVE and verb.dep_ == "relcl" and verb.head is not verb:
                noun = verb.head
                if (
                    noun.dep_ == "appos"
                    and noun.head.ent_type_ == "PERSON"
                    and _good_subject(noun.head, ctx)
                ):
                    # "Ms. Fenn -- a former media aide who describes herself as ...":
                    # the person the description stands beside, not the description.
                    return noun.head
                return noun
            if child.lower_ in _RELATIVE and child.i > 0:
                # "... turned to the Fire Department which reported ...", the clause
                # misparsed as an adverbial one: the noun right before "which".
                prev = doc[child.i - 1]
                if prev.is_punct and child.i > 1:
                    prev = doc[child.i - 2]
                if prev.pos_ in ("NOUN", "PROPN") and _good_subject(prev, ctx):
                    return prev
            return child
    # "... and Justice Ruth Bader Ginsburg said it was ...", parsed with the name
    # as a conjunct of an object and "said" without a subject: the person named
    # right before the verb says it, not the subject of the verb it hangs on.
    if verb.i > 0:
        prev = verb.doc[verb.i - 1]
        if prev.ent_type_ == "PERSON" and prev.dep_ != "poss" and _good_subject(prev, ctx):
            return prev
        if (
            verb.tag_ == "VBG"
            and prev.pos_ == "PROPN"
            and prev.head.i == verb.i
            and prev.dep_ in ("compound", "nsubj", "poss")
            and _good_subject(prev, ctx)
        ):
            return prev  # "Despite Trump saying talks had \"come a long way\""
    if (
        verb.tag_ == "VBG"
        and verb.head.i != verb.i
        and ctx.in_quote(verb.head.idx)
        and not ctx.in_quote(verb.idx)
    ):
        # '"...," Trump said, "...," while clarifying ...': the parse hung the participle
        # on a verb inside the quotation; the speech verb before it speaks.
        head = verb.head
        inside = _head_subject(verb, head, ctx) if head.pos_ in ("VERB", "AUX") else None
        return inside or _speech_verb_subject_before(verb, ctx)
    if verb.tag_ == "VBG" and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        # "Despite Reyes saying ...", "a statement saying ...": the noun the participle
        # modifies; a statement issued by someone is theirs.
        noun = verb.head
        if noun.lemma_.lower() in SOURCE_NOUNS and noun.dep_ == "dobj":
            issuer = next(
                (c for c in noun.head.children if c.dep_ == "nsubj" and _good_subject(c, ctx)),
                None,
            )
            if issuer is not None and ctx.entity_at(issuer.idx, issuer.idx + len(issuer)):
                return issuer
        if _good_subject(noun, ctx) and ctx.may_speak(noun):
            return noun
        return None
    if verb.tag_ == "VBG" and verb.dep_ == "pcomp" and verb.head.pos_ in ("ADP", "SCONJ"):
        # "Despite Varga saying ...": the preposition's object before the gerund.
        owner = next(
            (
                c
                for c in verb.head.children
                if c.dep_ == "pobj" and c.i < verb.i and c.pos_ == "PROPN"
            ),
            None,
        )
        if owner is not None and _good_subject(owner, ctx):
            return owner
    if verb.dep_ in ("conj", "advcl", "xcomp", "pcomp") and verb.head is not verb:
        head = verb.head
        # "..., before asking her", "... for his role and for saying that ...": the
        # preposition (or a conjunct of one) hangs on the verb whose subject speaks.
        while head.pos_ == "ADP" and head.dep_ in ("prep", "conj") and head.head.i != head.i:
            head = head.head
        if ctx.in_quote(head.idx) and not ctx.in_quote(verb.idx):
            # '"...," Sanders said, going on to say that ...': the parse hung the
            # participle on a verb inside the quotation; the speech verb before it speaks.
            inside = _head_subject(verb, head, ctx) if head.pos_ in ("VERB", "AUX") else None
            return inside or _speech_verb_subject_before(verb, ctx)
        if verb.tag_ == "VBG" and verb.dep_ == "advcl" and _in_wh_clause(head):
            # '..., looping the streets - where the Panthers played - while chanting ...':
            # the participle belongs to the clause the "where" clause is set in.
            outer = head.head
            while outer.pos_ not in ("VERB", "AUX") and outer.head.i != outer.i:
                outer = outer.head
            if outer.pos_ in ("VERB", "AUX") and outer.i != head.i:
                return subject_of(outer, ctx)
        if (
            verb.dep_ == "conj"
            and head.dep_ == "ccomp"
            and is_speech_verb(head.head)
            and any(c.dep_ == "nsubj" and c.lower_ in ("that", "this") for c in head.children)
        ):
            # "X's brief said that was not her view and dismissed the reports as ...":
            # a clause whose subject is "that" does not dismiss; the one who said it does.
            return subject_of(head.head, ctx)
        if head.pos_ in ("VERB", "AUX"):
            return _head_subject(verb, head, ctx)
    return None


def _head_subject(verb: Token, head: Token, ctx: SpeakerContext) -> Token | None:
    """The subject ``verb`` takes from the verb it hangs on; a participle also takes a
    passive one ("After saying ..., she was rushed to hospital")."""
    subj = subject_of(head, ctx)
    if subj is None and verb.tag_ == "VBG":
        subj = next(
            (c for c in head.children if c.dep_ == "nsubjpass" and _good_subject(c, ctx)), None
        )
    return subj


#: Words opening a clause that describes a place or a time ("where ... played").
_WH_CLAUSE = frozenset({"where", "when"})


def _in_wh_clause(verb: Token) -> bool:
    """Whether ``verb`` heads a "where" or "when" clause (not "who went on, declaring")."""
    return any(c.lower_ in _WH_CLAUSE and c.dep_ == "advmod" for c in verb.children)


def _speech_verb_subject_before(verb: Token, ctx: SpeakerContext) -> Token | None:
    """The subject of the nearest speech verb before ``verb`` in its sentence, outside
    quotation marks."""
    sent_start = verb.sent.start
    for k in range(verb.i - 1, sent_start - 1, -1):
        cand = verb.doc[k]
        if ctx.in_quote(cand.idx) or not is_speech_verb(cand):
            continue
        subj = next((c for c in cand.children if c.dep_ == "nsubj" and _good_subject(c, ctx)), None)
        if subj is not None:
            return subj
    return None


def according_to(tokens: Sequence[Token]) -> tuple[Token, Token] | None:
    """(cue token, head of the source) for an "according to X" in ``tokens``; also for
    the relays ", per X" ('..., per the club's bylaws') and "as X put it"."""
    for tok in tokens:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
            for child in tok.nbor().children:
                if child.dep_ == "pobj":
                    return tok, child
            if tok.i + 2 < len(tok.doc):
                return tok, tok.doc[tok.i + 2]
    for tok in tokens:
        relay = _relay_source(tok)
        if relay is not None:
            return relay
    return None


def is_relay_cue(tok: Token) -> bool:
    """Whether ``tok`` opens an "according to X", ", per X" or "as X put it"."""
    return tok.lower_ == "according" or _relay_source(tok) is not None


def _relay_source(tok: Token) -> tuple[Token, Token] | None:
    """Cue and source of a relay: ", per the bylaws" -> (per, bylaws); "as a memo put it"
    -> (put, memo)."""
    doc = tok.doc
    back = tok.i - 1
    while back > 0 and doc[back].text in ('"', "\u201d", "\u2019", "'"):
        back -= 1
    if tok.lower_ == "per" and back >= 0 and doc[back].text == ",":
        if tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ in ("DET", "PROPN", "PRON"):
            for child in tok.children:
                if child.dep_ == "pobj" and child.pos_ in ("NOUN", "PROPN"):
                    return tok, child
        return None
    if tok.lower_ != "as":
        return None
    for k in range(tok.i + 2, min(tok.i + 10, len(doc) - 1)):
        verb = doc[k]
        if verb.lemma_.lower() == "put" and doc[k + 1].lower_ == "it":
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.i > tok.i and subj.pos_ in ("NOUN", "PROPN", "PRON"):
                return verb, subj
            return None
        if verb.is_punct:
            return None
    return None


def speaker_from_token(
    head: Token, ctx: SpeakerContext, limit: tuple[int, int]
) -> tuple[str | None, Span | None, bool]:
    """Speaker name, mention span and anonymity for the noun heading a speaker phrase."""
    text = ctx.text
    if ctx.not_speaker(head) or head.lower_ in _POSSESSIVE or head.lower_ in _RELATIVE:
        return None, None, False
    ent = ctx.entity_at(head.idx, head.idx + len(head))
    if ent is not None:
        return ctx.canonical(ent.text, ent.label, ent.start), Span(ent.start, ent.end), False
    if head.lower_ in _PRONOUNS:
        person, sure = ctx.person_for_pronoun(head.idx, head.lower_)
        mention = Span(head.idx, head.idx + len(head))
        recent = ctx.recent_speaker(head.idx, head.lower_)
        # '"What are we suffering from?" he asked. Saying President Obama, he said,
        # was "too simple an answer."': he is still the speaker, not Obama, who is
        # named in the pronoun's own sentence only inside a clause below it.
        aside = (
            person is not None
            and not sure
            and ctx.lookup.index_at(person.start) == ctx.lookup.index_at(head.idx)
        )
        if recent is not None and (person is None or person.start < recent[0] or aside):
            return recent[1], mention, False
        if person is not None:
            return ctx.namesake_for(person.text, head.lower_, person.start), mention, False
        return None, mention, False
    if head.lower_ in _BODY_PRONOUNS:
        mention = Span(head.idx, head.idx + len(head))
        body = ctx.last_body_before(head.idx, plural=head.lower_ != "it")
        if body is not None:
            name, _, anonymous = speaker_from_token(body, ctx, (body.idx, body.idx + len(body)))
            return name, mention, anonymous
        return None, mention, False
    if head.lower_ == "i" and not ctx.in_quote(head.idx):
        # A first-person narrator outside quotation marks is the article's author,
        # named by a closing bio line ("Ada Quill is a playwright in ...").
        return ctx.author(), Span(head.idx, head.idx + len(head)), False
    if head.lower_ in _PLURAL_PRONOUNS:
        return None, Span(head.idx, head.idx + len(head)), False
    if head.text[:1].isupper() and head.lower_ in ctx.names:
        return ctx.names[head.lower_], Span(head.idx, head.idx + len(head)), False
    if head.pos_ == "PROPN" and head.text[:1].isupper() and head.text.isalpha():
        full = ctx.full_name(head.text)
        if full is not None:
            left = head.left_edge
            start = left.idx if left.i >= head.i - 3 and left.idx >= limit[0] else head.idx
            return full, Span(start, head.idx + len(head)), False
    if head.pos_ == "NOUN" and head.lemma_.lower() in SPEECH_NOUNS:
        owned = _utterance_owner(head, ctx, limit)
        if owned is not None:
            return owned
    # A common-noun phrase: determiners/adjectives/compounds up to the head noun.
    left = head.left_edge
    if head.i - left.i > _MAX_SPEAKER_TOKENS:
        left = head.doc[head.i - _MAX_SPEAKER_TOKENS]
    start = max(left.idx, limit[0])
    end = head.idx + len(head)
    # A named entity inside the phrase ("a spokesperson for Harbor Authority") names it;
    # not one in a speech noun's clause ("a prediction that Venn would ...").
    phrase_end = head.right_edge.idx + len(head.right_edge)
    if head.lemma_.lower() in SPEECH_NOUNS:
        clause = [c.left_edge.idx for c in head.children if c.dep_ in ("acl", "relcl")]
        phrase_end = min([phrase_end, *clause])
    for ent in ctx.entities:
        if start <= ent.start and ent.end <= phrase_end and (ent.label == "PERSON"):
            return ctx.canonical(ent.text, ent.label, ent.start), Span(ent.start, ent.end), False
    start, end = strip_span(text, start, end)
    if start >= end:
        return None, None, False
    phrase = text[start:end]
    right = head.right_edge
    full = text[start : min(right.idx + len(right), limit[1])]
    first = head.doc[left.i].lower_ if left.i <= head.i else ""
    anonymous = (
        bool(_ANONYMOUS.search(full))
        or first in _INDEFINITE
        or (head.tag_ in ("NNS",) and first not in ("the", "his", "her", "their", "its"))
    )
    if not anonymous and first == "the" and (head.tag_ == "NN" or head.lower_ in _PARTY_MEMBERS):
        modifiers = [t.text for t in head.doc[left.i : head.i] if t.idx >= start]
        holder = ctx.role_holder(head.lower_, start, modifiers)
        if holder is not None:
            return holder, Span(start, end), False
        unnamed = ctx.unnamed_source(head.lower_, start)
        if unnamed is not None:
            return unnamed, Span(start, end), True
        if head.lemma_.lower() in _DESCRIBED_ROLES or head.lower_ in _PARTY_MEMBERS:
            described = ctx.described_person(start)
            if described is not None:
                return described, Span(start, end), False
    # "his campaign", "the former secretary of state's campaign": the possessor's.
    owner = next((c for c in head.children if c.dep_ == "poss"), None)
    if owner is not None and not anonymous and head.lemma_.lower() in _OWNED_BODIES:
        if owner.lower_ in ("his", "her"):
            name = ctx.possessor_before(owner.idx, "he" if owner.lower_ == "his" else "she")
        else:
            name, _, owner_anonymous = speaker_from_token(owner, ctx, (start, owner.idx))
            if owner_anonymous or name == text[start : owner.idx + len(owner)]:
                name = None
        if name:
            return f"{name}\u2019s {head.text}", Span(start, end), False
    return phrase, Span(start, end), anonymous


def _utterance_owner(
    noun: Token, ctx: SpeakerContext, limit: tuple[int, int]
) -> tuple[str | None, Span | None, bool] | None:
    """Who made the utterance a speech noun names, when the text says.

    "its prediction that ...": the possessor ("its" the document or body before it,
    "his"/"her" the person); "X made a controversial comment that described ...": the
    subject of the verb the noun is the object of; "prompted his wife Ada Ruiz to make
    a comment": the object of the verb that controls an infinitive without a subject.
    None when the text names no owner (the noun's own phrase is kept).
    """
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is not None:
        low = owner.lower_
        mention = Span(owner.idx, owner.idx + len(owner))
        if low in ("his", "her"):
            name = ctx.possessor_before(owner.idx, "he" if low == "his" else "she")
            return (name, mention, False) if name else None
        if low in ("its", "their"):
            body = ctx.last_body_before(owner.idx, plural=low == "their")
            if body is None:
                # "X's earlier missive was ridiculed for its prediction that ...": the
                # subject of the clause the noun hangs in.
                verb = noun.head
                while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
                    verb = verb.head
                body = next(
                    (
                        c
                        for c in verb.children
                        if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN")
                    ),
                    None,
                )
            if body is None:
                return None
            return speaker_from_token(body, ctx, (body.left_edge.idx, body.idx + len(body)))
        if low in _POSSESSIVE:
            return None
        name, span, anonymous = speaker_from_token(owner, ctx, limit)
        return (name, span, anonymous) if name else None
    if noun.dep_ != "dobj" or noun.head.pos_ not in ("VERB", "AUX"):
        return None
    verb = noun.head
    maker: Token | None = None
    if verb.dep_ == "xcomp" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        # "prompted Ada Ruiz to make a comment": the one prompted makes it.
        maker = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
    if maker is None:
        maker = subject_of(verb, ctx)
    if maker is None or maker.i == noun.i or maker.lemma_.lower() in SPEECH_NOUNS:
        return None
    name, span, anonymous = speaker_from_token(maker, ctx, (maker.left_edge.idx, limit[1]))
    return (name, span, anonymous) if name else None
