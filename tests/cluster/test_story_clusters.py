"""Incremental story clustering on invented articles (bag-of-words stand-in embeddings)."""

from __future__ import annotations

import datetime as dt
import zlib

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.cluster import StoryClusterer, StoryInfo
from storyscope.cluster._text import lead_text, words
from storyscope.errors import StoryscopeError
from storyscope.model import Article

DAY = dt.datetime(2031, 3, 4, 9, 0)

FERRY_WIRE = (
    "A cargo ferry, the Saint Oda, ran aground on a sandbar outside Harbour Vale on Tuesday, "
    "stranding 214 passengers for six hours before tugboats pulled it free. Ilse Marrow of the "
    "Norland Coast Guard said nobody was hurt. Kestrel Lines promised refunds."
)
FERRY_REPRINT = FERRY_WIRE.replace("Tuesday", "Tuesday morning") + " More details to follow."
FERRY_OTHER = (
    "Passengers of the Saint Oda ferry spent six hours stuck near Harbour Vale after it grounded "
    "in fog. Kestrel Lines apologised; the Norland Coast Guard said Ilse Marrow confirmed no "
    "injuries among the 214 people on board."
)
# Look-alike: the same kind of event months later, other names and places.
FERRY_LOOKALIKE = (
    "A passenger ferry, the Brightwater, ran aground on rocks near Port Ambril on Friday, "
    "stranding 90 travellers until high tide. Captain Oren Szabo said the crew followed "
    "procedure. Ambril Ferries promised refunds after the grounding."
)
MAYOR = (
    "The mayor of Lindenfeld, Carla Voss, resigned on Monday after the city council voted to "
    "audit contracts awarded to a paving company owned by her brother-in-law."
)


def _embed(title: str | None, text: str, dim: int = 256) -> npt.NDArray[np.float32]:
    """Stand-in for MiniLM: hashed bag of words of the lead, unit length."""
    vec = np.zeros(dim, dtype=np.float32)
    for w in words(lead_text(title, text)):
        if len(w) > 3:
            vec[zlib.crc32(w.encode()) % dim] += 1.0
    return vec / max(float(np.linalg.norm(vec)), 1e-9)


def _article(text: str, outlet: str, when: dt.datetime | None, title: str | None = None) -> Article:
    return Article.create(text=text, source=f"{outlet}.txt", outlet=outlet, published=when,
                          title=title)


def _add(c: StoryClusterer, art: Article) -> str:
    return c.add(art, _embed(art.title, art.text)).story


def test_wire_story_and_its_reprint_share_a_story() -> None:
    c = StoryClusterer()
    first = c.add(_article(FERRY_WIRE, "wire", DAY), _embed(None, FERRY_WIRE))
    second = c.add(_article(FERRY_REPRINT, "courier", DAY), _embed(None, FERRY_REPRINT))
    assert first.created and not second.created
    assert second.story == first.story and second.score >= c.threshold


def test_other_outlet_on_the_same_day_joins_the_story() -> None:
    c = StoryClusterer()
    story = _add(c, _article(FERRY_WIRE, "wire", DAY))
    assert _add(c, _article(FERRY_OTHER, "lantern", DAY + dt.timedelta(hours=5))) == story


def test_look_alike_events_on_different_days_stay_apart() -> None:
    c = StoryClusterer()
    a = _add(c, _article(FERRY_WIRE, "wire", DAY))
    b = _add(c, _article(FERRY_LOOKALIKE, "wire", DAY + dt.timedelta(days=2)))
    assert a != b
    assert len(c) == 2


def test_article_in_the_window_joins_and_outside_opens_a_new_story() -> None:
    c = StoryClusterer(window=dt.timedelta(days=3))
    story = _add(c, _article(FERRY_WIRE, "wire", DAY))
    inside = _article(FERRY_OTHER, "lantern", DAY + dt.timedelta(days=2))
    outside = _article(FERRY_REPRINT, "courier", DAY + dt.timedelta(days=30))
    assert _add(c, inside) == story
    assert _add(c, outside) != story


def test_articles_without_dates_are_matched_by_content() -> None:
    c = StoryClusterer()
    story = _add(c, _article(FERRY_WIRE, "wire", DAY))
    assert _add(c, _article(FERRY_OTHER, "lantern", None)) == story
    assert _add(c, _article(MAYOR, "gazette", None)) != story
    infos = {s.id: s for s in c.stories()}
    assert infos[story].first == infos[story].last == DAY


def test_timezone_aware_dates_are_compared_in_utc() -> None:
    c = StoryClusterer(window=dt.timedelta(hours=12))
    story = _add(c, _article(FERRY_WIRE, "wire", DAY))
    aware = DAY.replace(tzinfo=dt.timezone(dt.timedelta(hours=-5)))  # 14:00 UTC
    assert _add(c, _article(FERRY_OTHER, "lantern", aware)) == story


