"""Sentence boundaries at blank lines.

Without them the parser runs headlines, captions and the first sentence of the next
paragraph together. Must run before the parser, which keeps boundaries already set.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component(
    "paragraph_breaks",
    assigns=["token.is_sent_start"],
)
def paragraph_breaks(doc: Doc) -> Doc:
    start_next = False
    for token in doc:
        if token.is_space and token.text.count("\n") >= 2:
            start_next = True
            continue
        if start_next and not token.is_space:
            token.is_sent_start = True
            start_next = False
    return doc
