"""The one TOML loader (storyscope._toml): every data and settings file is read through it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storyscope._toml import parse_toml, read_data_text, read_toml
from storyscope.errors import ConfigError

SRC = Path(__file__).resolve().parents[1] / "src" / "storyscope"


def test_invalid_toml_names_the_file_and_the_line() -> None:
    with pytest.raises(ConfigError) as info:
        parse_toml('[a]\nx = 1\ny = "open\n', "my.toml")
    message = str(info.value)
    assert message.startswith("my.toml: line 3: invalid TOML: "), message
    assert "\n" not in message


def test_a_problem_at_the_end_of_the_text_is_on_its_last_line() -> None:
    with pytest.raises(ConfigError, match=r"^my\.toml: line 2: invalid TOML"):
        parse_toml('[a]\nx = ["open",\n', "my.toml")


def test_an_unreadable_file_is_one_line_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nothere.toml"
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(missing))}: cannot read cue lexicon: "):
        read_toml(missing, "cue lexicon")
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b"x = '\xe9'\n")
    with pytest.raises(ConfigError, match="cannot read rules: not UTF-8 text$"):
        read_data_text(latin, "rules")


def test_read_toml_gives_the_text_and_the_data(tmp_path: Path) -> None:
    path = tmp_path / "ok.toml"
    path.write_text("[a]\nx = 1\n", encoding="utf-8")
    assert read_toml(path, "test file") == ("[a]\nx = 1\n", {"a": {"x": 1}})


def test_only_the_loader_parses_toml() -> None:
    parsers = sorted(
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if re.search(r"^\s*import tomllib|^\s*from tomllib", p.read_text(encoding="utf-8"), re.M)
    )
    assert parsers == ["_toml.py"]
