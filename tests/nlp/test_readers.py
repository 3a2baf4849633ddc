from __future__ import annotations

from pathlib import Path

import pytest

from nlp.errors import InvalidInputError, MalformedJSONError, UndecodableInputError, UnsupportedFileError
from nlp.readers import iter_inputs

pytestmark = pytest.mark.unit


def test_reads_txt_html_and_jsonl_with_bad_lines_in_place(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("A story.", encoding="utf-8")
    (tmp_path / "page.html").write_text("<p>A page.</p>", encoding="utf-8")
    lines = tmp_path / "batch.jsonl"
    lines.write_bytes(b'{"id": "a", "text": "one"}\n{"id": \n\n[1]\n\xff\xfe\n{"id": "b", "html": "<p>x</p>"}\n')
    items = list(iter_inputs([lines, tmp_path / "story.txt", tmp_path / "page.html"]))
    kinds = [type(i.article) if not isinstance(i.article, dict) else dict for i in items]
    assert kinds == [dict, MalformedJSONError, InvalidInputError, UndecodableInputError, dict, dict, dict]
    assert [i.line for i in items[:5]] == [1, 2, 4, 5, 6]
    assert items[5].article == {"id": "story", "text": "A story."}
    assert items[6].article == {"id": "page", "html": "<p>A page.</p>"}


def test_undecodable_and_unsupported_files(tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "data.pdf").write_bytes(b"%PDF")
    items = list(iter_inputs([tmp_path / "latin1.txt", tmp_path / "data.pdf", tmp_path / "missing.txt"]))
    assert isinstance(items[0].article, UndecodableInputError)
    assert isinstance(items[1].article, UnsupportedFileError)
    assert isinstance(items[2].article, InvalidInputError)
