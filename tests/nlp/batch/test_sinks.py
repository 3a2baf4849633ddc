"""Crash safety of the batch outputs, simulated at the file level."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.batch.sinks import ErrorLog, JsonlSink, ParquetSink, open_sink
from nlp.errors import InvalidInputError
from nlp.schema import AnnotationRecord, PipelineInfo

pytestmark = pytest.mark.unit


def record(ident: str) -> str:
    return AnnotationRecord(id=ident, text=f"Text of {ident}.", pipeline=PipelineInfo(version="t", spacy_model="m")).model_dump_json()


def test_jsonl_cuts_a_half_written_line_and_knows_what_is_done(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    sink = JsonlSink(out, overwrite=False)
    sink.write([record("a"), record("b")])
    with out.open("ab") as fh:  # a crash in the middle of a write
        fh.write(record("c").encode()[:40])
    again = JsonlSink(out, overwrite=False)
    assert again.done == {"a", "b"}
    again.write([record("c")])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a", "b", "c"]


def test_jsonl_overwrite_starts_over(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    JsonlSink(out, overwrite=False).write([record("a")])
    assert JsonlSink(out, overwrite=True).done == set()
    assert out.read_text() == ""


def test_parquet_parts_survive_a_crash_and_merge_once(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "out.parquet"
    sink = ParquetSink(out, overwrite=False, part_rows=2)
    sink.write([record("a"), record("b")])  # one part written
    sink.write([record("c")])  # pending
    (out.parent / "out.parquet.parts" / "part-000099.tmp").write_bytes(b"PAR1 half")  # a crash mid-part
    # the process dies here: "c" was never in a part, so it must be redone
    resumed = ParquetSink(out, overwrite=False, part_rows=2)
    assert resumed.done == {"a", "b"}
    resumed.write([record("c")])
    resumed.close(finished=True)
    table = pq.read_table(out)
    assert sorted(table.column("id").to_pylist()) == ["a", "b", "c"]
    assert table.column("text").to_pylist()[0].startswith("Text of")
    assert not (out.parent / "out.parquet.parts").exists()


def test_parquet_part_already_merged_is_dropped(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "out.parquet"
    sink = ParquetSink(out, overwrite=False, part_rows=1)
    sink.write([record("a"), record("b")])
    parts = sorted((tmp_path / "out.parquet.parts").glob("*.parquet"))
    kept = [p.read_bytes() for p in parts]
    sink.close(finished=True)
    # a crash between the rename of the output and the removal of the parts:
    (tmp_path / "out.parquet.parts").mkdir()
    for n, data in enumerate(kept):
        (tmp_path / "out.parquet.parts" / f"part-{n + 1:06d}.parquet").write_bytes(data)
    resumed = ParquetSink(out, overwrite=False)
    assert resumed.done == {"a", "b"}
    resumed.close(finished=True)
    assert sorted(pq.read_table(out).column("id").to_pylist()) == ["a", "b"]


def test_error_log_reports_each_bad_record_once(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl.errors.jsonl"
    entry = {"source": "in.jsonl", "line": 3, "id": None, "code": "malformed_json", "message": "line 3: …"}
    assert ErrorLog(path, overwrite=False).write([entry]) == 1
    assert ErrorLog(path, overwrite=False).write([entry, {**entry, "line": 4}]) == 1
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2


def test_unsupported_output_type(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="supported: .jsonl, .parquet"):
        open_sink(tmp_path / "out.csv", overwrite=False)
