"""Every quote pattern the quotes and speakers components handle, on sentences written for
these tests, through the real pipeline and the record."""
from __future__ import annotations

import pytest

from nlp.schema import AnnotationRecord, Quote

pytestmark = pytest.mark.integration


def annotate(annotator, text: str) -> AnnotationRecord:
    return annotator.annotate({"text": text})


def only(record: AnnotationRecord, contains: str) -> Quote:
    found = [q for q in record.quotes if contains in q.text]
    assert len(found) == 1, f"{contains!r} in {[q.text for q in record.quotes]}"
    return found[0]


def speaker_name(q: Quote) -> str | None:
    return q.speaker.name if q.speaker else None


def test_cue_after_with_surname_alias(annotator) -> None:
    r = annotate(annotator, "Anna Kowalski runs the city's transport office.\n\n"
                            '"We will rebuild the bridge by spring," Kowalski said.')
    q = only(r, "rebuild the bridge")
    assert q.kind == "direct" and q.text == "We will rebuild the bridge by spring,"
    assert q.cue.text == "said"
    assert q.speaker.name == "Anna Kowalski" and q.speaker.resolution == "alias"
    assert r.text[q.start:q.end] == q.text


def test_cue_after_inverted_with_apposition(annotator) -> None:
    r = annotate(annotator, '"The plan is sound and fully funded," said Peter Okafor, a spokesman for the council.')
    q = only(r, "plan is sound")
    assert q.speaker.name == "Peter Okafor" and q.speaker.resolution == "name"
    assert q.speaker.text.startswith("Peter Okafor")


def test_cue_after_with_age_descriptor(annotator) -> None:
    r = annotate(annotator, "The protest was led by 26-year-old Lena Park, a nurse from Busan.\n\n"
                            '"Nobody listens to us until we stop working," the 26-year-old said.')
    q = only(r, "Nobody listens")
    assert q.speaker.name == "Lena Park" and q.speaker.resolution == "descriptor"


def test_cue_before_with_colon(annotator) -> None:
    r = annotate(annotator, 'Mayor Tom Reyes told reporters: "We are not going to close the school this year."')
    q = only(r, "close the school")
    assert q.kind == "direct" and q.cue.text == "told"
    assert q.speaker.name == "Tom Reyes"


def test_dash_attribution(annotator) -> None:
    r = annotate(annotator, '"Rules are rules, and they apply to every operator in this market." — Commissioner Rebecca Starks')
    q = only(r, "Rules are rules")
    assert "Starks" in q.speaker.text


def test_split_quote_is_one_quote_with_two_spans(annotator) -> None:
    r = annotate(annotator, 'Maria Lind lost the first case.\n\n"We will appeal," she said, "and we expect to win."')
    q = only(r, "We will appeal")
    assert q.text == "We will appeal, and we expect to win."
    assert [s.text for s in q.spans] == ["We will appeal,", "and we expect to win."]
    assert q.speaker.name == "Maria Lind" and q.speaker.resolution == "pronoun"


def test_multi_paragraph_quote(annotator) -> None:
    text = ("Jonas Berg read a statement on Monday.\n\n"
            "“We have worked on this agreement for three years and we are proud of it.\n\n"
            "“It will bring jobs to the valley and clean water to every village,” Berg said.")
    q = only(annotate(annotator, text), "three years")
    assert len(q.spans) == 2 and "clean water" in q.text
    assert q.speaker.name == "Jonas Berg"


def test_continuation_paragraph_inherits_speaker(annotator) -> None:
    text = ('"The river has never been this low," said Jonas Berg, a farmer.\n\n'
            '"We lost half of the harvest this summer."')
    q = only(annotate(annotator, text), "half of the harvest")
    assert q.kind == "direct"
    assert q.speaker.name == "Jonas Berg" and q.speaker.resolution == "continuation"


@pytest.mark.parametrize("text, content, speaker, cue", [
    ("Jonas Berg said the harvest would be the smallest in a decade.",
     "the harvest would be the smallest in a decade", "Jonas Berg", "said"),
    ("Jonas Berg said that the harvest would be the smallest in a decade.",
     "the harvest would be the smallest in a decade", "Jonas Berg", "said"),
    ("The harvest will be the smallest in a decade, officials said.",
     "The harvest will be the smallest in a decade", "officials", "said"),
    ("According to Jonas Berg, the harvest will be the smallest in a decade.",
     "the harvest will be the smallest in a decade", "Jonas Berg", "According to"),
    ("Jonas Berg told AFP the harvest would be the smallest in a decade.",
     "the harvest would be the smallest in a decade", "Jonas Berg", "told"),
    ("Jonas Berg recounted how the river dried up in a single week.",
     "how the river dried up in a single week", "Jonas Berg", "recounted"),
    ("The harvest, Jonas Berg said, will be the smallest in a decade.",
     "The harvest will be the smallest in a decade", "Jonas Berg", "said"),
])
def test_reported_speech(annotator, text: str, content: str, speaker: str, cue: str) -> None:
    q = only(annotate(annotator, text), content.split()[1])
    assert q.kind == "indirect"
    assert q.text == content
    assert q.speaker.name == speaker
    assert q.cue.text == cue


