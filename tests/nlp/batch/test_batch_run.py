"""``newsnlp batch`` end to end with the real models: every input format, every kind of
bad record, resume after SIGKILL, and the Ray engine against the local one."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nlp.batch.runner import BatchOptions, errors_path, run_batch
from tests.nlp.test_readers import write_warc

ROOT = Path(__file__).resolve().parents[3]
NEWSNLP = [sys.executable, "-m", "nlp.cli"]
pytestmark = pytest.mark.integration


def own_articles(n: int) -> list[dict]:
    """Full-length articles written for the project (corpora/topics), English."""
    rows = []
    for path in sorted((ROOT / "corpora" / "topics").glob("*.long.jsonl")):
        rows.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[:2])
    return [{"id": r["id"], "text": r["text"]} for r in rows[:n]]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def read_ids(output: Path) -> list[str]:
    if output.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(output, columns=["id"]).column("id").to_pylist()
    return [json.loads(line)["id"] for line in output.read_text(encoding="utf-8").splitlines()]


def test_every_format_and_every_bad_record_kind(tmp_path: Path) -> None:
    good = own_articles(3)
    lines = tmp_path / "archive.jsonl"
    lines.write_bytes(b"".join([
        json.dumps(good[0]).encode() + b"\n",
        b'{"id": "broken", "text": \n',                                        # malformed JSON
        json.dumps({"id": "no-text", "title": "x"}).encode() + b"\n",          # missing text
        json.dumps({"id": "blank", "text": "   "}).encode() + b"\n",           # empty
        json.dumps({"id": "german", "text": "Die Regierung hat am Dienstag eine neue Reform angekündigt, "
                    "die nächste Woche dem Parlament vorgelegt werden soll."}).encode() + b"\n",
        json.dumps({"id": "huge", "text": "word " * 70_000}).encode() + b"\n",  # over max_chars
        b'{"id": "bytes", "text": "caf\xe9"}\n',                                # not UTF-8
    ]))
    table = tmp_path / "more.csv"
    table.write_text('id,text\ncsv-1,"' + good[1]["text"].replace('"', '""') + '"\n', encoding="utf-8")
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "story.txt").write_text(good[2]["text"], encoding="utf-8")
    html = "<html><head><title>Harbour vote</title></head><body><article>" + "".join(
        f"<p>{p}</p>" for p in good[0]["text"].split("\n\n")[1:]) + "</article></body></html>"
    crawl = tmp_path / "crawl.warc.gz"
    write_warc(crawl, [("https://news.example/harbour", "text/html; charset=utf-8", html.encode())])
    output = tmp_path / "out.jsonl"

    summary = run_batch([lines, table, folder, crawl], output, BatchOptions(workers=1, batch_size=4, quiet=True))

    assert sorted(read_ids(output)) == sorted([good[0]["id"], "csv-1", "sub/story.txt", "https://news.example/harbour"])
    errors = [json.loads(line) for line in errors_path(output).read_text(encoding="utf-8").splitlines()]
    by_line = {e["line"]: e["code"] for e in errors}
    assert by_line == {2: "malformed_json", 3: "invalid_input", 4: "empty_text", 5: "unsupported_language",
                       6: "too_large", 7: "undecodable"}
    assert all(e["source"] == str(lines) and e["message"] for e in errors)
    assert (summary.processed, summary.failed, summary.already_done) == (4, 6, 0)
    record = json.loads(output.read_text(encoding="utf-8").splitlines()[0])
    assert record["entities"] and record["topics"] and record["text"]


def _run_cli(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(NEWSNLP + args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def _written(output: Path) -> int:
    if output.suffix == ".parquet":
        return len(list(output.with_name(output.name + ".parts").glob("part-*.parquet")))
    return output.read_bytes().count(b"\n") if output.exists() else 0


@pytest.mark.parametrize("suffix,workers", [(".jsonl", 2), (".parquet", 1)])
def test_resume_after_sigkill_gives_every_article_exactly_once(tmp_path: Path, suffix: str, workers: int) -> None:
    articles = own_articles(24)
    source = write_jsonl(tmp_path / "in.jsonl", articles)
    output = tmp_path / f"out{suffix}"
    env = {**os.environ, "NEWSNLP_PARQUET_PART_ROWS": "2"}
    args = ["batch", str(source), "-o", str(output), "--workers", str(workers), "--batch-size", "2", "--quiet",
            "--features", "entities,quotes"]
    run = _run_cli(args, env)
    deadline = time.monotonic() + 240
    while _written(output) < 3 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert run.poll() is None, "the run ended before it could be killed: " + run.stderr.read().decode()[-500:]
    import psutil

    workers_left = psutil.Process(run.pid).children(recursive=True)
    os.kill(run.pid, signal.SIGKILL)  # the parent only: its workers must notice and go
    run.wait()
    _, alive = psutil.wait_procs(workers_left, timeout=15)
    assert not alive, f"workers outlived their killed parent: {alive}"
    before = read_ids(output) if suffix == ".jsonl" else []
    assert suffix == ".parquet" or 0 < len(before) < len(articles)

    resumed = _run_cli(args, env)
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err.decode()[-800:]
    ids = read_ids(output)
    assert sorted(ids) == sorted(a["id"] for a in articles)  # none lost, none twice
    assert "skipped" in err.decode() and "already done" in err.decode()
    assert not errors_path(output).exists() or errors_path(output).read_text() == ""


@pytest.mark.slow
def test_ray_engine_gives_the_same_records_as_local(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", own_articles(6) + [{"id": "blank", "text": ""}])
    local, distributed = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    run_batch([source], local, BatchOptions(workers=1, batch_size=3, quiet=True))
    summary = run_batch([source], distributed, BatchOptions(workers=2, engine="ray", batch_size=3, quiet=True))
    assert summary.processed == 6 and summary.failed == 1

    def records(path: Path) -> dict[str, dict]:
        return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}

    assert records(local) == records(distributed)
    assert errors_path(local).read_text() == errors_path(distributed).read_text()


def test_usage_errors_create_and_lock_nothing(tmp_path: Path) -> None:
    from nlp.errors import InvalidInputError

    source = write_jsonl(tmp_path / "in.jsonl", own_articles(1))
    with pytest.raises(InvalidInputError, match="supported: .jsonl, .parquet"):
        run_batch([source], tmp_path / "out.csv", BatchOptions(quiet=True))
    with pytest.raises(InvalidInputError, match="supported: local, ray"):
        run_batch([source], tmp_path / "out.jsonl", BatchOptions(engine="spark", quiet=True))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]
