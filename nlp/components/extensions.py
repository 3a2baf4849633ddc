"""The ``Doc._`` attributes the components fill. Registered once, idempotently."""
from __future__ import annotations

from spacy.tokens import Doc

DOC_EXTENSIONS: dict[str, object] = {
    "title": None,  # the headline, set by the caller before the pipeline runs
    "entities": None,  # list[EntityCluster], from "entity_clusters"
    "quotes": None,  # list of quotes, from "quotes"
    "topics": None,  # list of topics, from "iptc_topics"
    "features": None,  # the record features wanted, set by the caller; None = all
}


def register_extensions() -> None:
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
