"""The one TOML loader of storyscope's data and settings files.

Every stage reads TOML (lexicons, rules, settings, outlets) through here, so a
file that cannot be read or parsed is always the same one-line
:class:`~storyscope.errors.ConfigError`: ``<file>: cannot read <what>: <reason>``
or ``<file>: line N: invalid TOML: <reason>``. A neutral module (it imports only
``storyscope.errors``), so that ingest, analyze and align can all use it.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from storyscope.errors import ConfigError

__all__ = ["line_of", "packaged", "parse_toml", "read_data_text", "read_toml"]

_LINE_RE = re.compile(r"line (\d+)")


def packaged(name: str) -> Path:
    """Path of a data file shipped in ``storyscope/data``."""
    return Path(str(resources.files("storyscope") / "data" / name))


def line_of(raw: str, needle: str, after: int = 1) -> int:
    """1-based line of the first ``needle`` on or after line ``after`` (``after`` if absent)."""
    lines = raw.splitlines()
    for number in range(after, len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    return after


def parse_toml(raw: str, source: str) -> dict[str, Any]:
    """Parse TOML text.

    Args:
        raw: The TOML text.
        source: The file it came from, for the message.

    Returns:
        The parsed data.

    Raises:
        ConfigError: ``<source>: line N: invalid TOML: ...``; a problem at the end of
            the text (an unclosed array) is on the last line.
    """
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = _LINE_RE.search(str(exc))
        line = int(m.group(1)) if m else max(1, len(raw.splitlines()))  # "at end of document"
        raise ConfigError(f"{source}: line {line}: invalid TOML: {exc}") from exc


def read_data_text(path: str | Path, what: str, encoding: str = "utf-8") -> str:
    """Read a data file's text.

    Args:
        path: The file.
        what: What the file is, for the message ("loaded-language lexicon").
        encoding: Its encoding (``"utf-8-sig"`` to accept a byte-order mark).

    Raises:
        ConfigError: ``<path>: cannot read <what>: <reason>`` (missing, unreadable,
            not UTF-8 text).
    """
    try:
        return Path(path).read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read {what}: not UTF-8 text") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what}: {exc.strerror or exc}") from exc


def read_toml(path: str | Path, what: str) -> tuple[str, dict[str, Any]]:
    """Read and parse a TOML file.

    Args:
        path: The file.
        what: What the file is, for messages ("loaded-language lexicon").

    Returns:
        The raw text (for line numbers in later messages) and the parsed data.

    Raises:
        ConfigError: The file cannot be read or is not valid TOML (file and line named).
    """
    raw = read_data_text(path, what)
    return raw, parse_toml(raw, str(path))
