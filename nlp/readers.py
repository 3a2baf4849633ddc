"""Input files -> articles. Each item says where it came from (source file, line or
record number), so a bad one can be reported precisely and skipped while the rest go on.

Formats, by name: ``.jsonl`` / ``.jsonl.gz`` (one article object per line), ``.csv``
(the same fields as columns), ``.txt`` / ``.html`` files, directories of those (id = the
path relative to the directory), and web archives ``.warc`` / ``.warc.gz`` (HTTP
responses carrying HTML; id = the record's target URI)."""
from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator, Union

from .errors import (InvalidInputError, MalformedJSONError, NewsNLPError, UndecodableInputError,
                     UnsupportedFileError)

SUPPORTED_SUFFIXES = (".jsonl", ".jsonl.gz", ".csv", ".warc", ".warc.gz", ".txt", ".html", ".htm")
# Inside a directory only single-article files are taken (an archive there is most often
# something else's output); archives are named on the command line.
DIRECTORY_SUFFIXES = (".txt", ".html", ".htm")
CSV_FIELDS = ("id", "text", "html", "title", "url", "features")


@dataclass
class InputItem:
    source: str
    line: int | None
    article: Union[dict, NewsNLPError]

    @property
    def id(self) -> str | None:
        if isinstance(self.article, dict) and isinstance(self.article.get("id"), str):
            return self.article["id"]
        return None


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    for suffix in SUPPORTED_SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UndecodableInputError(
            f"{path}: not valid UTF-8 (byte {exc.start}); newsnlp reads UTF-8 files"
        ) from None


def iter_file(path: Path, ident: str | None = None) -> Iterator[InputItem]:
    """The articles in one file; ``ident`` names a single-article file (default: its stem)."""
    suffix = suffix_of(path)
    if suffix not in SUPPORTED_SUFFIXES:
        yield InputItem(str(path), None, UnsupportedFileError(
            f"{path}: unsupported file type '{suffix}'; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        ))
        return
    if suffix in (".jsonl", ".jsonl.gz"):
        yield from _iter_jsonl(path)
    elif suffix == ".csv":
        yield from _iter_csv(path)
    elif suffix in (".warc", ".warc.gz"):
        from .warc import iter_warc

        yield from (InputItem(str(path), n, article) for n, article in iter_warc(path))
    else:
        try:
            content = _read_text(path)
        except NewsNLPError as exc:
            yield InputItem(str(path), None, exc)
            return
        field = "text" if suffix == ".txt" else "html"
        yield InputItem(str(path), None, {"id": ident or path.stem, field: content})


def _open_jsonl(path: Path) -> BinaryIO:
    return gzip.open(path, "rb") if suffix_of(path) == ".jsonl.gz" else path.open("rb")


def _iter_jsonl(path: Path) -> Iterator[InputItem]:
    number = 0
    try:
        with _open_jsonl(path) as fh:
            for number, raw in enumerate(fh, start=1):
                if raw.strip():
                    yield InputItem(str(path), number, _decode_line(raw, number))
    except (OSError, EOFError) as exc:  # a truncated or corrupt .gz: report, keep what was read
        yield InputItem(str(path), number + 1, InvalidInputError(f"cannot read on after line {number}: {exc}"))


def _decode_line(raw: bytes, number: int) -> Union[dict, NewsNLPError]:
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return UndecodableInputError(f"line {number}: not valid UTF-8 (byte {exc.start})")
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return MalformedJSONError(f"line {number}: malformed JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(obj, dict):
        return InvalidInputError(f"line {number}: expected a JSON object, got {type(obj).__name__}")
    return obj


def _iter_csv(path: Path) -> Iterator[InputItem]:
    csv.field_size_limit(sys.maxsize)  # articles are long; size limits come later, per article
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.DictReader(text)
        unknown = [f for f in (reader.fieldnames or []) if f not in CSV_FIELDS]
        if not reader.fieldnames or not {"text", "html"} & set(reader.fieldnames):
            yield InputItem(str(path), 1, InvalidInputError(
                f"{path}: the header needs a 'text' or 'html' column; columns read: {', '.join(CSV_FIELDS)}"))
            return
        for row in reader:
            yield InputItem(str(path), reader.line_num, _csv_article(row, reader.line_num, unknown))


def _csv_article(row: dict, number: int, unknown: list[str]) -> Union[dict, NewsNLPError]:
    if None in row:
        return InvalidInputError(f"line {number}: more fields than the header names")
    article = {k: v for k, v in row.items() if k not in unknown and v not in (None, "")}
    for key, value in article.items():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return UndecodableInputError(f"line {number}: column '{key}' is not valid UTF-8")
    if "features" in article:
        article["features"] = [f.strip() for f in article["features"].split(",") if f.strip()]
    if "text" not in article and "html" not in article:
        article["text"] = ""  # so validation says "empty" rather than "missing"
    return article


def iter_inputs(paths: list[Path]) -> Iterator[InputItem]:
    for path in paths:
        if not path.exists():
            yield InputItem(str(path), None, InvalidInputError(f"{path}: no such file"))
        elif path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.is_file() and suffix_of(p) in DIRECTORY_SUFFIXES)
            for child in children:
                yield from iter_file(child, ident=child.relative_to(path).as_posix())
        else:
            yield from iter_file(path)


def count_articles(paths: list[Path]) -> int | None:
    """How many items ``iter_inputs`` will yield, when that is cheap to know (None for
    web archives, whose records are not all articles)."""
    total = 0
    for path in paths:
        if path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.is_file() and suffix_of(p) in DIRECTORY_SUFFIXES)
        elif suffix_of(path) in (".warc", ".warc.gz"):
            return None
        elif suffix_of(path) in (".jsonl", ".jsonl.gz"):
            try:
                with _open_jsonl(path) as fh:
                    total += sum(1 for raw in fh if raw.strip())  # no JSON parsing: just lines
            except (OSError, EOFError):
                return None
        elif suffix_of(path) == ".csv":
            total += sum(1 for _ in iter_file(path))
        else:
            total += 1
    return total
