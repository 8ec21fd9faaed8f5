"""Story.to_frames, the table rows behind `storyscope export`, and Story._repr_html_ (hand-built story)."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import Any

import pytest

from storyscope.export import TABLES, report_rows
from storyscope.model import Citation, Reprint, Story, SummarySentence
from storyscope.report import to_dict

from .conftest import SENTINEL_TEXT

pd = pytest.importorskip("pandas")

CITATION_COLUMNS = ("article_id", "outlet", "start", "end", "text")


@pytest.fixture(scope="module")
def reprinted(story: Story) -> Story:
    """The story with a copy left out, republished by another outlet."""
    first = story.articles[0].article
    copy = Reprint(
        original=first.id, source="copy.txt", outlet="Lantern Post", kind="identical", title="Copy"
    )
    return replace(story, reprints=(copy,))


@pytest.fixture(scope="module")
def frames(reprinted: Story) -> dict[str, Any]:
    return reprinted.to_frames(story_id=7)


def test_to_frames_has_every_table_with_its_columns_in_order(frames: dict[str, Any]) -> None:
    assert list(frames) == list(TABLES)
    for name, columns in TABLES.items():
        assert list(frames[name].columns) == [c for c, _ in columns], name
        assert frames[name].columns[0] == "story_id", name


def test_row_counts_match_the_report(reprinted: Story, frames: dict[str, Any]) -> None:
    report = to_dict(reprinted)
    stats = report["stats"]
    counts = {name: len(frame) for name, frame in frames.items()}
    assert counts["articles"] == stats["articles"] == 3
    assert counts["reprints"] == len(report["reprints"]) == 1
    assert counts["claims"] == sum(len(a["claims"]) for a in report["articles"])
    assert counts["facts"] == stats["facts"]
    assert counts["fact_citations"] == sum(len(f["support"]) for f in report["facts"])
    assert counts["contradictions"] == stats["contradictions"]
    assert counts["contradiction_citations"] == 2 * stats["contradictions"]
    assert counts["quotes"] == stats["quotes"]
    assert counts["quote_variants"] == stats["quote_variants"]
    assert counts["quote_variant_citations"] == sum(
        len(v["members"]) for v in report["quote_variants"]
    )
    assert counts["omissions"] == stats["omissions"]
    assert counts["labels"] == sum(len(lb["variants"]) for lb in report["framing"]["labels"])
    assert counts["summary"] == stats["summary_sentences"]
    assert counts["summary_citations"] == sum(len(s["citations"]) for s in report["summary"])
    assert all(counts[name] > 0 for name in TABLES), counts  # every table is exercised


def test_a_reprint_row_names_the_outlet_that_republished_it_and_the_original(
    reprinted: Story, frames: dict[str, Any]
) -> None:
    (row,) = frames["reprints"].to_dict("records")
    first = reprinted.articles[0].article
    assert (row["outlet"], row["kind"], row["source"]) == ("Lantern Post", "identical", "copy.txt")
    assert (row["article_id"], row["original_outlet"]) == (first.id, first.outlet)


def test_every_row_carries_the_story_id(frames: dict[str, Any]) -> None:
    for name, frame in frames.items():
        assert frame["story_id"].tolist() == [7] * len(frame), name


def test_story_id_is_missing_when_not_given(story: Story) -> None:
    facts = story.to_frames()["facts"]
    assert facts["story_id"].isna().all()
    assert str(facts["story_id"].dtype) == "Int64"


def test_cited_spans_are_exact_slices_of_their_article(frames: dict[str, Any]) -> None:
    articles = frames["articles"].set_index("article_id")
    for name, columns in TABLES.items():
        names = [c for c, _ in columns]
        if not all(c in names for c in CITATION_COLUMNS):
            continue
        for row in frames[name].itertuples(index=False):
            text = articles.loc[row.article_id, "text"]
            assert text[row.start : row.end] == row.text, (name, row)
            assert row.outlet == articles.loc[row.article_id, "outlet"], (name, row)


def test_columns_are_typed(frames: dict[str, Any]) -> None:
    quotes = frames["quotes"]
    assert str(quotes["start"].dtype) == "Int64"
    assert str(quotes["anonymous"].dtype) == "boolean"
    assert str(quotes["text"].dtype) == "string"
    assert str(frames["omissions"]["centrality"].dtype) == "float64"
    assert str(quotes["speaker_start"].dtype) == "Int64"  # missing mention: pd.NA, not NaN


def test_list_cells_are_json_arrays(story: Story, frames: dict[str, Any]) -> None:
    import json

    report = to_dict(story)
    facts = frames["facts"]
    for fact, cell in zip(report["facts"], facts["outlets"], strict=True):
        assert json.loads(cell) == fact["outlets"]


def test_report_rows_are_in_column_order(story: Story) -> None:
    rows = report_rows(to_dict(story), 1)
    for name, columns in TABLES.items():
        assert all(len(row) == len(columns) for row in rows[name]), name


def test_report_without_sections_gives_empty_tables_with_columns() -> None:
    frames = Story(articles=()).to_frames()
    assert all(len(frame) == 0 for frame in frames.values())
    assert list(frames["quotes"].columns) == [c for c, _ in TABLES["quotes"]]


def test_missing_pandas_says_which_extra_to_install(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'storyscope\[frames\]'"):
        story.to_frames()


def test_repr_html_shows_counts_summary_and_contradictions(story: Story) -> None:
    html = story._repr_html_()
    assert html.startswith('<div class="storyscope-story">')
    assert "3 articles from 3 outlets" in html
    assert "2 contradictions" in html
    for sentence in story.summary:
        assert sentence.text in html
    for contradiction in story.contradictions:
        assert contradiction.a.text in html and contradiction.b.text in html


def test_repr_html_escapes_article_markup(story: Story) -> None:
    sentinel = next(a for a in story.articles if a.article.text == SENTINEL_TEXT)
    start = SENTINEL_TEXT.index("A dock worker said")
    end = SENTINEL_TEXT.index("disgrace*.") + len("disgrace*.")
    cite = Citation(article=sentinel.id, start=start, end=end, text=SENTINEL_TEXT[start:end])
    assert "<script>" in cite.text
    hostile = replace(
        story,
        summary=(
            *story.summary,
            SummarySentence(text="<b>bold</b> & <script>x()</script>", citations=(cite,)),
        ),
    )
    html = hostile._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x()&lt;/script&gt;" in html
    assert 'onmouseover="x' not in html


def test_docs_list_every_table_and_its_columns_in_order() -> None:
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "report.md").read_text(encoding="utf-8")
    section = doc.split("\n## Tables\n", 1)[1].split("\n## ", 1)[0]
    documented = {
        m.group(1): re.findall(r"`(\w+)`", m.group(2))
        for m in re.finditer(r"^\| `(\w+)` \| [^|]+ \| (.+) \|$", section, re.M)
    }
    assert list(documented) == list(TABLES)
    for name, columns in TABLES.items():
        assert documented[name] == [c for c, _ in columns], name


def test_a_reprint_row_carries_the_republishing_outlets_lean(reprinted: Story) -> None:
    from storyscope.outlets import OutletDirectory, OutletInfo, with_outlet_info

    directory = OutletDirectory([OutletInfo(name="Lantern Post", lean="right")])
    rated = with_outlet_info(reprinted, directory)
    names = [c for c, _ in TABLES["reprints"]]
    (row,) = report_rows(to_dict(rated), 7)["reprints"]
    assert dict(zip(names, row, strict=True))["lean"] == "right"
    (unrated,) = report_rows(to_dict(reprinted), 7)["reprints"]
    assert dict(zip(names, unrated, strict=True))["lean"] is None
