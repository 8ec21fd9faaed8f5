from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storyscope.analyze as analyze_pkg
from storyscope.analyze import Pipeline
from storyscope.model import Article
from storyscope.testing import FakeEmbedder

LEDGER = (
    "PORT ASTER, Velmar \u2014 The container terminal at Port Aster will stay closed for at least "
    "three days after a storm surge flooded the quay on Tuesday, port director Ada Okafor said.\n\n"
    '"We will not reopen the terminal until it is safe," Okafor said. "Nobody should take risks."'
    "\n\nMore than 40 workers were evacuated and some $40 million in cargo was damaged, according "
    "to the Harbor Authority. Insurers reportedly expect losses of between $60m and $80m.\n"
)
COURIER = (
    "Storm closes Port Aster\n"
    "About 50 dock workers fled the quay on Tuesday night, a senior official who asked not to be "
    "named said. The terminal may reopen next Monday.\n"
)


@pytest.fixture(scope="module")
def pipeline(nlp) -> Pipeline:
    return Pipeline(nlp=nlp, embedder=FakeEmbedder(dim=16))


def _article(text: str, outlet: str) -> Article:
    return Article.create(
        text=text, source=f"{outlet}.txt", outlet=outlet, published=dt.datetime(2026, 3, 12, 8, 0)
    )


def _assert_offsets(result) -> None:
    text = result.article.text
    for field in ("sentences", "entities", "quantities", "times", "quotes", "cues", "claims"):
        for rec in getattr(result, field):
            assert 0 <= rec.start <= rec.end <= len(text), (field, rec)
            assert text[rec.start : rec.end] == rec.text, (field, rec)
            if field != "sentences":
                assert -1 <= rec.sentence < max(len(result.sentences), 1)


def test_analyze_many_slices_one_embedding_matrix_per_article(pipeline: Pipeline) -> None:
    a, b = _article(LEDGER, "ledger"), _article(COURIER, "courier")
    ra, rb = pipeline.analyze_many([a, b])
    assert ra.article is a and rb.article is b
    assert ra.embeddings.shape == (len(ra.sentences), 16)
    assert rb.embeddings.shape == (len(rb.sentences), 16)
    expected = FakeEmbedder(dim=16).embed([s.text for s in rb.sentences])
    assert np.allclose(rb.embeddings, expected)
    for r in (ra, rb):
        _assert_offsets(r)


def test_pipeline_fills_every_layer(pipeline: Pipeline) -> None:
    r = pipeline.analyze(_article(LEDGER, "ledger"))
    assert any(e.text == "Ada Okafor" and e.label == "PERSON" for e in r.entities)
    assert {q.text for q in r.quantities} >= {
        "More than 40",
        "some $40 million",
        "between $60m and $80m",
    }
    assert any(t.text == "Tuesday" and t.value == "2026-03-10" for t in r.times)
    assert [q.speaker for q in r.quotes] == ["Ada Okafor", "Ada Okafor"]
    assert any(c.kind == "hedge" and c.text == "reportedly" for c in r.cues)
    assert all(c.article == r.id for c in r.claims)
    assert {c.sentence for c in r.claims} == {s.index for s in r.sentences}


def test_empty_input_and_empty_article(pipeline: Pipeline) -> None:
    assert pipeline.analyze_many([]) == []
    r = pipeline.analyze(_article("", "blank"))
    assert r.sentences == () and r.embeddings.shape == (0, 16)


def test_public_api_matches_all() -> None:
    assert sorted(analyze_pkg.__all__) == sorted(
        ["Analyzer", "Draft", "Embedder", "MiniLMEmbedder", "Pipeline", "analyze", "get_embedder"]
    )
    for name in analyze_pkg.__all__:
        assert hasattr(analyze_pkg, name)


def test_the_stage_function_is_also_the_subpackage() -> None:
    """`import storyscope.analyze as x` binds storyscope.analyze: it calls the stage and
    shows the subpackage (issue 15: it used to be the bare function, without Pipeline)."""
    import pickle
    import sys

    import storyscope
    import storyscope.align as align_pkg
    from storyscope import align, analyze

    subpackage = sys.modules["storyscope.analyze"]
    assert analyze_pkg is storyscope.analyze is analyze
    assert analyze_pkg.Pipeline is subpackage.Pipeline is Pipeline
    assert analyze_pkg.pipeline is sys.modules["storyscope.analyze.pipeline"]
    assert analyze_pkg.__all__ == subpackage.__all__
    assert align_pkg.align is sys.modules["storyscope.align"].align
    assert callable(align) and align.__name__ == "align"
    assert analyze([]) == [] and analyze.__name__ == "analyze" and analyze.__doc__
    assert pickle.loads(pickle.dumps(analyze)) is analyze
    with pytest.raises(AttributeError):
        _ = analyze_pkg.no_such_name


_PIECES = [
    '"',
    "\u201c",
    "\u201d",
    "\n",
    "\n\n",
    " ",
    ".",
    ",",
    ";",
    "said",
    "Okafor",
    "$40m",
    "12%",
    "Tuesday",
    "three days",
    "reportedly",
    "and",
    "not",
    "according to",
    "Ada",
    "The port",
    "closed",
]


