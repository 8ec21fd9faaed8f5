from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.analyze._text import MAX_QUOTE_CHARS
from storyscope.analyze.quotes import find_quotes

STORY = (
    "Port director Ada Okafor inspected the damaged quay on Tuesday.\n"
    '"We will not reopen the terminal until it is safe," Okafor said. "Nobody should take risks."\n'
    'Okafor said: "The cranes are intact."\n'
    '"The storm surge was higher than forecast," said Okafor, the port director.\n'
    "Dr. Ben Tarrow, a hydrologist at Velmar University, was blunt. "
    '"This was predictable," he said.\n'
    'The ruling was called "a grave step backwards" by the union.\n'
    'Critics mocked the "smart" barrier.\n'
    '"We were told nothing," a dock worker who asked not to be named said.\n'
    '"Repairs will cost millions," according to the Harbor Authority.\n'
    "\u201cThe water rose fast,\u201d Tarrow added, \u201cand we ran.\u201d\n"
)


def _quotes(parse, text: str):
    doc, sentences, entities = parse(text)
    return find_quotes(text, doc, sentences, entities)


def test_quote_span_points_at_quoted_text_without_marks(parse) -> None:
    for q in _quotes(parse, STORY):
        assert STORY[q.start : q.end] == q.text
        assert STORY[q.start - 1] in '"\u201c' or STORY[q.start - 1] == " "
        assert not q.text.endswith(",")


def test_speakers_for_each_layout(parse) -> None:
    by_text = {q.text: q for q in _quotes(parse, STORY)}
    assert by_text["We will not reopen the terminal until it is safe"].speaker == "Ada Okafor"
    assert by_text["We will not reopen the terminal until it is safe"].cue == "said"
    # follow-on quote after the attribution keeps the same speaker
    assert by_text["Nobody should take risks."].speaker == "Ada Okafor"
    assert by_text["The cranes are intact."].speaker == "Ada Okafor"
    assert by_text["The storm surge was higher than forecast"].speaker == "Ada Okafor"
    # pronoun resolves to the last person named, canonicalised without the title
    assert by_text["This was predictable"].speaker == "Ben Tarrow"
    assert by_text["Repairs will cost millions"].speaker == "Harbor Authority"
    assert by_text["Repairs will cost millions"].cue == "according to"
    # split around the cue: two records, same speaker
    assert by_text["The water rose fast"].speaker == "Ben Tarrow"
    assert by_text["and we ran."].speaker == "Ben Tarrow"
    assert by_text["and we ran."].kind == "direct"


def test_speaker_mention_points_at_the_name(parse) -> None:
    q = next(q for q in _quotes(parse, STORY) if q.text == "The cranes are intact.")
    assert q.speaker_mention is not None
    assert STORY[q.speaker_mention.start : q.speaker_mention.end] == "Okafor"


def test_partial_quote_and_passive_agent(parse) -> None:
    q = next(q for q in _quotes(parse, STORY) if q.text == "a grave step backwards")
    assert q.kind == "partial"
    assert q.speaker == "the union"


def test_scare_quotes_are_marked_not_attributed(parse) -> None:
    (smart,) = [q for q in _quotes(parse, STORY) if q.text == "smart"]
    assert smart.kind == "scare"
    assert smart.speaker is None


def test_unnamed_source_is_anonymous(parse) -> None:
    q = next(q for q in _quotes(parse, STORY) if q.text == "We were told nothing")
    assert q.anonymous
    assert q.speaker is not None and "worker" in q.speaker


def test_unbalanced_quote_stops_at_line_end(parse) -> None:
    text = 'Okafor said: "The quay is gone and the cranes\nThe next paragraph is not quoted.'
    quotes = _quotes(parse, text)
    assert len(quotes) == 1
    assert "\n" not in quotes[0].text
    assert quotes[0].text == "The quay is gone and the cranes"


def test_runaway_quote_is_capped(parse) -> None:
    text = 'He said: "' + "word " * 600
    for q in _quotes(parse, text):
        assert q.end - q.start <= MAX_QUOTE_CHARS


@given(
    st.lists(
        st.sampled_from(
            [
                '"',
                "\u201c",
                "\u201d",
                "said",
                " he",
                " Okafor",
                ",",
                ".",
                "\n",
                " ",
                "We lost",
                "according to",
            ]
        ),
        max_size=25,
    ).map("".join)
)
@settings(max_examples=50, deadline=None)
def test_quote_offsets_are_exact_for_arbitrary_text(parse, text: str) -> None:
    for q in _quotes(parse, text):
        assert 0 <= q.start <= q.end <= len(text)
        assert text[q.start : q.end] == q.text
        for span in (q.speaker_mention, q.cue_span):
            assert span is None or 0 <= span.start <= span.end <= len(text)


# --- real-news layouts (invented text) --------------------------------------------


def _speaker_of(parse, text: str, fragment: str) -> str | None:
    quote = next(q for q in _quotes(parse, text) if fragment in q.text)
    return quote.speaker


