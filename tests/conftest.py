"""Settings shared by every test."""

from __future__ import annotations

import os

# Installed plugins (the ``storyscope`` entry-point group) add analyzers to every pipeline:
# one installed in the venv later must not change what the tests see. tests/test_plugins.py
# clears this to load the plugins it installs.
os.environ.setdefault("STORYSCOPE_NO_PLUGINS", "1")
