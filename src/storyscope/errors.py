"""Exception tree for storyscope.

::

    StoryscopeError
     ├── IngestError        a source could not be read or holds no article
     ├── AnalysisError      the NLP stage failed (model missing, bad input)
     │    └── AnalysisTimeoutError   one article's analysis ran past its time budget
     ├── AlignmentError     articles could not be aligned
     ├── ReportError        a report could not be rendered or failed validation
     ├── StoreError         the article store could not be opened, migrated, read or written
     └── ConfigError        bad settings or lexicon files

Third-party failures are wrapped once, at the boundary (``raise IngestError(...)
from exc``), so callers never catch lxml, json or onnxruntime errors.
"""

from __future__ import annotations

__all__ = [
    "AlignmentError",
    "AnalysisError",
    "AnalysisTimeoutError",
    "ConfigError",
    "IngestError",
    "ReportError",
    "StoryscopeError",
    "displayable",
]


def displayable(path: str) -> str:
    """``path`` as printable UTF-8 text: undecodable bytes in a file name become ``\\xNN``.

    File names that are not valid UTF-8 reach Python as lone surrogates, which
    cannot be printed or written to a report; this escapes them visibly.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = path.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # surrogates that are not escaped bytes
            return path.encode("utf-8", "backslashreplace").decode("utf-8")
        return raw.decode("utf-8", "backslashreplace")
    return path


class StoryscopeError(Exception):
    """Base class of every error storyscope raises on purpose."""


class IngestError(StoryscopeError):
    """A source could not be read: missing, empty, binary, undecodable or malformed.

    The message names the source, so it can be shown to a user as one line.
    """

    def __init__(self, source: str, problem: str) -> None:
        source = displayable(source)
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class AnalysisError(StoryscopeError):
    """The analyze stage failed."""


class AnalysisTimeoutError(AnalysisError):
    """One article's analysis ran past its time budget
    (:data:`storyscope.analyze.pipeline.MAX_ANALYSIS_SECONDS`).

    The batch it was in can go on without it: ``article_id`` and ``source`` name it.
    """

    def __init__(self, article_id: str, source: str, seconds: float) -> None:
        self.article_id = article_id
        self.source = displayable(source)
        self.seconds = seconds
        super().__init__(
            f"{self.source}: took over {seconds:g} s to analyse (the per-article time budget)"
        )


class AlignmentError(StoryscopeError):
    """Articles could not be aligned into a story."""


class ReportError(StoryscopeError):
    """A report could not be rendered or does not validate against the schema."""


class StoreError(StoryscopeError):
    """The article store failed: not a database, unreachable server, newer schema, bad data.

    The message names the database (file path or URL without password) and the problem,
    on one line.
    """


class ConfigError(StoryscopeError):
    """Invalid settings, or a lexicon/config file with errors (message names file and line)."""
