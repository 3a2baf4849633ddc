"""Input -> the analysed body. The text of the record is fixed here; every offset the
pipeline produces indexes it.

One sequence with its fallbacks in one place:
  html  -> trafilatura main text (title kept) -> else all of the page's text
  text  -> furniture filter (scraped page) -> else the text unchanged
then: binary check, size check, language check.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from .errors import EmptyTextError, TooLargeError
from .furniture import remove_furniture
from .language import check_is_text, check_language
from .schema import ArticleIn, Warning

# trafilatura logs every page it cannot parse at ERROR; we report the outcome ourselves.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


@dataclass
class PreparedArticle:
    id: str
    text: str
    title: str | None
    language: str
    warnings: list[Warning] = field(default_factory=list)


def article_id(article: ArticleIn) -> str:
    if article.id:
        return article.id
    content = article.text if article.text is not None else article.html or ""
    return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _from_html(html: str) -> tuple[str, str | None, list[Warning]]:
    import trafilatura

    if "<html" not in html[:2000].lower():
        html = f"<html><body>{html}</body></html>"  # a fragment: trafilatura wants a page
    doc = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True
    )
    title = (doc.title or None) if doc is not None else None
    paragraphs = [p.strip() for p in (doc.text or "").split("\n")] if doc is not None else []
    if title and paragraphs and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]  # the headline repeated as the first line of the body
    text = "\n\n".join(p for p in paragraphs if p)
    if text:
        return text, title, []
    fallback = (trafilatura.html2txt(html) or "").strip()
    if not fallback:
        raise EmptyTextError("the HTML holds no readable text")
    return fallback, title, [
        Warning(code="W102", message="no main article text found in the HTML; analysed all of its text")
    ]


def _from_text(text: str) -> tuple[str, str | None, list[Warning]]:
    cleaned = remove_furniture(text)
    warnings = []
    if cleaned.removed_chars:
        warnings.append(
            Warning(
                code="W101",
                message=f"removed {cleaned.removed_chars:,} characters of page furniture",
            )
        )
    if not cleaned.text.strip():
        raise EmptyTextError("nothing but page furniture was found in the text")
    return cleaned.text, cleaned.title, warnings


def prepare_article(article: ArticleIn, max_chars: int) -> PreparedArticle:
    """Validate and clean one article; raises a ``NewsNLPError`` when it cannot be analysed."""
    article.check()
    raw = article.text if article.text is not None else article.html or ""
    check_is_text(raw)
    if len(raw) > max_chars * 4:
        # Far larger than any body we would accept: refuse before spending time extracting.
        raise TooLargeError(_too_large(len(raw), max_chars))
    if article.html is not None:
        text, title, warnings = _from_html(article.html)
    else:
        text, title, warnings = _from_text(raw)
    if len(text) > max_chars:
        raise TooLargeError(_too_large(len(text), max_chars))
    language = check_language(text)
    return PreparedArticle(
        id=article_id(article),
        text=text,
        title=article.title or title,
        language=language,
        warnings=warnings,
    )


def _too_large(size: int, limit: int) -> str:
    return (
        f"the article body has {size:,} characters; the limit is {limit:,} "
        "(setting NEWSNLP_MAX_CHARS): split the document or raise the limit"
    )
