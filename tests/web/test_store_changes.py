"""What a running ``serve --db`` shows of what an ``ingest`` stores after it loaded a story.

Each test starts a real server (uvicorn on a loopback port) over a store, opens a story's
page so that the story is in memory, runs ``storyscope ingest`` (the CLI runner) on the
same store, and asks again over HTTP. A story in memory is checked against the store at
most every ``StoreSource.version_ttl_s`` (1 s), so the tests wait that long, no more.
Before: a reprint recorded after the server loaded its story never showed (recording one
changes no member, and the story was kept while its members were unchanged).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from _live import live_server  # noqa: E402
from _store_app import CountingPipeline  # noqa: E402

from storyscope.cli import cli  # noqa: E402
from storyscope.store import Store  # noqa: E402
from storyscope.web import create_app  # noqa: E402
from storyscope.web._store_source import StoreSource  # noqa: E402

GAZETTE = """---
outlet: Fenwick Gazette
title: Bridge reopens after repairs
published: 2026-05-04
---
The Halden river bridge reopened on Monday after six weeks of repairs, the regional roads agency said.

The repairs cost $3.2 million, according to agency director Lotte Brandvik.
"""

COURIER = """---
outlet: Valley Courier
title: Halden bridge open again
published: 2026-05-04
---
The bridge over the Halden river reopened on Monday following six weeks of repair work.

Agency director Lotte Brandvik said the repairs cost $4.5 million.
"""

# the gazette's text word for word under another outlet: ingest records it as a reprint
REPRINT = GAZETTE.replace("outlet: Fenwick Gazette", "outlet: Lantern Post")

# a third outlet's own article on the same event: ingest puts it in the same story
RADIO = """---
outlet: Ostmark Radio
title: Halden river bridge reopens after repairs
published: 2026-05-05
---
The Halden river bridge reopened on Monday after six weeks of repairs, the roads agency said.

Agency director Lotte Brandvik put the cost of the repairs at $3.2 million.
"""


def _ingest(*sources: Path, db: Path) -> Any:
    result = CliRunner().invoke(cli, ["ingest", *map(str, sources), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    texts = {"gazette": GAZETTE, "courier": COURIER, "lantern": REPRINT, "radio": RADIO}
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    return {name: tmp_path / f"{name}.txt" for name in texts}


@pytest.fixture
def served(tmp_path: Path, files: dict[str, Path]) -> Iterator[tuple[httpx.Client, StoreSource, Path]]:
    """A live server over a store of the gazette's and the courier's articles (story 1)."""
    db = tmp_path / "s.db"
    _ingest(files["gazette"], files["courier"], db=db)
    with Store.open(db) as store:
        source = StoreSource(store, pipeline=CountingPipeline())
        with live_server(create_app(source)) as url, httpx.Client(base_url=url, timeout=30) as client:
            yield client, source, db


def _after_the_check(source: StoreSource) -> None:
    time.sleep(source.version_ttl_s + 0.1)


def test_a_reprint_ingested_while_serving_shows_on_the_story_page(
    served: tuple[httpx.Client, StoreSource, Path], files: dict[str, Path]
) -> None:
    client, source, db = served
    page = client.get("/stories/1")
    assert page.status_code == 200 and "Republished by" not in page.text
    assert client.get("/api/stories/1").json()["report"]["reprints"] == []
    listed = client.get("/api/stories").json()["stories"][0]

    ingested = _ingest(files["lantern"], db=db)
    assert "1 reprints recorded" in ingested.stderr

    _after_the_check(source)
    page = client.get("/stories/1")
    assert page.status_code == 200
    assert 'class="republished">Republished by' in page.text
    assert "Lantern Post</a> (left out of the comparison)" in page.text
    report = client.get("/api/stories/1").json()["report"]
    assert [(r["outlet"], r["kind"]) for r in report["reprints"]] == [("Lantern Post", "identical")]
    assert report["stats"]["articles"] == 2  # the copy is not compared
    for download in ("report.json", "report.md"):
        assert "Lantern Post" in client.get(f"/stories/1/{download}").text, download
    # an identical copy is no member: the list row is the same but for its republisher
    # (counted for the story's coverage by lean, as on its page)
    time.sleep(source.list_ttl_s)
    assert client.get("/api/stories").json()["stories"][0] == {
        **listed,
        "republished_by": ["Lantern Post"],
    }
    # the outlet whose article was republished still has its page
    assert client.get("/outlets/Fenwick Gazette").status_code == 200


def test_an_article_ingested_into_a_served_story_shows_everywhere(
    served: tuple[httpx.Client, StoreSource, Path], files: dict[str, Path]
) -> None:
    client, source, db = served
    first = client.get("/stories/1")
    assert first.status_code == 200 and "Ostmark Radio" not in first.text
    assert client.get("/outlets/Ostmark Radio").status_code == 404

    _ingest(files["radio"], db=db)
    with Store.open(db) as store:  # the clusterer put it in the served story
        (radio,) = [a for a in store.story_articles(1) if a.outlet == "Ostmark Radio"]

    _after_the_check(source)
    page = client.get("/stories/1")
    assert page.status_code == 200 and "Ostmark Radio" in page.text
    report = client.get("/api/stories/1").json()["report"]
    assert report["stats"]["articles"] == 3
    assert "Ostmark Radio" in {a["outlet"] for a in report["articles"]}
    assert client.get(f"/articles/{radio.id}").status_code == 200
    (row,) = client.get("/api/stories").json()["stories"]
    assert row["article_count"] == 3 and "Ostmark Radio" in row["outlets"]
    assert "Ostmark Radio" in client.get("/").text  # the list page and its outlet menu
    outlet = client.get("/outlets/Ostmark Radio")
    assert outlet.status_code == 200 and radio.id in outlet.text
