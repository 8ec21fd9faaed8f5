"""Front matter of plain-text articles is parsed as YAML (``yaml.safe_load``).

The keys stay what they were (outlet, title, byline/author, published/date, url,
language and their aliases); the body after the closing fence is the article, so
the cleaned text and its offsets are those of the text without front matter.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyscope._examples import example_dir
from storyscope.errors import IngestError
from storyscope.ingest import read_path, read_text
from storyscope.ingest._meta import FrontMatterError, split_front_matter

BODY = (
    "Dockworkers in Port Aster voted on Wednesday to end their strike, the union said.\n\n"
    "Work is expected to resume on Thursday, according to the harbor authority."
)


def test_the_example_front_matter_reads_the_same_as_yaml() -> None:
    for path in sorted(example_dir().glob("*.txt")):
        raw = path.read_text("utf-8")
        meta, body = split_front_matter(raw)
        block = raw.split("---\n", 2)[1]
        expected = {
            key: value.isoformat() if isinstance(value, dt.date) else str(value)
            for key, value in yaml.safe_load(block).items()
        }
        assert meta == expected, path.name
        assert body == raw.split("---\n", 2)[2]
        assert set(meta) == {"outlet", "title", "byline", "published", "url"}


def test_yaml_values_quotes_lists_dates_and_comments() -> None:
    text = (
        "---\n"
        "# saved from the wire\n"
        "Title: 'Strike ends: what the deal says'\n"
        'source: "Harbor Courier"\n'
        "authors:\n  - Mara Ilves\n  - Tomas Reed\n"
        "date: 2026-03-12T09:30:00+01:00\n"
        "link: https://www.harborcourier.example/a#top\n"
        "lang: en  # English\n"
        "tags: [strike, port]\n"
        "extra:\n  nested: ignored\n"
        "...\n" + BODY
    )
    article = read_text(text, source="c.txt")
    assert article.title == "Strike ends: what the deal says"
    assert article.outlet == "Harbor Courier"
    assert article.byline == "Mara Ilves, Tomas Reed"
    assert article.published is not None
    assert article.published.replace(tzinfo=None) in (
        dt.datetime(2026, 3, 12, 9, 30),
        dt.datetime(2026, 3, 12, 8, 30),  # normalised to UTC
    )
    assert article.url == "https://www.harborcourier.example/a#top"
    assert article.language == "en"
    assert article.text == BODY
    meta, _ = split_front_matter(text)
    assert meta["tags"] == "strike, port" and "extra" not in meta


def test_a_plain_date_is_a_day() -> None:
    article = read_text("---\ndate: 2026-03-12\n---\n" + BODY, source="d.txt")
    assert article.published == dt.datetime(2026, 3, 12)


def test_flat_lines_strict_yaml_rejects_are_read_one_key_a_line() -> None:
    text = "---\ntitle: Fire: what we know\npublished: 2026-02-30\noutlet: @dock\n---\n" + BODY
    meta, body = split_front_matter(text)
    assert meta == {"title": "Fire: what we know", "published": "2026-02-30", "outlet": "@dock"}
    assert body == BODY


@pytest.mark.parametrize(
    ("block", "line"),
    [
        ("title: A\n  bad: indent\n x", 4),
        ("title: A\n- stray list item", 4),
        ("outlet: X\nauthors: [Ann,\n  Bob\nurl: u", 6),
    ],
)
def test_malformed_front_matter_is_one_line_naming_the_file(
    tmp_path: Path, block: str, line: int
) -> None:
    path = tmp_path / "broken.txt"
    path.write_text(f"\n---\n{block}\n---\n{BODY}\n", encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        read_path(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: malformed front matter: not valid YAML on line ")
    assert f"on line {line}:" in message, message
    assert "\n" not in message


def test_not_front_matter_is_left_in_the_text() -> None:
    rule = "---\nA rule above prose, not metadata.\n---\n" + BODY
    assert split_front_matter(rule) == ({}, rule)
    unclosed = "---\ntitle: never closed\n" + BODY
    assert split_front_matter(unclosed) == ({}, unclosed)
    assert split_front_matter("---\n\n---\n" + BODY) == ({}, BODY)


def test_oversized_front_matter_is_refused() -> None:
    text = "---\n" + "".join(f"k{i}: {'x' * 400}\n" for i in range(190)) + "---\n" + BODY
    with pytest.raises(FrontMatterError, match="longer than"):
        split_front_matter(text)


_TITLE = st.text(
    alphabet=st.sampled_from("abcXYZ019 :#'\"-[]{}&*!|>%@`,?.\u00e9\u2019"), min_size=1, max_size=60
).filter(lambda t: " ".join(t.split()))
_BODY = st.lists(
    st.sampled_from(
        [
            "The council voted 9-2 on Tuesday to fund the clean-up, the mayor said.",
            "Crews worked through the night; two firefighters were treated for smoke.",
            "“We were lucky,” said Ana Ruiz, who lives near the pier.",
            "Subscribe to our newsletter for daily updates.",
            "Officials said the warehouse had failed an inspection in 2024.",
        ]
    ),
    max_size=6,
).map(lambda paragraphs: "\n\n".join([BODY, *paragraphs]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_TITLE, outlet=_TITLE, body=_BODY, leading=st.sampled_from(["", "\n", "\n\n"]))
def test_front_matter_changes_metadata_never_the_text_or_its_offsets(
    title: str, outlet: str, body: str, leading: str
) -> None:
    front = yaml.safe_dump({"title": title, "outlet": outlet}, allow_unicode=True, width=1000)
    with_front = read_text(f"{leading}---\n{front}---\n{body}", source="f.txt")
    without = read_text(body, source="f.txt", outlet=outlet)
    assert with_front.title == " ".join(title.split())
    assert with_front.outlet == " ".join(outlet.split())
    assert with_front.text == without.text
    assert with_front.id == without.id
    assert with_front.removed == without.removed
    assert "---" not in with_front.text
