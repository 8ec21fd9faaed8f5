from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.analyze.quantities import find_quantities

CASES = json.loads((Path(__file__).parent / "quantity_cases.json").read_text(encoding="utf-8"))


def _num(x: float | str) -> float:
    return math.inf if x == "inf" else float(x)


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_quantity_spec_table(parse, case: dict) -> None:
    text = case["text"]
    doc, sentences, _ = parse(text)
    found = find_quantities(text, doc, sentences)
    for q in found:
        assert text[q.start : q.end] == q.text
    if "absent" in case:
        assert not [
            q for q in found if q.text.split()[-1] in case["absent"] or q.text in case["absent"]
        ], found
        return
    match = [q for q in found if q.text == case["span"]]
    assert match, f"{case['span']!r} not in {[q.text for q in found]}"
    q = match[0]
    for key in ("value", "low", "high"):
        if key in case:
            assert getattr(q, key) == pytest.approx(_num(case[key])), key
    for key in ("unit", "kind", "qualifier"):
        if key in case:
            assert getattr(q, key) == case[key], key
    assert q.sentence == 0


_ALPHABET = list('0123456789 $\u20ac%,.-abmkt\n"') + [
    "million ",
    "percent ",
    "about ",
    "between ",
    " and ",
    " to ",
    "three ",
    "people",
]


@given(st.lists(st.sampled_from(_ALPHABET), max_size=25).map("".join))
@settings(max_examples=50, deadline=None)
def test_quantity_offsets_are_exact_for_arbitrary_text(parse, text: str) -> None:
    doc, sentences, _ = parse(text)
    for q in find_quantities(text, doc, sentences):
        assert 0 <= q.start <= q.end <= len(text)
        assert text[q.start : q.end] == q.text
        assert q.low is None or q.high is None or q.low <= q.high