def test_split_story_merges_when_evidence_grows() -> None:
    c = StoryClusterer(threshold=0.95, merge_threshold=0.4, time_bonus=0.0)
    a = _add(c, _article(FERRY_WIRE, "wire", DAY))
    b = _add(c, _article(FERRY_OTHER, "lantern", DAY))
    _add(c, _article(MAYOR, "gazette", DAY))
    assert a != b
    merges = c.consolidate()
    assert len(merges) == 1 and set(merges[0]) == {a, b}
    kept = merges[0][0]
    assert len(c) == 2
    members = next(s for s in c.stories() if s.id == kept).articles
    assert len(members) == 2


def test_an_article_bridging_two_stories_merges_them() -> None:
    # two reports sharing every name are one story at the defaults; a strict
    # threshold keeps them apart until an article bridges them
    c = StoryClusterer(threshold=0.85, merge_threshold=0.7, time_bonus=0.0)
    a = _add(c, _article(FERRY_WIRE, "wire", DAY))
    b = _add(c, _article(FERRY_OTHER, "lantern", DAY))
    assert a != b
    bridge = _article(FERRY_WIRE + " " + FERRY_OTHER, "digest", DAY)
    result = c.add(bridge, _embed(None, bridge.text))
    assert result.merged and {result.story, *result.merged} == {a, b}
    assert c.story_of(c.stories()[0].articles[0]) == result.story


def test_old_stories_retire_from_the_active_set() -> None:
    retired: list[StoryInfo] = []
    c = StoryClusterer(window=dt.timedelta(days=2), retire_after=dt.timedelta(days=5),
                       on_retire=retired.append)
    old = _add(c, _article(FERRY_WIRE, "wire", DAY))
    _add(c, _article(MAYOR, "gazette", DAY + dt.timedelta(days=10)))
    assert [s.id for s in retired] == [old]
    assert len(c) == 1


def test_state_round_trip_continues_the_same_way() -> None:
    c = StoryClusterer()
    story = _add(c, _article(FERRY_WIRE, "wire", DAY))
    _add(c, _article(MAYOR, "gazette", DAY))
    restored = StoryClusterer.from_state(c.to_state())
    assert sorted(s.id for s in restored.stories()) == sorted(s.id for s in c.stories())
    assert _add(restored, _article(FERRY_OTHER, "lantern", DAY)) == story


def test_bad_input_raises_storyscope_errors() -> None:
    c = StoryClusterer()
    art = _article(FERRY_WIRE, "wire", DAY)
    c.add(art, _embed(None, art.text))
    with pytest.raises(StoryscopeError, match="already added"):
        c.add(art, _embed(None, art.text))
    with pytest.raises(StoryscopeError, match="expected 256"):
        c.add(_article(MAYOR, "gazette", DAY), np.ones(3))
    with pytest.raises(StoryscopeError, match="unreadable"):
        StoryClusterer.from_state({"params": {}})


def test_a_single_article_story_joins_its_best_match_on_consolidate() -> None:
    # Opened alone (threshold too high when it arrived); consolidate lets a
    # one-article story merge at ``single_threshold``.
    c = StoryClusterer(threshold=0.3, merge_threshold=0.99, time_bonus=0.0)
    a = _add(c, _article(FERRY_WIRE, "wire", DAY))
    c.threshold = 0.99
    b = _add(c, _article(FERRY_OTHER, "lantern", DAY))
    _add(c, _article(MAYOR, "gazette", DAY))
    assert a != b
    c.threshold = 0.3
    merges = c.consolidate()
    assert [set(m) for m in merges] == [{a, b}]
    assert len(c) == 2


def test_consolidate_only_rescores_stories_that_changed() -> None:
    c = StoryClusterer()
    _add(c, _article(FERRY_WIRE, "wire", DAY))
    _add(c, _article(MAYOR, "gazette", DAY))
    assert c.consolidate() == []
    assert not c._dirty.any()  # nothing changed: the next call has nothing to do
    assert c.consolidate() == []


def test_being_published_together_raises_the_score() -> None:
    near, far = StoryClusterer(), StoryClusterer()
    for c in (near, far):
        _add(c, _article(FERRY_WIRE, "wire", DAY))
    same_day = near.add(_article(FERRY_OTHER, "lantern", DAY), _embed(None, FERRY_OTHER))
    weeks = far.add(
        _article(FERRY_OTHER, "lantern", DAY + dt.timedelta(days=20)), _embed(None, FERRY_OTHER)
    )
    assert not same_day.created and not weeks.created
    assert same_day.score == pytest.approx(weeks.score * (1 + near.time_bonus), abs=1e-6)


