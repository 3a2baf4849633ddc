"""Topics on articles written for these tests, through the real encoder and shipped head."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

ARTICLES = {
    "medtop:15000000": ("Late penalty sends Rovers into the cup final",
                        "A penalty in the 89th minute gave Rovers a 2-1 win over City on Saturday, sending the club "
                        "into its first cup final in twenty years. The striker, who joined in January, scored both goals."),
    "medtop:17000000": ("Heatwave to push temperatures past 40C this weekend",
                        "Forecasters warned on Thursday that a heatwave moving north from the desert would push "
                        "temperatures above 40C by Sunday, with little rain expected for at least ten days."),
    "medtop:11000000": ("Prime minister calls snap election after coalition collapses",
                        "The prime minister asked the president to dissolve parliament on Monday after the junior "
                        "coalition partner quit the government, setting up a general election in six weeks."),
}


@pytest.mark.parametrize("code", list(ARTICLES))
def test_top_topic(annotator, code: str) -> None:
    title, text = ARTICLES[code]
    record = annotator.annotate({"title": title, "text": text})
    level1 = [t for t in record.topics if t.level == 1]
    assert level1 and level1[0].id == code, [(t.id, t.score) for t in record.topics]
    for t in record.topics:
        assert 0.0 <= t.score <= 1.0 and t.scheme == "iptc-mediatopic" and t.label
        if t.level == 2:
            assert t.parent in {x.id for x in level1}
    assert record.pipeline.embedding_model == "all-MiniLM-L6-v2"


def test_topics_can_be_left_out(annotator) -> None:
    title, text = ARTICLES["medtop:15000000"]
    record = annotator.annotate({"title": title, "text": text, "features": ["entities"]})
    assert record.topics == []
