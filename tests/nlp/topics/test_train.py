"""Training the topic head is reproducible from the repository: a small slice here."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nlp.topics.head import TopicHead
from nlp.topics.train import load_examples, train_head

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def encoder():
    from nlp.topics.encoder import SentenceEncoder

    return SentenceEncoder()


def test_examples_cover_every_level1_topic_with_a_heldout_split() -> None:
    examples = load_examples(ROOT / "corpora" / "topics")
    by_topic = {}
    for ex in examples:
        by_topic.setdefault(ex.level1, []).append(ex)
    assert len(by_topic) == 17
    for topic, items in by_topic.items():
        assert len(items) >= 100, topic
        assert any(e.split == "heldout" for e in items), topic
        assert len({e.level2 for e in items}) >= 3, topic


def test_train_on_a_small_slice_and_reload(tmp_path: Path, encoder) -> None:
    examples = load_examples(ROOT / "corpora" / "topics")
    head = train_head(examples, encoder, limit_per_topic=6)
    head.save(tmp_path)
    again = TopicHead.load(tmp_path)
    assert again.level1 == head.level1 and len(again.level1) == 17
    assert again.meta["examples"]["heldout"] > 0
    x = encoder.embed_articles([("Storm brings floods to the coast", "Heavy rain and gales are forecast.")])
    (preds,) = again.predict(x)
    assert preds[0].level == 1 and 0.0 <= preds[0].score <= 1.0
    assert np.allclose(again.level1_probs(x).sum(), 1.0, atol=1e-5)


def test_multi_topic_examples_add_their_further_topics_as_weighted_rows() -> None:
    from nlp.topics.train import ALSO_WEIGHT, Example, _also_rows

    train = [Example("a", "t", "b", "medtop:11000000", None, "train", ("medtop:16000000",)),
             Example("b", "t", "b", "medtop:04000000", None, "train")]
    x = np.eye(2, dtype=np.float32)
    rows, labels = _also_rows(train, x, {"medtop:11000000", "medtop:16000000", "medtop:04000000"})
    assert labels == ["medtop:16000000"] and np.array_equal(rows, x[:1])
    assert 0 < ALSO_WEIGHT < 1  # the main topic stays first
    examples = load_examples(ROOT / "corpora" / "topics")
    multi = [e for e in examples if e.also]
    assert len(multi) >= 300 and all(e.level1 not in e.also for e in multi)


def test_per_topic_f1_names_every_topic() -> None:
    from nlp.topics.train import per_topic_f1

    f1 = per_topic_f1(["x", "x", "y"], ["x", "y", "y"], ["x", "y", "z"])
    assert f1 == {"x": pytest.approx(2 / 3, abs=1e-4), "y": pytest.approx(2 / 3, abs=1e-4), "z": 0.0}
