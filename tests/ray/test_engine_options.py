"""Engine selection, the missing-Ray message, the CLI flags and the row codecs (no Ray started)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from storyscope.cli import cli
from storyscope.corpus import ingest_corpus
from storyscope.engines._records import (
    article_from_row,
    article_to_row,
    vectors_from_bytes,
    vectors_to_bytes,
)
from storyscope.errors import ConfigError
from storyscope.model import Article, Removed
from storyscope.store import Store


def test_missing_ray_is_one_clear_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    with Store.open(tmp_path / "s.db") as store, pytest.raises(ConfigError) as info:
        ingest_corpus([str(tmp_path)], store, engine="ray")
    assert "pip install 'ray[data]'" in str(info.value)
    assert "\n" not in str(info.value)


def test_unknown_engine_and_option(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        with pytest.raises(ConfigError, match="unknown engine"):
            ingest_corpus([], store, engine="spark")
        with pytest.raises(ConfigError, match="unknown option"):
            ingest_corpus([], store, engine="ray", engine_options={"nodes": 3})


def test_cli_flags(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(tmp_path), "--db", str(tmp_path / "s.db"), "--workers", "2"])
    assert result.exit_code == 2
    assert "--engine ray" in result.output
    monkeypatch.setitem(sys.modules, "ray", None)
    result = runner.invoke(cli, ["ingest", str(tmp_path), "--db", str(tmp_path / "s.db"), "--engine", "ray", "-q"])
    assert result.exit_code != 0
    assert "pip install 'ray[data]'" in result.output


_text = st.text(min_size=1, max_size=40)


@given(
    text=_text,
    title=st.none() | _text,
    published=st.none() | st.datetimes(timezones=st.none() | st.just(dt.UTC)),
    removed=st.lists(st.tuples(_text, _text), max_size=3),
)
def test_article_rows_round_trip(
    text: str, title: str | None, published: dt.datetime | None, removed: list[tuple[str, str]]
) -> None:
    article = Article.create(
        text=text, source="a.jsonl#L1", outlet="Invented Daily", title=title, published=published,
        removed=tuple(Removed(text=t, reason=r) for t, r in removed),
    )
    assert article_from_row(article_to_row(article)) == article


@given(rows=st.integers(0, 5), width=st.integers(1, 8))
def test_vectors_round_trip(rows: int, width: int) -> None:
    import numpy as np

    matrix = np.arange(rows * width, dtype=np.float32).reshape(rows, width) / 7
    raw, got_width = vectors_to_bytes(matrix)
    assert got_width == width
    assert np.array_equal(vectors_from_bytes(raw, width), matrix)
