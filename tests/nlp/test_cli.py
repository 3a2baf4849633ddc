"""The ``newsnlp`` console script, run as a user runs it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlp import __version__
from nlp.schema import AnnotationRecord

NEWSNLP = Path(sys.executable).parent / "newsnlp"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(NEWSNLP), *args], capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.mark.unit
def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"newsnlp {__version__}"


@pytest.mark.integration
def test_annotate_files_to_jsonl(tmp_path: Path, seed_text: str) -> None:
    (tmp_path / "seed.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "page.html").write_text(
        "<html><body><article><p>Angela Merkel opened a library in Berlin on Tuesday, "
        "her office said.</p></article></body></html>", encoding="utf-8")
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        json.dumps({"id": "j1", "text": "Boris Johnson spoke in London on Friday."}) + "\n"
        + '{"id": "broken", "text": \n'
        + json.dumps({"id": "j3", "text": ""}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = run("annotate", str(tmp_path / "seed.txt"), str(tmp_path / "page.html"), str(batch), "-o", str(out), "-q")
    assert result.returncode == 1  # two bad lines were skipped
    assert "batch.jsonl:2: malformed_json" in result.stderr
    assert "batch.jsonl:3: empty_text" in result.stderr
    records = [AnnotationRecord.model_validate_json(line) for line in out.read_text().splitlines()]
    assert [r.id for r in records] == ["seed", "page", "j1"]
    assert records[0].title == "In a first, France welcomes Russian army deserters"
    assert any(e.name == "Angela Merkel" for e in records[1].entities)


@pytest.mark.integration
def test_annotate_to_stdout(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("Olga Prokopieva met officials in Paris.", encoding="utf-8")
    result = run("annotate", str(tmp_path / "story.txt"), "-q")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["id"] == "story" and record["text"] == "Olga Prokopieva met officials in Paris."


@pytest.mark.integration
def test_eval_command_on_the_projects_gold() -> None:
    root = Path(__file__).resolve().parents[2]
    result = run("eval", str(root / "corpora" / "nzn_russian_deserters.gold.json"), "--json", "-q",
                 "--min", "e2e.f=0.9", "--min", "entity.f=0.85")
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)
    assert metrics["documents"] == 1 and metrics["missing"] == []
    assert metrics["body.ok"] == 1.0 and metrics["direct.f"] >= 0.95


@pytest.mark.integration
def test_eval_command_fails_below_a_floor(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    empty = tmp_path / "records.jsonl"
    empty.write_text("", encoding="utf-8")
    result = run("eval", str(root / "corpora" / "nzn_russian_deserters.gold.json"), "--against", str(empty),
                 "--min", "e2e.f=0.5")
    assert result.returncode == 1
    assert "FALLS SHORT" in result.stderr
