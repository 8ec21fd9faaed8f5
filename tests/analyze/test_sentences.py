from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.analyze.sentences import find_sentences, split_sentences


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
