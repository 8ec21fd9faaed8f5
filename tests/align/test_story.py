"""Omissions, framing, summary and story-level warnings."""

from __future__ import annotations

from pathlib import Path

import pytest
from _align_articles import make_article, money
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyscope.align import align
from storyscope.align.framing import load_variants
from storyscope.errors import AlignmentError, ConfigError

RESCUE = [
    "Firefighters rescued 12 workers from the burning Velmora cannery on Friday night.",
    "On Friday night firefighters rescued 12 workers from the Velmora cannery fire.",
    "Twelve workers were rescued by firefighters from the Velmora cannery on Friday.",
    "Firefighters pulled 12 workers from the burning Velmora cannery late on Friday.",
]
CAUSE = [
    "Investigators believe the fire started in a faulty freezer unit at the cannery.",
    "The fire started in a faulty freezer unit, investigators believe.",
    "Investigators said a faulty freezer unit may have started the fire.",
]
OUTLETS = ["Harbor Courier", "Daily Lantern", "Coast Weekly", "Velmora Post"]


def _four() -> list:  # type: ignore[type-arg]
    extra = [
        "The cannery owner, Brisco Foods, has promised to rebuild by the autumn.",
        "Union leaders called for a safety review of every plant on the coast.",
        "Residents on Pike Lane were told to keep their windows shut overnight.",
        "The harbour stayed open to fishing boats throughout the weekend.",
    ]
    arts = []
    for k, outlet in enumerate(OUTLETS):
        sents = [RESCUE[k]]
        if k < 3:
            sents.append(CAUSE[k])
        sents.append(extra[k])
        arts.append(make_article(outlet, sents))
    return arts


def test_fact_most_outlets_report_is_an_omission_for_the_rest() -> None:
    arts = _four()
    story = align(arts)
    cause = next(f for f in story.facts if "freezer" in f.statement)
    assert len(cause.outlets) == 3
    assert [o.article for o in story.omissions if o.fact == cause.id] == [arts[3].id]
    rescue = story.facts[0]
    assert len(rescue.outlets) == 4
    assert not [o for o in story.omissions if o.fact == rescue.id]


def test_an_outlet_that_states_a_fact_in_other_company_does_not_omit_it() -> None:
    """The fourth outlet gives the cause deep in the article, inside a long sentence about
    the clean-up: too unlike the others' sentences to join the fact, yet it holds the
    fact's own words (the faulty freezer unit), so it is not reported as leaving it out."""
    arts = _four()
    filler = [
        f"Boat {k} of the Velmora fleet landed its catch at the north quay on Saturday."
        for k in range(8)
    ]
    listed = (
        "Crews cleared debris from the quay on Saturday, the owner met union leaders about "
        "wages, fishermen returned to the harbour, tourists watched from the pier, and "
        "investigators examined the faulty freezer unit."
    )
    arts[3] = make_article(OUTLETS[3], [RESCUE[3], *filler, listed])
    story = align(arts)
    cause = next(f for f in story.facts if "freezer" in f.statement)
    assert OUTLETS[3] not in cause.outlets
    assert not [o for o in story.omissions if o.fact == cause.id]


def test_omissions_lead_with_the_most_central_fact() -> None:
    """The fourth outlet leaves out two facts: the cause, stated early by three outlets and
    naming the cannery, and a late aside stated by two: the cause comes first."""
    late = [
        "A bakery on Pike Lane handed out free bread to the night shift.",
        "The Pike Lane bakery gave the night shift free bread.",
    ]
    arts = _four()
    for k in (0, 1):
        doc = arts[k]
        sents = [s.text for s in doc.sentences]
        fill = [f"Ferry {n} crossed the bay on schedule that morning." for n in range(6)]
        arts[k] = make_article(OUTLETS[k], [*sents, *fill, late[k]])
    story = align(arts)
    mine = [o for o in story.omissions if o.article == arts[3].id]
    statement = {f.id: f.statement for f in story.facts}
    assert [statement[o.fact] for o in mine][:1] == [
        next(f.statement for f in story.facts if "freezer" in f.statement)
    ]
    assert any("bakery" in statement[o.fact] for o in mine)
    assert all(0.0 < o.centrality <= 1.0 for o in mine)
    assert [o.centrality for o in mine] == sorted((o.centrality for o in mine), reverse=True)


def test_two_outlets_never_produce_omissions() -> None:
    arts = _four()[:2]
    assert align(arts).omissions == ()