def test_adding_that_keeps_the_speaker(annotator) -> None:
    r = annotate(annotator, "All the farms had been inspected, Berg said, adding that the water was safe to drink.")
    q = only(r, "water was safe")
    assert q.cue.text == "adding" and q.speaker.name == "Berg"


def test_mixed_quote(annotator) -> None:
    r = annotate(annotator, 'Olga Petrova hailed the court\'s "historic" ruling on Tuesday.')
    q = only(r, "historic")
    assert q.kind == "mixed" and q.speaker.name == "Olga Petrova"


def test_group_and_body_speakers(annotator) -> None:
    r = annotate(annotator, "However, activists say the new law will silence critics of the government.\n\n"
                            "The ministry said the law had been misunderstood by foreign media.")
    activists = only(r, "silence critics")
    assert activists.speaker.text == "activists" and activists.speaker.entity is None
    assert activists.speaker.resolution == "unresolved" and activists.speaker.name == "activists"
    ministry = only(r, "misunderstood")
    assert ministry.speaker.name in {"The ministry", "ministry"}


def test_cataphora_to_the_named_speaker(annotator) -> None:
    text = ('Another deserter said he wanted soldiers to know there was "always" a choice.\n\n'
            '"There is always a way to put down your weapon," 27-year-old Sergei Volkov said in Paris.')
    r = annotate(annotator, text)
    q = only(r, "wanted soldiers")
    assert q.kind == "mixed"
    assert q.speaker.name == "Sergei Volkov" and q.speaker.resolution == "descriptor"


@pytest.mark.parametrize("text, not_quote", [
    ('Having left for "military exercises" in the south, the unit crossed the border.', "military exercises"),
    ('They recorded videos as part of an initiative dubbed "Farewell to arms".', "Farewell to arms"),
    ('The boxer Pyotr "The Hammer" Ivanov won again on Saturday night.', "The Hammer"),
    ("The families spoke of years of hardship.\n\n- 'Lived in fear' -\n\nThe men fled in May.", "Lived in fear"),
    ('Critics called the minister a "spoiled brat." He did not reply.', "spoiled brat"),
])
def test_scare_quotes_titles_nicknames_and_headings_are_rejected(annotator, text: str, not_quote: str) -> None:
    r = annotate(annotator, text)
    assert all(q.text.strip(".,\"'") != not_quote for q in r.quotes), [q.text for q in r.quotes]


@pytest.mark.parametrize("text", [
    'Jonas Berg said "we will never give up on this valley and its people',
    "Jonas Berg said « nous resterons ici » to the crowd.",
    "Jonas Berg said ‘we stay’ and ”left“ the room ” quickly.",
    '"""" Jonas Berg said nothing. "',
    "Jonas Berg's farm isn't for sale, the Bergs' lawyer said.",
])
def test_odd_or_unbalanced_marks_never_crash(annotator, text: str) -> None:
    r = annotate(annotator, text)
    assert any(e.name.startswith("Jonas Berg") or e.name == "Berg" for e in r.entities)
    for q in r.quotes:
        assert 0 <= q.start <= q.end <= len(r.text)


def test_pronouns_follow_the_articles_own_gender_evidence(annotator) -> None:
    text = ("Maria Lind and Jonas Berg met the minister on Monday. Lind said she was pleased with the talks. "
            "Berg said he wanted more money for the farmers.\n\n"
            '"The talks went well and we will meet again soon," she said.\n\n'
            '"We need a decision before the winter comes," he said.')
    r = annotate(annotator, text)
    assert speaker_name(only(r, "talks went well")) == "Maria Lind"
    assert speaker_name(only(r, "before the winter")) == "Jonas Berg"


def test_sources_show_who_gets_a_voice(annotator) -> None:
    text = ("Maria Lind met Vladimir Putin's envoy, Igor Sechin, in Geneva.\n\n"
            '"The talks were difficult but honest," Lind said. "We will meet again."\n\n'
            "Lind said a second round was planned for May.")
    r = annotate(annotator, text)
    by_name = {s.name: s for s in r.sources}
    lind = by_name["Maria Lind"]
    assert lind.quotes == 3
    assert lind.words == sum(len(q.text.replace(",", " ").replace(".", " ").split()) for q in r.quotes)
    assert lind.share == 1.0
    assert by_name["Igor Sechin"].quotes == 0 and by_name["Igor Sechin"].share == 0.0


def test_features_without_quotes(annotator) -> None:
    r = annotator.annotate({"text": '"We will appeal," said Maria Lind.', "features": ["entities"]})
    assert r.quotes == [] and r.sources == []
