"""Web archives (``.warc`` / ``.warc.gz``, the format of CC-NEWS and most news crawls) ->
articles: every HTTP response whose payload is HTML becomes ``{"id": target URI, "url",
"html"}``; requests, metadata and non-HTML responses are not articles and are passed over."""
from __future__ import annotations

import codecs
from pathlib import Path
from typing import Iterator, Union

from .errors import InvalidInputError, NewsNLPError, UndecodableInputError

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _charset(content_type: str) -> str:
    """The charset the server declared, if Python knows it; UTF-8 otherwise."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            try:
                return codecs.lookup(value.strip().strip("\"'")).name
            except LookupError:
                break
    return "utf-8"


def iter_warc(path: Path) -> Iterator[tuple[int, Union[dict, NewsNLPError]]]:
    """(record number, article or error) for each HTML response in the archive."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0
    with path.open("rb") as fh:
        try:
            for number, record in enumerate(ArchiveIterator(fh), start=1):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or f"{path.name}#{number}"
                yield number, _article(uri, record.content_stream().read(), _charset(content_type))
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            yield number + 1, InvalidInputError(f"{path}: cannot read on after record {number}: {exc}")


def _article(uri: str, payload: bytes, charset: str) -> Union[dict, NewsNLPError]:
    try:
        html = payload.decode(charset)
    except UnicodeDecodeError as exc:
        return UndecodableInputError(f"{uri}: payload is not valid {charset} (byte {exc.start})")
    return {"id": uri, "url": uri, "html": html}
