from __future__ import annotations

import json

import pytest

import storyscope.report as report
from storyscope.errors import ReportError
from storyscope.model import Story


@pytest.mark.parametrize("name", ["json", "markdown", "md", "html", " HTML "])
def test_render_dispatches_by_format(story: Story, name: str) -> None:
    out = report.render(story, name)
    key = name.strip().lower()
    if key == "json":
        assert json.loads(out)["schema_version"] == report.SCHEMA_VERSION
    elif key == "html":
        assert out.startswith("<!DOCTYPE html>")
    else:
        assert out.startswith("# ")


def test_unknown_format_raises_report_error(story: Story) -> None:
    with pytest.raises(ReportError, match="unknown report format 'pdf'"):
        report.render(story, "pdf")


def test_all_matches_the_public_api() -> None:
    public = {name for name in dir(report) if not name.startswith("_")}  # lazy names too
    modules = {"html", "json", "markdown", "validation"}
    imported = {"ReportError", "Story", "annotations"}
    assert set(report.__all__) == public - modules - imported
    for name in report.__all__:
        assert getattr(report, name).__doc__ or name in ("FORMATS", "SCHEMA_VERSION")


def test_top_level_render_uses_report(story: Story) -> None:
    import storyscope

    assert storyscope.render(story, "md") == report.render_markdown(story)
