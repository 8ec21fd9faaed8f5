"""Direct and partial quotations with their speakers (first version).

Layouts handled::

    "...," Okafor said.              Okafor said: "..."
    "...," he said. "..."            "...", said Okafor, the port director.
    "...," according to Okafor.      She called the ruling "a grave step backwards".
    "...," Okafor told KRVN.         Okafor, who said it was "...".
    Okafor said: (new paragraph) "..."        "..." -- Ada Okafor
    "... (new paragraph) "...," Okafor said.  (a quotation over paragraphs)

Speakers come from the subject of the nearest speech verb outside the quotation
(or the object of "according to"; rules in ``_speakers.py``); pronouns resolve
to the most recent person named as a subject before them; surnames and titled
names resolve to the longest full name the article uses ("Okafor", "Dr. Okafor" -> "Ada Okafor"). A quotation with no
attribution of its own inherits the speaker of a quotation within the two
sentences before it. Short quoted terms (1-3 words) with no speech verb in their
sentence are scare quotes and are not reported. ``Quote.text`` is the content
inside the marks, without a trailing comma.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyscope.analyze._speakers import (
    EMBEDDED_DEPS,
    SPEECH_VERBS,
    SpeakerContext,
    according_to,
    canonical_names,
    is_speech_verb,
    speaker_from_token,
    subject_of,
)
from storyscope.analyze._text import QuoteRegion, find_quote_regions, strip_span
from storyscope.model import Entity, Quote, Sentence, Span

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

__all__ = ["SPEECH_VERBS", "QuoteFinder", "canonical_names", "find_quotes"]

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
        if acc is not None:
            dist = acc[0].idx - region.close if after_side else region.open - acc[0].idx
            found.append((dist, 0 if after_side else 1, acc[0], acc[1], (sent.start, sent.end)))
            continue
        verbs = [t for t in tokens if is_speech_verb(t)]
        main = [t for t in verbs if t.dep_ not in EMBEDDED_DEPS] or verbs
        if not main:
            continue
        tok = main[0] if after_side else main[-1]
        if not after_side:
            # The speech verb that governs the quotation ("X, who said it was "...").
            governing = [t for t in verbs if t.left_edge.idx <= region.open <= _right_end(t)]
            if governing:
                tok = governing[-1]
        subj = subject_of(tok, ctx)
        if subj is None:
            # Inverted order without a parse subject: "said Okafor, ..."
            for cand in tokens:
                if (
                    cand.i > tok.i
                    and cand.pos_ in ("PROPN", "NOUN", "PRON")
                    and cand.dep_ not in _OBJECT_DEPS
                    and not ctx.not_speaker(cand)
                ):
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


def _right_end(tok: Token) -> int:
    right = tok.right_edge
    return right.idx + len(right)


def _continues(text: str, prev: QuoteRegion, region: QuoteRegion) -> bool:
    """Whether ``region`` opens the paragraph after an unclosed quotation ``prev``."""
    return not prev.closed and not text[prev.close : region.open].strip()


def _dash_speaker(region: QuoteRegion, ctx: SpeakerContext) -> Entity | None:
    """The person named right after a quotation by a dash: ``"..." -- Ada Okafor``."""
    match = _DASH_ATTRIBUTION.match(ctx.text, region.close + 1)
    if match is None:
        return None
    ent = ctx.entity_at(match.end(), match.end() + 1)
    if ent is None or ent.start != match.end():
        return None
    return ent


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
    return None, None, None, False


def _sentence_has_speech(sent: Sentence, ctx: SpeakerContext) -> bool:
    return any(
        (is_speech_verb(t) or t.lower_ == "according") and not ctx.in_quote(t.idx)
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
    out: list[Quote] = []
    origins: list[QuoteRegion] = []
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
            speaker, mention, anonymous = speaker_from_token(subj, ctx, window)
        if cue_tok is None:
            dash = _dash_speaker(region, ctx)
            if dash is not None:
                speaker, mention = ctx.canonical(dash.text, dash.label), Span(dash.start, dash.end)
        if cue_tok is None and speaker is None and sent_index > 0:
            cue_tok, speaker, mention, anonymous = _colon_intro(sentences[sent_index - 1], ctx)
            if cue_tok is not None:
                cue_span = Span(cue_tok.idx, cue_tok.idx + len(cue_tok))
                cue = text[cue_span.start : cue_span.end]
        continued = bool(out) and _continues(text, origins[-1], region)
        if cue_tok is None and speaker is None and out:
            prev = out[-1]
            near = sent_index - prev.sentence <= _INHERIT_SENTENCES
            if prev.speaker is not None and (near or continued):
                speaker, mention, anonymous = prev.speaker, prev.speaker_mention, prev.anonymous
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
