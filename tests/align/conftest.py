"""Fixtures for align tests; builders live in ``_align_articles``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
