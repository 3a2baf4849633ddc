"""Where a batch run writes: the records (``.jsonl`` or ``.parquet``) and the errors file.

Both are crash-safe so that a run killed at any instant (``kill -9`` included) can be
resumed with every article exactly once in the end:
- JSONL is appended a batch at a time and fsync'd; a line cut short by a crash is cut
  off on the next open, and the ids already there are skipped.
- Parquet cannot be appended to, so records go to numbered part files in
  ``OUTPUT.parts/`` (each written to a temporary name, fsync'd, then renamed into place);
  when the run finishes the parts are merged into ``OUTPUT`` by one atomic rename. A part
  whose records the output already holds (a crash between the rename and the clean-up)
  is recognised and dropped.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Iterable, Iterator, Protocol

from ..errors import InvalidInputError

OUTPUT_SUFFIXES = (".jsonl", ".parquet")
# model_dump_json writes schema_version then id first: read the id without parsing the record.
_ID_AT_START = re.compile(rb'^\{"schema_version":"[^"]*","id":("(?:[^"\\]|\\.)*")')


class RecordSink(Protocol):
    done: set[str]

    def write(self, records: list[str]) -> None: ...
    def close(self, finished: bool) -> None: ...


def check_output(path: Path) -> None:
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise InvalidInputError(
            f"{path}: unsupported output type '{path.suffix.lower()}'; supported: {', '.join(OUTPUT_SUFFIXES)}")


def open_sink(path: Path, overwrite: bool, part_rows: int = 512) -> RecordSink:
    check_output(path)
    if path.suffix.lower() == ".jsonl":
        return JsonlSink(path, overwrite)
    return ParquetSink(path, overwrite, part_rows)


def _fsync_append(path: Path, lines: Iterable[str]) -> None:
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    if not data:
        return
    with path.open("ab") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _repair_jsonl(path: Path) -> Iterator[bytes]:
    """Cut a line a crash left unfinished; yield the complete lines."""
    if not path.exists():
        return
    with path.open("rb+") as fh:
        data = fh.read()
        complete = data.rfind(b"\n") + 1
        if complete < len(data):
            fh.truncate(complete)
    yield from (line for line in data[:complete].splitlines() if line.strip())


def _record_id(line: bytes) -> str:
    match = _ID_AT_START.match(line)
    return json.loads(match.group(1)) if match else json.loads(line)["id"]


class JsonlSink:
    def __init__(self, path: Path, overwrite: bool) -> None:
        self.path = path
        if overwrite and path.exists():
            path.unlink()
        self.done = {_record_id(line) for line in _repair_jsonl(path)}
        path.touch()

    def write(self, records: list[str]) -> None:
        _fsync_append(self.path, records)

    def close(self, finished: bool) -> None:
        pass


class ParquetSink:
    def __init__(self, path: Path, overwrite: bool, part_rows: int = 512) -> None:
        import pyarrow.parquet as pq

        from .arrow import record_schema

        self.path, self.schema, self.part_rows = path, record_schema(), part_rows
        self.parts = path.with_name(path.name + ".parts")
        if overwrite:
            path.unlink(missing_ok=True)
            shutil.rmtree(self.parts, ignore_errors=True)
        self.parts.mkdir(parents=True, exist_ok=True)
        for tmp in self.parts.glob("*.tmp"):
            tmp.unlink()  # a part a crash left half-written: its records are redone
        final = set(pq.read_table(path, columns=["id"]).column("id").to_pylist()) if path.exists() else set()
        self.done = set(final)
        for part in self._part_files():
            ids = pq.read_table(part, columns=["id"]).column("id").to_pylist()
            if ids and ids[0] in final:
                part.unlink()  # merged into the output before a crash
            else:
                self.done.update(ids)
        self.pending: list[str] = []
        self.next_part = max((int(p.stem.split("-")[1]) for p in self._part_files()), default=0) + 1

    def _part_files(self) -> list[Path]:
        return sorted(self.parts.glob("part-*.parquet"))

    def write(self, records: list[str]) -> None:
        self.pending.extend(records)
        if len(self.pending) >= self.part_rows:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.pending:
            return
        table = pa.Table.from_pylist([json.loads(r) for r in self.pending], schema=self.schema)
        target = self.parts / f"part-{self.next_part:06d}.parquet"
        tmp = target.with_suffix(".tmp")
        pq.write_table(table, tmp)
        _fsync_file(tmp)
        os.replace(tmp, target)
        _fsync_file(self.parts)
        self.next_part += 1
        self.pending = []

    def close(self, finished: bool) -> None:
        self._flush()
        if finished:
            self._merge()

    def _merge(self) -> None:
        """Output + parts -> a new output, swapped in by one rename; then drop the parts."""
        import pyarrow.parquet as pq

        sources = ([self.path] if self.path.exists() else []) + self._part_files()
        tmp = self.path.with_name(self.path.name + ".tmp")
        with pq.ParquetWriter(tmp, self.schema) as writer:
            for source in sources:
                writer.write_table(pq.read_table(source, schema=self.schema))
        _fsync_file(tmp)
        os.replace(tmp, self.path)
        _fsync_file(self.path.parent)
        shutil.rmtree(self.parts, ignore_errors=True)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ErrorLog:
    """``OUTPUT.errors.jsonl``: one ``{"source", "line", "id", "code", "message"}`` per bad
    record. Keyed by where the record is, so a resumed run does not report it twice."""

    def __init__(self, path: Path, overwrite: bool) -> None:
        self.path = path
        if overwrite and path.exists():
            path.unlink()
        self.seen = {self.key(json.loads(line)) for line in _repair_jsonl(path)}

    @staticmethod
    def key(entry: dict) -> tuple:
        return entry.get("source"), entry.get("line"), entry.get("id")

    def write(self, entries: list[dict]) -> int:
        """Append the entries not reported before; returns how many were new."""
        fresh = [e for e in entries if self.key(e) not in self.seen]
        self.seen.update(self.key(e) for e in fresh)
        _fsync_append(self.path, (json.dumps(e, ensure_ascii=False) for e in fresh))
        return len(fresh)
