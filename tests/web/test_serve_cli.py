"""The ``serve`` command (uvicorn replaced by a recorder)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyscope.model import Story
from storyscope.web.cli import SWITCH_INTERVAL_S, serve


@pytest.fixture(autouse=True)
def _switch_interval() -> Iterator[None]:
    """``serve`` tunes the interpreter's switch interval: give the next tests theirs back."""
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def test_serve_binds_loopback_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, story: Story
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append({"app": app, **kw}))
    monkeypatch.setattr("storyscope.api.compare", lambda sources, **kw: story)
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    result = CliRunner().invoke(serve, ["--stories", str(tmp_path), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert calls and calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8123


def test_serve_warns_on_public_bind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, story: Story
) -> None:
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: None)
    monkeypatch.setattr("storyscope.api.compare", lambda sources, **kw: story)
    result = CliRunner().invoke(serve, ["--stories", str(tmp_path), "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "warning: binding 0.0.0.0" in result.output


def test_serve_db_refuses_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(serve, ["--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert "no store there" in result.output
    assert not (tmp_path / "x.db").exists()


def test_serve_db_with_stories_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(serve, ["--db", str(tmp_path / "x.db"), "--example"])
    assert result.exit_code == 2


def test_serve_db_serves_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storyscope.store import Store
    from storyscope.web._store_source import StoreSource

    path = tmp_path / "s.db"
    Store.open(path).close()
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append({"app": app, **kw}))
    result = CliRunner().invoke(serve, ["--db", str(path)])
    assert result.exit_code == 0, result.output
    assert calls
    assert isinstance(calls[0]["app"].state.web.source, StoreSource)
    from storyscope.web.cli import GRACEFUL_SHUTDOWN_S

    assert calls[0]["timeout_graceful_shutdown"] == GRACEFUL_SHUTDOWN_S  # SIGTERM stops in seconds
    assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S)


def test_serve_outlets_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, story: Story) -> None:
    calls: list[Any] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append(app))
    monkeypatch.setattr("storyscope.api.compare", lambda sources, **kw: story)
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    good = tmp_path / "outlets.csv"
    good.write_text("name,lean\nSaltmere Daily,left\n", encoding="utf-8")
    result = CliRunner().invoke(serve, ["--stories", str(tmp_path), "--outlets", str(good)])
    assert result.exit_code == 0, result.output
    directory = calls[0].state.web.settings.outlets
    assert directory.get("saltmere daily").lean == "left"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lean\nX,up\n", encoding="utf-8")
    result = CliRunner().invoke(serve, ["--stories", str(tmp_path), "--outlets", str(bad)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1].startswith(f"Error: {bad}: line 2: lean 'up'")


def test_serve_max_compare_chars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, story: Story
) -> None:
    from storyscope.api import COMPARE_MAX_CHARS

    calls: list[Any] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append(app))
    monkeypatch.setattr("storyscope.api.compare", lambda sources, **kw: story)
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    for args, expected in (([], COMPARE_MAX_CHARS), (["--max-compare-chars", "5000"], 5000)):
        result = CliRunner().invoke(serve, ["--stories", str(tmp_path), *args])
        assert result.exit_code == 0, result.output
        assert calls.pop().state.web.settings.max_compare_chars == expected
    result = CliRunner().invoke(serve, ["--stories", str(tmp_path), "--max-compare-chars", "0"])
    assert result.exit_code == 2
