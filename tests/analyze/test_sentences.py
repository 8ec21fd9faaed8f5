from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.analyze.sentences import (
    MAX_SENTENCE_CHARS,
    bound_span,
    find_sentences,
    split_sentences,
)


def _check_invariants(text: str, sentences: list) -> None:
    prev_end = 0
    covered = [False] * len(text)
    for i, s in enumerate(sentences):
        assert s.index == i
        assert prev_end <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
        for k in range(s.start, s.end):
            covered[k] = True
        prev_end = s.end
    assert all(covered[k] for k, ch in enumerate(text) if not ch.isspace())


def test_paragraph_break_is_a_hard_boundary(nlp) -> None:
    text = 'She added: "Nobody was hurt"\n\nMore than 40 workers were evacuated.'
    sents = find_sentences(text, nlp(text))
    assert [s.text for s in sents] == [
        'She added: "Nobody was hurt"',
        "More than 40 workers were evacuated.",
    ]


def test_quote_with_two_sentences_stays_with_its_attribution(nlp) -> None:
    text = '"We lost everything. It came too fast," said Ben Tarrow. The pier held.'
    sents = find_sentences(text, nlp(text))
    assert [s.text for s in sents] == [
        '"We lost everything. It came too fast," said Ben Tarrow.',
        "The pier held.",
    ]


def test_lowercase_attribution_after_closed_quote_is_not_split(nlp) -> None:
    text = '"It was horrible." he said. The harbour in Velmar reopened.'
    sents = find_sentences(text, nlp(text))
    assert sents[0].text == '"It was horrible." he said.'


def test_title_line_is_its_own_sentence(nlp) -> None:
    text = "Storm shuts Port Aster\nThe terminal closed on Tuesday after a surge."
    sents = find_sentences(text, nlp(text))
    assert sents[0].text == "Storm shuts Port Aster"


def test_whitespace_only_text_has_no_sentences(nlp) -> None:
    assert find_sentences("  \n\n ", nlp("  \n\n ")) == []


_TEXT = st.text(alphabet=st.sampled_from(list('ab C.!?"\u201c\u201d \n\t,;')), max_size=80)


@given(_TEXT, st.lists(st.integers(min_value=-5, max_value=90), max_size=10))
@settings(max_examples=200)
def test_split_sentences_offsets_cover_text_for_any_boundaries(text: str, starts: list) -> None:
    _check_invariants(text, split_sentences(text, starts))


@given(st.text(max_size=120))
@settings(max_examples=50, deadline=None)
def test_find_sentences_offsets_are_exact_for_arbitrary_text(nlp, text: str) -> None:
    _check_invariants(text, find_sentences(text, nlp(text)))


# Over-long "sentences" (text without sentence breaks) are cut into bounded pieces.

_LONG_TEXT = st.text(alphabet=st.sampled_from(list("ab C,;\n\t ")), max_size=400)


@given(
    _LONG_TEXT,
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=2, max_value=60),
)
@settings(max_examples=300)
def test_bound_span_pieces_are_bounded_exact_and_cover_the_span(
    text: str, a: int, b: int, limit: int
) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    pieces = bound_span(text, start, end, limit)
    prev = start
    covered: set[int] = set()
    for s, e in pieces:
        assert prev <= s < e <= end
        assert e - s <= limit
        assert not text[s].isspace() and not text[e - 1].isspace()
        covered.update(range(s, e))
        prev = e
    assert all(k in covered for k in range(start, end) if not text[k].isspace())
    stripped = text[start:end].strip()
    if stripped and len(stripped) <= limit:
        assert [text[s:e] for s, e in pieces] == [stripped]


def test_bound_span_cuts_after_a_semicolon_else_a_comma_else_a_space() -> None:
    text = "aaaa bbbb, cccc; dddd eeee ffff"
    assert [text[s:e] for s, e in bound_span(text, 0, len(text), 20)] == [
        "aaaa bbbb, cccc;",
        "dddd eeee ffff",
    ]
    text = "aaaa bbbb, cccc dddd eeee"
    assert [text[s:e] for s, e in bound_span(text, 0, len(text), 18)] == [
        "aaaa bbbb,",
        "cccc dddd eeee",
    ]
    text = "aaaa bbbb cccc dddd eeee"
    assert [text[s:e] for s, e in bound_span(text, 0, len(text), 12)] == [
        "aaaa bbbb",
        "cccc dddd",
        "eeee",
    ]
    text = "x" * 25  # no space: cut at the limit
    assert [text[s:e] for s, e in bound_span(text, 0, 25, 10)] == ["x" * 10, "x" * 10, "x" * 5]


def test_bound_span_is_linear_on_a_megabyte_without_breaks() -> None:
    import time

    text = ("word " * 200_000)[:1_000_000]
    t = time.perf_counter()
    pieces = bound_span(text, 0, len(text))
    assert time.perf_counter() - t < 2.0
    assert all(e - s <= MAX_SENTENCE_CHARS for s, e in pieces)
    assert len(pieces) <= 2 * len(text) // MAX_SENTENCE_CHARS + 1


@given(
    st.text(alphabet=st.sampled_from(list('ab C"\u201c\u201d,; \n')), max_size=300),
    st.lists(st.integers(min_value=0, max_value=300), max_size=8),
)
@settings(max_examples=200)
def test_split_sentences_never_gives_a_sentence_over_the_limit(text: str, starts: list) -> None:
    result = split_sentences(text, starts, max_chars=40)
    _check_invariants(text, result)
    assert all(s.end - s.start <= 40 for s in result)


def test_text_without_breaks_is_parsed_in_bounded_sentences(nlp) -> None:
    text = " ".join(["the council said the harbour workers would strike"] * 300)
    doc = nlp(text)
    assert max(len(s.text) for s in doc.sents) <= MAX_SENTENCE_CHARS
    sents = find_sentences(text, doc)
    _check_invariants(text, sents)
    assert len(sents) >= len(text) // MAX_SENTENCE_CHARS
    assert max(s.end - s.start for s in sents) <= MAX_SENTENCE_CHARS
