"""Property tests on the pipeline (Hypothesis): whatever the string, the annotator gives a
valid record or one of its own clean errors, and every span in a record points at its
own text: ``text[start:end] == span.text``."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nlp.errors import NewsNLPError
from nlp.schema import AnnotationRecord

pytestmark = pytest.mark.integration

ENGLISH = [
    "Olga Prokopieva, head of Russie Libertes, met officials in Paris on Monday.",
    '"We will not give up," Prokopieva said.',
    "The minister said the budget would be balanced by next year.",
    "According to the ministry, 40 people were injured.",
    "“It is a disaster,” she told reporters in Kyiv.",
    "Mr Sergei Ivanov, a former soldier, said he had fled.",
]
# The characters that break naive text handling: controls, bidi marks, zero-width joiners,
# emoji (outside the BMP), every kind of quotation mark, combining accents.
AWKWARD = "\x00\x07\x1b\t\r\n\u200b\u200d\u200e\u200f\u202e\u2066\ufeff«»„“”‘’‹›\"'「」😀👩‍👩‍👧🇫🇷\u0301é" \
          "שלוםمرحبا\u00a0\u2028"


def _check_spans(record: AnnotationRecord) -> None:
    text = record.text
    spans = [m for e in record.entities for m in e.mentions]
    for q in record.quotes:
        if q.spans:  # content in pieces ("X, according to Y, Z"): the text is the pieces joined
            assert q.text == " ".join(piece.text for piece in q.spans)
            assert q.start == q.spans[0].start and q.end == q.spans[-1].end
        else:
            assert text[q.start:q.end] == q.text
        spans += (q.spans or []) + [s for s in (q.cue, q.speaker) if s is not None]
    for span in spans:
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start:span.end] == span.text
    assert all(0.0 <= t.score <= 1.0 for t in record.topics)


def _annotate_or_clean_error(annotator, text: str) -> None:
    try:
        record = annotator.annotate({"text": text})
    except NewsNLPError as exc:
        assert exc.code and len(exc.message) > 10
        assert 400 <= exc.http_status < 500
        return
    _check_spans(AnnotationRecord.model_validate_json(record.model_dump_json()))


mixed_text = st.lists(st.one_of(st.sampled_from(ENGLISH), st.text(alphabet=AWKWARD, max_size=8),
                                st.text(max_size=12)), min_size=1, max_size=12).map(" ".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(text=mixed_text)
@example(text=" ".join(ENGLISH) + " \u202e" + "؟" * 3 + " 👩‍👩‍👧 " + "\u200d" * 20)
@example(text='"' * 10_000)
@example(text=ENGLISH[0] + " " + "«" * 50 + " she said „maybe " + '" ' * 30)
@example(text="x" * 1_000_000)
@example(text="\x00" * 100 + ENGLISH[1])
@example(text=" ".join(ENGLISH) * 3 + " « unbalanced „ and ‘ never closed")
def test_any_text_gives_a_valid_record_or_a_clean_error(annotator, text: str) -> None:
    _annotate_or_clean_error(annotator, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=400))
def test_arbitrary_unicode_never_escapes_as_an_unexpected_error(annotator, text: str) -> None:
    _annotate_or_clean_error(annotator, text)
