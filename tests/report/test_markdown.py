from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from storyscope.model import Story
from storyscope.report import render_markdown
from storyscope.report.markdown import escape_markdown

from .conftest import SENTINEL_TITLE, build_story


def test_every_section_is_present(story: Story) -> None:
    text = render_markdown(story)
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == [
        "Articles",
        "Summary",
        "Agreed facts",
        "Contested facts",
        "Single-source claims",
        "Contradictions",
        "Quotes by speaker",
        "Quote variants",
        "Framing",
        "Omissions",
        "Removed boilerplate",
        "Warnings and failures",
    ]
    assert text.startswith("# Blaze at Linden Quay grain terminal sends 14 to hospital\n")


def test_summary_sentences_carry_footnote_citations(story: Story) -> None:
    text = render_markdown(story)
    assert re.search(r"on Tuesday\. \[\^1\]\[\^2\]\[\^3\]$", text, flags=re.M)
    assert "[^1]: Harbor Courier ¶1 (chars 19–77): “a blaze at the Linden Quay" in text
    notes = re.findall(r"^\[\^(\d+)\]: ", text, flags=re.M)
    assert notes == [str(n) for n in range(1, 6)]


def test_articles_table_escapes_pipes_and_markup(story: Story) -> None:
    text = render_markdown(story)
    row = next(line for line in text.splitlines() if line.startswith("| Eastwick Sentinel | Term"))
    assert row.count(" | ") == 4
    assert escape_markdown(SENTINEL_TITLE) in row
    assert "\\|" in row and "\\<script\\>" in row
    assert "<script>" not in text


def test_contradictions_quote_both_sides(story: Story) -> None:
    text = render_markdown(story)
    assert "### 1. number: 14 workers hospitalised vs 12 workers" in text
    assert "> **Harbor Courier ¶1:** 14 workers were taken to hospital" in text
    assert "> **Valdmark Ledger ¶1:** sending 12 workers to hospital" in text


def test_facts_show_support_count_and_outlets(story: Story) -> None:
    text = render_markdown(story)
    assert "(3 outlets: Eastwick Sentinel, Harbor Courier, Valdmark Ledger)" in text
    assert "(1 outlet: Harbor Courier)" in text


def test_quote_variants_framing_omissions_and_removed(story: Story) -> None:
    text = render_markdown(story)
    assert "We were ~~lucky~~ **fortunate** the wind turned," in text
    assert "| the fire | blaze | fire | blaze |" in text
    assert "| Valdmark Ledger | Damage may exceed $40 million. | f3 |" in text
    assert "- Valdmark Ledger (share-buttons): “Share this article”" in text
    assert "- Failure (ingest) fixtures/broken.pdf: not an article: binary content" in text
    assert "| Harbor Courier | 58 | 2 | 1 | 1 | 1 | 17.24 |" in text


def test_markdown_is_deterministic(story: Story) -> None:
    assert render_markdown(story) == render_markdown(build_story())


def test_empty_story_renders() -> None:
    text = render_markdown(Story(articles=()))
    assert text.startswith("# Story report\n") and "_No summary._" in text


@given(st.text())
def test_escaped_text_is_one_line_without_live_table_or_html_syntax(raw: str) -> None:
    out = escape_markdown(raw)
    assert "\n" not in out and "\r" not in out
    assert re.search(r"(?<!\\)[|<>*_`\[\]]", out) is None or _only_escaped(out)


def _only_escaped(out: str) -> bool:
    # Every special character must be preceded by an odd number of backslashes.
    for match in re.finditer(r"[|<>*_`\[\]]", out):
        run = len(out[: match.start()]) - len(out[: match.start()].rstrip("\\"))
        if run % 2 == 0:
            return False
    return True
