"""Offline checks on the analysed text: is it text at all, and is it English."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from .errors import BinaryContentError, UnsupportedLanguageError

SUPPORTED_LANGUAGES = ("en",)
# Below this many letters a language guess is noise ("OK", "Hello"); such text is taken as
# English rather than refused.
MIN_LETTERS_TO_DETECT = 40
MIN_CONFIDENCE = 0.9
_SAMPLE_CHARS = 5000


def check_is_text(text: str) -> None:
    """Refuse binary content that arrived as a string (NUL bytes, control characters,
    replacement characters from a failed decode)."""
    sample = text[:_SAMPLE_CHARS * 4]
    if "\x00" in sample:
        raise BinaryContentError("the text contains NUL bytes: send UTF-8 text, not a binary file")
    bad = sum(
        1
        for c in sample
        if c == "\ufffd" or (unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    )
    if bad and bad / max(len(sample), 1) > 0.02:
        raise BinaryContentError(
            f"{bad} control or replacement characters in the first {len(sample)}: "
            "send UTF-8 text, not a binary file"
        )


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code and confidence; ("en", 0.0) when the text is too short to tell."""
    sample = text[:_SAMPLE_CHARS]
    letters = sum(1 for c in sample if c.isalpha())
    if letters < MIN_LETTERS_TO_DETECT:
        return "en", 0.0
    lang, prob = _identifier().classify(sample)
    return str(lang), float(prob)


def check_language(text: str) -> str:
    lang, prob = detect_language(text)
    if lang not in SUPPORTED_LANGUAGES and prob >= MIN_CONFIDENCE:
        raise UnsupportedLanguageError(lang)
    return "en"
