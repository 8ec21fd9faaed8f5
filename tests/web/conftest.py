"""Fixtures for the web tests: hand-built stories, an in-process client, a live server."""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from _stories import fake_compare, make_story  # noqa: E402

from storyscope.model import Story  # noqa: E402
from storyscope.web import MemorySource, WebSettings, create_app  # noqa: E402


@pytest.fixture(scope="session")
def story() -> Story:
    return make_story(3)


@pytest.fixture(scope="session")
def big_story() -> Story:
    return make_story(6, extra_paragraphs=3)


@pytest.fixture(scope="session")
def source(story: Story, big_story: Story) -> MemorySource:
    return MemorySource({"ferry": story, "ferry-big": big_story})


@pytest.fixture(scope="session")
def settings() -> WebSettings:
    return WebSettings(comparer=fake_compare, max_upload_bytes=50_000, max_articles=4)


@pytest.fixture(scope="session")
def app(source: MemorySource, settings: WebSettings) -> FastAPI:
    return create_app(source, settings=settings)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_url(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on 127.0.0.1 and a free port, in a thread."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)
