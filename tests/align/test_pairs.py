"""The learned pair scorer: packaged weights, features, and the grouping built on it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from _align_articles import make_article

from storyscope.align import _pairs, align
from storyscope.align._claims import build_table
from storyscope.align._pairs import FEATURES, feature_tensor, load_pair_model, pair_probability
from storyscope.errors import ConfigError


def test_packaged_model_matches_the_features_and_records_its_validation() -> None:
    model = load_pair_model()
    assert model.features == FEATURES
    assert model.weights.shape == (len(FEATURES),)
    cv = model.meta["cv"]
    assert isinstance(cv, dict) and 0.5 < float(cv["pair_auc"]) <= 1.0


def test_a_model_for_other_features_is_a_clear_config_error(tmp_path, monkeypatch) -> None:
    raw = json.loads((_pairs.resources.files("storyscope.data") / "pair_scorer.json").read_text())
    raw["features"] = raw["features"][:-1]
    bad = tmp_path / "pair_scorer.json"
    bad.write_text(json.dumps(raw))

    class _Files:
        def joinpath(self, name: str):  # noqa: ANN202
            return bad

    monkeypatch.setattr(_pairs.resources, "files", lambda _pkg: _Files())
    load_pair_model.cache_clear()
    try:
        with pytest.raises(ConfigError, match="eval/train_pair_scorer.py"):
            load_pair_model("other.json")
    finally:
        load_pair_model.cache_clear()


def test_probabilities_are_symmetric_and_zero_within_an_article() -> None:
    a = make_article(
        "Harbor Courier",
        ["The Tarn Street bridge reopened on Monday.", "Repairs cost the city $3 million."],
    )
    b = make_article(
        "Daily Lantern",
        ["Traffic crossed the Tarn Street bridge again on Monday.", "Gulls nest under it."],
    )
    table = build_table([a, b])
    p = pair_probability(table)
    assert np.allclose(p, p.T)
    assert p[0, 1] == 0.0 and p[2, 3] == 0.0
    assert feature_tensor(table).shape == (4, 4, len(FEATURES))


def test_one_fact_in_three_wordings_is_one_three_outlet_fact_not_fragments() -> None:
    # Real pattern: the main event, told by every outlet in its own words and
    # among other sentences, came out as two-outlet fragments.
    filler = [
        "Gulls circled the harbour all afternoon.",
        "A ferry timetable was posted at the quay.",
        "The weather stayed mild for the season.",
    ]
    a = make_article(
        "Harbor Courier",
        ["Velmora's mayor Ines Tal resigned on Friday after the audit of the harbour fund.", *filler],
    )
    b = make_article(
        "Daily Lantern",
        [*filler[:1], "Mayor Ines Tal of Velmora quit on Friday, days after the harbour fund audit."],
    )
    c = make_article(
        "Bay Chronicle",
        ["Ines Tal stepped down as Velmora mayor on Friday following an audit of the harbour fund."],
    )
    story = align([a, b, c])
    tal = [f for f in story.facts if "Tal" in f.statement]
    assert len(tal) == 1, [(f.outlets, f.statement) for f in tal]
    assert set(tal[0].outlets) == {"Harbor Courier", "Daily Lantern", "Bay Chronicle"}
