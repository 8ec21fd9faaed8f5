"""Cluster: a stream of articles -> near-duplicate links and stories.

:class:`DuplicateIndex` links syndicated copies (MinHash/LSH over word
shingles) to the article they copy; :class:`StoryClusterer` groups articles
into stories incrementally from one embedding per article (:func:`embed_leads`),
keywords and publication dates. Both keep their state in plain numpy arrays and
lists, so a store can persist it or rebuild it from stored records.
"""

from __future__ import annotations

from storyscope.cluster.duplicates import DuplicateIndex, MinHasher, Signature
from storyscope.cluster.stories import Assignment, StoryClusterer, StoryInfo, embed_leads

__all__ = [
    "Assignment",
    "DuplicateIndex",
    "MinHasher",
    "Signature",
    "StoryClusterer",
    "StoryInfo",
    "embed_leads",
]
