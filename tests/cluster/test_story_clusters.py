"""Incremental story clustering on invented articles (bag-of-words stand-in embeddings)."""

from __future__ import annotations

import datetime as dt
import zlib

import numpy as np
import numpy.typing as npt
import pytest

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
    c = StoryClusterer(threshold=0.95, merge_threshold=0.4)
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
    c = StoryClusterer(threshold=0.75, merge_threshold=0.7)
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
