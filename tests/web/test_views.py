"""Article bodies and charts: offsets, escaping, round trip."""

from __future__ import annotations

import datetime as dt
import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.web._views import article_body, word_diff
from storyscope.web.charts import Bar, bar_chart, timeline_chart

_TAG = re.compile(r"<[^>]*>")
_MARK = re.compile(r'<mark class="([^"]*)" data-s="(\d+)" data-e="(\d+)">(.*?)</mark>', re.S)

texts = st.text(alphabet=st.sampled_from(list("ab <>&\"'\n\t.é")), max_size=80)


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    text = draw(texts)
    n = len(text)
    spans = draw(
        st.lists(
            st.tuples(
                st.integers(-2, n + 2),
                st.integers(-2, n + 2),
                st.sampled_from(["conflict", "agreed", "single", "quote"]),
            ),
            max_size=6,
        )
    )
    return text, spans


@settings(max_examples=300, deadline=None)
@given(text_and_spans())
def test_body_round_trips_and_marks_point_at_their_text(
    case: tuple[str, list[tuple[int, int, str]]],
) -> None:
    text, spans = case
    body = str(article_body(text, spans, article="art1"))
    stripped = _TAG.sub("", body)
    assert html.unescape(stripped) == text
    for css, s, e, inner in _MARK.findall(body):
        s_, e_ = int(s), int(e)
        assert html.unescape(inner) == text[s_:e_]
        covering = {k for a, b, k in spans if max(0, a) <= s_ and e_ <= min(b, len(text))}
        assert covering, "a mark with no span over it"
        strongest = next((k for k in ("conflict", "agreed", "single") if k in covering), None)
        if strongest:
            assert f"hl-{strongest}" in css.split()
    assert "<script" not in body.replace("&lt;script", "")


def test_body_gives_each_span_an_anchor() -> None:
    text = "One two three.\n\nFour five six."
    body = str(article_body(text, [(0, 3, "agreed"), (16, 20, "conflict")], article="x/y"))
    assert 'id="a-x_y-0-3"' in body and 'id="a-x_y-16-20"' in body
    assert body.count("<p>") == 2


def test_word_diff_marks_changed_words() -> None:
    assert word_diff("we are shaken", "we are badly shaken") == [
        ("equal", "we are"),
        ("ins", "badly"),
        ("equal", "shaken"),
    ]


def test_bar_chart_escapes_labels_and_links() -> None:
    svg = str(
        bar_chart(
            [Bar(label="<script>x</script>", value=3, kind="contested", href="/s/1?a=1&b=2")],
            title="T <b>",
        )
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'href="/s/1?a=1&amp;b=2"' in svg
    assert 'aria-label="T &lt;b&gt;"' in svg
    assert "style=" not in svg


def test_charts_have_an_empty_state() -> None:
    assert "nothing to show" in str(bar_chart([], title="Support"))
    assert "no publication dates" in str(timeline_chart({"A": []}, title="Coverage"))


def test_timeline_places_dots_in_order() -> None:
    t0 = dt.datetime(2031, 1, 1, tzinfo=dt.UTC)
    svg = str(
        timeline_chart(
            {"A": [t0, t0 + dt.timedelta(days=2)], "B": [t0 + dt.timedelta(days=1)]}, title="C"
        )
    )
    xs = [float(x) for x in re.findall(r'cx="([\d.]+)"', svg)]
    assert xs[0] < xs[2] < xs[1]
