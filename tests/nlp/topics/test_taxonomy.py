from __future__ import annotations

import pytest

from nlp.topics.taxonomy import load_taxonomy

pytestmark = pytest.mark.unit


def test_shipped_taxonomy_is_active_concepts_with_parents() -> None:
    tax = load_taxonomy()
    assert len(tax.level(1)) == 17
    assert len(tax.concepts) == 1099
    for concept in tax.concepts.values():
        assert concept.label
        if concept.level > 1:
            assert concept.parent in tax.concepts
            assert tax.concepts[concept.parent].level == concept.level - 1
    war = tax.concepts["medtop:16000000"]
    assert war.label == "conflict, war and peace"
    assert {c.level for c in tax.children(war.code)} == {2}
    assert tax.level1_of(tax.children(war.code)[0].code) == war.code
