"""Direct and partial quotations with their speakers (first version).

Layouts handled::

    "...," Okafor said.              Okafor said: "..."
    "...," he said. "..."            "...", said Okafor, the port director.
    "...," according to Okafor.      She called the ruling "a grave step backwards".
    "...," Okafor told KRVN.         Okafor, who said it was "...".
    Okafor said: (new paragraph) "..."        "..." -- Ada Okafor
    "... (new paragraph) "...," Okafor said.  (a quotation over paragraphs)
    "... (new paragraph) ...," Okafor said.   (its opening mark left out)
    "...," Okafor said. '... ."               (a single mark closed by a double one)
    Okafor wrote: (new paragraph) ...         (a block without marks; also "- ..." items)

Speakers come from the subject of the nearest speech verb outside the quotation
(or the object of "according to"; rules in ``_speakers.py``); pronouns resolve
to the most recent person named as a subject before them; surnames and titled
names resolve to the longest full name the article uses ("Okafor", "Dr. Okafor" -> "Ada Okafor"). A quotation with no
attribution of its own inherits the speaker of a quotation within the two
sentences before it, else the speaker of a sentence right before it whose main
verb reports speech ("... Schiff said. "The other factor ...""). An attribution
in a short sentence of its own after a "?" or "!" ("Graham asked.") counts.

Short quoted terms (1-3 words) with no speech verb in their sentence, terms that
modify the noun after them ('the "temporary" tariffs', 'so-called "reforms"') and
quoted titles ("Morning at the Harbour"; after "said on" / "told" also one word or
a longer title: 'told "Fox & Friends"') and names or terms after "known as",
"dubbed", "the word" ('known as "angel moms"', unless credited: 'dubbed "X" by the
campaign'), things counted under a name ('at least 30 "national emergencies"') and one
word written on something ('wrote "Progressivism" on the board') are kept with kind
``"scare"`` and no speaker; a short quotation that ends a sentence, follows a quotation of the same
paragraph, or characterises someone ('as a "con artist"') is a quotation.
Reported speech ("Okafor said the port would reopen") is kind ``"indirect"``
(:func:`find_indirect`). ``speaker_description`` keeps the title or role the
article gives the speaker (see ``SpeakerContext.description_at``); "the minister"
or "the authority" resolve to the person described so or the body so named, and
"the official" to an earlier unnamed "senior port official" (anonymous).
``Quote.text`` is the content inside the marks, without a trailing comma; a
quotation never runs past its line or :data:`~storyscope.analyze._text.MAX_QUOTE_CHARS`.

An article gives at most :data:`MAX_QUOTES` records (direct, partial, scare and
indirect together), those of its start in text order: the quotation marks past
the cap are not attributed and no reported speech is looked for past it, so a
pathological article (thousands of quotations) costs time linear in its length.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyscope._words import SPEECH_VERBS
from storyscope.analyze._speakers import (
    EMBEDDED_DEPS,
    SPEECH_NOUNS,
    SpeakerContext,
    according_to,
    canonical_names,
    is_relay_cue,
    is_speech_verb,
    speaker_from_token,
    subject_of,
)
from storyscope.analyze._text import (
    ALL_MARKS,
    MAX_QUOTE_CHARS,
    QuoteRegion,
    find_quote_regions,
    strip_span,
)
from storyscope.model import Entity, Quote, Sentence, Span

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

__all__ = [
    "MAX_QUOTES",
    "SPEECH_VERBS",
    "QuoteFinder",
    "canonical_names",
    "find_indirect",
    "find_quotes",
]

#: Most quote records one article gives (a news article has tens; the claims are
#: capped likewise at :data:`storyscope.analyze.claims.MAX_CLAIMS`).
MAX_QUOTES = 500

_SCARE_MAX_WORDS = 3
_INHERIT_SENTENCES = 2
#: Dependencies of words that are never the speaker: audiences, objects, times.
_OBJECT_DEPS = frozenset({"dobj", "dative", "pobj", "npadvmod", "iobj", "attr", "poss"})
#: "..." -- Name (a byline-style attribution after a quotation).
_DASH_ATTRIBUTION = re.compile(r"\s*[\u2015\u2014\u2013-]{1,2}\s*")


def _attribution(
    region: QuoteRegion, ctx: SpeakerContext, sent: Sentence, prev_close: int, next_open: int
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
        acc = according_to(tokens)
        acc_found = None
        if acc is not None:
            dist = acc[0].idx - region.close if after_side else region.open - acc[0].idx
            acc_found = (dist, 0 if after_side else 1, acc[0], acc[1], (sent.start, sent.end))
        verbs = [t for t in tokens if is_speech_verb(t)]
        if acc is not None:
            # '"...," Christie said in 2014, according to the AP': the one who said
            # it speaks; "according to" names the relay, used only without a speaker.
            verbs = [t for t in verbs if t.i < acc[0].i]
        main = [t for t in verbs if t.dep_ not in EMBEDDED_DEPS] or verbs
        if not main:
            if acc_found is not None:
                found.append(acc_found)
            continue
        tok = main[0] if after_side else main[-1]
        reporting = False
        if not after_side:
            # The speech verb that governs the quotation ("X, who said it was "...").
            governing = [t for t in verbs if t.left_edge.idx <= region.open <= _right_end(t)]
            if governing:
                tok = _teller(governing[-1], governing, region)
                # Not a quotation the inner verb introduces itself ('..., she replied, "...').
                if ctx.text[: region.open].rstrip()[-1:] not in (",", ":"):
                    tok = _reporting_verb(tok, governing, ctx)
                reporting = tok is not governing[-1]
        if not reporting:
            tok = _relayed(tok, ctx)
        subj = subject_of(tok, ctx)
        if subj is None or ctx.not_speaker(subj):
            subj = _fallback_subject(tok, tokens, ctx, after_side)
        if subj is not None and not sent.start <= subj.idx < sent.end:
            subj = None
        if subj is None and acc_found is not None:
            found.append(acc_found)
            continue
        window = (sent.start, sent.end)
        dist = tok.idx - region.close if after_side else region.open - tok.idx
        found.append((dist, 0 if after_side else 1, tok, subj, window))
    if len(found) > 1:
        # 'Marsh said in the letter that the flyer "plainly" suggests ...': a speech
        # verb after the quotation inside the clause reported by one before it that
        # holds the quotation is part of what was reported.
        outer = [f for f in found if f[1] == 1 and f[3] is not None and _reports(f[2], region)]
        if outer:
            found = [f for f in found if not (f[1] == 0 and _in_clause(f[2], outer[0][2]))]
    if len(found) > 1:
        # 'X wondered whether they will be "fair", engaging in what analysts described
        # as ...': a speech verb after the quotation, in a clause of its own that does
        # not hold it, loses to the one before it whose clause holds the quotation.
        def holds(verb: Token) -> bool:
            return verb.left_edge.idx <= region.open <= _right_end(verb)

        before_holds = any(f[1] == 1 and f[3] is not None and holds(f[2]) for f in found)
        if before_holds:
            found = [
                f
                for f in found
                if not (f[1] == 0 and f[2].dep_ in EMBEDDED_DEPS and not holds(f[2]))
            ]
    if found:
        _, side, tok, subj, window = min(found, key=lambda f: (f[0], f[1]))
        own = _own_speech_verb(region, ctx, sent) if side == 0 else None
        if own is not None and own.i != tok.i and own.idx < region.open:
            # 'as Varga went on about "...," and "...," Ruiz said yes': the speech verb
            # the quotation hangs on, before it, speaks; not one after it in a clause
            # of its own.
            own_subj = subject_of(own, ctx)
            if (
                own_subj is not None
                and sent.start <= own_subj.idx < sent.end
                and not ctx.not_speaker(own_subj)
            ):
                return own, own_subj, (sent.start, sent.end)
        return tok, subj, window
    return None, None, (sent.start, sent.end)


def _own_speech_verb(region: QuoteRegion, ctx: SpeakerContext, sent: Sentence) -> Token | None:
    """The lowest speech verb on the parse's path from a quotation up to its sentence's
    root, outside quotation marks (None: none on the path)."""
    inner = ctx.tokens_in(region.open + 1, region.close)
    attach = [t.head for t in inner if not region.open <= t.head.idx <= region.close]
    if not attach:
        return None
    tok = attach[0]
    seen: set[int] = set()
    while tok.i not in seen and sent.start <= tok.idx < sent.end:
        seen.add(tok.i)
        if not ctx.in_quote(tok.idx) and is_speech_verb(tok):
            return tok
        tok = tok.head
    return None


#: Verbs that tell someone something: "told a woman who ... that \u201c...\u201d".
_TELLING = frozenset({"tell", "assure", "remind", "warn", "inform", "promise", "advise"})


def _teller(verb: Token, governing: Sequence[Token], region: QuoteRegion) -> Token:
    """The telling verb whose listener a speech verb's relative clause describes.

    'Pelt told a young woman who suggested that some may not vote that \u201c...\u201d':
    the parse hangs the told clause on "suggested", but a "tell" verb without a
    clause of its own outside the quotation tells it; the relative clause only says
    who listened.
    """
    listener = verb.head
    if verb.dep_ != "relcl" or listener.dep_ not in ("dobj", "dative", "iobj"):
        return verb
    outer = listener.head
    if (
        outer in governing
        and outer.lemma_.lower() in _TELLING
        and not any(
            c.dep_ == "ccomp" and not region.open <= c.idx <= region.close for c in outer.children
        )
    ):
        return outer
    return verb


def _in_clause(tok: Token, verb: Token) -> bool:
    """Whether ``tok`` is inside a clause that ``verb`` reports ('said that ...')."""
    for child in verb.children:
        if child.dep_ == "ccomp" and child.left_edge.i <= tok.i <= child.right_edge.i:
            return True
    return False


def _reports(verb: Token, region: QuoteRegion) -> bool:
    """Whether the quotation lies in a clause ``verb`` reports ('X said that ... "..."')."""
    return any(
        child.dep_ == "ccomp" and child.left_edge.idx <= region.open <= _right_end(child)
        for child in verb.children
    )


def _person_subject(verb: Token, ctx: SpeakerContext) -> bool:
    subj = subject_of(verb, ctx)
    if subj is None or ctx.not_speaker(subj):
        return False
    if subj.lower_ in _PERSON_PRONOUNS:
        return True
    ent = ctx.entity_at(subj.idx, subj.idx + len(subj))
    return ent is not None and ent.label == "PERSON"


#: Subjects that stand for people when a reported clause is theirs.
_PERSON_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})


def _reporting_verb(inner: Token, governing: Sequence[Token], ctx: SpeakerContext) -> Token:
    """The speech verb whose reported clause holds the quotation's own verb.

    'Vronk said that Pell once described the levy as "a fair deal"', 'Albin told
    Channel 9 that the moderator would insert himself by calling out Pell for his
    "lies"': the words come from the one who reports them, a named person or a
    personal pronoun; the outermost such verb wins.
    """
    for outer in governing:
        if outer is inner or not _in_clause(inner, outer):
            continue
        if _person_subject(outer, ctx):
            return outer
    return inner


def _relayed(verb: Token, ctx: SpeakerContext) -> Token:
    """The inner speech verb of a relayed remark: in '"...," aides said Mr. Ryan told his
    colleagues' the words are Ryan's; the aides only pass them on. Only a named
    person as the inner subject, and an inner verb after the outer one in its
    sentence, outside quotation marks."""
    for child in verb.children:
        if child.dep_ != "ccomp" or not is_speech_verb(child) or child.i <= verb.i:
            continue
        if ctx.in_quote(child.idx) or ctx.lookup.index_at(child.idx) != ctx.lookup.index_at(
            verb.idx
        ):
            continue
        inner = subject_of(child, ctx)
        if inner is None:
            continue
        ent = ctx.entity_at(inner.idx, inner.idx + len(inner))
        if ent is not None and ent.label == "PERSON":
            return child
    return verb


#: Tokens skipped between an inverted speech verb and its speaker ("said the city's ...").
_SKIP_POS = frozenset({"DET", "ADJ", "PUNCT", "ADV", "NUM", "PART", "SPACE"})


def _fallback_subject(
    verb: Token, tokens: Sequence[Token], ctx: SpeakerContext, after_side: bool
) -> Token | None:
    """A speaker for a speech verb the parse gave no usable subject.

    After a quotation, the name right before the verb (a misparsed
    ``"...," Tulsa police Chief Chuck Jordan said``); else, inverted order, the
    first noun right after the verb (``said Okafor``, ``said the official``), never
    one behind a preposition ("said in a letter", "said on Thursday").
    """
    if after_side:
        names = [
            t
            for t in tokens
            if t.i < verb.i
            and t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
            and not ctx.not_speaker(t)
        ]
        people = [t for t in names if t.ent_type_ == "PERSON"]
        if people or names:
            return (people or names)[0]
    doc = verb.doc
    for k in range(verb.i + 1, min(verb.i + 8, len(doc))):
        cand = doc[k]
        if cand.idx not in {t.idx for t in tokens}:
            return None
        if cand.pos_ in _SKIP_POS or cand.dep_ in ("compound", "amod", "det", "poss", "case"):
            continue
        if cand.dep_ in ("nsubj", "nsubjpass") and cand.head.i > verb.i:
            # 'a statement saying Scalise "underwent ..."': the subject of the clause
            # reported, not an inverted speaker.
            return None
        if (
            cand.pos_ in ("PROPN", "NOUN", "PRON")
            and cand.dep_ not in _OBJECT_DEPS
            and not ctx.not_speaker(cand)
        ):
            return cand
        if cand.ent_type_ in ("PERSON", "ORG") and not ctx.not_speaker(cand):
            return cand
        return None
    return None


def _governing_subject(
    region: QuoteRegion, ctx: SpeakerContext, sent: Sentence
) -> tuple[Token, Token] | None:
    """(verb, subject) of the clause a quotation is embedded in, outside the marks.

    Walks up the parse from where the quotation attaches to the sentence
    ('Clinton criticized the act as a "crazy system"', 'Trump tells his supporters
    to "go vote"'); the lowest speech verb with a subject wins, else the lowest
    verb with one. None for a quotation that is a sentence of its own.
    """
    inner = ctx.tokens_in(region.open + 1, region.close)
    attach = [t.head for t in inner if not region.open <= t.head.idx <= region.close]
    if not attach:
        return None
    chain: list[Token] = []
    tok = attach[0]
    seen: set[int] = set()
    while tok.i not in seen and sent.start <= tok.idx < sent.end:
        seen.add(tok.i)
        if not ctx.in_quote(tok.idx):
            chain.append(tok)
        if tok.head is tok:
            break
        tok = tok.head
    verbs = [t for t in chain if t.pos_ in ("VERB", "AUX")]
    speech = [v for v in verbs if is_speech_verb(v)]
    for tok in chain:
        if speech and tok.i == speech[0].i:
            break
        if (
            tok.dep_ == "acl"
            and tok.head.pos_ == "NOUN"
            and tok.head.lemma_.lower() in SPEECH_NOUNS
            and any(c.dep_ == "mark" for c in tok.children)
        ):
            # "its prediction that Varga would be \u201c...\u201d": the content clause of a
            # speech noun holds its owner's words, not those of the clause's subject.
            return tok, tok.head
    for verb in speech + verbs:
        subj = subject_of(verb, ctx)
        if subj is None or not sent.start <= subj.idx < sent.end or ctx.not_speaker(subj):
            continue
        if verb in speech or ctx.may_speak(subj):
            return verb, subj
    return None


def _right_end(tok: Token) -> int:
    right = tok.right_edge
    return right.idx + len(right)


def _continues(text: str, prev: QuoteRegion, region: QuoteRegion) -> bool:
    """Whether ``region`` opens the paragraph after an unclosed quotation ``prev``."""
    return not prev.closed and not text[prev.close : region.open].strip()


#: A name written after a dash, when the NER misses it: "-- Christina N Luis Olidem".
_DASH_NAME = re.compile(
    r"[A-Z][\w'\u2019-]*\.?(?: [A-Z][\w'\u2019-]*\.?){1,4}(?=[ \t]*(?:\n|$|[.|]))"
)


def _dash_speaker(region: QuoteRegion, ctx: SpeakerContext) -> tuple[str, Span] | None:
    """The person named right after a quotation by a dash: ``"..." -- Ada Okafor``.

    The entity there (even one the NER glued to the dash), else a run of two to five
    capitalised words that ends its line.
    """
    match = _DASH_ATTRIBUTION.match(ctx.text, region.close + 1)
    if match is None:
        return None
    ent = ctx.entity_at(match.end(), match.end() + 1)
    if ent is not None and ent.start <= match.end() < ent.end:
        start = max(ent.start, match.end())
        name = ctx.text[start : ent.end]
        return ctx.canonical(name, ent.label, ent.start), Span(start, ent.end)
    found = _DASH_NAME.match(ctx.text, match.end())
    if found is None:
        return None
    name = found.group(0)
    if name.endswith(".") and len(name.rsplit(" ", 1)[-1]) > 2:
        name = name[:-1]  # the full stop of the line, not an initial
    return name, Span(found.start(), found.start() + len(name))


def _line_byline(region: QuoteRegion, ctx: SpeakerContext) -> tuple[str, Span] | None:
    """The dash byline that ends the line a quotation opens: ``"A "B" C." -- Ada Okafor``.

    A quotation that holds marks of its own is cut into pieces at them; the byline
    after the line's last closing mark names who says the whole line.
    """
    text = ctx.text
    line_start = text.rfind("\n", 0, region.open) + 1
    if text[line_start : region.open].strip():
        return None
    line_end = text.find("\n", region.close)
    line_end = len(text) if line_end < 0 else line_end
    close = max(text.rfind(m, region.close, line_end) for m in ('"', "\u201d"))
    if close < region.close:
        return None
    return _dash_speaker(QuoteRegion(region.open, close, True), ctx)


def _colon_intro(
    prev: Sentence, ctx: SpeakerContext
) -> tuple[Token | None, str | None, Span | None, bool]:
    """Cue and speaker of a sentence that introduces the next one: ``Okafor said:``."""
    if not ctx.text[prev.start : prev.end].rstrip().endswith(":"):
        return None, None, None, False
    tokens = [t for t in ctx.tokens_in(prev.start, prev.end) if not ctx.in_quote(t.idx)]
    acc = according_to(tokens)
    if acc is not None:
        return (acc[0], *speaker_from_token(acc[1], ctx, (prev.start, prev.end)))
    verbs = [t for t in tokens if is_speech_verb(t)]
    for verb in reversed(verbs):
        subj = subject_of(verb, ctx)
        if subj is not None:
            return (verb, *speaker_from_token(subj, ctx, (prev.start, prev.end)))
    # "Sanders made the following comment:" -- the introducing sentence's subject.
    for root in (t for t in tokens if t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX")):
        subj = subject_of(root, ctx)
        if subj is not None and ctx.may_speak(subj):
            speaker, mention, anonymous = speaker_from_token(subj, ctx, (prev.start, prev.end))
            if speaker is not None:
                return None, speaker, mention, anonymous  # no speech verb: no cue
    return None, None, None, False


#: Most tokens in a sentence that only attributes the quotation before it ("Graham asked.").
_ATTRIBUTION_SENTENCE_TOKENS = 16


def _attribution_end(
    region: QuoteRegion, close_sent: Sentence, ctx: SpeakerContext, next_open: int
) -> int:
    """End of the text that may attribute a quotation, past its closing sentence.

    A quotation ending in "?" or "!" closes its sentence, and the splitter puts the
    attribution ("Graham asked.") in a sentence of its own; that short sentence is
    included when it follows right after the mark and quotes nothing itself.
    """
    text = ctx.text
    if text[region.close + 1 : close_sent.end].strip():
        return close_sent.end
    k = close_sent.index + 1
    if k >= len(ctx.sentences):
        return close_sent.end
    nxt = ctx.sentences[k]
    gap = text[region.close + 1 : nxt.start]
    if "\n" in gap or gap.strip() or nxt.end > next_open:
        return close_sent.end
    tokens = ctx.tokens_in(nxt.start, nxt.end)
    if len(tokens) > _ATTRIBUTION_SENTENCE_TOKENS or not nxt.text[:1].isupper():
        return close_sent.end
    # A sentence of its own about something else ('"... without delay." Kovac plans to
    # visit on Sunday, according to an aide.') does not attribute the quotation: its main
    # verb reports speech, or, after a "?" or "!", it holds an "according to".
    asked = text[: region.close].rstrip()[-1:] in ("?", "!")
    if not any(
        (is_speech_verb(t) and t.dep_ == "ROOT") or (asked and is_relay_cue(t)) for t in tokens
    ):
        return close_sent.end
    return nxt.end


def _speech_before(
    prev: Sentence, ctx: SpeakerContext
) -> tuple[Token | None, str | None, Span | None, bool]:
    """Speaker of a sentence whose main verb reports speech: ``Schiff said.``; else
    whose main verb has a speech participle: ``Okafor left the court, saying she ...``."""
    tokens = [t for t in ctx.tokens_in(prev.start, prev.end) if not ctx.in_quote(t.idx)]
    main = [t for t in tokens if t.dep_ == "ROOT" and is_speech_verb(t)]
    participles = [
        t
        for t in tokens
        if t.tag_ == "VBG" and t.dep_ == "advcl" and t.head.dep_ == "ROOT" and is_speech_verb(t)
    ]
    for verb in main + participles:
        subj = subject_of(verb, ctx)
        if subj is None:
            subj = _fallback_subject(verb, tokens, ctx, after_side=False)
        if subj is not None and prev.start <= subj.idx < prev.end:
            return (verb, *speaker_from_token(subj, ctx, (prev.start, prev.end)))
    return None, None, None, False


def _person_before(
    prev: Sentence, region: QuoteRegion, ctx: SpeakerContext
) -> tuple[str | None, Span | None, bool]:
    """A named person who is the subject of the main verb of ``prev``, a sentence of the
    quotation's paragraph that quotes nothing outside titles."""
    text = ctx.text
    if "\n" in text[prev.end : region.open]:
        return None, None, False
    tokens = [t for t in ctx.tokens_in(prev.start, prev.end) if not ctx.in_quote(t.idx)]
    if any(
        r.open >= prev.start and r.close < prev.end and not _short(r, text) for r in ctx.regions
    ):
        return None, None, False
    for root in (t for t in tokens if t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX")):
        subj = subject_of(root, ctx)
        if subj is None or subj.ent_type_ != "PERSON":
            continue
        return speaker_from_token(subj, ctx, (prev.start, prev.end))
    return None, None, False


def _short(region: QuoteRegion, text: str) -> bool:
    return len(text[region.open + 1 : region.close].split()) <= _SCARE_MAX_WORDS


def _sentence_has_speech(sent: Sentence, ctx: SpeakerContext) -> bool:
    return any(
        (is_speech_verb(t) or is_relay_cue(t)) and not ctx.in_quote(t.idx)
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
    ctx = SpeakerContext(text, doc, sentences, entities, regions)
    # Quotations set off as a block without marks: in text order among the others, but
    # outside ctx.regions (an attribution inside a block, 'he said "..."', still counts).
    blocks: list[tuple[int, int, int]] = []  # (start, end, intro sentence)
    for colon, pieces in _block_candidates(text, regions):
        intro = ctx.lookup.index_at(colon)
        if intro >= 0 and _introduces_block(sentences[intro], ctx):
            blocks.extend((lo, hi, intro) for lo, hi in pieces)
    order: list[tuple[int, int]] = sorted(
        [(r.open, k) for k, r in enumerate(regions)]
        + [(b[0], -1 - j) for j, b in enumerate(blocks)]
    )
    out: list[Quote] = []
    scare: list[Quote] = []
    origins: list[QuoteRegion] = []
    not_speech: set[int] = set()
    cut = len(text)  # where the cap stopped the search (the end: it did not)
    for position, k in order:
        if len(out) + len(scare) >= MAX_QUOTES:
            cut = position
            break
        if k < 0:
            lo, hi, intro = blocks[-1 - k]
            out.append(_block_quote(ctx, lo, hi, ctx.lookup.index_at(lo), intro))
            origins.append(QuoteRegion(lo - 1, hi, True))
            continue
        region = regions[k]
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
        # A title or term quoted before it ('Pence said on "Tucker Carlson Tonight"
        # that ...: "..."') does not end the attribution window: speech does.
        speech_before = next((j for j in range(k - 1, -1, -1) if j not in not_speech), None)
        prev_close = regions[speech_before].close if speech_before is not None else -1
        next_open = regions[k + 1].open if k + 1 < len(regions) else len(text)
        window_end = _attribution_end(region, close_sent, ctx, next_open)
        window_sent = Sentence(
            index=sent.index,
            start=sent.start,
            end=window_end,
            text=text[sent.start : window_end],
        )
        cue_tok, subj, window = _attribution(region, ctx, window_sent, prev_close, next_open)
        words = content.split()
        before_char = text[: region.open].rstrip()[-1:] if region.open > sent.start else ""
        partial = before_char.isalnum() or (
            content[0].islower() and before_char not in (",", ":", ";")
        )
        if (
            (
                len(words) <= _SCARE_MAX_WORDS
                and not _sentence_has_speech(window_sent, ctx)
                and not _statement_like(content, text, region, out, sent_index)
            )
            or (
                len(words) <= _SCARE_MAX_WORDS
                and _NAMING.search(text[max(0, region.open - 40) : region.open]) is not None
                and _BY_AGENT.match(text, region.close + 1) is None
            )
            or _is_title(content, text, region)
            or _is_label_change(text, region, words)
            or _is_mentioned_term(text, region, words)
            or (
                len(words) <= _SCARE_MAX_WORDS
                and _NAMED_AFTER.match(text, region.close + 1) is not None
            )
            or _is_modifier(region, words, ctx)
        ):
            not_speech.add(k)
            scare.append(
                Quote(
                    start=start,
                    end=end,
                    text=content,
                    speaker=None,
                    kind="scare",
                    sentence=sent_index,
                )
            )
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
            speaker, mention, anonymous = speaker_from_token(subj, ctx, window)
        if cue_tok is None:
            dash = _dash_speaker(region, ctx) or _line_byline(region, ctx)
            if dash is not None:
                speaker, mention = dash
        if cue_tok is None and speaker is None and sent_index > 0:
            cue_tok, speaker, mention, anonymous = _colon_intro(sentences[sent_index - 1], ctx)
            if cue_tok is not None:
                cue_span = Span(cue_tok.idx, cue_tok.idx + len(cue_tok))
                cue = text[cue_span.start : cue_span.end]
        if speaker is None:
            governed = _governing_subject(region, ctx, window_sent)
            if governed is not None:
                verb, head = governed
                speaker, mention, anonymous = speaker_from_token(head, ctx, window)
                if speaker is not None and cue_tok is None and is_speech_verb(verb):
                    cue_tok, cue_span = verb, Span(verb.idx, verb.idx + len(verb))
                    cue = verb.text
        if (
            out
            and origins[-1].closed
            and _LISTED.fullmatch(text, origins[-1].close + 1, region.open)
        ):
            prev = out[-1]
            if prev.speaker is not None and prev.sentence == sent_index:
                # 'as Varga went on about "...," and "...," Ruiz said yes': quoted
                # phrases listed with "and" in one sentence share their speaker.
                speaker, mention, anonymous = prev.speaker, prev.speaker_mention, prev.anonymous
                cue, cue_span = prev.cue, prev.cue_span
        continued = bool(out) and _continues(text, origins[-1], region)
        if (
            cue_tok is None
            and speaker is None
            and not continued
            and sent_index > 0
            and region.open <= sent.start + 2
        ):
            # 'On "Coast Live," Ilse Varga named fatigue as a reason. "The younger people
            # are ..."': the person the sentence before is about, in the same paragraph.
            speaker, mention, anonymous = _person_before(sentences[sent_index - 1], region, ctx)
        if cue_tok is None and speaker is None and out:
            prev = out[-1]
            # Counted from the sentence the previous quotation ends in (it may run on).
            prev_end = max(prev.sentence, ctx.lookup.index_at(origins[-1].close))
            near = sent_index - prev_end <= _INHERIT_SENTENCES
            if prev.speaker is not None and (near or continued):
                speaker, mention, anonymous = prev.speaker, prev.speaker_mention, prev.anonymous
        if cue_tok is None and speaker is None and sent_index > 0 and region.open <= sent.start + 2:
            # '... Schiff said. "The other factor ..."': the sentence before reports speech.
            _, speaker, mention, anonymous = _speech_before(sentences[sent_index - 1], ctx)
        if speaker is not None and continued:
            # A multi-paragraph quotation attributed only at its end: fill in back.
            k_back = len(out) - 1
            while k_back >= 0 and out[k_back].speaker is None and out[k_back].cue is None:
                out[k_back] = dataclasses.replace(
                    out[k_back], speaker=speaker, speaker_mention=mention, anonymous=anonymous
                )
                if k_back == 0 or not _continues(text, origins[k_back - 1], origins[k_back]):
                    break
                k_back -= 1
        if speaker is not None and mention is not None:
            ctx.last_quote = (start, speaker)
        origins.append(region)
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
    out = [_described(q, ctx) for q in out]
    ctx.last_quote = None
    indirect = find_indirect(ctx, out, until=cut)
    return sorted(out + scare + indirect, key=lambda q: (q.start, q.end))[:MAX_QUOTES]


#: What joins two quoted phrases of one list: '"...," and "..."'.
_LISTED = re.compile(r"[\s,]*(?:and|or)[\s,]*")


#: A paragraph that is an item of a list: "- ...", "• ...".
_BULLET = re.compile(r"[ \t]*[-•–—*·](?![-–—])[ \t]*\w")


def _block_candidates(
    text: str, regions: Sequence[QuoteRegion]
) -> list[tuple[int, list[tuple[int, int]]]]:
    """Paragraphs quoted as a block, without marks, after a paragraph ending in ":".

    ``Okafor wrote on Twitter:`` (new paragraph) ``The port stays shut. ...``: a
    paragraph with no quotation marks right after one that ends with a colon (outside
    marks) is the text introduced (a post, a statement); a list of items after the
    colon ("- ...", "• ...", each a paragraph) is so as a whole, the quotations
    inside an item kept as their own. Returns (colon offset, [(start, end) of the
    pieces outside quotation marks]) per introducing paragraph; the caller keeps a
    block only when the introducing sentence names who speaks (:func:`_colon_intro`).
    """
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((pos, pos + len(line)))
        pos += len(line) + 1

    def marked(lo: int, hi: int) -> bool:
        return any(r.open < hi and lo <= r.close for r in regions)

    def pieces(lo: int, hi: int) -> list[tuple[int, int]]:
        """The stretches of a line outside quotation marks; each opens after a character
        of its own (the line break, a space), which its region's ``open`` takes."""
        gaps: list[tuple[int, int]] = []
        cursor = lo
        for r in regions:
            if r.open < hi and lo <= r.close:
                gaps.append((cursor, r.open))
                cursor = r.close + 2
        gaps.append((cursor, hi))
        kept = []
        for a, b in gaps:
            if a > lo or not _BULLET.match(text, a):
                while a < b and not text[a].isalnum():
                    a += 1
            a, b = strip_span(text, a, min(b, a + MAX_QUOTE_CHARS))
            if a < b and any(c.isalnum() for c in text[a:b]):
                kept.append((a, b))
        return kept

    found: list[tuple[int, list[tuple[int, int]]]] = []
    for k, (lo, hi) in enumerate(lines[:-1]):
        colon = text.rfind(":", lo, hi)
        if colon < 0 or text[colon + 1 : hi].strip() or marked(colon, colon + 1):
            continue
        block: list[tuple[int, int]] = []
        nxt_lo, nxt_hi = lines[k + 1]
        if _BULLET.match(text, nxt_lo):
            for b_lo, b_hi in lines[k + 1 :]:
                if not _BULLET.match(text, b_lo):
                    break
                block.extend(pieces(b_lo, b_hi))
        elif not any(c in ALL_MARKS for c in text[nxt_lo:nxt_hi]):
            block = pieces(nxt_lo, nxt_hi)
        if block:
            found.append((colon, block))
    return found


#: What a speech verb introducing a block may not have: its own object or clause
#: ("CNN noted the sparse crowd:", "X suggested that ... the following:").
_BLOCK_CUE_BLOCKERS = frozenset({"dobj", "ccomp", "xcomp", "attr", "oprd", "neg", "dative"})


def _introduces_block(sent: Sentence, ctx: SpeakerContext) -> bool:
    """Whether a sentence ending in ":" hands over to someone's words set off below it.

    A speech verb with a speaker and nothing said in the sentence itself (``Okafor
    added:``, ``he said in a speech last July:``, ``Fox News reports:``, ``..., saying:``),
    or a text passed on by someone (``points were circulated by the campaign:``).
    Not the writer's own lead-ins: ``the Times gave her a glowing endorsement:``,
    ``CNN noted the sparse crowd:``, ``the candidate must:``, ``according to the
    department:`` (information, seldom wording).
    """
    cue, speaker, _, _ = _colon_intro(sent, ctx)
    if speaker is None:
        return False
    if cue is not None:
        # "according to X:" hands over X's information, seldom its wording.
        return cue.lower_ not in ("according", "per") and not any(
            c.dep_ in _BLOCK_CUE_BLOCKERS for c in cue.children
        )
    return any(
        t.dep_ == "ROOT"
        and any(c.dep_ == "agent" for c in t.children)
        and any(c.dep_ == "nsubjpass" for c in t.children)
        for t in ctx.tokens_in(sent.start, sent.end)
    )


def _block_quote(ctx: SpeakerContext, start: int, end: int, sent_index: int, intro: int) -> Quote:
    """A quotation set off as a block after its introducing sentence (see
    :func:`_block_candidates`), attributed as that sentence says."""
    cue_tok, speaker, mention, anonymous = _colon_intro(ctx.sentences[intro], ctx)
    cue_span = Span(cue_tok.idx, cue_tok.idx + len(cue_tok)) if cue_tok is not None else None
    return Quote(
        start=start,
        end=end,
        text=ctx.text[start:end],
        speaker=speaker,
        speaker_mention=mention,
        cue=cue_tok.text if cue_tok is not None else None,
        cue_span=cue_span,
        kind="direct",
        anonymous=anonymous,
        sentence=sent_index,
    )


def _described(quote: Quote, ctx: SpeakerContext) -> Quote:
    """The quote with its speaker's title or role, from the mention or the article."""
    if quote.speaker is None or quote.anonymous:
        return quote
    desc: str | None = None
    mention = quote.speaker_mention
    if mention is not None:
        ent = ctx.entity_at(mention.start, mention.end)
        if ent is not None and ent.label == "PERSON":
            desc = ctx.description_at(ent)
        elif ctx.text[mention.start : mention.end].lower() != quote.speaker.lower():
            # A role resolved to a person: "the minister" -> "Ada Okafor".
            phrase = ctx.text[mention.start : mention.end]
            if phrase[:1].islower() or phrase.lower().startswith("the "):
                desc = ctx.description_of(quote.speaker)
                own = {w.lower() for w in quote.speaker.split()}
                words = {w.lower() for w in phrase.split()} - {"the"}
                if desc is None and words and not words & own and phrase.lower() not in _PRON:
                    desc = phrase
    desc = desc or ctx.description_of(quote.speaker)
    if desc is None:
        return quote
    return dataclasses.replace(quote, speaker_description=desc)


#: Words right before a short quotation that make it someone's characterisation
#: ("admires him as a "strong leader"", "blasted them for being "dishonest"").
_CHARACTERISING = re.compile(
    r"\b(?:as(?:\s+an?)?|being|called|named|labell?ed|branded|likened\s+\w+\s+to)"
    r"\s*$",
    re.IGNORECASE,
)
#: Words before a short quotation that make it a name or a term, not anyone's words:
#: 'known as "angel moms"', 'Dubbed "Bridgegate,"', 'the word "rage"', 'the definition of "person"'
#: (unless someone is named as its author right after it: 'dubbed "Hillblazers" by the campaign').
_BY_AGENT = re.compile(r"[\s,.\u201d\"]*by\b", re.IGNORECASE)
_NAMING = re.compile(
    r"\b(?:known\s+as|dubbed|nicknamed|so-called|the\s+(?:word|words|term|phrase|label)"
    r"|definition\s+of)\s*$",
    re.IGNORECASE,
)
#: Words after a short quotation that make it a word talked about: '"Rage" is a word that
#: does not appear in the profile', '"Quaygate" was the name reporters gave it'.
_NAMED_AFTER = re.compile(
    r"[\s,]*(?:is|was|are|were|has\s+become|became)\s+(?:a|an|the|not\s+a)\s+"
    r"(?:\w+\s+)?(?:word|words|term|phrase|label|name|nickname|slogan)\b",
    re.IGNORECASE,
)
#: Words before a quoted title of a programme or publication: 'said on "Outnumbered"',
#: 'told "Fox & Friends"', 'on Fox News\' "On the Record with ..."'.
_MEDIA_CUE = re.compile(
    r"\b(?:on|told|appeared\s+on|appearing\s+on|host\s+of|anchor\s+of)"
    r"(?:\s+[A-Z][\w.&-]*){0,3}(?:['\u2019]s?)?\s*$"
)


def _statement_like(
    content: str, text: str, region: QuoteRegion, out: Sequence[Quote], sent_index: int
) -> bool:
    """Whether a short quotation is someone's words rather than a scare quote.

    It ends a sentence of its own ("Neither do I."), follows a quotation of the
    same paragraph that has a speaker (the second half of ""I would," Melanie
    said. "I would, Donald.""), or characterises someone ("as a "con artist"").
    """
    if content.rstrip()[-1:] in ".!?" and content[:1].isupper():
        return True
    before = text[max(0, region.open - 40) : region.open]
    if _CHARACTERISING.search(before):
        return True
    if out:
        prev = out[-1]
        if (
            prev.speaker is not None
            and sent_index - prev.sentence <= 1
            and "\n" not in text[prev.end : region.open]
            and content[:1].isupper()
        ):
            return True
    return False


def _is_modifier(region: QuoteRegion, words: Sequence[str], ctx: SpeakerContext) -> bool:
    """Whether short quoted words modify the noun after them: the "temporary" tariffs.

    Such a term, or one after "so-called", is the writer's distance from a word,
    not anyone's statement, even in a sentence with a speech verb.
    """
    if len(words) > _SCARE_MAX_WORDS:
        return False
    if re.search(r"so-called\s*$", ctx.text[max(0, region.open - 12) : region.open], re.I):
        return True
    inner = [t for t in ctx.tokens_in(region.open + 1, region.close) if not t.is_punct]
    if not inner:
        return False
    after = region.close + 1
    return all(
        t.dep_ in ("amod", "compound", "nmod") and t.head.idx >= after and t.head.pos_ == "NOUN"
        for t in inner[-1:]
    )


_PRON = frozenset({"he", "she", "they", "it", "we", "i"})
#: Most words in a quoted title ("Fox and Friends", "The Art of the Deal"); after a
#: programme cue ('said on "..."') a longer one.
_TITLE_MAX_WORDS = 6
_TITLE_MAX_WORDS_AFTER_CUE = 9
_TITLE_SMALL = frozenset(
    {"a", "an", "the", "of", "and", "or", "in", "on", "for", "to", "at", "with", "from", "by", "vs"}
)


#: Words before a quoted headline or title, whatever its case or length: 'under the
#: headline "..."', 'a story about that cover called, simply, "..."', 'The headline
#: reads, "..."', 'an essay titled "..."'.
_TITLE_CUE = re.compile(
    r"(?:\bunder\s+the\s+(?:headline|title|banner)|\bheadlined|\b(?:en)?titled"
    r"|\b(?:story|article|piece|book|film|movie|documentary|show|column|op-ed|essay|segment|"
    r"episode|song|album|post|cover|report|headline)\s+(?:\w+\s+){0,4}?called,?(?:\s+simply,?)?"
    r"|\b(?:headline|title|banner|cover\s+line)\b[^.\n]{0,60}?\breads?,?)\s*$",
    re.IGNORECASE,
)
#: How many words a quotation after a title cue may hold and still be a title.
_TITLE_MAX_WORDS_AFTER_TITLE_CUE = 20
#: Quoted labels of a change of state: 'upgraded from "critical" to "serious"'.


#: A number or quantity right before short quoted words: things counted under a name
#: ('at least 30 "national emergencies" in effect'), the writer's term, not anyone's words;
#: a year is no count ('said in 2016 "..."').
_COUNTED = re.compile(
    r"(?:\b(?!(?:19|20)\d\d\b)\d(?:[\d,.]*\d)?|\b(?:two|three|four|five|six|seven|eight|"
    r"nine|ten|dozens\s+of|hundreds\s+of|thousands\s+of))\s*$",
    re.IGNORECASE,
)
#: ... unless someone is said to use the words right after: 'the four "loopholes" he cited'.
_CREDITED_AFTER = re.compile(
    r"[\s,]*(?:he|she|they|we|i|[A-Z][\w'\u2019-]+)\s+(?:\w+\s+)?"
    r"(?:said|says|cited|cites|called|calls|named|listed|described|mentioned|used)\b"
)
#: Words written on a surface, not said: 'wrote "Progressivism" on the chalkboard'
#: (not on a feed: 'wrote "..." on Twitter' is a post).
_WRITTEN = re.compile(
    r"\b(?:wrote|writes|write|writing|written|scrawled|scrawls|scribbled|painted|chalked|"
    r"etched|carved|spelled\s+out|spells\s+out)\s*$",
    re.IGNORECASE,
)
_ON_SURFACE = re.compile(
    r"[\s,]*(?:on|across|onto)\s+(?!(?:(?:his|her|their|its|the|a)\s+)?(?:official\s+)?"
    r"(?:twitter|facebook|instagram|tiktok|social|blog|website|web\s*site|site|page|account|"
    r"feed|x)\b)",
    re.IGNORECASE,
)


def _is_mentioned_term(text: str, region: QuoteRegion, words: Sequence[str]) -> bool:
    """Short quoted words that are mentioned, not said: counted under a name ('at
    least 30 "national emergencies"'), or one word written on something ('wrote
    "Progressivism" on the board': a concept named; a phrase written so, 'wrote "Vote
    Okafor" on the sidewalk', is a message and stays a quotation)."""
    if len(words) > _SCARE_MAX_WORDS:
        return False
    before = text[max(0, region.open - 30) : region.open]
    if _COUNTED.search(before):
        return _CREDITED_AFTER.match(text, region.close + 1) is None
    return (
        len(words) == 1
        and _WRITTEN.search(before) is not None
        and _ON_SURFACE.match(text, region.close + 1) is not None
    )


def _is_label_change(text: str, region: QuoteRegion, words: Sequence[str]) -> bool:
    """A one- or two-word quotation in 'from "X" to "Y"': a label (a condition, a
    rating), not anyone's words."""
    if len(words) > 2:
        return False
    before = text[max(0, region.open - 6) : region.open]
    if re.search(r"\bfrom\s*$", before, re.IGNORECASE):
        after = text[region.close + 1 : region.close + 8]
        return re.match(r"\s*to\s*[“\"]", after, re.IGNORECASE) is not None
    if re.search(r"\bto\s*$", before, re.IGNORECASE):
        head = text[max(0, region.open - 60) : region.open]
        return re.search(r"\bfrom\s*[“\"][^“”\"]{1,30}[”\"]\s*to\s*$", head) is not None
    return False


def _is_title(content: str, text: str, region: QuoteRegion) -> bool:
    """Whether quoted words are a title or name (a show, a book), not a statement.

    Every word capitalised but the small ones ("of", "with"; "&" too), at least two
    words, or one after a programme cue ('said on "Outnumbered."', 'told "Fox &
    Friends."'), which also allows a longer title. After a headline or title cue
    ('under the headline "..."', 'a story called "..."') any wording up to
    :data:`_TITLE_MAX_WORDS_AFTER_TITLE_CUE` words is a title.
    """
    words = content.rstrip(".,;:").split()
    if not words:
        return False
    if len(words) <= _TITLE_MAX_WORDS_AFTER_TITLE_CUE and _TITLE_CUE.search(
        text[max(0, region.open - 90) : region.open]
    ):
        return True
    if content.rstrip()[-1:] in "?!":
        return False
    before = text[: region.open].rstrip()[-1:]
    if before in (":", ",", "") or before in "\n":
        return False
    cue = _MEDIA_CUE.search(text[max(0, region.open - 60) : region.open]) is not None
    if len(words) > (_TITLE_MAX_WORDS_AFTER_CUE if cue else _TITLE_MAX_WORDS):
        return False
    if not all(
        w[:1].isupper() or w.lower() in _TITLE_SMALL or not any(c.isalnum() for c in w)
        for w in words
    ):
        return False
    return words[0][:1].isupper() and (len(words) >= 2 or cue)


#: Shortest reported clause kept as indirect speech (words).
_INDIRECT_MIN_WORDS = 3


def find_indirect(
    ctx: SpeakerContext, quotes: Sequence[Quote] = (), *, until: int | None = None
) -> list[Quote]:
    """Reported speech: ``Okafor said (that) the port would reopen``.

    One record of kind ``"indirect"`` per speech verb outside quotation marks whose
    clausal complement is not itself a direct quotation; the span is the reported
    clause without "that", the speaker comes from the verb's subject (rules in
    ``_speakers.py``) and the cue is the verb. A negated verb ("did not say that")
    reports nothing and is skipped.

    Args:
        ctx: The article's speaker context.
        quotes: The article's direct and partial quotes (a clause that is one of
            them is not repeated).
        until: Look only at sentences starting before this offset (default: all).

    Returns:
        Indirect quotes in text order, at most :data:`MAX_QUOTES`.
    """
    text = ctx.text
    out: list[Quote] = []
    for sent in ctx.sentences:
        if (until is not None and sent.start >= until) or len(out) >= MAX_QUOTES:
            break
        for verb in ctx.tokens_in(sent.start, sent.end):
            if not is_speech_verb(verb) or ctx.in_quote(verb.idx):
                continue
            if any(c.dep_ == "neg" for c in verb.children):
                continue
            comp = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
            if comp is None:
                continue
            toks = [t for t in comp.subtree if t.dep_ != "mark" or t.head is not comp]
            if not toks:
                continue
            lo = toks[0] if toks[0].lower_ != "that" else comp.doc[toks[0].i + 1]
            hi = toks[-1]
            if lo.idx < verb.idx + len(verb) or lo.idx >= sent.end:
                continue
            stop = min(hi.idx + len(hi), sent.end, lo.idx + MAX_QUOTE_CHARS)
            line_end = text.find("\n", lo.idx, stop)
            start, end = strip_span(text, lo.idx, stop if line_end < 0 else line_end)
            while end > start and text[end - 1] in ".,;:":
                end -= 1
            start, end = strip_span(text, start, end)
            if start >= end or len(text[start:end].split()) < _INDIRECT_MIN_WORDS:
                continue
            if ctx.in_quote(start) or text[start - 1 : start] in ALL_MARKS:
                continue  # a direct quotation, already a record
            if any(q.start <= start and end <= q.end for q in quotes):
                continue
            subj = subject_of(verb, ctx)
            if subj is None:
                subj = _fallback_subject(verb, [], ctx, after_side=False)
            speaker: str | None = None
            mention: Span | None = None
            anonymous = False
            if subj is not None and sent.start <= subj.idx < sent.end:
                speaker, mention, anonymous = speaker_from_token(subj, ctx, (sent.start, sent.end))
            quote = Quote(
                start=start,
                end=end,
                text=text[start:end],
                speaker=speaker,
                speaker_mention=mention,
                cue=verb.text,
                cue_span=Span(verb.idx, verb.idx + len(verb)),
                kind="indirect",
                anonymous=anonymous,
                sentence=sent.index,
            )
            out.append(_described(quote, ctx))
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
