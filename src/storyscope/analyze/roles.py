"""Claim roles: who does what to whom, and whether it happened, from the dependency parse.

For one claim (a span of a parsed sentence) :func:`claim_roles` finds its main
predicate and reads off

* ``subject``: the predicate's subject as a compact noun phrase (its compound and
  flat name parts, no relative clauses): "Senate Majority Leader Mitch McConnell";
* ``predicate``: the lemma of the main verb, with its particle ("take up"); for
  "is expected to approve" / "plans to vote" the governed verb ("approve", "vote");
* ``object``: the direct object, attribute or complement, else the first
  prepositional object;
* ``status``: ``"done"`` (past tense, perfect), ``"ongoing"`` (progressive),
  ``"planned"`` (will, is going to, plans / intends / vows to, would under a speech
  verb), ``"expected"`` (is expected / set / scheduled / likely / poised to),
  ``"possible"`` (may, might, could, would), or ``None`` (plain present, no verb).

A reported claim ("X said the council approved the plan") takes the roles of what
is reported (the council, approve, the plan), not of the speech verb: who said it
is the claim's ``speaker``. The reading is shallow by design: one predicate per
claim, no coreference; alignment uses the roles as evidence, never as truth.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from storyscope.analyze._speakers import is_speech_verb
from storyscope.model import ClaimStatus

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

__all__ = ["EXPECTED_HEADS", "PLANNED_HEADS", "Roles", "claim_roles"]

#: Heads of "<head> to <verb>" that put the verb in the future as a forecast.
EXPECTED_HEADS = frozenset(
    {"expect", "set", "schedule", "slate", "poise", "likely", "due", "poised", "unlikely", "bound"}
)
#: Heads of "<head> to <verb>" that put the verb in the future as an intention.
PLANNED_HEADS = frozenset(
    {
        "plan",
        "intend",
        "aim",
        "seek",
        "want",
        "prepare",
        "vow",
        "promise",
        "pledge",
        "threaten",
        "hope",
        "go",  # "is going to"
        "propose",
        "move",
        "try",
        "push",
        "offer",
    }
)
#: Heads whose past tense makes the governed verb done: "moved to block" (the move happened).
_DONE_HEADS = frozenset({"move", "try", "push", "offer"})
#: Passive heads that schedule a noun without a verb: "the vote is scheduled for Tuesday".
_SCHEDULED = frozenset({"schedule", "set", "slate", "plan", "expect"})
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "\u2019ll", "wo"})
_POSSIBLE_AUX = frozenset({"may", "might", "could", "would", "can", "ca"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_OBJECTS = ("dobj", "attr", "oprd", "acomp", "dative")
_NAME_PARTS = frozenset({"compound", "flat", "amod", "poss", "nmod", "nummod", "case"})


class Roles(NamedTuple):
    subject: str | None = None
    predicate: str | None = None
    object: str | None = None
    status: ClaimStatus | None = None


def _phrase(tok: Token) -> str:
    """The compact noun phrase a token heads: its name parts and modifiers, not its clauses."""
    parts = [tok]
    stack = [tok]
    while stack:
        node = stack.pop()
        for child in node.children:
            if child.dep_ in _NAME_PARTS and abs(child.i - tok.i) <= 6:
                parts.append(child)
                stack.append(child)
    parts.sort(key=lambda t: t.i)
    # keep the contiguous run around the head (a stray modifier across a comma is dropped)
    run = [t for t in parts if t.i <= tok.i]
    left = tok.i
    for t in reversed(run[:-1]):
        if t.i == left - 1 or (t.i == left - 2 and t.doc[left - 1].dep_ == "case"):
            left = t.i
    right = tok.i
    for t in parts:
        if t.i == right + 1:
            right = t.i
    return tok.doc[left : right + 1].text.strip()


def _main_verb(tokens: Sequence[Token], start: int, end: int) -> Token | None:
    inside = [t for t in tokens if start <= t.idx < end and not t.is_punct and not t.is_space]
    if not inside:
        return None
    tops = [t for t in inside if t.head is t or not start <= t.head.idx < end]
    verbs = [t for t in tops if t.pos_ in ("VERB", "AUX")]
    if verbs:
        return next((t for t in verbs if t.dep_ == "ROOT"), verbs[0])
    # A clause cut out of a longer sentence: its highest verb.
    verbs = sorted(
        (t for t in inside if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass")),
        key=lambda t: len(list(t.ancestors)),
    )
    return verbs[0] if verbs else None


def _reported(verb: Token, start: int, end: int) -> Token | None:
    """The verb of what a speech verb reports: "said [the council approved ...]"."""
    for child in verb.children:
        if (
            child.dep_ in ("ccomp", "xcomp", "parataxis")
            and start <= child.idx < end
            and child.pos_ in ("VERB", "AUX")
        ):
            return child
    return None


def _aux(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in ("aux", "auxpass")]


def _tense(verb: Token, *, reported: bool) -> ClaimStatus | None:
    auxes = _aux(verb)
    words = {a.lower_ for a in auxes}
    if words & _FUTURE_AUX:
        return "planned"
    if "would" in words and reported:
        return "planned"  # "said he would sign": the future seen from the past
    if words & _POSSIBLE_AUX:
        return "possible"
    if any(a.lemma_ == "have" for a in auxes) and verb.tag_ == "VBN":
        return "done"
    if verb.tag_ == "VBD":
        return "done"
    if verb.tag_ == "VBN" and any(a.dep_ == "auxpass" and a.tag_ == "VBD" for a in auxes):
        return "done"  # "was approved"
    if verb.tag_ == "VBG" and any(a.lemma_ == "be" for a in auxes):
        if any(a.lower_ == "going" for a in verb.children):
            return "planned"
        return "ongoing"
    if verb.tag_ == "VBN" and any(a.lemma_ == "be" and a.tag_ != "VBD" for a in auxes):
        return None  # "is approved", "are required"
    return None


def _governed(verb: Token) -> tuple[Token, ClaimStatus | None] | None:
    """For "is expected to approve" / "plans to vote": (the governed verb, its status)."""
    lemma = verb.lemma_.lower()
    heads_here = lemma in EXPECTED_HEADS or lemma in PLANNED_HEADS
    comp = next(
        (c for c in verb.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None
    )
    if comp is None:
        # "is likely to approve": likely is an adjective complement holding the xcomp
        for c in verb.children:
            if c.dep_ == "acomp" and c.lemma_.lower() in EXPECTED_HEADS:
                comp = next(
                    (x for x in c.children if x.dep_ == "xcomp" and x.pos_ in ("VERB", "AUX")),
                    None,
                )
                if comp is not None:
                    return comp, "expected"
        if lemma in _SCHEDULED and verb.tag_ == "VBN" and any(
            a.dep_ == "auxpass" for a in verb.children
        ):
            return verb, "expected"
        return None
    if not heads_here:
        return None
    tense = _tense(verb, reported=False)
    if lemma in _DONE_HEADS and tense == "done":
        return comp, "done"
    if lemma == "go" and verb.tag_ != "VBG":
        return None  # "went to see": a journey, not a future
    if lemma in ("set", "schedule", "slate", "poise") and verb.tag_ != "VBN":
        return None  # "set to work" as an action
    return comp, "expected" if lemma in EXPECTED_HEADS else "planned"


def _predicate(verb: Token) -> str:
    lemma = verb.lemma_.lower()
    prt = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    return f"{lemma} {prt}" if prt else lemma


def _subject(verb: Token) -> Token | None:
    node: Token | None = verb
    for _ in range(4):
        if node is None:
            return None
        for child in node.children:
            if child.dep_ in _SUBJECTS:
                return child
        if node.dep_ in ("xcomp", "conj") and node.head is not node:
            node = node.head
        else:
            return None
    return None


def _object(verb: Token) -> Token | None:
    for dep in _OBJECTS:
        for child in verb.children:
            if child.dep_ == dep:
                return child
    for child in verb.children:
        if child.dep_ == "agent" or child.dep_ == "prep":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def claim_roles(
    tokens: Sequence[Token],
    start: int,
    end: int,
    *,
    in_quote: Callable[[int], bool] = lambda _pos: False,
) -> Roles:
    """The roles of the claim spanning ``[start, end)`` of its sentence's ``tokens``.

    Args:
        tokens: The parsed tokens of the claim's sentence.
        start: Start offset of the claim in the article text.
        end: End offset of the claim in the article text.
        in_quote: Whether a text offset is inside quotation marks (a speech verb
            outside quotation marks introduces what is reported).

    Returns:
        The claim's :class:`Roles`; every field ``None`` when it has no verb.
    """
    verb = _main_verb(tokens, start, end)
    if verb is None:
        return Roles()
    reported = False
    for _ in range(3):
        if not (is_speech_verb(verb) and not in_quote(verb.idx)):
            break
        inner = _reported(verb, start, end)
        if inner is None:
            break
        verb, reported = inner, True
    status: ClaimStatus | None
    governed = _governed(verb)
    if governed is not None:
        inner_verb, status = governed
        subject = _subject(verb)
        verb = inner_verb
    else:
        status = _tense(verb, reported=reported)
        subject = _subject(verb)
    obj = _object(verb)
    return Roles(
        subject=_phrase(subject) if subject is not None else None,
        predicate=_predicate(verb),
        object=_phrase(obj) if obj is not None else None,
        status=status,
    )
