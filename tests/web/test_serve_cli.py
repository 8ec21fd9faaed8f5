"""The ``serve`` command (uvicorn replaced by a recorder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyscope.model import Story
from storyscope.web.cli import serve


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


def test_serve_db_is_a_usage_error_until_the_store_source_exists(tmp_path: Path) -> None:
    result = CliRunner().invoke(serve, ["--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "store-backed" in result.output
