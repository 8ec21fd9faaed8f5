"""Exception tree for storyscope.

::

    StoryscopeError
     ├── IngestError        a source could not be read or holds no article
     ├── AnalysisError      the NLP stage failed (model missing, bad input)
     ├── AlignmentError     articles could not be aligned
     ├── ReportError        a report could not be rendered or failed validation
     └── ConfigError        bad settings or lexicon files

Third-party failures are wrapped once, at the boundary (``raise IngestError(...)
from exc``), so callers never catch lxml, json or onnxruntime errors.
"""

from __future__ import annotations

__all__ = [
    "AlignmentError",
    "AnalysisError",
    "ConfigError",
    "IngestError",
    "ReportError",
    "StoryscopeError",
]


class StoryscopeError(Exception):
    """Base class of every error storyscope raises on purpose."""


class IngestError(StoryscopeError):
    """A source could not be read: missing, empty, binary, undecodable or malformed.

    The message names the source, so it can be shown to a user as one line.
    """

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class AnalysisError(StoryscopeError):
    """The analyze stage failed."""


class AlignmentError(StoryscopeError):
    """Articles could not be aligned into a story."""


class ReportError(StoryscopeError):
    """A report could not be rendered or does not validate against the schema."""


class ConfigError(StoryscopeError):
    """Invalid settings, or a lexicon/config file with errors (message names file and line)."""
