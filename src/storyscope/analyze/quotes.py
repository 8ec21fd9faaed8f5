"""Direct and partial quotations with their speakers (first version).

Layouts handled::

    "...," Okafor said.              Okafor said: "..."
    "...," he said. "..."            "...", said Okafor, the port director.
    "...," according to Okafor.      She called the ruling "a grave step backwards".

Speakers come from the subject of the nearest speech verb outside the quotation
(or the object of "according to"); pronouns resolve to the most recent person
named before them; surnames and titled names resolve to the longest full name
the article uses ("Okafor", "Dr. Okafor" -> "Ada Okafor"). A quotation with no
attribution of its own inherits the speaker of a quotation within the two
sentences before it. Short quoted terms (1-3 words) with no speech verb in their
sentence are scare quotes and are not reported. ``Quote.text`` is the content
inside the marks, without a trailing comma.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyscope.analyze._text import QuoteRegion, SentenceLookup, find_quote_regions, strip_span
from storyscope.model import Entity, Quote, Sentence, Span

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

__all__ = ["SPEECH_VERBS", "QuoteFinder", "canonical_names", "find_quotes"]

#: Lemmas of verbs that introduce speech.
SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "add",
        "state",
        "write",
        "warn",
        "argue",
        "insist",
        "claim",
        "note",
        "explain",
        "acknowledge",
        "reply",
        "announce",
        "declare",
        "admit",
        "confirm",
        "recall",
        "stress",
        "urge",
        "concede",
        "predict",
        "remark",
        "tweet",
        "comment",
        "caution",
        "promise",
        "vow",
        "deny",
        "complain",
        "testify",
        "allege",
        "describe",
        "call",
        "respond",
        "maintain",
        "contend",
        "assert",
        "emphasise",
        "emphasize",
        "recount",
    ]
)
_PRONOUNS = frozenset({"he", "she", "him", "her"})
_PLURAL_PRONOUNS = frozenset({"they", "we", "i", "it", "you"})
_HONORIFICS = re.compile(
    r"^(?:(?:mr|mrs|ms|miss|dr|prof|professor|sir|dame|gen|col|capt|lt|sgt|rep|sen|gov|"
    r"president|minister|mayor|judge|justice|chief|officer|inspector|detective|rev|"
    r"father|sister|lord|lady|st)\.?\s+)+",
    re.IGNORECASE,
)
_ANONYMOUS = re.compile(
    r"not\s+to\s+be\s+(?:named|identified)|anonymity|\bfamiliar\s+with\b|\bsources?\b|"
    r"\binsiders?\b|\bclose\s+to\b|not\s+authori[sz]ed|declined\s+to\s+be\s+named|"
    r"did\s+not\s+want\s+to\s+be\s+named",
    re.IGNORECASE,
)
_INDEFINITE = frozenset({"a", "an", "one", "some", "two", "three", "several", "another"})
_NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_SCARE_MAX_WORDS = 3
_INHERIT_SENTENCES = 2
_MAX_SPEAKER_TOKENS = 12


def _strip_honorific(name: str) -> str:
    return _HONORIFICS.sub("", name).strip()


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
        name = _strip_honorific(ent.text)
        parts = name.split()
        if not parts:
            continue
        for key in {parts[-1].lower(), name.lower()}:
            cur = best.get(key)
            if cur is None or len(name) > len(cur):
                best[key] = name
    return best


class _Context:
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
        self.entities = entities
        self.ent_starts = [e.start for e in entities]
        self.names = canonical_names(entities)
        self.token_starts = [t.idx for t in doc]
        self.regions = regions
        self.region_starts = [r.open for r in regions]

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

    def last_person_before(self, pos: int) -> Entity | None:
        i = bisect.bisect_left(self.ent_starts, pos) - 1
        while i >= 0:
            ent = self.entities[i]
            if ent.label == "PERSON" and not self.in_quote(ent.start):
                return ent
            i -= 1
        return None

    def canonical(self, name: str, label: str) -> str:
        bare = _strip_honorific(name)
        if label != "PERSON" and bare.lower() in self.names:
            return self.names[bare.lower()]  # a surname the NER mislabelled
        if label == "PERSON":
            full = self.names.get(bare.lower())
            if full is None and bare.split():
                full = self.names.get(bare.split()[-1].lower())
            return full or bare or name
        if label == "ORG" and name.lower().startswith("the "):
            return name[4:]
        return name


def _is_speech_verb(token: Token) -> bool:
    return token.lemma_.lower() in SPEECH_VERBS and token.pos_ in ("VERB", "AUX")


_EMBEDDED_DEPS = frozenset({"relcl", "acl", "advcl", "xcomp", "amod", "pcomp", "csubj"})


def _subject_of(verb: Token, ctx: _Context) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":  # "was called ... by the union"
            for pobj in child.children:
                if pobj.dep_ == "pobj" and not ctx.in_quote(pobj.idx):
                    return pobj
    for child in verb.children:
        if child.dep_ == "nsubj" and not ctx.in_quote(child.idx):
            return child
    if verb.dep_ == "conj" and verb.head is not verb:
        return _subject_of(verb.head, ctx)
    return None


def _according_to(tokens: Sequence[Token]) -> tuple[Token, Token] | None:
    """("according" token, head of its object) for an "according to X" in ``tokens``."""
    for tok in tokens:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
            for child in tok.nbor().children:
                if child.dep_ == "pobj":
                    return tok, child
            if tok.i + 2 < len(tok.doc):
                return tok, tok.doc[tok.i + 2]
    return None


def _speaker_from_token(
    head: Token, ctx: _Context, limit: tuple[int, int]
) -> tuple[str | None, Span | None, bool]:
    """Speaker name, mention span and anonymity for the noun heading a speaker phrase."""
    text = ctx.text
    ent = ctx.entity_at(head.idx, head.idx + len(head))
    if ent is not None:
        return ctx.canonical(ent.text, ent.label), Span(ent.start, ent.end), False
    if head.lower_ in _PRONOUNS:
        person = ctx.last_person_before(head.idx)
        mention = Span(head.idx, head.idx + len(head))
        if person is not None:
            return ctx.canonical(person.text, "PERSON"), mention, False
        return None, mention, False
    if head.lower_ in _PLURAL_PRONOUNS:
        return None, Span(head.idx, head.idx + len(head)), False
    if head.text[:1].isupper() and head.lower_ in ctx.names:
        return ctx.names[head.lower_], Span(head.idx, head.idx + len(head)), False
    # A common-noun phrase: determiners/adjectives/compounds up to the head noun.
    left = head.left_edge
    if head.i - left.i > _MAX_SPEAKER_TOKENS:
        left = head.doc[head.i - _MAX_SPEAKER_TOKENS]
    start = max(left.idx, limit[0])
    end = head.idx + len(head)
    # A named entity inside the phrase ("a spokesperson for Harbor Authority") names it.
    for ent in ctx.entities:
        if (
            start <= ent.start
            and ent.end <= head.right_edge.idx + len(head.right_edge)
            and (ent.label == "PERSON")
        ):
            return ctx.canonical(ent.text, ent.label), Span(ent.start, ent.end), False
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
    return phrase, Span(start, end), anonymous


def _attribution(
    region: QuoteRegion, ctx: _Context, sent: Sentence, prev_close: int, next_open: int
) -> tuple[Token | None, Token | None, tuple[int, int]]:
    """Find (speech verb or 'according', speaker head token, window) for a quotation."""
    after_lo, after_hi = region.close + 1, min(sent.end, next_open)
    before_lo, before_hi = max(sent.start, prev_close + 1), region.open
    after = [t for t in ctx.tokens_in(after_lo, after_hi) if not ctx.in_quote(t.idx)]
    before = [t for t in ctx.tokens_in(before_lo, before_hi) if not ctx.in_quote(t.idx)]
    found: list[tuple[int, int, Token, Token | None, tuple[int, int]]] = []
    for tokens, window, after_side in (
        (after, (after_lo, after_hi), True),
        (before, (before_lo, before_hi), False),
    ):
        acc = _according_to(tokens)
        if acc is not None:
            dist = acc[0].idx - region.close if after_side else region.open - acc[0].idx
            found.append((dist, 0 if after_side else 1, acc[0], acc[1], (sent.start, sent.end)))
            continue
        verbs = [t for t in tokens if _is_speech_verb(t)]
        main = [t for t in verbs if t.dep_ not in _EMBEDDED_DEPS] or verbs
        if not main:
            continue
        tok = main[0] if after_side else main[-1]
        subj = _subject_of(tok, ctx)
        if subj is None:
            # Inverted order without a parse subject: "said Okafor, ..."
            for cand in tokens:
                if cand.i > tok.i and cand.pos_ in ("PROPN", "NOUN", "PRON"):
                    subj = cand
                    break
        if subj is not None and not sent.start <= subj.idx < sent.end:
            subj = None
        window = (sent.start, sent.end)
        dist = tok.idx - region.close if after_side else region.open - tok.idx
        found.append((dist, 0 if after_side else 1, tok, subj, window))
    if found:
        _, _, tok, subj, window = min(found, key=lambda f: (f[0], f[1]))
        return tok, subj, window
    return None, None, (sent.start, sent.end)


def _sentence_has_speech(sent: Sentence, ctx: _Context) -> bool:
    return any(
        (_is_speech_verb(t) or t.lower_ == "according") and not ctx.in_quote(t.idx)
        for t in ctx.tokens_in(sent.start, sent.end)
    )


def find_quotes(
    text: str, doc: Doc, sentences: Sequence[Sentence], entities: Sequence[Entity]
) -> list[Quote]:
    """Find direct and partial quotations and attribute them.

    Args:
        text: The article text.
        doc: spaCy document of ``text`` (dependency parse and lemmas).
        sentences: The article's sentences.
        entities: The article's entities (for speaker names).

    Returns:
        Quotes in text order.
    """
    regions = find_quote_regions(text)
    ctx = _Context(text, doc, sentences, entities, regions)
    out: list[Quote] = []
    for k, region in enumerate(regions):
        start, end = strip_span(text, region.inner_start, region.inner_end)
        while end > start and text[end - 1] == ",":
            end -= 1
        start, end = strip_span(text, start, end)
        content = text[start:end]
        if not any(c.isalnum() for c in content):
            continue
        sent_index = ctx.lookup.index_at(start)
        if sent_index < 0:
            continue
        sent = sentences[sent_index]
        # The sentence that holds the closing mark bounds the attribution after it.
        close_sent = sentences[ctx.lookup.index_at(region.close)]
        prev_close = regions[k - 1].close if k > 0 else -1
        next_open = regions[k + 1].open if k + 1 < len(regions) else len(text)
        window_sent = Sentence(
            index=sent.index,
            start=sent.start,
            end=close_sent.end,
            text=text[sent.start : close_sent.end],
        )
        cue_tok, subj, window = _attribution(region, ctx, window_sent, prev_close, next_open)
        words = content.split()
        before_char = text[: region.open].rstrip()[-1:] if region.open > sent.start else ""
        partial = before_char.isalnum() or (
            content[0].islower() and before_char not in (",", ":", ";")
        )
        if len(words) <= _SCARE_MAX_WORDS and not _sentence_has_speech(window_sent, ctx):
            continue
        speaker: str | None = None
        mention: Span | None = None
        anonymous = False
        cue: str | None = None
        cue_span: Span | None = None
        if cue_tok is not None:
            if cue_tok.lower_ == "according":
                cue_end = cue_tok.idx + len(cue_tok)
                if cue_tok.i + 1 < len(doc):
                    nxt = doc[cue_tok.i + 1]
                    cue_end = nxt.idx + len(nxt)
                cue_span = Span(cue_tok.idx, cue_end)
            else:
                cue_span = Span(cue_tok.idx, cue_tok.idx + len(cue_tok))
            cue = text[cue_span.start : cue_span.end]
        if subj is not None:
            speaker, mention, anonymous = _speaker_from_token(subj, ctx, window)
        if cue_tok is None and out:
            prev = out[-1]
            if prev.speaker is not None and sent_index - prev.sentence <= _INHERIT_SENTENCES:
                speaker, mention, anonymous = prev.speaker, prev.speaker_mention, prev.anonymous
        out.append(
            Quote(
                start=start,
                end=end,
                text=content,
                speaker=speaker,
                speaker_mention=mention,
                cue=cue,
                cue_span=cue_span,
                kind="partial" if partial else "direct",
                anonymous=anonymous,
                sentence=sent_index,
            )
        )
    return out


class QuoteFinder:
    """Pipeline component: text + doc + sentences + entities -> quotes."""

    name = "quotes.v1"
    requires = frozenset({"doc", "sentences", "entities"})
    assigns = frozenset({"quotes"})

    def __call__(
        self, text: str, doc: Doc, sentences: Sequence[Sentence], entities: Sequence[Entity]
    ) -> list[Quote]:
        return find_quotes(text, doc, sentences, entities)