@given(
    st.one_of(st.text(max_size=150), st.lists(st.sampled_from(_PIECES), max_size=30).map(" ".join))
)
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_record_points_into_the_text_for_arbitrary_input(
    pipeline: Pipeline, text: str
) -> None:
    _assert_offsets(pipeline.analyze(_article(text, "fuzz")))


@pytest.mark.slow
def test_default_analyze_uses_real_embeddings() -> None:
    (r,) = analyze_pkg.analyze([_article(COURIER, "courier")])
    assert r.embeddings.shape == (len(r.sentences), 384)
    assert np.allclose(np.linalg.norm(r.embeddings, axis=1), 1.0, atol=1e-4)


# Budgets: text without sentence breaks costs a bounded amount (issue 19).


def _breakless(n: int) -> str:
    phrase = "the council said harbour workers would strike over pay and the mayor "
    return (phrase * (n // len(phrase) + 1))[:n]


@pytest.mark.slow
def test_a_200000_character_article_without_breaks_is_analysed_within_bounds(
    pipeline: Pipeline,
) -> None:
    import time

    from storyscope.analyze.claims import MAX_CLAIMS
    from storyscope.analyze.pipeline import MAX_ANALYSED_CHARS, analysed_end
    from storyscope.analyze.sentences import MAX_SENTENCE_CHARS

    text = _breakless(200_000)
    t = time.perf_counter()
    r = pipeline.analyze(_article(text, "blob"))
    elapsed = time.perf_counter() - t
    assert elapsed < 30, elapsed
    end = analysed_end(text)
    assert MAX_ANALYSED_CHARS // 2 < end <= MAX_ANALYSED_CHARS
    assert r.sentences and r.sentences[-1].end <= end
    assert max(s.end - s.start for s in r.sentences) <= MAX_SENTENCE_CHARS
    assert len(r.sentences) <= end // 5  # pieces, not words
    assert 0 < len(r.claims) <= MAX_CLAIMS
    assert r.embeddings.shape == (len(r.sentences), 16)
    _assert_offsets(r)


class _CountingEmbedder(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__(dim=16)
        self.texts = 0

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.texts += len(texts)
        return super().embed(texts)


def test_sentences_after_the_claim_cap_are_not_embedded(nlp) -> None:
    from storyscope.analyze.claims import MAX_CLAIMS

    embedder = _CountingEmbedder()
    text = " ".join(f"Prices rose {k}%; wages fell." for k in range(MAX_CLAIMS))
    r = Pipeline(nlp=nlp, embedder=embedder).analyze(_article(text, "long"))
    assert len(r.claims) == MAX_CLAIMS and len(r.sentences) == MAX_CLAIMS
    embedded = r.claims[-1].sentence + 1
    assert embedder.texts == embedded < len(r.sentences)
    assert r.embeddings.shape == (len(r.sentences), 16)
    mean = r.embeddings[:embedded].mean(axis=0)
    assert np.allclose(r.embeddings[embedded:], mean / np.linalg.norm(mean), atol=1e-6)


def test_compare_warns_and_compares_only_the_analysed_part(pipeline: Pipeline) -> None:
    from storyscope.analyze.pipeline import MAX_ANALYSED_CHARS, analysed_end
    from storyscope.api import compare_articles

    text = _breakless(MAX_ANALYSED_CHARS + 20_000)
    long, short = _article(text, "blob"), _article(LEDGER, "ledger")
    calls: list[tuple[int, int]] = []
    story = compare_articles(
        [long, short], pipeline=pipeline, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(0, 2), (2, 2)]
    (line,) = [w for w in story.warnings if "blob.txt" in w and "characters" in w]
    assert f"only its first {analysed_end(text):,} of {len(text):,} characters" in line
    compared = next(d for d in story.articles if d.article.outlet == "blob")
    assert compared.id == long.id and compared.text == text[: analysed_end(text)]
    for fact in story.facts:
        for c in fact.support:
            doc = next(d for d in story.articles if d.id == c.article)
            assert doc.text[c.start : c.end] == c.text


def test_compare_refuses_more_than_max_articles(tmp_path) -> None:
    from storyscope.api import compare
    from storyscope.errors import StoryscopeError

    for k in range(3):
        (tmp_path / f"a{k}.txt").write_text(f"Article number {k} is here.\n", encoding="utf-8")
    with pytest.raises(
        StoryscopeError, match=r"^3 articles: compare takes at most 2 .*storyscope ingest"
    ):
        compare([tmp_path], max_articles=2)


def test_an_analysis_reaching_past_the_budget_is_compared_whole() -> None:
    from storyscope.analyze.pipeline import MAX_ANALYSED_CHARS
    from storyscope.api import _analysed_part, _budget_warnings
    from storyscope.model import AnalyzedArticle, Sentence

    text = _breakless(MAX_ANALYSED_CHARS + 1_000)
    n = len(text.rstrip())
    last = Sentence(index=0, start=n - 5, end=n, text=text[n - 5 : n])
    doc = AnalyzedArticle(article=_article(text, "blob"), sentences=(last,))
    assert _analysed_part(doc) is doc
    assert not any("only its first" in w for w in _budget_warnings([doc]))
