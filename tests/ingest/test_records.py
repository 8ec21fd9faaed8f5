"""JSON / JSONL records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyscope.errors import IngestError
from storyscope.ingest import read, read_path

TEXT = (
    "Dockworkers in Port Aster voted on Wednesday to end their strike, the union said.\n\n"
    "Work resumes on Thursday, according to the harbor authority."
)


def test_jsonl_loads_good_lines_and_reports_the_broken_one(fixtures: Path):
    path = str(fixtures / "wire-feed.jsonl")
    result = read([path])
    assert [a.source for a in result.articles] == [f"{path}#L1", f"{path}#L3"]
    wire, bayside = result.articles
    assert wire.outlet == "Coastline Wire"
    assert wire.title == "Aster port strike ends"
    assert wire.byline == "Keld Marsh"
    assert wire.url == "https://coastlinewire.example/aster-strike"
    assert wire.published is not None and wire.published.isoformat() == "2026-03-12T17:30:00+00:00"
    assert [(r.reason, r.text) for r in wire.removed] == [
        ("reporting_credit", "(Reporting by Keld Marsh; Editing by Anneli Saar)")
    ]
    assert bayside.outlet == "baysidedaily.example"  # html record, outlet from the URL host
    assert bayside.text.startswith("Union members in Port Aster voted")
    assert len(result.failures) == 1
    failure = result.failures[0]
    assert failure.stage == "ingest"
    assert failure.source == f"{path}:2"
    assert failure.error.startswith(f"{path}:2: invalid JSON")
    assert "\n" not in failure.error


def test_read_path_is_strict_about_bad_records(fixtures: Path):
    with pytest.raises(IngestError, match=r"wire-feed\.jsonl:2: invalid JSON"):
        read_path(fixtures / "wire-feed.jsonl")


def test_json_array_object_and_wrapped_list(tmp_path: Path):
    records = [
        {"text": TEXT, "source": "Harbor Courier"},
        {"content": TEXT.upper(), "site_name": "Quay"},
    ]
    (tmp_path / "array.json").write_text(json.dumps(records))
    (tmp_path / "one.json").write_text(json.dumps({"body": TEXT + " Extra.", "date": "2026-03-12"}))
    (tmp_path / "wrapped.json").write_text(json.dumps({"articles": [{"text": TEXT + " More."}]}))
    array = read_path(tmp_path / "array.json")
    assert [a.outlet for a in array] == ["Harbor Courier", "Quay"]
    assert array[0].source.endswith("array.json#1")
    (one,) = read_path(tmp_path / "one.json")
    assert one.outlet == "one" and one.published is not None
    (wrapped,) = read_path(tmp_path / "wrapped.json")
    assert wrapped.text.endswith("More.")


def test_record_without_text_names_its_line(tmp_path: Path):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"text": TEXT}) + "\n" + json.dumps({"title": "x"}) + "\n[1, 2]\n")
    result = read([str(path)])
    assert len(result.articles) == 1
    assert [f.error for f in result.failures] == [
        f"{path}:2: record has no text, html, content or body field",
        f"{path}:3: record is a JSON list, not an object",
    ]


@pytest.mark.parametrize("content", ["{not json", "42", '"just a string"'])
def test_unusable_json_file_is_one_failure(tmp_path: Path, content: str):
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = read([str(path)])
    assert result.articles == ()
    assert len(result.failures) == 1 and result.failures[0].source == str(path)


def test_nul_and_controls_in_a_record_are_removed_from_every_field():
    text = (
        "Dock\u0000workers in Port Aster voted on Wednesday to end their strike, the union said.\n\n"
        "Work is expected\u0001 to resume on Thursday, according to the harbor authority."
    )
    record = {
        "text": text,
        "title": "Port\u0000 strike ends",
        "outlet": "Harbor\u0000 Courier",
        "author": "Mara\u0007 Ilves",
        "url": "https://harbor.example/a\u0000b",
        "language": "en\u0000",
    }
    from storyscope.ingest.records import read_records

    (article,) = read_records(json.dumps(record), source="feed.jsonl", jsonl=True).articles
    fields = [article.text, article.title, article.outlet, article.byline, article.url, article.language]
    assert all(isinstance(f, str) and "\x00" not in f and "\x01" not in f and "\x07" not in f for f in fields)
    assert article.text.startswith("Dockworkers in Port Aster")
    assert (article.title, article.outlet, article.byline) == ("Port strike ends", "Harbor Courier", "Mara Ilves")
