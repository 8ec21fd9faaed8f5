"""Pages and the API read a store opened read-only (before: every story page answered 500)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from _store_app import CountingPipeline, article, fill_store  # noqa: E402

from storyscope.store import Store  # noqa: E402
from storyscope.web import create_app  # noqa: E402
from storyscope.web._store_source import StoreSource  # noqa: E402


def test_pages_and_api_read_a_read_only_store(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "s.db"
    fill_store(path)
    first = article(0, "Saltmere Daily", "story0")
    pipeline = CountingPipeline()
    with Store.open(path, read_only=True) as store:
        assert store.read_only
        app = create_app(StoreSource(store, pipeline=pipeline))
        with (
            TestClient(app, raise_server_exceptions=False) as client,
            caplog.at_level(logging.INFO),
        ):
            for url in (
                "/",
                "/stories?q=ferries",
                "/stories/1",
                "/api/stories/1",
                "/api/stories/1/facts",
                f"/articles/{first.id}",
                f"/api/articles/{first.id}",
                "/outlets/Saltmere%20Daily",
            ):
                r = client.get(url)
                assert r.status_code == 200, (url, r.status_code, r.text[:200])
    assert pipeline.analyzed == 4  # analysed once, kept in memory: the store cannot keep it
    assert "not cached" in caplog.text and "read-only" in caplog.text
