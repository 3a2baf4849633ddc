"""spaCy components of newsnlp. Importing this package registers their factories, so a
user can ``nlp.add_pipe("entity_clusters")`` into a pipeline of their own."""
from . import extensions  # noqa: F401  (registers the Doc._ attributes)
from .entity_clusters import EntityClusters  # noqa: F401
from .iptc_topics import IptcTopics  # noqa: F401
from .paragraph_breaks import paragraph_breaks  # noqa: F401
from .quotes import Quotes  # noqa: F401
from .speakers import Speakers  # noqa: F401

__all__ = ["EntityClusters", "IptcTopics", "Quotes", "Speakers", "paragraph_breaks"]
