from __future__ import annotations

import numpy as np
import pytest

from storyscope.analyze.embeddings import Embedder, MiniLMEmbedder, get_embedder
from storyscope.testing import FakeEmbedder


def test_fake_embedder_rows_are_unit_vectors_and_deterministic() -> None:
    emb = FakeEmbedder(dim=32)
    vecs = emb.embed(["The quay flooded on Tuesday.", "the quay FLOODED", ""])
    assert vecs.shape == (3, 32) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0)
    assert np.array_equal(
        vecs, FakeEmbedder(dim=32).embed(["The quay flooded on Tuesday.", "the quay FLOODED", ""])
    )
    assert float(vecs[0] @ vecs[1]) > 0.5
    assert isinstance(emb, Embedder)


@pytest.mark.slow
def test_minilm_scores_paraphrases_above_unrelated_sentences() -> None:
    emb = get_embedder()
    assert isinstance(emb, MiniLMEmbedder) and emb.dim == 384
    vecs = emb.embed(
        [
            "The ferry capsized near the harbour on Tuesday.",
            "A boat overturned close to the port on Tuesday.",
            "Inflation in the eurozone eased slightly last month.",
            "",
        ]
    )
    assert vecs.shape == (4, 384) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert float(vecs[0] @ vecs[1]) > float(vecs[0] @ vecs[2]) + 0.2


@pytest.mark.slow
def test_minilm_output_does_not_depend_on_batch_order() -> None:
    emb = get_embedder()
    texts = [f"Sentence {i} about the port of Aster and its {i * 3} cranes." for i in range(40)]
    texts[5] = "A much longer sentence " * 20
    together = emb.embed(texts)
    alone = emb.embed([texts[7]])
    assert np.allclose(together[7], alone[0], atol=1e-4)
    assert emb.embed([]).shape == (0, 384)
