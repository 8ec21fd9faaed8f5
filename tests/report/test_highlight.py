from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.report._highlight import Highlight, anchor_id, highlight

TAG = re.compile(r"<[^>]*>")
KINDS = st.sampled_from(["fact", "quote", "hedge", "anonymous", "contradiction"])


def plain(markup: str) -> str:
    return html.unescape(TAG.sub("", markup))


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[Highlight]]:
    text = draw(
        st.text(alphabet=st.sampled_from(list("ab <>&\"'\n\t|é*")) | st.characters(), max_size=80)
    )
    bound = len(text)
    spans = draw(
        st.lists(
            st.tuples(st.integers(0, bound), st.integers(0, bound), KINDS).map(
                lambda t: Highlight(min(t[0], t[1]), max(t[0], t[1]), t[2])
            ),
            max_size=8,
        )
    )
    return text, spans


@settings(max_examples=300, deadline=None)
@given(text_and_spans())
def test_highlighting_keeps_the_text_exactly(case: tuple[str, list[Highlight]]) -> None:
    text, spans = case
    out = highlight(text, spans, article="art")
    assert plain(str(out)) == text


@settings(max_examples=300, deadline=None)
@given(text_and_spans())
def test_every_span_gets_exactly_one_anchor_and_marks_do_not_nest(
    case: tuple[str, list[Highlight]],
) -> None:
    text, spans = case
    out = str(highlight(text, spans, article="art"))
    ids = re.findall(r'id="([^"]+)"', out)
    assert sorted(ids) == sorted({anchor_id("art", s.start, s.end) for s in spans})
    depth = 0
    for tag in re.findall(r"</?(?:mark|p)\b", out):
        depth += -1 if tag.startswith("</") else 1
        assert depth in (0, 1, 2)
    assert depth == 0
    assert re.search(r"<mark[^>]*>(?:(?!</mark>).)*<mark", out, flags=re.S) is None
    assert out.count("<p>") == out.count("</p>")


def test_marked_text_is_escaped_and_overlaps_are_split() -> None:
    text = 'He said <b>"hi"</b> & left.'
    out = str(highlight(text, [Highlight(0, 12, "quote"), Highlight(8, 20, "fact")], article="x"))
    assert "<b>" not in out and "&lt;b&gt;" in out
    assert '<mark id="a-x-0-12" class="hl hl-quote">He said </mark>' in out
    assert '<mark id="a-x-8-20" class="hl hl-fact hl-quote hl-multi">&lt;b&gt;&#34;</mark>' in out
    assert '<mark class="hl hl-fact">hi&#34;&lt;/b&gt; </mark>&amp; left.' in out


def test_paragraph_breaks_become_paragraphs_and_spans_may_cross_them() -> None:
    text = "One.\n\nTwo.\n\n\nThree."
    out = str(highlight(text, [Highlight(2, 8, "fact")], article="x"))
    assert out.count("<p>") == 3
    assert out.startswith('<p>On<mark id="a-x-2-8" class="hl hl-fact">e.</mark></p>\n\n<p>')
    assert '<p><mark class="hl hl-fact">Tw</mark>o.</p>' in out


def test_empty_and_out_of_range_spans_still_get_anchors() -> None:
    out = str(highlight("abc", [Highlight(1, 1, "hedge"), Highlight(2, 9, "fact")], article="x"))
    assert '<span class="anchor" id="a-x-1-1"></span>' in out
    assert 'id="a-x-2-3"' in out
    assert plain(out) == "abc"


def test_anchor_ids_are_fragment_safe() -> None:
    assert anchor_id("a b/#c", 1, 2) == "a-a_b__c-1-2"
