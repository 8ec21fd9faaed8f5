"""Claims: checkable statements, one per sentence or per independent main clause.

A sentence is split at a semicolon and where its main verb coordinates another
verb that has its own subject ("Exports rose 5% and imports fell 2%"); never
inside a quotation. Each claim records who the article attributes it to (a quote
speaker, "according to X", or the subject of a main speech verb), whether a hedge
cue falls inside it, whether its main clause is negated (and whether only by a
denying verb: the one decision of negation, which align reads), and its roles
(subject, predicate lemma, object, status: done / planned / expected / ...; see
:mod:`storyscope.analyze.roles`) with the kind of attribution (the outlet's own
voice, a named source, an anonymous one).

An article gives at most :data:`MAX_CLAIMS` claims, those of its first sentences:
the align stage compares claims pairwise, so the cap bounds its cost for one
article whatever the article's length (a long news article has a few hundred).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from storyscope._words import DENYING_VERBS, NEGATIONS
from storyscope.analyze._speakers import (
    SpeakerContext,
    according_to,
    is_speech_verb,
    speaker_from_token,
)
from storyscope.analyze._text import find_quote_regions, strip_span
from storyscope.analyze.roles import claim_roles
from storyscope.model import Claim, Cue, Entity, Quote, Sentence

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

__all__ = ["MAX_CLAIMS", "ClaimSplitter", "find_claims"]

#: Most claims of one article: the claims of its first sentences, in text order.
MAX_CLAIMS = 500

_EMBEDDED = frozenset({"relcl", "advcl", "acl", "pcomp", "csubj", "prep", "pobj", "npadvmod"})
_TRAILING = ",;:\u2014- "
_MODALS = frozenset({"should", "would", "could", "might", "may", "must", "ought"})


def _clause_splits(
    sent: Sentence, tokens: Sequence[Token], ctx: SpeakerContext
) -> list[tuple[int, int]]:
    """(end of left part, start of right part) character pairs where a sentence splits."""
    splits: list[tuple[int, int]] = []
    for tok in tokens:
        if ctx.in_quote(tok.idx):
            continue
        if tok.text == ";":
            splits.append((tok.idx, tok.idx + 1))
            continue
        if tok.dep_ != "cc" or tok.lower_ not in ("and", "but", "while", "yet"):
            continue
        conj = next((t for t in tok.head.children if t.dep_ == "conj" and t.i > tok.i), None)
        head = tok.head
        if conj is None or head.pos_ not in ("VERB", "AUX") or conj.pos_ not in ("VERB", "AUX"):
            continue
        if head.dep_ not in ("ROOT", "ccomp") and head.head.i != head.i:
            continue
        if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in conj.children):
            continue
        if not sent.start <= conj.idx < sent.end:
            continue
        splits.append((tok.idx, tok.idx + len(tok)))
    return splits


def _embedded(tok: Token, start: int, end: int) -> bool:
    """Whether ``tok`` lies in a clause embedded in the span (relative, adverbial, prepositional)."""
    node = tok
    for _ in range(20):
        if node.dep_ in _EMBEDDED and node is not tok:
            return True
        if node.head is node or not start <= node.head.idx < end:
            return False
        node = node.head
    return False


def _negation(tokens: Sequence[Token], start: int, end: int) -> tuple[bool, bool]:
    """Whether the main clause of ``text[start:end]`` is negated, and whether by a denying verb alone.

    A negation is a token the parse marks ``neg``, a negation word (curly apostrophes
    straightened: "didn\u2019t") or a denying verb ("denied", "refused") outside any
    embedded clause within the span. This is the one decision of negation: align reads
    :attr:`Claim.negated` and :attr:`Claim.denial` and decides nothing again.
    """
    denial = False
    for tok in tokens:
        if not start <= tok.idx < end:
            continue
        word = tok.dep_ == "neg" or tok.lower_.replace("\u2019", "'") in NEGATIONS
        verb = not word and tok.lemma_.lower() in DENYING_VERBS and tok.pos_ == "VERB"
        if not (word or verb) or _embedded(tok, start, end):
            continue
        if word:
            return True, False
        denial = True
    return denial, denial


def _hypothetical(verb: Token) -> bool:
    """Whether a verb is only wished or supposed: "should be asking", "would say"."""
    return any(c.dep_ == "aux" and c.lower_ in _MODALS for c in verb.children)


def _speaker(
    sent: Sentence,
    start: int,
    end: int,
    tokens: Sequence[Token],
    quotes: Sequence[Quote],
    ctx: SpeakerContext,
) -> tuple[str | None, bool]:
    """Who the article attributes the claim to, and whether that source is anonymous."""
    for quote in quotes:
        if quote.start < end and start < quote.end and (quote.speaker or quote.anonymous):
            return quote.speaker, quote.anonymous
    tokens = [t for t in tokens if start <= t.idx < end]
    outside = [t for t in tokens if not ctx.in_quote(t.idx)]
    acc = according_to(outside)
    if acc is not None:
        name, _, anonymous = speaker_from_token(acc[1], ctx, (sent.start, sent.end))
        return name, anonymous
    for tok in outside:
        if tok.dep_ == "ROOT" and is_speech_verb(tok) and not _hypothetical(tok):
            for child in tok.children:
                if child.dep_ == "nsubj":
                    name, _, anonymous = speaker_from_token(child, ctx, (sent.start, sent.end))
                    return name, anonymous
    return None, False


class _Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


_S = TypeVar("_S", bound=_Span)


def _by_sentence(sentences: Sequence[Sentence], items: Sequence[_S]) -> dict[int, list[_S]]:
    """The items overlapping each sentence (by sentence index), in the order of ``items``.

    Linear in the items and the sentences each one spans, where a scan of every item
    for every claim was quadratic in the article's length.
    """
    starts = [s.start for s in sentences]
    out: dict[int, list[_S]] = {}
    for item in items:
        i = max(bisect.bisect_right(starts, item.start) - 1, 0)
        while i < len(sentences) and sentences[i].start < item.end:
            if item.start < sentences[i].end:
                out.setdefault(sentences[i].index, []).append(item)
            i += 1
    return out


def find_claims(
    article_id: str,
    text: str,
    doc: Doc,
    sentences: Sequence[Sentence],
    entities: Sequence[Entity] = (),
    quotes: Sequence[Quote] = (),
    cues: Sequence[Cue] = (),
) -> list[Claim]:
    """Split sentences into claims.

    Args:
        article_id: The article's id (claim ids are ``"{article_id}:{sentence}:{k}"``).
        text: The article text.
        doc: spaCy document of ``text``.
        sentences: The article's sentences.
        entities: The article's entities (speaker names).
        quotes: The article's quotes (speaker attribution).
        cues: The article's cues (hedges).

    Returns:
        Claims in text order; every sentence yields at least one, until
        :data:`MAX_CLAIMS` claims (the rest of the article gives none).
    """
    ctx = SpeakerContext(text, doc, sentences, entities, find_quote_regions(text))
    hedges = [c for c in cues if c.kind == "hedge"]
    quotes_of = _by_sentence(sentences, quotes)
    hedges_of = _by_sentence(sentences, hedges)
    out: list[Claim] = []
    for sent in sentences:
        if len(out) >= MAX_CLAIMS:
            break
        tokens = ctx.tokens_in(sent.start, sent.end)
        pieces: list[tuple[int, int]] = []
        cursor = sent.start
        for left_end, right_start in sorted(_clause_splits(sent, tokens, ctx)):
            s, e = strip_span(text, cursor, left_end)
            while e > s and text[e - 1] in _TRAILING:
                e -= 1
            if e > s and any(c.isalnum() for c in text[s:e]):
                pieces.append((s, e))
                cursor = right_start
        s, e = strip_span(text, cursor, sent.end)
        if e > s:
            pieces.append((s, e))
        if not pieces:
            pieces.append((sent.start, sent.end))
        del pieces[MAX_CLAIMS - len(out) :]
        for k, (s, e) in enumerate(pieces):
            speaker, anonymous = _speaker(sent, s, e, tokens, quotes_of.get(sent.index, ()), ctx)
            roles = claim_roles(tokens, s, e, in_quote=ctx.in_quote)
            negated, denial = _negation(tokens, s, e)
            out.append(
                Claim(
                    id=f"{article_id}:{sent.index}:{k}",
                    article=article_id,
                    sentence=sent.index,
                    start=s,
                    end=e,
                    text=text[s:e],
                    speaker=speaker,
                    hedged=any(h.start < e and s < h.end for h in hedges_of.get(sent.index, ())),
                    negated=negated,
                    denial=denial,
                    subject=roles.subject,
                    predicate=roles.predicate,
                    object=roles.object,
                    status=roles.status,
                    attribution="anonymous" if anonymous else "named" if speaker else "own",
                )
            )
    return out


class ClaimSplitter:
    """Pipeline component: sentences + parse -> claims."""

    name = "claims.v4"
    requires = frozenset({"doc", "sentences", "entities", "quotes", "cues"})
    assigns = frozenset({"claims"})

    def __call__(
        self,
        article_id: str,
        text: str,
        doc: Doc,
        sentences: Sequence[Sentence],
        entities: Sequence[Entity] = (),
        quotes: Sequence[Quote] = (),
        cues: Sequence[Cue] = (),
    ) -> list[Claim]:
        return find_claims(article_id, text, doc, sentences, entities, quotes, cues)
