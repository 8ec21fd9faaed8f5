"""The ``storyscope`` command line: a thin click layer over the library.

Errors are one line on stderr, never a traceback (unless ``--debug``): exit
code 1 for bad input or a partial result, 2 for usage errors.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from storyscope._version import __version__
from storyscope.errors import StoryscopeError, displayable

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("json", "markdown", "md", "html")


def _one_line_errors(func: F) -> F:
    """Turn library errors (and unexpected ones) into one-line click errors."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(click.get_current_context().find_root().params.get("debug"))
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except StoryscopeError as exc:
            if debug:
                raise
            raise click.ClickException(str(exc)) from None
        except MemoryError:
            raise click.ClickException("out of memory (input too large?)") from None
        except Exception as exc:  # never show a traceback to a user
            if debug:
                raise
            raise click.ClickException(
                f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)"
            ) from None

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storyscope")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
def cli(debug: bool) -> None:
    """storyscope: show a news story from every side.

    Compare several outlets' articles about one event: what they agree on, what
    only one says, where they conflict, who is quoted, how each frames it, and a
    cited summary.
    """


def _parse_outlets(values: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value in values:
        key, sep, name = value.partition("=")
        if not sep or not key.strip() or not name.strip():
            raise click.BadParameter(
                f"{value!r} is not FILE=OUTLET (e.g. --outlet ledger.txt='The Aster Ledger')",
                param_hint="--outlet",
            )
        mapping[key.strip()] = name.strip()
    return mapping


@cli.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Report format (default: from the -o suffix, else json).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--outlet",
    "outlet_pairs",
    multiple=True,
    metavar="FILE=OUTLET",
    help="Name the outlet of a source (repeatable). Overrides metadata and file names.",
)
@click.option("--fail-fast", is_flag=True, help="Stop at the first bad source.")
@click.option("--timings", is_flag=True, help="Print seconds per stage to stderr.")
@click.option("-q", "--quiet", is_flag=True, help="Print no summary or warnings.")
@_one_line_errors
def compare(
    sources: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    outlet_pairs: tuple[str, ...],
    fail_fast: bool,
    timings: bool,
    quiet: bool,
) -> None:
    """Compare articles about one event from SOURCE files, directories or globs.

    Sources may be plain text (optionally with a front-matter block), HTML,
    JSON or JSONL. Exit code 0 when every source was read and articles from at
    least two outlets were compared; 1 when some source failed (the report on
    the others is still written), when only one outlet's articles were read
    (report written), or when no article could be read (no report); 2 on usage
    errors.
    """
    from storyscope.api import StageTimes
    from storyscope.api import compare as run_compare
    from storyscope.report import render

    outlets = _parse_outlets(outlet_pairs)
    if fmt is None:
        fmt = _format_from_suffix(output)
    stage_times = StageTimes()
    story = run_compare(sources, outlets=outlets, fail_fast=fail_fast, timings=stage_times)
    text = render(story, fmt)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        try:
            output.write_text(text, encoding="utf-8", errors="backslashreplace")
        except OSError as exc:
            raise click.ClickException(
                f"{displayable(str(output))}: cannot write report: {exc.strerror}"
            ) from None

    err = functools.partial(click.echo, err=True)
    for failure in story.failures:
        err(
            f"error: {failure.error}"
            if failure.source in failure.error
            else f"error: {failure.source}: {failure.error}"
        )
    if not quiet:
        for warning in story.warnings:
            err(f"warning: {warning}")
    if timings:
        err(json.dumps({k: round(v, 3) for k, v in stage_times.as_dict().items()}))
    if not quiet:
        err(_summary_line(story, output))
    distinct = {a.article.outlet for a in story.articles}
    if len(story.articles) < 2:
        only = story.articles[0].article.source if story.articles else "(none)"
        err(f"error: only one article ({only}): nothing to compare")
    elif len(distinct) < 2:
        err(
            f"error: all {len(story.articles)} articles are from one outlet ({next(iter(distinct))}): "
            "name each source's outlet with --outlet FILE=OUTLET or an 'outlet' field"
        )
    if story.failures or len(distinct) < 2:
        sys.exit(1)


def _format_from_suffix(output: Path | None) -> str:
    if output is None:
        return "json"
    return {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}.get(
        output.suffix.lower(), "json"
    )


def _summary_line(story: Any, output: Path | None) -> str:
    from collections import Counter

    statuses = Counter(f.status for f in story.facts)
    outlets = {a.article.outlet for a in story.articles}
    quotes = sum(len(a.quotes) for a in story.articles)
    where = f"Wrote {displayable(os.path.abspath(output))}" if output is not None else "Report"
    return (
        f"{where}: {len(story.articles)} articles from {len(outlets)} outlets; "
        f"{len(story.facts)} facts ({statuses.get('consensus', 0)} agreed, "
        f"{statuses.get('single_source', 0)} single-source, {statuses.get('contested', 0)} contested); "
        f"{len(story.contradictions)} contradictions; {quotes} quotes; "
        f"{len(story.omissions)} omissions."
    )


@cli.command()
@_one_line_errors
def schema() -> None:
    """Print the JSON Schema of the JSON report."""
    from storyscope.report import load_schema

    click.echo(json.dumps(load_schema(), indent=2, ensure_ascii=False))


def _register_subcommands() -> None:
    from storyscope.web.cli import serve

    cli.add_command(serve)


_register_subcommands()


def main() -> None:  # pragma: no cover - console entry for `python -m storyscope`
    cli(prog_name="storyscope")
