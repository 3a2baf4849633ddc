"""The one entry point the API, the CLI and batch call: ``Annotator.annotate`` / ``pipe``."""
from __future__ import annotations

import logging
import time
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from spacy.language import Language

from .article import PreparedArticle, article_id, prepare_article
from .errors import NewsNLPError
from .pipeline import build_pipeline, model_description
from .record import doc_to_record, pipeline_info
from .schema import AnnotationRecord, ArticleFailure, ArticleIn, ErrorBody
from .settings import Settings, get_settings

log = logging.getLogger(__name__)
# A reader that fails on one item passes the error in its place, so results keep the order.
ArticleLike = Union[ArticleIn, dict, NewsNLPError]
Result = Union[AnnotationRecord, ArticleFailure]
# Told the seconds each pipeline step took, per call or batch: ("ner", 0.031).
StepTimer = Callable[[str, float], None]


class Annotator:
    """Loads the models once; annotates one article or a stream of them."""

    def __init__(self, settings: Settings | None = None, nlp: Language | None = None) -> None:
        self.settings = settings or get_settings()
        self.nlp = nlp if nlp is not None else build_pipeline(self.settings.spacy_model)
        encoder = self.nlp.get_pipe("iptc_topics").encoder.name if "iptc_topics" in self.nlp.pipe_names else None
        self.pipeline = pipeline_info(model_description(self.nlp), encoder)
        #: Set it to be told how long each step takes (the API feeds its metrics with it);
        #: the steps then run one by one, as spaCy's own loop runs them, with the same result.
        self.on_step: Optional[StepTimer] = None

    def annotate(self, article: ArticleLike) -> AnnotationRecord:
        """Annotate one article; raises a ``NewsNLPError`` for input it cannot analyse."""
        parsed = _parse(article)
        prepared = prepare_article(parsed, self.settings.max_chars)
        # A memory zone frees the strings each article adds to the vocabulary once its
        # record is built; without it a long-running worker grows with every new word.
        with self.nlp.memory_zone():
            doc = self._make_doc(prepared, parsed.wanted)
            doc = self.nlp(doc) if self.on_step is None else self._run_timed([doc], 1)[0]
            return doc_to_record(doc, prepared, parsed.wanted, self.pipeline)

    def pipe(self, articles: Iterable[ArticleLike], batch_size: int | None = None) -> Iterator[Result]:
        """Annotate a stream in batches, in input order. A bad article (or a
        ``NewsNLPError`` a reader put in its place) yields an ``ArticleFailure`` there and
        never stops the stream."""
        size = batch_size or self.settings.batch_size
        stream = iter(articles)
        while chunk := list(islice(stream, size)):
            yield from self._annotate_chunk(chunk, size)

    def _annotate_chunk(self, chunk: list[Any], batch_size: int) -> Iterator[Result]:
        prepared: list[Result | tuple[ArticleIn, PreparedArticle]] = []
        for item in chunk:
            try:
                parsed = _parse(item)
                prepared.append((parsed, prepare_article(parsed, self.settings.max_chars)))
            except NewsNLPError as exc:
                prepared.append(failure_for(item, exc))
        ok = [p for p in prepared if isinstance(p, tuple)]
        with self.nlp.memory_zone():  # see annotate(); records are built inside the zone
            made = (self._make_doc(p, a.wanted) for a, p in ok)
            docs = iter(self.nlp.pipe(made, batch_size=batch_size) if self.on_step is None
                        else self._run_timed(list(made), batch_size))
            results = [doc_to_record(next(docs), entry[1], entry[0].wanted, self.pipeline)
                       if isinstance(entry, tuple) else entry for entry in prepared]
        yield from results

    def _run_timed(self, docs: list, batch_size: int) -> list:
        assert self.on_step is not None
        for name, proc in self.nlp.pipeline:
            start = time.perf_counter()
            if hasattr(proc, "pipe"):
                docs = list(proc.pipe(docs, batch_size=batch_size))
            else:
                docs = [proc(doc) for doc in docs]
            self.on_step(name, time.perf_counter() - start)
        return docs

    def _make_doc(self, prepared: PreparedArticle, features: tuple[str, ...]):
        doc = self.nlp.make_doc(prepared.text)
        doc._.title = prepared.title
        doc._.features = features
        return doc


def _parse(article: ArticleLike) -> ArticleIn:
    if isinstance(article, NewsNLPError):
        raise article
    if isinstance(article, ArticleIn):
        article.check()
        return article
    return ArticleIn.from_obj(article)


def failure_for(item: Any, exc: NewsNLPError) -> ArticleFailure:
    """The error record a stream gives in place of `item`."""
    ident = None
    if isinstance(item, ArticleIn):
        ident = article_id(item)
    elif isinstance(item, dict) and isinstance(item.get("id"), str):
        ident = item["id"]
    return ArticleFailure(id=ident, error=ErrorBody(**exc.to_dict()))
