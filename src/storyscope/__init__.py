"""storyscope: show a news story from every side.

Give it several articles about one event from different outlets and it reports
what they agree on, what only one outlet says, where they contradict each other,
who is quoted, how each outlet frames the story, and a summary in which every
sentence cites exact spans of the articles.

The common path::

    import storyscope
    story = storyscope.compare(["examples/port-aster"])
    print(storyscope.render(story, "markdown"))

Stages, for more control: :func:`read` (sources -> articles),
:func:`analyze` (articles -> analyzed articles), :func:`align`
(analyzed articles -> :class:`Story`), :func:`render` (story -> report).
``storyscope.analyze`` and ``storyscope.align`` are both the stage function and
a view of the stage's subpackage: ``storyscope.analyze(articles)`` runs the
stage and ``storyscope.analyze.Pipeline`` is :class:`storyscope.analyze.Pipeline`
(also after ``import storyscope.analyze as stage``).

The public names are imported on first use, so ``import storyscope`` is cheap:
the stages load when called or looked into.
"""

from __future__ import annotations

import functools
import importlib
import logging
import sys
import types
from typing import TYPE_CHECKING, Any

from storyscope._version import __version__
from storyscope.errors import (
    AlignmentError,
    AnalysisError,
    ConfigError,
    IngestError,
    ReportError,
    StoreError,
    StoryscopeError,
)

if TYPE_CHECKING:  # pragma: no cover
    import os
    from collections.abc import Iterable, Mapping, Sequence

    from storyscope.analyze.embeddings import Embedder
    from storyscope.api import compare
    from storyscope.ingest import ReadResult
    from storyscope.model import (
        AnalyzedArticle,
        Article,
        Citation,
        Claim,
        Contradiction,
        Cue,
        Entity,
        Fact,
        Failure,
        Framing,
        Label,
        Omission,
        Quantity,
        Quote,
        QuoteVariant,
        Removed,
        Sentence,
        Story,
        SummarySentence,
        TimeExpression,
    )
    from storyscope.settings import AlignSettings

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "AlignmentError",
    "AnalysisError",
    "AnalyzedArticle",
    "Article",
    "Citation",
    "Claim",
    "ConfigError",
    "Contradiction",
    "Cue",
    "Entity",
    "Fact",
    "Failure",
    "Framing",
    "IngestError",
    "Label",
    "Omission",
    "Quantity",
    "Quote",
    "QuoteVariant",
    "Removed",
    "ReportError",
    "Sentence",
    "StoreError",
    "Story",
    "StoryscopeError",
    "SummarySentence",
    "TimeExpression",
    "__version__",
    "align",
    "analyze",
    "compare",
    "read",
    "render",
]

# Public names imported on first use (PEP 562), so that ``import storyscope`` (and the
# CLI's start-up) loads neither the model nor the stages: name -> its module.
_LAZY: dict[str, str] = {
    **{
        name: "storyscope.model"
        for name in (
            "AnalyzedArticle",
            "Article",
            "Citation",
            "Claim",
            "Contradiction",
            "Cue",
            "Entity",
            "Fact",
            "Failure",
            "Framing",
            "Label",
            "Omission",
            "Quantity",
            "Quote",
            "QuoteVariant",
            "Removed",
            "Sentence",
            "Story",
            "SummarySentence",
            "TimeExpression",
        )
    },
    "compare": "storyscope.api",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def read(
    sources: Iterable[str | os.PathLike[str]],
    *,
    outlets: Mapping[str, str] | None = None,
    fail_fast: bool = False,
) -> ReadResult:
    """Read sources (files, directories, globs) into articles. See :func:`storyscope.ingest.read`."""
    from storyscope.ingest import read as _read

    return _read(sources, outlets=outlets, fail_fast=fail_fast)


class _Stage:
    """A stage function that is also a view of its subpackage.

    ``import storyscope.analyze as stage`` binds the attribute ``storyscope.analyze``
    (not ``sys.modules["storyscope.analyze"]``), and that attribute must stay the
    function for ``from storyscope import analyze; analyze(articles)``. So it is this
    callable, whose other attributes are the subpackage's (imported on first use):
    ``stage.Pipeline``.
    """

    def __init__(self, function: Any, package: str) -> None:
        functools.update_wrapper(self, function)
        self._package = package

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.__wrapped__(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name != "__all__":
            raise AttributeError(name)
        return getattr(importlib.import_module(self._package), name)

    def __dir__(self) -> list[str]:
        package = importlib.import_module(self._package)
        return sorted({*object.__dir__(self), *dir(package)})

    def __repr__(self) -> str:
        return f"<function storyscope.{self.__name__}, and package {self._package}>"

    def __reduce__(self) -> str:
        return str(self.__qualname__)  # pickled by name, as the function was


def _analyze(articles: Sequence[Article]) -> list[AnalyzedArticle]:
    """Analyze articles with the default pipeline. See :mod:`storyscope.analyze`."""
    from storyscope.analyze import analyze as _run

    return _run(articles)


def _align(
    articles: Sequence[AnalyzedArticle],
    *,
    embedder: Embedder | None = None,
    settings: AlignSettings | None = None,
) -> Story:
    """Align analyzed articles into a :class:`Story`. See :func:`storyscope.align.align`."""
    from storyscope.align import align as _run

    return _run(articles, embedder=embedder, settings=settings)


_analyze.__name__ = _analyze.__qualname__ = "analyze"
_align.__name__ = _align.__qualname__ = "align"

if TYPE_CHECKING:  # pragma: no cover - what type checkers see: the stage functions
    analyze = _analyze
    align = _align
else:
    analyze = _Stage(_analyze, "storyscope.analyze")
    align = _Stage(_align, "storyscope.align")


class _Package(types.ModuleType):
    """This package's module type: importing a stage subpackage keeps the stage function.

    The stage subpackages are imported on first use, and the import system then sets
    ``storyscope.analyze`` (or ``align``) to the subpackage; the stage object, which
    already shows the subpackage, stays instead.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and isinstance(self.__dict__.get(name), _Stage):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def render(story: Story, format: str = "json") -> str:  # noqa: A002 - public name fixed by the API
    """Render a story as ``json``, ``markdown`` or ``html``."""
    from storyscope.report import render as _render

    return _render(story, format)
