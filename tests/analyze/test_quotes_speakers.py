"""Speaker attribution, second pass (issue #3): clause subjects, documents, bodies,
"it"/"they", dash bylines, colon intros and pronouns that continue a quotation.

All text is invented: invented outlets, people and places.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyscope.analyze.quotes import find_quotes
from storyscope.model import Quote

Parse = Callable[[str], tuple[Any, list[Any], list[Any]]]


def _quotes(parse: Parse, text: str) -> list[Quote]:
    doc, sentences, entities = parse(text)
    return [q for q in find_quotes(text, doc, sentences, entities) if q.kind != "indirect"]


def _speaker_of(parse: Parse, text: str, words: str) -> str | None:
    for q in _quotes(parse, text):
        if words in q.text:
            return q.speaker
    raise AssertionError(f"no quote holding {words!r}")


def test_partial_quote_takes_the_subject_of_its_clause(parse: Parse) -> None:
    text = (
        "Mayor Lena Varga criticized the harbour plan as a \u201creckless gamble with "
        "public money\u201d during a council meeting in Ostrava Falls on Tuesday.\n"
    )
    assert _speaker_of(parse, text, "reckless gamble") == "Lena Varga"


def test_quote_inside_a_told_clause_after_a_quoted_title(parse: Parse) -> None:
    text = (
        "Dock workers union leader Pavel Orr spoke to reporters on Friday.\n"
        "Orr tells the \u201cMorning Tide\u201d show on Friday that "
        "\u201cnobody will unload a single ship\u201d until the talks resume.\n"
    )
    assert _speaker_of(parse, text, "nobody will unload") == "Pavel Orr"


def test_a_letter_that_reads_is_the_source(parse: Parse) -> None:
    text = (
        "A group of ferry captains sent a letter to the Kessel port board last week.\n"
        "\u201cWe have waited three winters for the new pier and we cannot wait another,\u201d "
        "the letter reads.\n"
    )
    quote = next(q for q in _quotes(parse, text) if "three winters" in q.text)
    assert quote.speaker is not None and "letter" in quote.speaker.lower()
    assert quote.cue == "reads"


def test_reported_by_a_news_outlet(parse: Parse) -> None:
    text = (
        "The new poll shows the harbour tax losing support in Velmar.\n"
        "This is \u201cthe lowest level of support since the vote,\u201d reported the "
        "Velmar Courier.\n"
    )
    speaker = _speaker_of(parse, text, "lowest level")
    assert speaker is not None and "Courier" in speaker


def test_it_added_points_back_to_the_document(parse: Parse) -> None:
    text = (
        "The report was published by the Orlan Institute on Monday.\n"
        "\u201cThe channel must be dredged before the spring,\u201d the report said.\n"
        "\u201cWithout it, larger ships will go elsewhere,\u201d it added.\n"
    )
    first = _speaker_of(parse, text, "dredged")
    second = _speaker_of(parse, text, "larger ships")
    assert first is not None and "report" in first.lower()
    assert second is not None and second != "it"


def test_they_said_points_back_to_a_plural_subject(parse: Parse) -> None:
    text = (
        "Local fishermen protested outside the harbour office in Brenna on Monday.\n"
        "\u201cWe cannot wait for another season of promises,\u201d they said.\n"
    )
    speaker = _speaker_of(parse, text, "another season")
    assert speaker is not None and "fishermen" in speaker


def test_dash_byline_with_a_name_the_model_may_miss(parse: Parse) -> None:
    text = (
        "Readers sent us their views on the bridge.\n"
        "\u201cThe bridge changed my whole life. I can see my mother every week now.\u201d "
        "\u2015 Marisol N Quent\n"
        "\u201cIt took too long and cost too much, but it works.\u201d \u2015 Tobiah Renk\n"
    )
    assert _speaker_of(parse, text, "changed my whole life") == "Marisol N Quent"
    assert _speaker_of(parse, text, "cost too much") == "Tobiah Renk"


def test_colon_intro_without_a_speech_verb(parse: Parse) -> None:
    text = (
        "On March 3, Senator Ada Moll made the following comment:\n"
        "\u201cThe port of Kessel is older than this country and it deserves better.\u201d\n"
    )
    assert _speaker_of(parse, text, "older than this country") == "Ada Moll"


def test_he_continues_the_previous_quotation_of_the_paragraph(parse: Parse) -> None:
    text = (
        "Police said Ivo Strand, 43, was arrested after he fled the scene in Varna Bay.\n"
        "Governor Tomas Rudd, who has campaigned for the new port, called the attack "
        "\u201ca disgrace\u201d on Wednesday.\n"
        "\u201cIt is a disgrace and the people of this city deserve better,\u201d he said.\n"
    )
    assert _speaker_of(parse, text, "people of this city") == "Tomas Rudd"


def test_pronoun_of_the_other_gender_skips_the_previous_speaker(parse: Parse) -> None:
    text = (
        "\u201cThe docks will reopen on Friday,\u201d Mr. Jonas Brandt said.\n"
        "Ms. Clara Jensen, the harbour master, disagreed.\n"
        "\u201cNot before the cranes are inspected,\u201d she said.\n"
    )
    assert _speaker_of(parse, text, "cranes are inspected") == "Clara Jensen"


def test_plain_quotes_keep_their_own_speakers(parse: Parse) -> None:
    text = (
        "\u201cWe will reopen the docks,\u201d Ilse Varn said.\n"
        "\u201cWe will not,\u201d Jonas Brandt replied on Thursday.\n"
    )
    assert _speaker_of(parse, text, "reopen the docks") == "Ilse Varn"
    assert _speaker_of(parse, text, "We will not") == "Jonas Brandt"


_WORDS = st.sampled_from(
    [
        "Varn",
        "said",
        "the",
        "letter",
        "reads",
        "it",
        "added",
        "they",
        "\u2015",
        "\u201c",
        "\u201d",
        '"',
        ":",
        ",",
        ".",
        "\n",
        "Ada Moll",
        "called",
        "as",
        "a",
        "criticized",
        "told",
    ]
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_WORDS, max_size=40))
def test_offsets_hold_for_arbitrary_input(parse: Parse, words: list[str]) -> None:
    text = " ".join(words)
    doc, sentences, entities = parse(text)
    for q in find_quotes(text, doc, sentences, entities):
        assert text[q.start : q.end] == q.text
        if q.speaker_mention is not None:
            assert 0 <= q.speaker_mention.start <= q.speaker_mention.end <= len(text)


@pytest.mark.parametrize(
    ("intro", "role"),
    [
        ("Velmar Gov. Ilse Brandt", "the governor"),
        ("Rep. Ilse Brandt", "the congresswoman"),
    ],
)
def test_an_abbreviated_title_resolves_the_role_later(parse: Parse, intro: str, role: str) -> None:
    text = (
        f"{intro} visited the flooded quay on Monday.\n\n"
        f"\u201cWe will rebuild every pier before the winter,\u201d {role} said.\n"
    )
    assert _speaker_of(parse, text, "rebuild every pier") == "Ilse Brandt"


def test_the_president_is_not_the_vice_president(parse: Parse) -> None:
    text = (
        "Vice President Ilse Brandt met dock workers on Monday.\n\n"
        "\u201cWe will rebuild every pier before the winter,\u201d the president said.\n"
    )
    assert _speaker_of(parse, text, "rebuild every pier") != "Ilse Brandt"


def test_a_shared_surname_is_the_namesake_named_last(parse: Parse) -> None:
    """Father and son share a surname: "Brandt said" is the Brandt whose full name came last."""
    text = (
        "Mayor Ilse Brandt backed the harbour levy on Monday.\n\n"
        "Her son, Tomas Brandt, 24, signed a petition against it.\n\n"
        "\u201cI grew up on the quay and I want it to stay open,\u201d Brandt said.\n\n"
        "\u201cHe has his own views,\u201d Ilse Brandt said later. "
        "\u201cWe argue at dinner,\u201d Brandt added.\n"
    )
    assert _speaker_of(parse, text, "grew up on the quay") == "Tomas Brandt"
    assert _speaker_of(parse, text, "argue at dinner") == "Ilse Brandt"


def test_a_dateline_is_never_the_speaker(parse: Parse) -> None:
    text = (
        "VELMORA, Ostland \u2014 Mayor Ilse Brandt opened the rebuilt quay on Tuesday, "
        "promising that \u201cevery pier will be open by the winter.\u201d\n"
    )
    assert _speaker_of(parse, text, "every pier") == "Ilse Brandt"


def test_the_one_who_said_it_speaks_not_the_relay_after_according_to(parse: Parse) -> None:
    text = (
        "\u201cI am not in this race to be liked,\u201d Governor Ilse Varga said in 2019, "
        "according to the Harbor Courier.\n"
        "\u201cWe have already lost,\u201d lamented Senator Piet Olsen, according to people "
        "familiar with the remarks.\n"
        "\u201cThe port stays shut,\u201d according to the Harbor Courier.\n"
    )
    assert _speaker_of(parse, text, "to be liked") == "Ilse Varga"
    assert _speaker_of(parse, text, "already lost") == "Piet Olsen"
    assert _speaker_of(parse, text, "port stays shut") == "Harbor Courier"


def test_she_skips_a_man_named_by_a_family_word(parse: Parse) -> None:
    text = (
        "\u201cHis death could have been prevented,\u201d one of the mothers, Ilse Varga, said "
        "after the hearing.\n"
        "Her son Tomas Brandt, 23, was killed in a crash on the coast road in 2019.\n"
        "\u201cThe driver should never have been on that road,\u201d she said.\n"
    )
    assert _speaker_of(parse, text, "never have been on that road") == "Ilse Varga"


def test_he_finds_a_name_the_model_labels_differently_elsewhere(parse: Parse) -> None:
    from storyscope.analyze._speakers import _people_relabelled
    from storyscope.model import Entity

    ents = [
        Entity(text="Trump", label="PERSON", start=0, end=5, sentence=0),
        Entity(text="Jared Kushner", label="PERSON", start=10, end=23, sentence=0),
        Entity(text="Trump", label="ORG", start=40, end=45, sentence=1),
        Entity(text="Trump Organization", label="ORG", start=60, end=78, sentence=2),
    ]
    labels = [e.label for e in _people_relabelled(ents)]
    assert labels == ["PERSON", "PERSON", "PERSON", "ORG"]


def test_she_skips_the_last_speaker_whose_pronouns_say_he(parse: Parse) -> None:
    text = (
        "Councillor Piet Olsen said his district had been ignored for years.\n"
        "\u201cThe harbour has failed the workers,\u201d Olsen said last week.\n"
        "Anna Lindqvist rejected the charge in an interview on Monday, defending her record.\n"
        "\u201cHe did not even win his own ward,\u201d she said.\n"
    )
    assert _speaker_of(parse, text, "his own ward") == "Anna Lindqvist"


def test_he_is_the_main_clause_subject_not_a_name_in_a_clause_below_it(parse: Parse) -> None:
    text = (
        "Mayor Tomas Rudd, speaking briefly with reporters at the harbour, offered an emphatic "
        "\u201cyes\u201d when asked whether Piet Olsen was among the finalists.\n"
        "\u201cWe need a great harbour master,\u201d he told reporters later.\n"
    )
    assert _speaker_of(parse, text, "great harbour master") == "Tomas Rudd"


def test_he_is_the_one_person_the_sentence_before_names_even_as_an_object(parse: Parse) -> None:
    text = (
        "Mr. Piet Sellers responded that the managers \u201cdo not decide in a vacuum.\u201d\n\n"
        "That did not satisfy Justice Tomas Rudd. \u201cIf somebody tells you how to decide,\u201d "
        "he said, \u201cyou do not decide.\u201d\n"
    )
    assert _speaker_of(parse, text, "tells you how") == "Tomas Rudd"


def test_he_after_a_question_naming_someone_is_not_that_person(parse: Parse) -> None:
    text = (
        "Asked about each of the candidates he is considering, Mayor Tomas Rudd played along.\n\n"
        "Councillor Olsen? \u201cStrong,\u201d he said.\n"
    )
    assert _speaker_of(parse, text, "Strong") == "Tomas Rudd"


def test_a_bare_surname_the_model_missed_is_still_the_person() -> None:
    from storyscope.analyze._speakers import _with_surname_mentions
    from storyscope.analyze._text import SentenceLookup
    from storyscope.model import Entity, Sentence

    text = "Anna Lindqvist spoke first. Lindqvist, who leads the board, said more."
    sentences = [
        Sentence(index=0, start=0, end=27, text=text[0:27]),
        Sentence(index=1, start=28, end=len(text), text=text[28:]),
    ]
    ents = [Entity(text="Anna Lindqvist", label="PERSON", start=0, end=14, sentence=0)]
    out = _with_surname_mentions(text, ents, SentenceLookup(sentences))
    assert [(e.text, e.label, e.sentence, text[e.start : e.end]) for e in out] == [
        ("Anna Lindqvist", "PERSON", 0, "Anna Lindqvist"),
        ("Lindqvist", "PERSON", 1, "Lindqvist"),
    ]


def test_a_definite_description_names_the_one_person_just_named(parse: Parse) -> None:
    text = (
        "Oskar Brandt answered on Tuesday, telling the Harbor Courier the ruling was unfair.\n\n"
        "\u201cI think it is a disgrace to the court,\u201d the presumptive Unity Party nominee "
        "said.\n"
    )
    assert _speaker_of(parse, text, "disgrace to the court") == "Oskar Brandt"


def test_a_definite_description_after_two_people_or_a_pronoun_stays_a_description(
    parse: Parse,
) -> None:
    # Two people just named: the description is not resolved to either.
    text = (
        "Oskar Brandt met Marta Quell on Tuesday at the harbour office.\n\n"
        "\u201cWe talked about the cranes,\u201d the former governor said.\n"
    )
    assert _speaker_of(parse, text, "talked about the cranes") == "the former governor"
    # A pronoun that may stand for someone else: no guess.
    text = (
        "If Oskar Brandt had replaced her, the board would be all men.\n\n"
        "\u201cToday is special,\u201d the former governor said.\n"
    )
    assert _speaker_of(parse, text, "Today is special") == "the former governor"


def test_his_campaign_is_the_campaign_of_the_person_just_named(parse: Parse) -> None:
    text = (
        "Senator Ilse Varga, who leads the harbour committee, said the vote was close.\n\n"
        "Tomas Reyl disputed a report in the Harbor Courier as an \u201coutrageous "
        "distortion\u201d of his service, according to his campaign.\n"
    )
    assert _speaker_of(parse, text, "outrageous distortion") == "Tomas Reyl\u2019s campaign"


def test_words_relayed_by_aides_are_the_named_person_s(parse: Parse) -> None:
    text = (
        "\u201cWe got wiped out on the coast,\u201d aides said Mr. Tomas Reyl told his "
        "colleagues before the vote.\n"
    )
    assert _speaker_of(parse, text, "wiped out on the coast") == "Tomas Reyl"


def test_the_host_is_the_host_talked_about_last_not_the_one_described_last(parse: Parse) -> None:
    text = (
        "Talk show host Oskar Brandt closed the harbour conference on Saturday.\n\n"
        "Last year the keynote was given by radio host Tomas Reyl.\n\n"
        "Brandt spoke for an hour about the piers.\n\n"
        "All we have heard, the talk show host complained, is \u201cwe need a bigger port.\u201d\n"
    )
    assert _speaker_of(parse, text, "bigger port") == "Oskar Brandt"


def test_he_continues_the_last_speaker_past_a_name_inside_his_own_sentence(parse: Parse) -> None:
    text = (
        "Oskar Brandt spoke at the harbour conference on Saturday.\n\n"
        "\u201cWhat are we suffering from?\u201d he asked.\n\n"
        "Saying President Tomas Reyl, he said, was \u201ctoo simple an answer.\u201d\n"
    )
    assert _speaker_of(parse, text, "too simple an answer") == "Oskar Brandt"


def test_the_person_right_before_said_speaks_when_the_parse_loses_the_subject(
    parse: Parse,
) -> None:
    text = (
        "But those two remedies require different standards for class certification and "
        "Justice Ruth Bader Ginsburg said it was \u201ca very serious problem\u201d in the "
        "case.\n"
    )
    assert _speaker_of(parse, text, "a very serious problem") == "Ruth Bader Ginsburg"


def test_a_shop_named_after_someone_is_not_a_person() -> None:
    from storyscope.analyze._speakers import _not_a_person
    from storyscope.model import Entity

    def person(text: str, name: str) -> Entity:
        at = text.index(name)
        return Entity(text=name, label="PERSON", start=at, end=at + len(name), sentence=0)

    shop = "He had stints at Chuck E. Cheese\u2019s and Sears."
    assert _not_a_person(person(shop, "Chuck E. Cheese"), shop)
    rally = "He spoke at Tomas Reyl's rally on Monday."
    assert not _not_a_person(person(rally, "Tomas Reyl"), rally)
    owner = "The deal was signed at the office of Tomas Reyl's lawyer."
    assert not _not_a_person(person(owner, "Tomas Reyl"), owner)


def test_a_show_title_before_a_colon_quotation_does_not_hide_the_speaker(parse: Parse) -> None:
    text = (
        "\u201cThey elected her to find solutions,\u201d Ilse Varga said.\n\n"
        "On Thursday night, Tomas Reyl said on Harbor TV's \u201cEvening Docks\u201d that the "
        "terms were clear: \u201cBottom line, no pier, no deal.\u201d\n"
    )
    assert _speaker_of(parse, text, "no pier, no deal") == "Tomas Reyl"


def test_a_parenthetical_said_names_the_speaker_of_a_partial_quote(parse: Parse) -> None:
    text = (
        "The council said on Wednesday that the mayor agreed with the plan.\n\n"
        "Her comments, said Tomas Reyl, the council spokesman, are \u201centirely consistent "
        "with what the mayor has already said.\u201d\n"
    )
    assert _speaker_of(parse, text, "entirely consistent") == "Tomas Reyl"
    # The verb's own subject is a person: the name after "says" is what she talks about.
    text = (
        "Ilse Varga, former head of the harbour board, says Tomas Reyl is \u201ca microcosm of "
        "the whole coast.\u201d\n"
    )
    assert _speaker_of(parse, text, "a microcosm") == "Ilse Varga"


# Issue #16, session 3: patterns from the PolNeAR dev split (invented text).


def test_a_dash_between_clauses_is_not_the_speaker(parse: Parse) -> None:
    text = (
        "The harbour levy went unpaid in the years its accounts were made public \u2015 "
        "Varga boasted, \u201cThat makes me thrifty.\u201d\n"
    )
    assert _speaker_of(parse, text, "makes me thrifty") == "Varga"


def test_as_a_document_put_it_names_the_source(parse: Parse) -> None:
    text = (
        "The levy is due each spring, but the charge is waived for \u201csmall family "
        "boats,\u201d as a harbour board memo put it.\n"
    )
    assert _speaker_of(parse, text, "small family boats") == "a harbour board memo"


def test_per_the_bylaws_names_the_source(parse: Parse) -> None:
    text = (
        "Members may send proxies, but not when voting \u201cto fill a vacancy on the "
        "board,\u201d per the club\u2019s bylaws.\n"
    )
    assert _speaker_of(parse, text, "fill a vacancy") == "the club\u2019s bylaws"
    # "per" as a rate is no relay.
    text = "The fee is $5 per boat, and the board called it \u201ca fair price.\u201d\n"
    assert _speaker_of(parse, text, "a fair price") == "the board"


def test_according_to_in_the_next_sentence_is_about_that_sentence(parse: Parse) -> None:
    text = (
        "Mayor Lena Kovac weighed in on Twitter, saying that the board should publish the "
        "tapes \u201cwithout delay.\u201d Kovac plans to visit the pier on Sunday, according "
        "to a city aide.\n"
    )
    assert _speaker_of(parse, text, "without delay") == "Lena Kovac"


def test_an_unattributed_paragraph_after_a_long_quotation_keeps_its_speaker(
    parse: Parse,
) -> None:
    text = (
        "Tomas Reyes, chairman of the Dockworkers Guild, spoke at the rally.\n\n"
        "\u201cNobody is hiring for the night shift. The yard is half empty. We have lost "
        "two cranes this year,\u201d he said.\n\n"
        "\u201cRight now, the yard is against the plan. It\u2019s not for the mayor. But you "
        "want people to be for something.\u201d\n"
    )
    assert _speaker_of(parse, text, "against the plan") == "Tomas Reyes"


def test_which_after_a_body_names_the_body(parse: Parse) -> None:
    text = (
        "To settle it, they turned to the Dunmore Fire Department which reported "
        "\u201c312 fire calls\u201d in the town between May and June.\n"
    )
    assert _speaker_of(parse, text, "312 fire calls") == "Dunmore Fire Department"


def test_a_speech_verb_in_a_later_clause_of_its_own_does_not_take_the_quote(
    parse: Parse,
) -> None:
    text = (
        "The Harbor Party nominee has repeatedly wondered whether the judges will be "
        "\u201cfair\u201d to him, engaging in what analysts described as old tactics.\n"
    )
    assert _speaker_of(parse, text, "fair") == "The Harbor Party nominee"


def test_a_quotation_after_a_sentence_about_a_person_is_theirs(parse: Parse) -> None:
    text = (
        "\u201cWe need to stop blaming the dockworkers,\u201d Aro said on Harbor TV.\n\n"
        "On Sunday, Mayor Ilse Varga pointed to the fatigue of young voters as a reason for "
        "hope. \u201cThe younger people are sick and tired of the old fights.\u201d\n"
    )
    assert _speaker_of(parse, text, "sick and tired") == "Ilse Varga"


def test_he_after_a_person_introduced_with_a_title_is_that_person(parse: Parse) -> None:
    text = (
        "\u201cThe pier is a mess,\u201d Bryan Ode said after the rally.\n\n"
        "While Piet Aro had many dockworkers marching for him, that has not happened for "
        "Varga, which is something that worries Tomas Reyes, chairman of the Coast Guild.\n\n"
        "\u201cNo one is marching for Varga. Aro had the crane crews. Varga has nobody like "
        "that,\u201d he said.\n"
    )
    assert _speaker_of(parse, text, "No one is marching") == "Tomas Reyes"


def test_words_in_a_reported_clause_belong_to_the_reporter(parse: Parse) -> None:
    text = (
        "Mayor Tessa Vronk spoke in Dunmore on Friday.\n"
        "Vronk said during the rally that Councilman Oren Pell once described the levy "
        "as \u201ca fair deal for farmers\u201d when he ran for office.\n"
    )
    assert _speaker_of(parse, text, "a fair deal") == "Tessa Vronk"


def test_a_thing_inside_a_reported_clause_is_not_the_speaker(parse: Parse) -> None:
    text = (
        "The letter arrived on Monday.\n"
        "City Attorney Lena Marsh said in the letter that the flyer \u201cplainly and "
        "wrongly\u201d suggests that the police back the campaign.\n"
    )
    assert _speaker_of(parse, text, "plainly and wrongly") == "Lena Marsh"


def test_a_quotation_the_inner_verb_introduces_keeps_its_speaker(parse: Parse) -> None:
    text = (
        "Councilwoman Ada Frell spoke at the Tolland hearing on Monday.\n"
        "Frell said the bridge would close, and when pressed on the date, engineer "
        "Bo Kessler replied, \u201cWe will know in the spring, not before.\u201d\n"
    )
    assert _speaker_of(parse, text, "know in the spring") == "Bo Kessler"


def test_a_role_with_a_party_skips_the_other_party(parse: Parse) -> None:
    text = (
        "Republican nominee Ivo Brandt toured the mill in Dunmore. Democratic nominee "
        "Cal Ostrow stayed in Tolland.\n\n"
        "The Republican nominee also vowed to punish \u201cthose who break the rules.\u201d\n"
    )
    assert _speaker_of(parse, text, "break the rules") == "Ivo Brandt"


def test_a_plain_role_is_not_a_second_rank_holder(parse: Parse) -> None:
    text = (
        "Democratic vice presidential nominee Cal Ostrow toured the mill in Dunmore. "
        "Ivo Brandt did not unveil plans to pay for the bridge.\n\n"
        "The Republican nominee also outlined his road plan and vowed to punish "
        "\u201cthose who break the rules.\u201d\n"
    )
    assert _speaker_of(parse, text, "break the rules") == "Ivo Brandt"


def test_a_participle_hung_inside_the_quotation_takes_the_speech_verb_before_it(
    parse: Parse,
) -> None:
    text = (
        "\u201cWe will not go back to a time when you have the old quarrels about the river, "
        "it is insane,\u201d Nils Berg said, going on to say that the valley has spent "
        "\u201cdecades fighting over water and all that stuff, to have that fight again, "
        "young people do not want to see that.\u201d\n"
    )
    assert _speaker_of(parse, text, "decades fighting") == "Nils Berg"


def test_a_participle_after_a_where_clause_takes_the_main_subject(parse: Parse) -> None:
    text = (
        "Small groups of protesters continued to call for more information about the fatal "
        "shooting, looping the streets around Kessel Stadium - where the Tolland Otters "
        "played the Dunmore Rams - while chanting, \u201cOpen the books, open the port.\u201d\n"
    )
    speaker = _speaker_of(parse, text, "Open the books")
    assert speaker is not None and "groups" in speaker


def test_a_conjunct_of_a_that_clause_is_the_reporters(parse: Parse) -> None:
    text = (
        "Ada Frell's filing said that was not her view and dismissed the reports as "
        "\u201cold and misread claims.\u201d\n"
    )
    speaker = _speaker_of(parse, text, "misread claims")
    assert speaker is not None and "Frell" in speaker


def test_a_dash_byline_ending_the_line_names_a_quotation_with_marks_inside(
    parse: Parse,
) -> None:
    text = (
        "Readers of the Tolland Courier sent their views on the debate.\n"
        "\u201cHe was rude all night and never answered a single question.\u201d \u2015 Mira Holt\n"
        "\u201cAs a young farmer I would rather live in what he calls \u201chell\u201d than "
        "live in a town where he is mayor.\u201d \u2015 Tessa Ruiz\n"
        "\u201cNo farmer wants a man who calls us lazy. To quote my grandmother \u2018Some "
        "people are so poor all they have is money.\u201d And that is all he has "
        "\u201cthe root of all evil\u2019.\u201d \u2015 Lena Orr\n"
    )
    assert _speaker_of(parse, text, "As a young farmer") == "Tessa Ruiz"
    assert _speaker_of(parse, text, "No farmer wants") == "Lena Orr"


def test_the_subject_of_a_clause_after_saying_is_not_an_inverted_speaker(parse: Parse) -> None:
    text = (
        "Thursday night, the Kessel Harbour Hospital issued a statement saying Mayor Tomas "
        "Reyes \u201cunderwent a second surgery related to his injuries. He remains in "
        "critical condition, but has improved in the last 24 hours.\u201d\n"
    )
    assert _speaker_of(parse, text, "second surgery") == "Kessel Harbour Hospital"


def test_they_in_the_sentence_of_a_campaign_is_the_campaign(parse: Parse) -> None:
    text = (
        "It is the latest in a series of speeches designed to offer a positive message in "
        "the closing weeks of the race. Ada Frell's campaign is seeking to contrast her "
        "approach with what they call Mayor Tomas Reyes's \u201cself-centered message.\u201d\n"
    )
    speaker = _speaker_of(parse, text, "self-centered")
    assert speaker is not None and "campaign" in speaker


def test_a_participle_before_a_passive_main_clause_takes_its_subject(parse: Parse) -> None:
    text = (
        "In her 2003 memoir, Ada Frell described the injury.\n\n"
        "After saying her left knee was \u201cso swollen I could barely walk to the car,\u201d "
        "she was \u201crushed \u2026 off to Tolland General\u201d for tests.\n"
    )
    assert _speaker_of(parse, text, "so swollen") == "Ada Frell"


def test_a_participle_in_a_who_clause_keeps_the_who(parse: Parse) -> None:
    text = (
        "Even before Mayor Tomas Reyes landed in Dunmore on Wednesday, he found himself in a "
        "feud with former Dunmore mayor Ilse Varga \u2013 who went on a tear declaring the "
        "Tolland mayor \u201cnot welcome\u201d in the town.\n"
    )
    assert _speaker_of(parse, text, "not welcome") == "Ilse Varga"


def test_the_name_before_a_gerund_is_its_speaker(parse: Parse) -> None:
    text = (
        "\u201cThis is about the harbour, we are not playing games,\u201d he told reporters.\n\n"
        "Despite Reyes saying conversations had \u201ccome a long way,\u201d Dockers were more "
        "dour in their assessment.\n"
    )
    assert _speaker_of(parse, text, "come a long way") == "Reyes"
    text = text.replace("Reyes", "Varga").replace("Dockers", "Democrats")
    assert _speaker_of(parse, text, "come a long way") == "Varga"


def test_a_participle_after_a_quotation_hung_inside_it_takes_the_verb_before(
    parse: Parse,
) -> None:
    text = (
        "The harbour talks broke up on Friday.\n\n"
        "Mayor Reyes later confirmed in the Rose Garden, \u201cAbsolutely I said that,\u201d "
        "while clarifying he hopes the partial strike doesn't last more than a few more days.\n"
    )
    assert _speaker_of(parse, text, "Absolutely I said") == "Reyes"


def test_a_run_of_she_leads_back_to_the_person_it_started_from(parse: Parse) -> None:
    text = (
        "\u201cMake yourself heard, and own it,\u201d Mara Quill said.\n\n"
        "She has faced a number of disputes since taking over the harbour board - most "
        "recently her meeting with Tomas Reyes at the end of June on a boat in Kessel while "
        "the board was reviewing a contract won by his wife, developer Ilse Reyes, over a "
        "pier she built in Tolland. She has called the dispute a distraction from the work "
        "the crews do every day.\n\n"
        "She said she was not aware of any complaints from the farmers about the pier, the "
        "contract or the boat because she is the first woman to run the board.\n\n"
        "\u201cPeople tend not to say those things to the chairwoman, which is probably a "
        "wise choice on their part,\u201d she said.\n"
    )
    assert _speaker_of(parse, text, "People tend not") == "Mara Quill"


def test_a_speech_nouns_clause_is_its_owners_words_not_its_subjects(parse: Parse) -> None:
    text = (
        "The only records that Venn released was a letter from his doctor, the colorful "
        "surgeon Harold Pellmann. Pellmann's earlier missive on Venn was widely ridiculed "
        "for its hyperbolic prediction that Venn would be \u201cthe healthiest individual "
        "ever elected to the council.\u201d\n"
    )
    assert _speaker_of(parse, text, "healthiest individual") == "Harold Pellmann"


def test_a_comment_that_describes_is_the_commenters(parse: Parse) -> None:
    text = (
        "The law prompted his wife and current council candidate Mira Tomsen to make a "
        "controversial comment that described all young sailors as \u201charbor rats.\u201d\n"
    )
    assert _speaker_of(parse, text, "harbor rats") == "Mira Tomsen"


def test_the_teller_speaks_not_the_listener_a_relative_clause_describes(
    parse: Parse,
) -> None:
    text = (
        "In a panel discussion this weekend, Omar Pelt, the chief executive of the Harbor "
        "League, forcefully told a young woman who suggested that some people may not vote "
        "that \u201cthis is not the first generation to be frustrated.\u201d\n"
    )
    assert _speaker_of(parse, text, "first generation") == "Omar Pelt"


def test_went_on_about_speaks_before_a_later_said(parse: Parse) -> None:
    text = (
        "\u201cYou winning?\u201d she said, and as Varga went on about \u201chow the port is "
        "rigged,\u201d and \u201cour own struggling sailors,\u201d Lena Ruiz said yes, over "
        "and over again.\n"
    )
    assert _speaker_of(parse, text, "port is rigged") == "Varga"
    assert _speaker_of(parse, text, "struggling sailors") == "Varga"


def test_she_picks_the_namesake_whose_pronouns_agree(parse: Parse) -> None:
    text = (
        "Maria Dunmore opened the hearing on Monday, and she thanked the crowd.\n\n"
        "Robert Dunmore, the former governor, spoke next, and he defended his plan.\n\n"
        "Dunmore was applauded by the dock workers at the end.\n\n"
        "\u201cWe will rebuild the harbour,\u201d she said.\n"
    )
    assert _speaker_of(parse, text, "rebuild the harbour") == "Maria Dunmore"
    he = text.replace("\u201d she said", "\u201d he said")
    assert _speaker_of(parse, he, "rebuild the harbour") == "Robert Dunmore"


def test_a_first_person_narrator_is_the_author_a_closing_bio_names(parse: Parse) -> None:
    body = (
        "I grew up in a stormy harbour town. I know all about storms.\n\n"
        "Once, when my mother mentioned the storm to me, I laughed and said, \u201cI don't "
        "believe in storms.\u201d She became upset.\n\n"
    )
    bio = body + (
        "Ada Quillby is playwright-in-residence at Fenwick College and artistic director "
        "of the Harbor Players.\n"
    )
    assert _speaker_of(parse, bio, "believe in storms") == "Ada Quillby"
    news = body + "Ada Quillby is expected to testify next week.\n"
    assert _speaker_of(parse, news, "believe in storms") is None


def test_he_continues_a_speaker_described_by_a_gendered_noun(parse: Parse) -> None:
    text = (
        "The paranoia remained but found other points of focus. \u201cWe live in a fallen "
        "harbour,\u201d my father often said.\n\n"
        "He also told one of his young Harbor Society proteges on a regular basis that "
        "\u201cstorms are the answer.\u201d\n"
    )
    assert _speaker_of(parse, text, "storms are the answer") == "my father"
    she = text.replace("He also", "She also")
    assert _speaker_of(parse, she, "storms are the answer") != "my father"


# Issue #16, BASIL quote spans (eval/basil_speakers.py): patterns seen in its misses.


def test_he_after_a_sentence_led_by_he_skips_the_one_named_in_passing(parse: Parse) -> None:
    text = (
        '"I am not ashamed to say I love boats," says harbour planner Jonas Weller.\n\n'
        "Weller has recently stepped up his attacks on Brann over the harbour.\n\n"
        "In a statement released Tuesday, he criticized the Brann administration's decision "
        "to close the pier.\n\n"
        '"This is just the latest example of a city hall at war with sailors," he said.\n'
    )
    assert _speaker_of(parse, text, "city hall at war") == "Jonas Weller"


def test_a_platform_the_parser_takes_for_a_person_is_not_she(parse: Parse) -> None:
    text = (
        '"No," Nina Brann said quickly.\n\n'
        "Enter Ms. Orla Fenn \u2014 a former port board media aide who describes herself on "
        'Twitter as loving ferries, cats and "all things blue and gold!" \u2014 whose remarks '
        "had a sharper edge.\n\n"
        '"You are both part of the harbour family, try showing a little respect," she wrote '
        "above a picture of the two captains.\n"
    )
    assert _speaker_of(parse, text, "harbour family") == "Orla Fenn"
    assert all(q.speaker != "Twitter" for q in _quotes(parse, text))


def test_a_relative_clause_on_an_apposition_is_the_named_persons(parse: Parse) -> None:
    text = (
        '"We will rebuild," said Arno Kell, a harbour pilot who told reporters the pier was '
        '"a disgrace."\n'
    )
    assert _speaker_of(parse, text, "a disgrace") == "Arno Kell"


def test_editorial_brackets_do_not_stay_in_a_speaker_name() -> None:
    from storyscope.analyze._speakers import _bare_name

    assert _bare_name("Tilda] Brann") == "Tilda Brann"
    assert _bare_name("[Mayor Tilda] Brann") == "Tilda Brann"
