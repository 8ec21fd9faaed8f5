"""Loaded-language scorer: contextual candidates, features read off the text, the kept hits."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from _align_articles import make_article

from storyscope.align.loaded_language import (
    FEATURES,
    LoadedScorer,
    candidates,
    find_loaded_language,
    load_loaded_lexicon,
    load_loaded_scorer,
    match_terms,
    parse_loaded_lexicon,
    parse_loaded_scorer,
    term_features,
)
from storyscope.errors import ConfigError

LEXICON = parse_loaded_lexicon(
    """
[emotive]
terms = ["furious", "slam*"]
contextual = ["threaten*"]

[intensifier]
terms = ["utterly"]
contextual = ["loudly"]
""",
    "test.toml",
)


def _scorer(**weights: float) -> LoadedScorer:
    """A hand-set scorer: weight per named feature, threshold 0.5, bias 0."""
    n = len(FEATURES)
    return LoadedScorer(
        source="test",
        mean=(0.0,) * n,
        scale=(1.0,) * n,
        weights=tuple(weights.get(name, 0.0) for name in FEATURES),
        threshold=0.5,
        priors={},
    )


def _row(text: str, term: str, sentences: list[tuple[int, int]] | None = None) -> dict[str, float]:
    hits, contextual = candidates(text, LEXICON)
    rows = term_features(text, sentences or [(0, len(text))], hits, {"furious": 1.5}, contextual)
    k = next(i for i, (s, e, _) in enumerate(hits) if text[s:e] == term)
    return dict(zip(FEATURES, rows[k], strict=True))


def test_contextual_terms_are_candidates_only() -> None:
    text = "The mayor threatened to slam the port board, loudly."
    assert [text[s:e] for s, e, _ in match_terms(text, LEXICON)] == ["slam"]
    hits, contextual = candidates(text, LEXICON)
    assert [(text[s:e], c) for s, e, c in hits] == [
        ("threatened", "emotive"),
        ("slam", "emotive"),
        ("loudly", "intensifier"),
    ]
    assert contextual == [True, False, True]
    assert candidates(text, LEXICON, scored=False)[0] == match_terms(text, LEXICON)


def test_packaged_contextual_terms_stay_out_of_the_plain_lexicon() -> None:
    lex = load_loaded_lexicon()
    assert lex.contextual is not None and lex.contextual.size > lex.size
    text = "The senator threatened to quit and vowed a recount."
    assert match_terms(text, lex) == []
    assert {text[s:e] for s, e, _ in candidates(text, lex)[0]} == {"threatened", "vowed"}


def test_features_are_read_off_the_text() -> None:
    text = 'Officials were furious. "We are utterly furious," the mayor said. Very furious crowds.'
    sentences = [(0, 23), (24, 66), (67, len(text))]
    first = _row(text, "furious", sentences)
    assert first["bias"] == 1.0 and first["emotive"] == 1.0 and first["intensifier"] == 0.0
    assert first["quoted"] == 0.0 and first["attributed"] == 0.0 and first["lead"] == 1.0
    assert first["repeat"] > 0  # three uses of one word in the article
    assert first["prior"] == 1.5 and first["position"] == 0.0
    utterly = _row(text, "utterly", sentences)
    assert utterly["quoted"] == 1.0 and utterly["attributed"] == 1.0
    assert utterly["intensifier"] == 1.0 and utterly["prior"] == 0.0
    threatened = _row("They threatened to leave.", "threatened")
    assert threatened["contextual"] == 1.0


def test_intensified_and_capitalised_terms() -> None:
    assert _row("The crowd was so furious.", "furious")["intensified"] == 1.0
    assert _row("The crowd was furious.", "furious")["intensified"] == 0.0
    assert _row("A film called Furious opened.", "Furious")["capitalised"] == 1.0
    assert _row("Furious crowds gathered.", "Furious")["capitalised"] == 0.0  # sentence start


def test_the_scorer_keeps_only_hits_at_or_above_its_threshold() -> None:
    doc = make_article(
        "Harbor Courier",
        ["The board was furious.", '"We are furious," the mayor said.'],
        embed=False,
    )
    everything = find_loaded_language(doc, LEXICON)
    assert [t.citation.text for t in everything] == ["furious", "furious"]
    own_voice = find_loaded_language(doc, LEXICON, scorer=_scorer(attributed=-5.0, bias=1.0))
    assert [(t.citation.start, t.citation.text) for t in own_voice] == [
        (everything[0].citation.start, "furious")
    ]
    assert find_loaded_language(doc, LEXICON, scorer=_scorer(bias=-5.0)) == ()


def test_contextual_hits_are_reported_with_their_category_when_kept() -> None:
    doc = make_article("Harbor Courier", ["The union threatened a strike."], embed=False)
    assert find_loaded_language(doc, LEXICON) == ()  # no scorer: the plain terms only
    (hit,) = find_loaded_language(doc, LEXICON, scorer=_scorer(contextual=5.0))
    assert (hit.citation.text, hit.category) == ("threatened", "emotive")


def test_packaged_scorer_keeps_a_subset_of_the_candidates() -> None:
    scorer = load_loaded_scorer()
    assert 0.0 < scorer.threshold < 1.0 and scorer.priors
    doc = make_article(
        "Harbor Courier",
        [
            "The furious mayor slammed the radical plan and threatened the board.",
            "Critics said the controversial plan was sweeping.",
        ],
        embed=False,
    )
    lex = load_loaded_lexicon()
    spans = {(s, e) for s, e, _ in candidates(doc.text, lex)[0]}
    scored = find_loaded_language(doc)
    assert {(t.citation.start, t.citation.end) for t in scored} <= spans
    assert len(find_loaded_language(doc, lex)) == len(match_terms(doc.text, lex))


def test_packaged_scorer_file_matches_the_features() -> None:
    path = Path(load_loaded_scorer().source)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES)
    assert data["cv"]["scored"]["f1"] >= data["cv"]["lexicon"]["f1"]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"features": ["bias"]}, "'features' must be"),
        ({"weights": [0.0]}, "'weights' must be a list"),
        ({"scale": [0.0] * len(FEATURES)}, "'scale' must be positive"),
        ({"threshold": 2}, "'threshold' must be"),
        ({"priors": {"x": "high"}}, "'priors' must map"),
    ],
)
def test_scorer_file_errors_name_the_file(change: dict[str, object], fragment: str) -> None:
    n = len(FEATURES)
    data: dict[str, object] = {
        "features": list(FEATURES),
        "mean": [0.0] * n,
        "scale": [1.0] * n,
        "weights": [0.0] * n,
        "threshold": 0.5,
        "priors": {},
    }
    data.update(change)
    with pytest.raises(ConfigError, match=r"^my-scorer\.json: ") as info:
        parse_loaded_scorer(json.dumps(data), "my-scorer.json")
    assert fragment in str(info.value)
    with pytest.raises(ConfigError, match="invalid JSON"):
        parse_loaded_scorer("{", "my-scorer.json")


def test_missing_scorer_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_loaded_scorer(tmp_path / "missing.json")


def test_contextual_lexicon_errors_name_the_line() -> None:
    with pytest.raises(ConfigError, match=r"^t\.toml: line 3: bad term"):
        parse_loaded_lexicon('[emotive]\nterms = ["ok"]\ncontextual = ["x|y"]\n', "t.toml")
    with pytest.raises(ConfigError, match="expected 'terms' and 'contextual'"):
        parse_loaded_lexicon('[emotive]\nterms = ["ok"]\nwords = ["x"]\n', "t.toml")
    assert dataclasses.replace(LEXICON).contextual is LEXICON.contextual
