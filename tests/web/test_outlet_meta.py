"""Outlet metadata in the web app, over HTTP: the coverage-by-lean bar on the story page,
the blindspot filter of the story list (page and API), and the outlet pages' details."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _stories import fake_compare
from fastapi.testclient import TestClient

from storyscope.model import Story
from storyscope.outlets import OutletDirectory, OutletInfo
from storyscope.report._lean import LEAN_CSS
from storyscope.web import MemorySource, WebSettings, create_app

DIRECTORY = OutletDirectory(
    [
        OutletInfo(
            name="The Wrenmouth Gazette", lean="right", owner="Gazette Group", kind="newspaper"
        ),
        OutletInfo(name="Saltmere Daily", lean="lean-right", domains=("saltmere.example",)),
        OutletInfo(name="Harrowby Post <i>", lean="center", owner="<b>Harrowby</b> Trust"),
        OutletInfo(name="Coastal Signal", lean="left"),
        OutletInfo(name="Northgate Herald", lean="lean-left"),
        OutletInfo(name="Pell Valley News", lean="left", country="VL"),
    ]
)


@pytest.fixture(scope="module")
def lean_client(story: Story, big_story: Story) -> Iterator[TestClient]:
    # ferry: two outlets leaning right, none left (a left blindspot); ferry-big: both sides
    source = MemorySource({"ferry": story, "ferry-big": big_story}, outlets=DIRECTORY)
    app = create_app(source, settings=WebSettings(comparer=fake_compare, outlets=DIRECTORY))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_story_page_shows_the_coverage_bar_and_outlet_details(lean_client: TestClient) -> None:
    page = lean_client.get("/stories/ferry").text
    bar = page.split('id="lean-coverage"', 1)[1].split("</figure>", 1)[0]
    assert "<svg" in bar and "Coverage by lean" in page
    assert "Right: The Wrenmouth Gazette" in bar and "Lean right: Saltmere Daily" in bar
    assert "Blindspot: outlets leaning left barely cover this story" in bar
    assert "owner: &lt;b&gt;Harrowby&lt;/b&gt; Trust" in page  # escaped, never markup
    assert "<b>Harrowby</b>" not in page
    report = lean_client.get("/api/stories/ferry").json()["report"]
    assert report["lean_coverage"]["blindspot"] == "left"
    assert report["outlet_metadata"]["Saltmere Daily"]["domains"] == ["saltmere.example"]


def test_blindspot_filter_of_the_story_list(lean_client: TestClient) -> None:
    listed = lean_client.get("/stories?blindspot=left")
    assert listed.status_code == 200
    assert '/stories/ferry"' in listed.text and "/stories/ferry-big" not in listed.text
    assert "left blindspot" in listed.text and 'name="blindspot"' in listed.text
    assert "1 story" in listed.text
    assert "ferry-big" in lean_client.get("/stories").text
    assert lean_client.get("/stories?blindspot=right").text.count("/stories/ferry") == 0
    api = lean_client.get("/api/stories", params={"blindspot": "any"}).json()
    assert [s["id"] for s in api["stories"]] == ["ferry"] and api["total"] == 1
    assert lean_client.get("/stories?blindspot=up").status_code == 422
    assert lean_client.get("/api/stories?blindspot=up").status_code == 422


def test_outlet_page_shows_the_files_details(lean_client: TestClient) -> None:
    page = lean_client.get("/outlets/Pell Valley News").text
    assert "<dt>Lean</dt><dd>left</dd>" in page and "<dt>Country</dt><dd>VL</dd>" in page
    meta = lean_client.get("/api/outlets/Pell%20Valley%20News").json()["metadata"]
    assert meta == {"domains": [], "lean": "left", "owner": None, "kind": None, "country": "VL"}


def test_without_a_file_there_is_no_lean_data(client: TestClient) -> None:
    # the shared app of tests/web/conftest.py: the same stories, no outlets file
    page = client.get("/stories/ferry").text
    assert 'id="lean-coverage"' not in page
    assert 'name="blindspot"' not in client.get("/stories").text
    assert "blindspot" not in client.get("/stories?blindspot=left").text
    assert client.get("/api/outlets/Saltmere%20Daily").json()["metadata"] is None


def test_app_css_has_the_bar_colours() -> None:
    css = (Path(__file__).parents[2] / "src/storyscope/web/static/app.css").read_text("utf-8")
    assert LEAN_CSS.strip() in css
