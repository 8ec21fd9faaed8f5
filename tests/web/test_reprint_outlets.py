"""Outlets that appear only as a reprint, through HTTP against a live ``serve --db``.

The store is filled by ``storyscope ingest`` (the CLI runner): two outlets' own articles
(story 1) and a third outlet's word-for-word copy of one of them, which ingest records as
a reprint ("republished by") instead of storing it. Before: that third outlet had no
outlet page (its "Republished by" link was a 404), was missing from the outlet menu and
filter, and the story list's blindspot counted only the member outlets while the story
page's coverage by lean counted the reprint too, so the two disagreed about one story.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import jsonschema
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from _live import live_server  # noqa: E402
from _store_app import CountingPipeline  # noqa: E402
from test_store_changes import COURIER, GAZETTE, REPRINT  # noqa: E402

from storyscope.cli import cli  # noqa: E402
from storyscope.outlets import OutletDirectory, load_outlets  # noqa: E402
from storyscope.store import Store  # noqa: E402
from storyscope.web import WebSettings, create_app  # noqa: E402
from storyscope.web._store_source import StoreSource  # noqa: E402

# the story's own outlets lean left; its only right-leaning coverage is the reprint
OUTLETS_TOML = """
[[outlet]]
name = "Fenwick Gazette"
lean = "left"

[[outlet]]
name = "Valley Courier"
lean = "lean-left"

[[outlet]]
name = "Lantern Post"
lean = "right"
"""


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Path, Path]:
    """A store with story 1 (the gazette and the courier) and the Lantern Post's reprint
    of the gazette's article, ingested by the CLI; and the outlets file."""
    for name, text in {"gazette": GAZETTE, "courier": COURIER, "lantern": REPRINT}.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "s.db"
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", str(tmp_path / "gazette.txt"), str(tmp_path / "courier.txt"), "--db", str(db)])
    assert first.exit_code == 0, first.output
    copy = runner.invoke(cli, ["ingest", str(tmp_path / "lantern.txt"), "--db", str(db)])
    assert copy.exit_code == 0, copy.output
    assert "1 reprints recorded" in copy.stderr
    outlets = tmp_path / "outlets.toml"
    outlets.write_text(OUTLETS_TOML, encoding="utf-8")
    return db, outlets


@pytest.fixture
def serve(stored: tuple[Path, Path]) -> Iterator[Any]:
    """Start a fresh server (as after a restart: no story in memory) over the store."""
    db, _ = stored

    def start(directory: OutletDirectory | None = None) -> Any:
        store = Store.open(db)
        opened.append(store)
        source = StoreSource(store, pipeline=CountingPipeline(), outlets=directory)
        app = create_app(source, settings=WebSettings(outlets=directory))
        server = live_server(app)
        url = server.__enter__()
        servers.append(server)
        client = httpx.Client(base_url=url, timeout=30)
        clients.append(client)
        return client

    opened: list[Store] = []
    servers: list[Any] = []
    clients: list[httpx.Client] = []
    yield start
    for client in clients:
        client.close()
    for server in servers:
        server.__exit__(None, None, None)
    for store in opened:
        store.close()


def _validate(client: httpx.Client, component: str, body: Any) -> None:
    spec = client.get("/api/openapi.json").json()
    schema = {"$ref": f"#/components/schemas/{component}", "components": spec["components"]}
    jsonschema.Draft202012Validator(schema).validate(body)


def test_an_outlet_seen_only_as_a_reprint_has_its_page_after_a_restart(serve: Any) -> None:
    client = serve()  # a fresh server: no story analysed, nothing in memory
    page = client.get(f"/outlets/{quote('Lantern Post')}")
    assert page.status_code == 200, page.text
    assert '<h2 id="republished">Republished</h2>' in page.text
    assert 'href="/stories/1"' in page.text and "Fenwick Gazette's article" in page.text
    assert "outlet-articles" not in page.text  # it has no article of its own

    api = client.get(f"/api/outlets/{quote('Lantern Post')}")
    assert api.status_code == 200
    body = api.json()
    _validate(client, "Outlet", body)
    assert body["articles"] == [] and body["totals"]["words"] == 0
    (row,) = body["republished"]
    assert (row["story_id"], row["original_outlet"], row["kind"]) == ("1", "Fenwick Gazette", "identical")
    assert row["title"] == "Bridge reopens after repairs" and row["source"].endswith("lantern.txt")

    # the outlet menu lists it, and filtering by it finds the story it republished
    assert '<option value="Lantern Post">' in client.get("/").text
    listed = client.get("/api/stories", params={"outlet": "Lantern Post"}).json()
    assert [s["id"] for s in listed["stories"]] == ["1"] and listed["total"] == 1
    (story,) = client.get("/api/stories").json()["stories"]
    _validate(client, "StoryInfo", story)
    assert story["outlets"] == ["Fenwick Gazette", "Valley Courier"]
    assert story["republished_by"] == ["Lantern Post"]
    assert "Lantern Post (republished)" in client.get("/").text

    # the story page's "Republished by" link leads to that page
    story_page = client.get("/stories/1").text
    href = "/outlets/Lantern%20Post"
    assert f'href="{href}"' in story_page
    assert client.get(href).status_code == 200
    # the outlet whose article was copied (its page covers the stories opened so far)
    # lists its own article and no reprint
    gazette = client.get(f"/api/outlets/{quote('Fenwick Gazette')}").json()
    assert len(gazette["articles"]) == 1 and gazette["republished"] == []


def test_list_and_story_page_agree_on_a_story_whose_only_right_coverage_is_a_reprint(
    serve: Any, stored: tuple[Path, Path]
) -> None:
    db, outlets = stored
    client = serve(load_outlets(outlets))
    # counting only its members (left, lean-left) would make it a right blindspot
    for side in ("right", "any"):
        found = client.get("/api/stories", params={"blindspot": side}).json()
        assert found["stories"] == [] and found["total"] == 0, side
    assert "blindspot</span>" not in client.get("/").text
    assert "blindspot</span>" not in client.get("/stories", params={"blindspot": "left"}).text

    coverage = client.get("/api/stories/1").json()["report"]["lean_coverage"]
    assert coverage["blindspot"] is None
    assert coverage["outlets"]["right"] == ["Lantern Post"]
    page = client.get("/stories/1").text
    assert "Right: Lantern Post (republished)" in page  # the bar's legend marks it
    assert "Blindspot:" not in page

    # the CLI reads the same rule
    runner = CliRunner()
    shown = runner.invoke(cli, ["stories", "--db", str(db), "--outlets", str(outlets), "-f", "json"])
    assert shown.exit_code == 0, shown.output
    (row,) = json.loads(shown.stdout)["stories"]
    assert row["republished_by"] == ["Lantern Post"] and row["blindspot"] is None
    assert row["leans"] == {"Fenwick Gazette": "left", "Valley Courier": "lean-left", "Lantern Post": "right"}
    for side in ("right", "any"):
        kept = runner.invoke(
            cli, ["stories", "--db", str(db), "--outlets", str(outlets), "--blindspot", side, "-f", "json"]
        )
        assert kept.exit_code == 0, kept.output
        assert json.loads(kept.stdout)["stories"] == [], side
