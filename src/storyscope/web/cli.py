"""``storyscope serve``: run the web UI and API with uvicorn (loopback by default).

Register it in ``storyscope/cli.py`` with ``cli.add_command(serve)`` after
``from storyscope.web.cli import serve``.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from pathlib import Path

import click

from storyscope.api import COMPARE_MAX_CHARS
from storyscope.errors import StoryscopeError
from storyscope.model import Article, Story
from storyscope.outlets import OutletDirectory
from storyscope.settings import Settings
from storyscope.web._settings import Comparer
from storyscope.web._source import StorySource

__all__ = ["GRACEFUL_SHUTDOWN_S", "SWITCH_INTERVAL_S", "serve"]

SWITCH_INTERVAL_S = 0.0005
"""The interpreter's thread switch interval while serving (default 5 ms). A story
analysis holds the GIL; each time the event loop gives it up for I/O it waits up to
one interval to run again, so at 5 ms a busy analysis slows every request to ~200
socket operations a second. 0.5 ms keeps pages answering during analyses."""

GRACEFUL_SHUTDOWN_S = 3
"""On SIGTERM, requests still running after this many seconds are cancelled and the
process exits (a story analysis still computing runs in a daemon thread: it never
holds the process)."""

logger = logging.getLogger(__name__)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _store_source(db: str, settings: Settings, outlets: OutletDirectory | None) -> StorySource:
    import os

    from storyscope.store import Store
    from storyscope.web._store_source import StoreSource

    if "://" not in db and not os.path.exists(db):
        raise click.ClickException(f"{db}: no store there (create one with `storyscope ingest`)")
    try:
        return StoreSource(Store.open(db), settings=settings, outlets=outlets)
    except StoryscopeError as exc:
        raise click.ClickException(str(exc)) from exc


def _comparer(compare: Comparer, directory: OutletDirectory | None) -> Comparer:
    """``compare``, its stories with the outlets file's entries (``outlet_info``)."""
    if directory is None:
        return compare
    from storyscope.outlets import with_outlet_info

    def run(articles: Sequence[Article]) -> Story:
        return with_outlet_info(compare(articles), directory)

    return run


@click.command("serve", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db",
    metavar="PATH|URL",
    envvar="STORYSCOPE_DB",
    default=None,
    help="Serve the stories of this store (see `storyscope ingest`); stories are analyzed on first view.",
)
@click.option(
    "--stories",
    "stories_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A story folder, or a folder of story folders, compared at start-up.",
)
@click.option(
    "--example",
    is_flag=True,
    help="Serve the example story shipped with storyscope (port-aster; the default).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port."
)
@click.option(
    "--max-articles",
    default=20,
    show_default=True,
    type=click.IntRange(2, 200),
    help="Most articles per compare request.",
)
@click.option(
    "--max-compare-chars",
    default=COMPARE_MAX_CHARS,
    show_default=True,
    type=click.IntRange(1),
    help="Most characters one compare request may give to analyse in all (each article "
    "counts at most its first 50,000).",
)
@click.option(
    "--max-upload-mb",
    default=2.0,
    show_default=True,
    type=click.FloatRange(0.01, 100),
    help="Largest compare request body, in MB.",
)
@click.option(
    "--outlets",
    "outlets_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Outlet metadata (TOML or CSV; docs/outlets.md): coverage by lean, the blindspot "
    "filter, outlet details. Default: the [outlets] file setting, else none.",
)
@click.option("--no-compare", is_flag=True, help="Disable the compare page and POST /api/compare.")
@click.option(
    "--compare-per-minute",
    default=30.0,
    show_default=True,
    type=click.FloatRange(0),
    help="Comparisons one client address may start a minute, after a burst of 10 (0: no limit).",
)
def serve(
    db: str | None,
    stories_dir: Path | None,
    example: bool,
    host: str,
    port: int,
    max_articles: int,
    max_compare_chars: int,
    max_upload_mb: float,
    outlets_file: Path | None,
    no_compare: bool,
    compare_per_minute: float,
) -> None:
    """Serve the web UI and REST API (http://127.0.0.1:8000 by default).

    Without --db or --stories, serves the example story. Pages read without
    JavaScript; the API is under /api/ (OpenAPI document at /api/openapi.json).
    """
    try:
        import uvicorn

        from storyscope.web import MemorySource, WebSettings, create_app
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise click.ClickException(f"the web extra is not installed ({exc.name})") from exc
    if db is not None and (stories_dir is not None or example):
        raise click.UsageError("give --db, or --stories/--example, not both")
    if not _is_loopback(host):
        click.echo(
            f"warning: binding {host}; anyone who can reach it can read and compare", err=True
        )
    import functools

    from storyscope.api import compare_articles
    from storyscope.cli import _settings

    try:
        resolved = _settings(outlets_file=outlets_file)
        directory = resolved.outlets.load()
    except StoryscopeError as exc:
        raise click.ClickException(str(exc)) from None
    source: StorySource
    if db is not None:
        source = _store_source(db, resolved, directory)
    else:
        folder = stories_dir
        if folder is None or example:
            from storyscope._examples import example_dir

            folder = example_dir()
            if not folder.is_dir():
                raise click.ClickException(
                    f"{folder}: example stories not found; pass --stories DIR"
                )
        click.echo(f"comparing stories in {folder} ...", err=True)
        try:
            source = MemorySource.from_directory(folder, settings=resolved, outlets=directory)
        except StoryscopeError as exc:
            raise click.ClickException(str(exc)) from exc
    settings = WebSettings(
        max_articles=max_articles,
        max_compare_chars=max_compare_chars,
        max_upload_bytes=int(max_upload_mb * 1_000_000),
        compare_enabled=not no_compare,
        compare_per_minute=compare_per_minute or None,
        comparer=_comparer(functools.partial(compare_articles, settings=resolved), directory),
        outlets=directory,
    )
    app = create_app(source, settings=settings)
    click.echo(f"serving on http://{host}:{port}/", err=True)
    import sys

    sys.setswitchinterval(SWITCH_INTERVAL_S)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