def test_summary_cites_exact_spans_and_starts_with_consensus() -> None:
    arts = _four()
    arts[1] = make_article(
        "Daily Lantern",
        [RESCUE[1], CAUSE[1], "Repairs to the cannery will cost $4 million, the owner said."],
        quantities=[("$4 million", money(4e6))],
    )
    arts[2] = make_article(
        "Coast Weekly",
        [RESCUE[2], CAUSE[2], "Repairs to the cannery will cost $9 million, the owner said."],
        quantities=[("$9 million", money(9e6))],
    )
    story = align(arts)
    by_id = {a.id: a for a in story.articles}
    assert story.summary, "summary is empty"
    sections = [s.section for s in story.summary]
    assert sections == sorted(sections)  # consensus first, then differences
    assert "differences" in sections and "consensus" in sections
    for sentence in story.summary:
        assert sentence.citations
        for cite in sentence.citations:
            assert by_id[cite.article].text[cite.start : cite.end] == cite.text
    first = story.summary[0]
    assert first.text == first.citations[0].text  # verbatim
    diff = next(s for s in story.summary if s.section == "differences")
    assert "$4 million" in diff.text and "$9 million" in diff.text


def test_lexicon_label_is_reported() -> None:
    a = make_article("Harbor Courier", ["Militants attacked the Velmora border post at dawn."])
    b = make_article("Daily Lantern", ["Fighters attacked the Velmora border post at dawn."])
    story = align([a, b])
    label = next(lb for lb in story.framing.labels if lb.concept == "armed group members")
    assert set(label.variants) == {(a.id, "militants"), (b.id, "fighters")}


def test_spelling_variant_of_an_entity_is_a_label() -> None:
    a = make_article(
        "Harbor Courier", ["The Velmora harbour reopened on Monday."], entities=[("Velmora", "GPE")]
    )
    b = make_article(
        "Daily Lantern",
        ["The Velmorra harbour reopened on Monday."],
        entities=[("Velmorra", "GPE")],
    )
    c = make_article(
        "Coast Weekly", ["Velmora's harbour reopened on Monday."], entities=[("Velmora", "GPE")]
    )
    story = align([a, b, c])
    label = next(lb for lb in story.framing.labels if "Velmorra" in dict(lb.variants).values())
    assert label.concept == "Velmora"
    assert (b.id, "Velmorra") in label.variants


def test_word_swapped_in_an_aligned_sentence_is_a_label() -> None:
    a = make_article(
        "Harbor Courier", ["Hundreds of strikers marched to the Velmora cannery gates on Monday."]
    )
    b = make_article(
        "Daily Lantern", ["Hundreds of protestors marched to the Velmora cannery gates on Monday."]
    )
    labels = align([a, b]).framing.labels
    assert any({t for _, t in lb.variants} == {"strikers", "protestors"} for lb in labels)


def test_hedges_and_anonymous_sources_cite_exact_spans() -> None:
    a = make_article(
        "Harbor Courier",
        ["The fire reportedly started in a freezer, a person familiar with the inquiry said."],
        cues=[("reportedly", "hedge"), ("a person familiar with the inquiry", "anonymous_source")],
    )
    story = align([a])
    assert [h.text for h in story.framing.hedges] == ["reportedly"]
    anon = story.framing.anonymous_sources[0]
    assert a.text[anon.start : anon.end] == anon.text == "a person familiar with the inquiry"


