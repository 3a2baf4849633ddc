"""``iptc_topics``: IPTC Media Topics for the whole article, from sentence embeddings
(transformers + torch) and the topic head trained on the project's own examples."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from ..errors import ModelLoadError
from ..topics.encoder import MAX_CHUNKS, SentenceEncoder
from ..topics.head import TopicHead
from ..topics.taxonomy import SCHEME, load_taxonomy, models_dir


def default_head_dir() -> Path:
    return models_dir() / "topics"


@Language.factory(
    "iptc_topics",
    assigns=["doc._.topics"],
    default_config={"head_dir": None, "max_chunks": MAX_CHUNKS, "batch_size": 16},
)
def make_iptc_topics(nlp: Language, name: str, head_dir: str | None, max_chunks: int, batch_size: int) -> "IptcTopics":
    return IptcTopics(Path(head_dir) if head_dir else default_head_dir(), max_chunks, batch_size)


class IptcTopics:
    def __init__(self, head_dir: Path, max_chunks: int = MAX_CHUNKS, batch_size: int = 16) -> None:
        if not (head_dir / "head.json").exists():
            raise ModelLoadError(
                f"no topic head in {head_dir}: the project ships one in models/topics; "
                "rebuild it with `make train-topics` (or `newsnlp train-topics`)"
            )
        self.head = TopicHead.load(head_dir)
        self.encoder = SentenceEncoder(max_chunks=max_chunks, precision=self.head.precision)
        if self.head.encoder != self.encoder.name:
            raise ModelLoadError(f"the topic head was trained on {self.head.encoder}, not {self.encoder.name}")
        self.taxonomy = load_taxonomy()
        self.batch_size = batch_size

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            wanted = [d for d in batch if d._.features is None or "topics" in d._.features]
            if wanted:
                vectors = self.encoder.embed_articles([(d._.title, d.text) for d in wanted])
                for doc, predictions in zip(wanted, self.head.predict(vectors)):
                    doc._.topics = [self._topic(p) for p in predictions]
            yield from batch

    def _topic(self, prediction) -> dict:
        concept = self.taxonomy.concepts.get(prediction.code)
        return {"scheme": SCHEME, "id": prediction.code, "label": concept.label if concept else prediction.code,
                "level": prediction.level, "score": round(min(max(prediction.score, 0.0), 1.0), 4),
                "parent": prediction.parent}
