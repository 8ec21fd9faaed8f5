"""Invented articles for the store tests (outlets, people and places are made up).

The same ones the store contract (:class:`storyscope.testing.StoreContract`) stores.
"""

from __future__ import annotations

from storyscope.testing import BRIDGE, HARBOUR, HARBOUR_WIRE, SAMPLE_ARTICLES, UNDATED
from storyscope.testing import synthetic_articles as synthetic

ALL = SAMPLE_ARTICLES

__all__ = ["ALL", "BRIDGE", "HARBOUR", "HARBOUR_WIRE", "UNDATED", "synthetic"]