def test_being_published_together_is_not_enough_on_its_own() -> None:
    c = StoryClusterer()
    ferry = _add(c, _article(FERRY_WIRE, "wire", DAY))
    assert _add(c, _article(MAYOR, "gazette", DAY)) != ferry


def test_state_round_trip_keeps_scores() -> None:
    c = StoryClusterer(kw_dim=256)
    _add(c, _article(FERRY_WIRE, "wire", DAY))
    _add(c, _article(MAYOR, "gazette", DAY))
    restored = StoryClusterer.from_state(c.to_state())
    probe = _article(FERRY_OTHER, "lantern", DAY)
    assert restored.add(probe, _embed(None, probe.text)).score == pytest.approx(
        c.add(probe, _embed(None, probe.text)).score
    )


def test_bad_settings_and_states_are_refused() -> None:
    with pytest.raises(StoryscopeError, match="kw_dim"):
        StoryClusterer(kw_dim=1000)
    with pytest.raises(StoryscopeError, match="retire_after"):
        StoryClusterer(window=dt.timedelta(days=5), retire_after=dt.timedelta(days=1))
    c = StoryClusterer(kw_dim=64)
    _add(c, _article(FERRY_WIRE, "wire", DAY))
    state = c.to_state()
    state["kw_keys"] = state["kw_keys"] + 64
    with pytest.raises(StoryscopeError, match="wrong shape"):
        StoryClusterer.from_state(state)


_VOCAB = ["ferry", "harbour", "council", "audit", "mayor", "storm", "Voss", "Marrow", "Kestrel",
          "refund", "tugboat", "paving", "contract", "fog", "sandbar", "Lindenfeld"]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=12),
            st.one_of(st.none(), st.integers(min_value=0, max_value=40)),
        ),
        min_size=1,
        max_size=25,
    ),
    st.integers(min_value=1, max_value=7),
)
def test_every_article_is_in_exactly_one_story(
    docs: list[tuple[list[str], int | None]], consolidate_every: int
) -> None:
    c = StoryClusterer(window=dt.timedelta(days=5), kw_dim=64)
    ids = []
    for n, (toks, day) in enumerate(docs):
        when = None if day is None else DAY + dt.timedelta(days=day)
        art = Article(id=f"a{n}", source="s", outlet="o", text=" ".join(toks) + ".", published=when)
        result = c.add(art, _embed(None, art.text))
        ids.append(art.id)
        assert c.story_of(art.id) == result.story
        if n % consolidate_every == 0:
            c.consolidate()
    c.consolidate()
    members = [m for s in c.stories() for m in s.articles]
    assert sorted(members) == sorted(ids)
    for s in c.stories():
        assert all(c.story_of(m) == s.id for m in s.articles)
    restored = StoryClusterer.from_state(c.to_state())
    assert sorted(m for s in restored.stories() for m in s.articles) == sorted(ids)


def test_keywords_come_in_content_name_and_number_channels() -> None:
    from storyscope.cluster._text import NAME_PREFIX, NUMBER_PREFIX, find_keywords

    kw = find_keywords("Ferry aground", "Captain Oren Szabo said 214 people waited until 2031. The tide rose.")
    assert kw["ferry"] == 2.0 and kw["aground"] == 2.0  # the title counts double
    assert kw["szabo"] == 2.0 and kw[NAME_PREFIX + "szabo"] == 1.0  # a name: double, and its own channel
    assert NAME_PREFIX + "the" not in kw and NAME_PREFIX + "tide" not in kw  # sentence openers are not names
    assert kw[NUMBER_PREFIX + "214"] == 1.0 and kw[NUMBER_PREFIX + "2031"] == 1.0
    assert "214" not in kw and kw["2031"] == 1.0  # years are content words too, other numbers are not


def test_look_alike_events_with_other_names_stay_apart_at_the_defaults() -> None:
    c = StoryClusterer()
    ferry = _add(c, _article(FERRY_WIRE, "wire", DAY))
    assert _add(c, _article(FERRY_OTHER, "lantern", DAY)) == ferry
    assert _add(c, _article(FERRY_LOOKALIKE, "gazette", DAY + dt.timedelta(days=1))) != ferry


def test_name_and_number_channel_weights_are_checked() -> None:
    with pytest.raises(StoryscopeError, match="name_weight"):
        StoryClusterer(name_weight=0.7, number_weight=0.5)
    with pytest.raises(StoryscopeError, match="name_weight"):
        StoryClusterer(name_weight=-0.1)
    # channels switched off: names and numbers only count as content words
    c = StoryClusterer(name_weight=0.0, number_weight=0.0)
    assert c.add(_article(MAYOR, "gazette", DAY), _embed(None, MAYOR)).created


