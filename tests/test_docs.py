"""Guard tests: the docs stay true to the code.

docs/cli.md embeds the ``--help`` text of every command between markers; run
``STORYSCOPE_UPDATE_DOCS=1 pytest tests/test_docs.py`` to regenerate it after changing the CLI.
"""

from __future__ import annotations

import os
import re
import types
from pathlib import Path

import click
from click.testing import CliRunner

import storyscope
from storyscope.cli import cli

ROOT = Path(__file__).resolve().parents[1]
CLI_DOC = ROOT / "docs" / "cli.md"
MARKER = re.compile(
    r"<!-- \[\[\[help (?P<cmd>[\w ]*)\]\]\] -->\n```\n(?P<body>.*?)```\n<!-- \[\[\[end\]\]\] -->",
    re.S,
)


def _help(command: str) -> str:
    args = [*command.split(), "--help"] if command else ["--help"]
    result = CliRunner().invoke(cli, args, prog_name="storyscope", terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_is_documented_with_current_help() -> None:
    text = CLI_DOC.read_text(encoding="utf-8")
    if isinstance(cli, click.Group):
        commands = [""] + cli.list_commands(click.Context(cli))
    else:
        commands = [""]
    if os.environ.get("STORYSCOPE_UPDATE_DOCS"):
        text = MARKER.sub(
            lambda m: (
                f"<!-- [[[help {m.group('cmd')}]]] -->\n```\n{_help(m.group('cmd'))}```\n"
                "<!-- [[[end]]] -->"
            ),
            text,
        )
        CLI_DOC.write_text(text, encoding="utf-8")
    documented = {m.group("cmd"): m.group("body") for m in MARKER.finditer(text)}
    for command in commands:
        assert command in documented, f"docs/cli.md lacks a help block for {command!r}"
        assert documented[command] == _help(command), (
            f"docs/cli.md is stale for {command!r}: run STORYSCOPE_UPDATE_DOCS=1 pytest tests/test_docs.py"
        )


def test_public_api_matches_all() -> None:
    helpers = {"annotations", "TYPE_CHECKING", "Any"}
    public = {
        name
        for name, value in ((name, getattr(storyscope, name)) for name in dir(storyscope))  # lazy names too
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name not in helpers
    }
    assert set(storyscope.__all__) == public | {"__version__"}


def test_every_image_the_readme_shows_is_in_the_checkout() -> None:
    """The README's screenshot (and any other image) is a file of the repository."""
    root = Path(__file__).resolve().parents[1]
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", (root / "README.md").read_text("utf-8"))
    assert images, "the README shows a screenshot"
    for image in images:
        path = root / image
        assert path.is_file() and path.stat().st_size > 10_000, image
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", image