def test_broken_lexicon_raises_config_error_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "variants.toml"
    bad.write_text('[[variant]]\nconcept = "Kyiv"\nterms = ["Kyiv", "Kiev"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"variants\.toml: line \d"):
        load_variants(bad)
    incomplete = tmp_path / "incomplete.toml"
    incomplete.write_text(
        '[[variant]]\nconcept = "Kyiv"\nterms = ["Kyiv", "Kiev"]\n\n[[variant]]\nconcept = "x"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"incomplete\.toml: line 5: .*terms"):
        load_variants(incomplete)


def test_packaged_lexicon_loads() -> None:
    groups = load_variants()
    assert any({"Burma", "Myanmar"} <= set(g.terms) for g in groups)


def test_single_article_warns_and_has_only_single_source_facts() -> None:
    story = align([make_article("Harbor Courier", RESCUE[:1] + CAUSE[:1])])
    assert story.warnings == ("only one article: nothing to compare",)
    assert story.facts and all(f.status == "single_source" for f in story.facts)
    assert story.contradictions == () and story.omissions == ()


def test_articles_about_different_events_get_a_low_overlap_warning() -> None:
    a = make_article(
        "Harbor Courier",
        [
            RESCUE[0],
            "The cannery owner, Brisco Foods, has promised to rebuild by the autumn.",
            "Fire crews spent six hours on the scene.",
        ],
        quantities=[("12 workers", {"value": 12, "unit": "workers", "kind": "count"})],
    )
    b = make_article(
        "Daily Lantern",
        [
            "The Orrin valley school board voted to extend the academic year by two weeks.",
            "Teachers' unions in Orrin criticised the plan as rushed and underfunded.",
            "Only 3 workers will be hired to cover the extra classes, the board said.",
        ],
        quantities=[("3 workers", {"value": 3, "unit": "workers", "kind": "count"})],
    )
    story = align([a, b])
    assert any(
        w.startswith("articles may be about different events: low overlap") for w in story.warnings
    )
    assert all(f.status == "single_source" for f in story.facts)
    assert story.contradictions == ()
    assert not [s for s in story.summary if s.section == "consensus"]


def test_no_articles_is_an_alignment_error() -> None:
    with pytest.raises(AlignmentError):
        align([])


_WORDS = st.sampled_from(
    [
        "the",
        "council",
        "harbour",
        "bridge",
        "fire",
        "Velmora",
        "workers",
        "rescued",
        "approved",
        "plan",
        "million",
        "said",
        "on",
        "Friday",
        "not",
        "cannery",
        "cost",
        "budget",
    ]
)
_SENT = st.lists(_WORDS, min_size=3, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_SENT, min_size=1, max_size=5, unique=True), min_size=1, max_size=4))
def test_every_citation_in_a_story_points_at_exact_text(docs: list[list[str]]) -> None:
    arts = [make_article(f"Outlet {k}", sents) for k, sents in enumerate(docs)]
    story = align(arts)
    by_id = {a.id: a for a in story.articles}
    cites = [c for f in story.facts for c in f.support]
    cites += [c for x in story.contradictions for c in (x.a, x.b)]
    cites += [c for s in story.summary for c in s.citations]
    cites += [c for q in story.quote_variants for c in q.members]
    for cite in cites:
        assert by_id[cite.article].text[cite.start : cite.end] == cite.text
    for s in story.summary:
        assert s.citations
    assert len({f.id for f in story.facts}) == len(story.facts)


def test_five_long_articles_align_sentence_by_sentence() -> None:
    """Five 40-sentence articles that differ in one verb: 40 facts, each backed by all five.

    (How fast this runs is measured in bench/bench_align.py, not asserted here.)
    """
    base = [
        f"Sentence {i} about the Velmora cannery fire mentions crew {i % 7} and shift {i % 5}."
        for i in range(40)
    ]
    arts = [
        make_article(
            f"Outlet {k}",
            [
                s.replace("mentions", ["mentions", "names", "cites", "lists", "notes"][k])
                for s in base
            ],
        )
        for k in range(5)
    ]
    story = align(arts)
    assert len(story.facts) == 40
    assert all(len(f.outlets) == 5 and f.status == "consensus" for f in story.facts)
    assert not story.contradictions


_SAME_REPORT_SCRIPT = """
import sys
sys.path.insert(0, {here!r})
import test_story
from _align_articles import make_article
from storyscope.align import align
from storyscope.align.omissions import _main_names
from storyscope.report import render

# Seven names, each in every article: a tie for the story's five main names.
names = ["Brisco", "Pike", "Velmora", "Kelsund", "Harrow", "Dornby", "Tarn"]
roll = "Officials from " + ", ".join(names) + " met on the quay."
arts = [
    make_article(a.article.outlet, [*(s.text for s in a.sentences), roll],
                 entities=[(n, "ORG") for n in names])
    for a in test_story._four()
]
print(_main_names(arts))
print(render(align(arts), "json"))
"""


def test_the_report_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Set order follows PYTHONHASHSEED; a report run twice must be the same report
    (tied main names and float sums over term sets once reordered the omissions)."""
    import subprocess
    import sys

    script = tmp_path / "run.py"
    script.write_text(_SAME_REPORT_SCRIPT.format(here=str(Path(__file__).parent)))
    outs = []
    for seed in ("0", "1", "2"):
        env = {**__import__("os").environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, env=env, check=True
        )
        outs.append(done.stdout)
    assert outs[0] and outs[0] == outs[1] == outs[2]
