"""Input files -> articles. Each item says where it came from, so a bad one can be
reported precisely and skipped while the rest go on."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Union

from .errors import InvalidInputError, MalformedJSONError, NewsNLPError, UndecodableInputError, UnsupportedFileError

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")


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


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UndecodableInputError(
            f"{path}: not valid UTF-8 (byte {exc.start}); newsnlp reads UTF-8 files"
        ) from None


def iter_file(path: Path) -> Iterator[InputItem]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield InputItem(str(path), None, UnsupportedFileError(
            f"{path}: unsupported file type '{suffix}'; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        ))
        return
    if suffix == ".jsonl":
        yield from _iter_jsonl(path)
        return
    try:
        content = _read_text(path)
    except NewsNLPError as exc:
        yield InputItem(str(path), None, exc)
        return
    field = "text" if suffix == ".txt" else "html"
    yield InputItem(str(path), None, {"id": path.stem, field: content})


def _iter_jsonl(path: Path) -> Iterator[InputItem]:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            yield InputItem(str(path), number, _decode_line(raw, number))


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


def iter_inputs(paths: list[Path]) -> Iterator[InputItem]:
    for path in paths:
        if not path.exists():
            yield InputItem(str(path), None, InvalidInputError(f"{path}: no such file"))
        elif path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES):
                yield from iter_file(child)
        else:
            yield from iter_file(path)