def test_date_after_said_is_never_the_speaker(parse) -> None:
    text = (
        "Senator Lena Morvath faced calls to quit the race over her remarks.\n"
        '"I am going to stay in and I am going to win," Morvath said Monday.'
    )
    assert _speaker_of(parse, text, "going to stay in") == "Lena Morvath"


def test_told_x_object_is_the_audience(parse) -> None:
    text = (
        "Rep. Tomas Quill spoke after the vote in Harwick.\n"
        '"We had no choice but to block the bill," Quill told KRVN.'
    )
    assert _speaker_of(parse, text, "no choice") == "Tomas Quill"


def test_said_in_a_statement_takes_the_subject(parse) -> None:
    text = (
        "The Brindle County Water Board met on Friday.\n"
        'Chairwoman Ida Pelletier said in a statement: "The reservoir is safe to use."'
    )
    assert _speaker_of(parse, text, "reservoir") == "Ida Pelletier"


def test_relative_who_resolves_to_the_noun_it_modifies(parse) -> None:
    text = (
        "The bill was written by Councilman Eli Varga, who said it was "
        '"a fair deal for every family in Dunmore."'
    )
    assert _speaker_of(parse, text, "fair deal") == "Eli Varga"


def test_participle_takes_the_subject_of_its_head(parse) -> None:
    text = (
        "Mayor Rosa Teller attacked the plan on Sunday, saying, "
        '"This budget will close three of our libraries."'
    )
    assert _speaker_of(parse, text, "libraries") == "Rosa Teller"


def test_speaker_named_in_the_previous_paragraph_with_a_colon(parse) -> None:
    text = (
        "Governor Hal Brenner answered the question directly.\n\nHe said:\n\n"
        '"We will finish the bridge before winter, whatever it costs."'
    )
    assert _speaker_of(parse, text, "bridge") == "Hal Brenner"


def test_dash_attribution_after_the_quote(parse) -> None:
    text = (
        "Readers sent us their views.\n"
        '"The debate changed nothing for me." \u2015 Marta Oyelaran\n'
        '"I will vote early this year." \u2015 Piet Vandersloot\n'
    )
    quotes = {q.text: q.speaker for q in _quotes(parse, text)}
    assert quotes["The debate changed nothing for me."] == "Marta Oyelaran"
    assert quotes["I will vote early this year."] == "Piet Vandersloot"


def test_multi_paragraph_quote_attributed_at_its_end(parse) -> None:
    text = (
        "Inspector Carla Wend described the night of the fire.\n"
        "\u201cWe arrived at midnight and the roof was already gone.\n"
        "\u201cThe crews worked until dawn,\u201d Wend said.\n"
    )
    quotes = _quotes(parse, text)
    assert [q.speaker for q in quotes] == ["Carla Wend", "Carla Wend"]


def test_unattributed_partial_quote_does_not_borrow_a_plural_subject(parse) -> None:
    text = (
        "Officials in Norrow said the storm had passed.\n"
        'A later notice warned of "serious flooding risk near the river" overnight.'
    )
    for q in _quotes(parse, text):
        if q.kind == "indirect":
            continue  # "Officials in Norrow said the storm had passed" is theirs
        assert q.speaker != "Officials"


def test_pronoun_speaker_is_never_final(parse) -> None:
    text = '"We are ready," she said. "The roads are open," they added.'
    for q in _quotes(parse, text):
        assert q.speaker not in {"she", "they", "he", "who", "Monday"}


def test_surname_resolves_to_a_full_name_the_ner_mislabelled() -> None:
    from storyscope.analyze._speakers import canonical_names
    from storyscope.model import Entity

    entities = [
        Entity(start=0, end=10, text="Petra Vosk", label="ORG", sentence=0),
        Entity(start=20, end=33, text="Harbour Watch", label="ORG", sentence=0),
    ]
    names = canonical_names(entities)
    assert names["vosk"] == "Petra Vosk"
    assert "watch" not in names  # a body, not a person


def test_an_article_gives_at_most_max_quotes_each_surname_resolved_once(parse, monkeypatch) -> None:
    import storyscope.analyze.quotes as quotes_module
    from storyscope.analyze._speakers import SpeakerContext

    lookups: list[str] = []
    real = SpeakerContext._find_full_name

    def counted(self: SpeakerContext, surname: str) -> str | None:
        lookups.append(surname)
        return real(self, surname)

    monkeypatch.setattr(SpeakerContext, "_find_full_name", counted)
    monkeypatch.setattr(quotes_module, "MAX_QUOTES", 25)
    text = "Port director Ada Okafor spoke on Tuesday.\n" + "".join(
        f'"Berth {n} is open," Okafor said. Okafor said crews would inspect berth {n} next.\n'
        for n in range(1, 41)
    )
    found = _quotes(parse, text)
    assert len(found) == 25
    assert [q.start for q in found] == sorted(q.start for q in found)
    assert max(q.end for q in found) < text.index("Berth 14 ")  # the first ones: 2 a line
    assert {q.speaker for q in found if q.kind != "scare"} == {"Ada Okafor"}
    assert lookups.count("Okafor") <= 1  # the text is searched once per surname, not per quotation
