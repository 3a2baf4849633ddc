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


def test_csv_rows_with_bad_ones_in_place(tmp_path: Path) -> None:
    path = tmp_path / "articles.csv"
    path.write_bytes(
        b'id,title,text,section\n'
        b'a,Budget passes,"The parliament passed the budget on Tuesday, officials said.",politics\n'
        b'b,,,sport\n'
        b'c,Too many,"text",x,extra\n'
        b'd,Bad bytes,"caf\xe9 au lait",food\n'
    )
    items = list(iter_inputs([path]))
    assert items[0].article == {"id": "a", "title": "Budget passes",
                                "text": "The parliament passed the budget on Tuesday, officials said."}
    assert items[1].article == {"id": "b", "text": ""}  # validation then says "empty"
    assert isinstance(items[2].article, InvalidInputError)
    assert isinstance(items[3].article, UndecodableInputError)
    assert [i.line for i in items] == [2, 3, 4, 5]


def test_csv_without_a_text_column_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    path.write_text("id,body\n1,hello\n", encoding="utf-8")
    (item,) = iter_inputs([path])
    assert isinstance(item.article, InvalidInputError) and "'text' or 'html' column" in item.article.message


def test_gzipped_jsonl_and_a_truncated_one(tmp_path: Path) -> None:
    import gzip

    data = b'{"id": "a", "text": "one"}\n{"id": "b", "text": "two"}\n' * 200
    good = tmp_path / "good.jsonl.gz"
    good.write_bytes(gzip.compress(data))
    assert [i.id for i in iter_inputs([good])][:2] == ["a", "b"]
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress(data)[:-20])
    items = list(iter_inputs([cut]))
    assert isinstance(items[-1].article, InvalidInputError)
    assert all(isinstance(i.article, dict) for i in items[:-1]) and len(items) > 1


def test_directory_ids_are_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "2024" / "01").mkdir(parents=True)
    (tmp_path / "2024" / "01" / "story.txt").write_text("A story.", encoding="utf-8")
    (tmp_path / "2024" / "page.html").write_text("<p>A page.</p>", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    assert [i.id for i in iter_inputs([tmp_path])] == ["2024/01/story.txt", "2024/page.html"]


def write_warc(path: Path, pages: list[tuple[str, str, bytes]]) -> None:
    """A small web archive: a request and a response per page, like a crawler writes."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for uri, content_type, body in pages:
            request = writer.create_warc_record(uri, "request", payload=BytesIO(b""),
                                                http_headers=StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True))
            writer.write_record(request)
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=headers))


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses_become_articles(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_warc(path, [
        ("https://news.example/a", "text/html; charset=utf-8", "<html><body><p>Café news.</p></body></html>".encode()),
        ("https://news.example/logo.png", "image/png", b"\x89PNG\r\n"),
        ("https://news.example/b", "text/html; charset=iso-8859-1", "<html><p>Caf\xe9 two.</p></html>".encode("latin-1")),
        ("https://news.example/c", "text/html", b"<html><p>\xff\xfe broken</p></html>"),
    ])
    items = list(iter_inputs([path]))
    assert [i.id for i in items[:2]] == ["https://news.example/a", "https://news.example/b"]
    assert "Café two" in items[1].article["html"] and items[1].article["url"] == "https://news.example/b"
    assert isinstance(items[2].article, UndecodableInputError)
