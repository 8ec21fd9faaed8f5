"""The container recipe's key lines (the image is not built here: no Docker in the test run).

Checks what a reader of the Dockerfile would: the base image, the install from the
repository with constraints.txt and no torch, the store on a volume, the port, and a
CMD that ``storyscope serve`` accepts; and that .dockerignore lets the copied files in.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
from pathlib import Path

import pytest

from storyscope.web.cli import serve

ROOT = Path(__file__).resolve().parents[1]


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    logical: list[str] = []
    current = ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    assert not current, "Dockerfile ends inside a continued line"
    out = []
    for entry in logical:
        word, _, rest = entry.strip().partition(" ")
        out.append((word.upper(), " ".join(rest.split())))
    return out


def _one(name: str) -> str:
    found = [args for word, args in _instructions() if word == name]
    assert len(found) == 1, (name, found)
    return found[0]


def test_base_image_is_python_311_slim() -> None:
    assert _instructions()[0] == ("FROM", "python:3.11-slim")


def test_installs_the_repository_with_the_constraints_and_no_torch() -> None:
    runs = " && ".join(args for word, args in _instructions() if word == "RUN")
    assert re.search(r"pip install -c constraints\.txt \.(?: |$)", runs), runs
    assert "find_spec('torch')" in runs  # the build fails if torch got pulled in
    copies = [args for word, args in _instructions() if word == "COPY"]
    copied = {part for args in copies for part in args.split()[:-1]}
    assert {"pyproject.toml", "constraints.txt", "src"} <= copied
    for name in copied:
        assert (ROOT / name).exists(), name
    assert "torch" not in (ROOT / "constraints.txt").read_text(encoding="utf-8").lower()


def test_serves_the_mounted_store_on_the_exposed_port() -> None:
    cmd = json.loads(_one("CMD"))
    assert cmd[:2] == ["storyscope", "serve"]
    args = cmd[2:]
    assert args[args.index("--host") + 1] == "0.0.0.0"
    assert args[args.index("--db") + 1] == "/data/storyscope.db"
    assert _one("EXPOSE") == args[args.index("--port") + 1] == "8000"
    assert json.loads(_one("VOLUME")) == ["/data"]
    env = dict(pair.split("=", 1) for pair in shlex.split(_one("ENV")) if "=" in pair)
    assert env["STORYSCOPE_DB"] == "/data/storyscope.db"  # ingest in the container writes there too
    assert _one("USER") != "root"
    context = serve.make_context("serve", list(args))  # the CMD parses as serve's options
    assert context.params["host"] == "0.0.0.0" and context.params["port"] == 8000


def test_healthcheck_asks_the_api() -> None:
    assert "/api/health" in _one("HEALTHCHECK")


def _ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last matching pattern wins; ``!`` re-includes."""
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        body = pattern[1:] if negate else pattern
        deep = body.startswith("**/") and any(
            fnmatch.fnmatch(part, body[3:]) for part in Path(path).parts
        )
        if deep or fnmatch.fnmatch(path, body):
            ignored = not negate
    return ignored


@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        ("pyproject.toml", False),
        ("constraints.txt", False),
        ("src", False),
        (".venv", True),
        (".git", True),
        ("tests", True),
        ("eval", True),
        ("storyscope.db", True),
        ("src/storyscope.egg-info", True),
        ("src/storyscope/__pycache__", True),
    ],
)
def test_dockerignore_keeps_the_context_to_what_is_copied(path: str, ignored: bool) -> None:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert _ignored(path, patterns) is ignored
