"""``quotes``: direct, mixed and indirect quotes with their cue and speaker mention."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..quotes.extract import find_quotes


@Language.factory(
    "quotes",
    assigns=["doc._.quotes"],
    requires=["token.dep", "token.lemma", "token.pos"],
    default_config={},
)
def make_quotes(nlp: Language, name: str) -> "Quotes":
    return Quotes()


class Quotes:
    def __call__(self, doc: Doc) -> Doc:
        if doc._.features is not None and "quotes" not in doc._.features:
            return doc
        doc._.quotes = find_quotes(doc)
        return doc
