"""``speakers``: each quote's speaker mention -> an entity of ``doc._.entities``."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..quotes.resolve import resolve_speakers


@Language.factory(
    "speakers",
    assigns=["doc._.quotes"],
    requires=["doc._.quotes", "doc._.entities"],
    default_config={},
)
def make_speakers(nlp: Language, name: str) -> "Speakers":
    return Speakers()


class Speakers:
    def __call__(self, doc: Doc) -> Doc:
        resolve_speakers(doc, doc._.entities or [], doc._.quotes or [])
        return doc
