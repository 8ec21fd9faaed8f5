"""First run: the example story ships in the package, and a wheel alone runs it.

``test_wheel_runs_the_example_and_serve`` builds the wheel from a copy of the sources,
installs it with ``--no-deps`` into a fresh venv (no pip; a ``.pth`` file lends it the
project venv's site-packages for the dependencies, never the editable storyscope) and
runs ``storyscope compare --example`` and a bare ``storyscope serve`` from there.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from storyscope._examples import example_dir, example_guide
from storyscope.cli import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_FILES = {
    "aster-ledger.txt",
    "coastline-wire.txt",
    "harbour-watch.txt",
    "northern-tribune.txt",
    "velmora-daily-post.html",
}


def test_example_is_package_data_and_the_checkout_links_to_it() -> None:
    folder = example_dir()
    assert folder.is_dir()
    assert {p.name for p in folder.iterdir()} == EXAMPLE_FILES
    assert folder.parent == ROOT / "src" / "storyscope" / "examples"
    assert example_guide().is_file() and "port-aster" in example_guide().read_text("utf-8")
    assert (folder.parent / "port-aster.TRAPS.md").is_file()
    # one copy: the checkout's examples/ is the package's folder, not a second copy to drift
    assert (ROOT / "examples" / "port-aster").resolve() == folder.resolve()


def test_compare_needs_sources_or_example() -> None:
    result = CliRunner().invoke(cli, ["compare"])
    assert result.exit_code == 2 and "--example" in result.output
    result = CliRunner().invoke(cli, ["compare", "--example", "a.txt"])
    assert result.exit_code == 2 and "not both" in result.output


def test_bare_serve_compares_the_packaged_example(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyscope.model import Story
    from storyscope.web import MemorySource

    folders: list[Path] = []

    def from_directory(folder: Path, **_: Any) -> MemorySource:
        folders.append(Path(folder))
        return MemorySource({"x": Story(articles=())})

    monkeypatch.delenv("STORYSCOPE_DB", raising=False)
    monkeypatch.setattr(MemorySource, "from_directory", staticmethod(from_directory))
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: None)
    before = sys.getswitchinterval()
    try:
        result = CliRunner().invoke(cli, ["serve"])
    finally:
        sys.setswitchinterval(before)
    assert result.exit_code == 0, result.output
    assert folders == [example_dir()]


@pytest.mark.slow
def test_compare_example_flag_reads_the_five_outlets(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["compare", "--example", "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text("utf-8"))
    assert len(report["outlets"]) == 5
    assert {Path(a["source"]).name for a in report["articles"]} == EXAMPLE_FILES


# -- the wheel, alone in a fresh venv ---------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(args: list[Any], **options: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, check=False, **options
    )


def _build_wheel(tmp: Path) -> Path:
    """The wheel of a copy of the sources (the checkout's build/ and egg-info stay untouched)."""
    tree = tmp / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "NOTICE", "MANIFEST.in"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, tree / name)
    shutil.copytree(
        ROOT / "src",
        tree / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"),
    )
    wheels = tmp / "wheels"
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, tree], timeout=600
    )
    if built.returncode != 0:
        if "No matching distribution found" in built.stderr:  # no index for the build backend
            pytest.skip(f"cannot build the wheel here: {built.stderr.strip().splitlines()[-1]}")
        pytest.fail(f"pip wheel failed:\n{built.stdout}\n{built.stderr}")
    (wheel,) = wheels.glob("storyscope-*.whl")
    return wheel


def _wheel_venv(tmp: Path, wheel: Path) -> Path:
    """A venv holding only the wheel; its dependencies come from this venv's site-packages."""
    venv = tmp / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", venv], timeout=120)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    installed = _run(
        [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel],
        timeout=300,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    # Lines of a .pth only join sys.path: the .pth files in those folders (the editable
    # storyscope's among them) are not run, so `import storyscope` finds the wheel's copy.
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(site.stdout.strip()) / "_project_deps.pth").write_text(
        "".join(f"{p}\n" for p in sorted(ours)), encoding="utf-8"
    )
    return venv


def _env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "STORYSCOPE_DB", "STORYSCOPE_CONFIG", "VIRTUAL_ENV")
    }
    env["STORYSCOPE_NO_PLUGINS"] = "1"
    return env


@pytest.mark.slow
def test_wheel_runs_the_example_and_serve(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    venv = _wheel_venv(tmp_path, wheel)
    work = tmp_path / "work"  # no storyscope.toml, no src/ on the path
    work.mkdir()
    env = _env()

    where = _run(
        [venv / "bin" / "python", "-c", "import storyscope; print(storyscope.__file__)"],
        cwd=work,
        env=env,
    )
    assert where.returncode == 0, where.stderr
    module = Path(where.stdout.strip())
    assert module.is_relative_to(venv), module  # the wheel's copy, not the editable checkout
    packaged = module.parent / "examples" / "port-aster"
    assert {p.name for p in packaged.iterdir()} == EXAMPLE_FILES
    assert (module.parent / "examples" / "README.md").is_file()

    storyscope = venv / "bin" / "storyscope"
    compared = _run(
        [storyscope, "compare", "--example", "-o", "report.json"], cwd=work, env=env, timeout=600
    )
    assert compared.returncode == 0, compared.stderr
    report = json.loads((work / "report.json").read_text("utf-8"))
    assert len(report["outlets"]) == 5 and report["contradictions"]
    assert all(Path(a["source"]).is_relative_to(packaged) for a in report["articles"])

    port = _free_port()
    log = (work / "serve.log").open("w")
    server = subprocess.Popen(
        [str(storyscope), "serve", "--port", str(port)],
        cwd=work,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300
        while True:
            assert server.poll() is None, (work / "serve.log").read_text("utf-8")
            try:
                page = httpx.get(base + "/", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "serve did not answer in 300 s"
                time.sleep(0.5)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        index = httpx.get(base + "/api/", headers={"Accept": "application/json"}, timeout=30)
        assert index.status_code == 200
        assert {"GET /api/stories", "POST /api/compare"} <= {
            f"{e['method']} {e['path']}" for e in index.json()["endpoints"]
        }
        assert httpx.get(base + "/api/", timeout=30).status_code == 200
        stories = httpx.get(base + "/api/stories", timeout=30).json()
        assert stories["total"] == 1 and stories["stories"][0]["article_count"] == 5
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    assert "comparing stories in" in (work / "serve.log").read_text("utf-8")
