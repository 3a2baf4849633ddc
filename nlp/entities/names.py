"""Name forms: the keys that make variants of one name meet."""
from __future__ import annotations

import re
import unicodedata

_POSSESSIVE = re.compile(r"['’]s?$")
_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.]+")


def clean_surface(text: str) -> str:
    """The mention as a name: no possessive, no enclosing punctuation."""
    text = text.strip().strip("\"'“”‘’«»()[],;:")
    return _POSSESSIVE.sub("", text).strip()


def name_key(text: str) -> str:
    """Case-, accent-, hyphen- and article-insensitive key: 'Russie-Libertes' and
    "the Russie Libertes'" meet."""
    text = unicodedata.normalize("NFKD", clean_surface(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _ARTICLE.sub("", text)
    return _SEPARATORS.sub(" ", text).strip()


def name_tokens(text: str) -> list[str]:
    return [t for t in name_key(text).split(" ") if t]


def acronym(text: str) -> str:
    """Initials of the capitalised words: 'European Union' -> 'EU'."""
    words = [w for w in re.split(r"[\s\-]+", clean_surface(text)) if w[:1].isupper()]
    return "".join(w[0] for w in words)


def is_acronym(text: str) -> bool:
    s = clean_surface(text).replace(".", "")
    return 2 <= len(s) <= 6 and s.isupper() and s.isalpha()
