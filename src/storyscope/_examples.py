"""The example story shipped inside the package: ``storyscope/examples/port-aster``.

Five invented outlets' articles about one invented event, with their reader's guide
(``examples/README.md``) and the list of planted traps (``examples/port-aster.TRAPS.md``).
In a checkout, the top-level ``examples`` folder is a link to the same files.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["EXAMPLE_NAME", "example_dir", "example_guide"]

EXAMPLE_NAME = "port-aster"


def _examples_root() -> Path:
    # Installed as plain files (wheel or editable), so the traversable is a real folder.
    return Path(str(resources.files("storyscope") / "examples"))


def example_dir() -> Path:
    """The folder of the example story's articles (``compare --example``, bare ``serve``)."""
    return _examples_root() / EXAMPLE_NAME


def example_guide() -> Path:
    """The example's reader's guide (what the story is, what the report should show)."""
    return _examples_root() / "README.md"
