"""read(): directories, globs, failures, duplicates, outlets, fail_fast; the public API."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import storyscope.ingest as ingest
from storyscope.errors import IngestError
from storyscope.ingest import read, read_path

TEXT = (
    "Dockworkers in Port Aster voted on Wednesday to end their strike, the union said.\n\n"
    "Work resumes on Thursday, according to the harbor authority."
)


def test_all_matches_the_module():
    public = {name for name in dir(ingest) if not name.startswith("_")}
    assert set(ingest.__all__) <= public
    assert {"ReadResult", "read", "read_path", "read_text", "read_html", "clean_text"} <= set(
        ingest.__all__
    )


def test_directory_is_read_recursively_in_sorted_order(fixtures: Path):
    result = read([fixtures])
    sources = [Path(a.source.split("#")[0]).name for a in result.articles]
    assert sources == [
        "bayside-record-cp1252.txt",
        "harbor-courier.txt",
        "lantern-gazette.txt",
        "quay-post.html",
        "wire-feed.jsonl",
        "wire-feed.jsonl",
    ]
    assert len(result.failures) == 1  # the broken JSONL line
    assert any("decoded as cp1252" in w for w in result.warnings)
    for article in result.articles:
        assert article.text == article.text.strip() and article.text


def test_glob_pattern_and_nested_directories(tmp_path: Path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "one.txt").write_text(TEXT)
    (tmp_path / "a" / "two.md").write_text(TEXT + " Second.")
    (tmp_path / "a" / "skip.csv").write_text("x,y")
    (tmp_path / "a" / ".hidden.txt").write_text(TEXT + " Hidden.")
    result = read([str(tmp_path / "**" / "*.txt")])
    assert [Path(a.source).name for a in result.articles] == ["one.txt"]
    result = read([tmp_path / "a"])
    assert [Path(a.source).name for a in result.articles] == ["one.txt", "two.md"]


def test_missing_file_and_empty_directory_are_one_line_failures(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "ok.txt").write_text(TEXT)
    missing = str(tmp_path / "nope.txt")
    result = read([missing, tmp_path / "empty", str(tmp_path / "*.html"), tmp_path / "ok.txt"])
    assert len(result.articles) == 1
    assert [f.error for f in result.failures] == [
        f"{missing}: file not found",
        f"{tmp_path / 'empty'}: no articles found",
        f"{tmp_path / '*.html'}: no articles found",
    ]


def test_bad_file_does_not_stop_the_others(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "b.txt").write_text("   \n")
    (tmp_path / "c.txt").write_text(TEXT)
    result = read([tmp_path])
    assert [Path(a.source).name for a in result.articles] == ["c.txt"]
    assert [f.error.split(": ", 1)[1] for f in result.failures] == [
        "binary file, not text",
        "empty file",
    ]


def test_fail_fast_raises_the_first_problem(tmp_path: Path):
    (tmp_path / "c.txt").write_text(TEXT)
    with pytest.raises(IngestError, match="nope.txt: file not found"):
        read([tmp_path / "c.txt", tmp_path / "nope.txt"], fail_fast=True)


def test_identical_article_is_kept_once_with_a_warning(tmp_path: Path):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "b.txt").write_text(TEXT + "\n\nShare this article\n")
    result = read([tmp_path])
    assert [Path(a.source).name for a in result.articles] == ["a.txt"]
    assert result.warnings == (
        f"{tmp_path / 'b.txt'}: identical to {tmp_path / 'a.txt'}, skipped (republished by b)",
    )
    assert [(r.outlet, r.kind, r.original) for r in result.reprints] == [
        ("b", "identical", result.articles[0].id)
    ]


def test_same_file_named_twice_is_read_once(tmp_path: Path):
    (tmp_path / "a.txt").write_text(TEXT)
    result = read([tmp_path, tmp_path / "a.txt"])
    assert len(result.articles) == 1 and result.warnings == ()


@pytest.mark.parametrize("key", ["path", "harbor-courier.txt", "harbor-courier"])
def test_outlets_mapping_by_path_name_or_stem_beats_front_matter(fixtures: Path, key: str):
    path = str(fixtures / "harbor-courier.txt")
    result = read([path], outlets={path if key == "path" else key: "Mapped Outlet"})
    assert result.articles[0].outlet == "Mapped Outlet"


def test_outlets_mapping_applies_to_files_found_in_a_directory(tmp_path: Path, fixtures: Path):
    shutil.copy(fixtures / "lantern-gazette.txt", tmp_path)
    result = read([tmp_path], outlets={"lantern-gazette": "Lantern Gazette"})
    assert result.articles[0].outlet == "Lantern Gazette"


def test_read_path_errors(tmp_path: Path):
    with pytest.raises(IngestError, match="file not found"):
        read_path(tmp_path / "missing.txt")
    (tmp_path / "e.txt").write_text("")
    with pytest.raises(IngestError, match="empty file"):
        read_path(tmp_path / "e.txt")


def test_oversized_file_is_refused_before_reading(tmp_path: Path):
    path = tmp_path / "big.txt"
    with open(path, "wb") as handle:
        handle.truncate(52_400_000)  # sparse: no real disk use
    with pytest.raises(IngestError, match=r"big\.txt: file too large \(52\.4 MB > 20 MB\)"):
        read_path(path)


def test_html_is_sniffed_for_unknown_suffixes(tmp_path: Path, fixtures: Path):
    shutil.copy(fixtures / "quay-post.html", tmp_path / "page.dat")
    (article,) = read_path(tmp_path / "page.dat")
    assert article.outlet == "The Quay Post"