def test_two_article_fragments_merge_halfway_between_the_thresholds() -> None:
    from storyscope.cluster.stories import _Story

    c = StoryClusterer(threshold=0.4, merge_threshold=0.6, small_story=2, single_threshold=0.3)

    def story(n: int) -> _Story:
        return _Story(id=f"s{n}", slot=n, title=None, members=[f"a{n}{k}" for k in range(n)], first=None, last=None)

    assert c._needed(story(1), story(5)) == 0.3
    assert abs(c._needed(story(2), story(5)) - 0.5) < 1e-9
    assert c._needed(story(3), story(5)) == 0.6
    restored = StoryClusterer.from_state(c.to_state())
    assert restored.small_story == 2 and restored.single_threshold == 0.3
    # a merge threshold below single_threshold wins
    assert StoryClusterer(merge_threshold=0.2, single_threshold=0.3)._needed(story(1), story(5)) == 0.2


def _stray_report_score(single_threshold: float) -> tuple[StoryClusterer, str, str, float]:
    """A two-article ferry story and a terse report of it that scores below ``threshold``."""
    c = StoryClusterer(time_bonus=0.0, single_threshold=single_threshold)
    story = _add(c, _article(FERRY_WIRE, "wire", DAY))
    assert _add(c, _article(FERRY_OTHER, "lantern", DAY)) == story
    terse = _article("Tugboats freed a stranded ferry near Harbour Vale; refunds were promised.",
                     "courier", DAY)
    result = c.add(terse, _embed(None, terse.text))
    slots, scores = c._story_scores(c._by_id[result.story])
    score = float(scores[slots == c._by_id[story].slot][0])
    return c, story, result.story, score


def test_a_stray_report_below_threshold_joins_its_story_at_single_threshold() -> None:
    c, story, stray, score = _stray_report_score(0.3)
    assert stray != story  # it opened a story of its own when it arrived ...
    assert 0.3 <= score < c.threshold  # ... scoring between the two thresholds
    assert c.consolidate() == [(story, stray)]
    assert len(c) == 1
    # with single_threshold at threshold it would have stayed alone
    strict, story, stray, _ = _stray_report_score(0.4)
    assert strict.consolidate() == [] and len(strict) == 2


def _follow_up(merge_window: dt.timedelta | None) -> tuple[StoryClusterer, list[str]]:
    """The ferry grounding, and its inquiry a year later: two stories of two articles each."""
    c = StoryClusterer(threshold=0.85, merge_threshold=0.3, small_story=1,
                       window=dt.timedelta(days=30), merge_window=merge_window)
    later = DAY + dt.timedelta(days=365)
    inquiry = FERRY_OTHER + " An inquiry into the grounding opened a year later."
    ids = [
        _add(c, _article(FERRY_WIRE, "wire", DAY)),
        _add(c, _article(FERRY_REPRINT, "courier", DAY)),
        _add(c, _article(inquiry, "lantern", later)),
        _add(c, _article(inquiry + " Kestrel Lines paid refunds.", "gazette", later)),
    ]
    return c, ids


def test_formed_stories_merge_across_any_date_distance_by_default() -> None:
    c, ids = _follow_up(None)
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]  # a year apart: out of the window
    merges = c.consolidate()
    assert [set(m) for m in merges] == [{ids[0], ids[2]}]
    assert len(c) == 1


def test_merge_window_keeps_stories_far_apart_in_time_apart() -> None:
    c, ids = _follow_up(dt.timedelta(days=90))
    assert c.consolidate() == []
    assert len(c) == 2
    restored = StoryClusterer.from_state(c.to_state())
    assert restored.merge_window == dt.timedelta(days=90)
    assert StoryClusterer.from_state(_follow_up(None)[0].to_state()).merge_window is None


def test_state_round_trip_keeps_the_time_scale() -> None:
    c = StoryClusterer(time_scale=dt.timedelta(days=7))
    assert StoryClusterer.from_state(c.to_state()).time_scale == dt.timedelta(days=7)


def test_a_state_saved_before_the_merge_settings_keeps_its_old_behaviour() -> None:
    clusterer = StoryClusterer(threshold=0.45, window=dt.timedelta(days=30))
    state = clusterer.to_state()
    for key in ("single_threshold", "merge_window_days", "time_scale_days"):
        del state["params"][key]
    restored = StoryClusterer.from_state(state)
    assert restored.single_threshold == 0.45  # one-article stories merged at threshold
    assert restored.merge_window == dt.timedelta(days=30)  # stories merged within the article window
    assert restored.time_scale == dt.timedelta(days=3)
