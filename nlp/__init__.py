"""newsnlp: entities, quotes with their speakers and IPTC topics for news articles.

    from nlp import Annotator
    record = Annotator().annotate({"text": "..."})
"""
from __future__ import annotations

__version__ = "0.1.0"

from .annotator import Annotator  # noqa: E402
from .errors import NewsNLPError  # noqa: E402
from .schema import AnnotationRecord, ArticleFailure, ArticleIn  # noqa: E402

__all__ = ["Annotator", "AnnotationRecord", "ArticleFailure", "ArticleIn", "NewsNLPError", "__version__"]
