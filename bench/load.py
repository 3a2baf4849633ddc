"""Load test of `newsnlp serve --workers N` on 127.0.0.1, bounded in time, with its
baseline (the in-process Annotator on the same articles) measured in the same run.

    .venv/bin/python bench/load.py [--workers 2] [--seconds 60]

Phases, each `--seconds` long, closed-loop asyncio clients (httpx) sending the project's own
full-length articles:
- below saturation: 1 client sending single articles;
- at saturation: one client per worker;
- above saturation: 12 clients per worker (more than the service admits: NEWSNLP_MAX_PENDING per worker);
- batch: one client per worker sending POST /v1/annotate/batch with 16 articles.
Reports articles/s, p50/p95/p99 latency, answers by status, and each model process's
peak resident memory in the warm-up and in the run. Targets (hardened-API issue): zero 5xx; 503 only above
saturation; batch throughput >= 0.8 x in-process Annotator.pipe; single-article p95 below
saturation <= 1.5 x the in-process time per article; memory growth < 10 %.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BATCH = 16


def load_articles(n: int) -> list[dict]:
    rows = []
    for path in sorted((ROOT / "corpora" / "topics").glob("*.long*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            rows.append({"id": row["id"], "text": row["text"]})
    return rows[::max(1, len(rows) // n)][:n]


def in_process_baseline(articles: list[dict]) -> tuple[float, float]:
    """(median seconds per single annotate, articles/s through Annotator.pipe)."""
    from nlp import Annotator

    annotator = Annotator()
    annotator.annotate(articles[0])
    singles = []
    for article in articles[:24]:
        start = time.perf_counter()
        annotator.annotate(article)
        singles.append(time.perf_counter() - start)
    start = time.perf_counter()
    list(annotator.pipe(articles))
    return statistics.median(singles), len(articles) / (time.perf_counter() - start)


@dataclass
class PhaseResult:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    articles: int = 0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def line(self) -> str:
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        return (f"{self.name:<28} {self.articles / self.seconds:6.2f} articles/s  p50 {self.percentile(.5):6.2f} s  "
                f"p95 {self.percentile(.95):6.2f} s  p99 {self.percentile(.99):6.2f} s  [{statuses}]")


async def run_phase(url: str, name: str, clients: int, seconds: float, articles: list[dict],
                    batch: bool = False) -> PhaseResult:
    import httpx

    result = PhaseResult(name, seconds)
    deadline = time.perf_counter() + seconds

    async def client(k: int) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=300) as http:
            i = k
            while time.perf_counter() < deadline:
                if batch:
                    body = [articles[(i + j) % len(articles)] for j in range(BATCH)]
                    path = "/v1/annotate/batch"
                else:
                    body, path = articles[i % len(articles)], "/v1/annotate"
                start = time.perf_counter()
                resp = await http.post(path, json=body)
                elapsed = time.perf_counter() - start
                result.statuses[resp.status_code] += 1
                if resp.status_code == 200:
                    result.latencies.append(elapsed)
                    result.articles += len(resp.text.splitlines()) if batch else 1
                elif resp.status_code == 503:
                    await asyncio.sleep(min(float(resp.headers.get("retry-after", 1)), 0.2))
                i += clients

    await asyncio.gather(*(client(k) for k in range(clients)))
    return result


def worker_rss(pid: int) -> dict[int, float]:
    """Resident MB of each model process (the server's children holding the models)."""
    import psutil

    return {c.pid: c.memory_info().rss / 1024**2 for c in psutil.Process(pid).children(recursive=True)
            if c.memory_info().rss > 300 * 1024**2}


class RssPeaks:
    """Each model process's peak RSS, sampled twice a second in the background. A single
    reading swings by +-12 % with the batch in hand and the last memory tidy, so growth is
    measured peak against peak: warm-up (which makes both kinds of call) against the run."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            try:
                for pid, mb in worker_rss(self.server_pid).items():
                    self.peaks[pid] = max(self.peaks.get(pid, 0.0), mb)
            except Exception:  # a process ending between listing and reading
                pass

    def take(self) -> dict[int, float]:
        """The peaks since the last take, and start again."""
        peaks, self.peaks = self.peaks, {}
        return peaks

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def start_server(workers: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NEWSNLP_LOG_LEVEL": "warning"}
    proc = subprocess.Popen([sys.executable, "-m", "nlp.cli", "serve", "--port", str(port), "--workers", str(workers)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}"


def wait_ready(url: str, workers: int) -> None:
    import httpx

    deadline = time.monotonic() + 300
    ready = 0
    while time.monotonic() < deadline and ready < 4 * workers:  # several answers: every worker is up
        try:
            ready = ready + 1 if httpx.get(f"{url}/readyz", timeout=5).status_code == 200 else 0
        except httpx.TransportError:
            ready = 0
        time.sleep(0.5)
    if ready < 4 * workers:
        raise SystemExit("server not ready")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    articles = load_articles(64)
    words = statistics.median(len(a["text"].split()) for a in articles)
    print(f"{len(articles)} articles (project's own), median {words:.0f} words; {args.seconds:.0f} s per phase")
    single_s, pipe_rate = in_process_baseline(articles)
    print(f"in-process: annotate {single_s:.3f} s per article (median); Annotator.pipe {pipe_rate:.2f} articles/s")

    proc, url = start_server(args.workers)
    try:
        wait_ready(url, args.workers)
        # Warm up both kinds of call, so that the start figure already holds the buffers a
        # 16-article batch needs (a high-water mark, not growth).
        rss = RssPeaks(proc.pid)
        asyncio.run(run_phase(url, "warm-up", 2 * args.workers, 15, articles))
        asyncio.run(run_phase(url, "warm-up", args.workers, 20, articles, batch=True))
        rss_start = rss.take()
        phases = [("below saturation (1 client)", 1, False), (f"at saturation ({args.workers} clients)", args.workers, False),
                  (f"above ({12 * args.workers} clients)", 12 * args.workers, False),
                  (f"batch of {BATCH} ({args.workers} clients)", args.workers, True)]
        results = [asyncio.run(run_phase(url, name, clients, args.seconds, articles, batch)) for name, clients, batch in phases]
        rss_end = rss.take()
        rss.stop()
    finally:
        proc.terminate()
        proc.wait(timeout=90)
    for r in results:
        print(r.line())
    for pid, start in rss_start.items():
        end = rss_end.get(pid, float("nan"))
        print(f"model process {pid}: peak RSS {start:,.0f} MB in warm-up -> {end:,.0f} MB in the run "
              f"({end / start - 1:+.1%}; target < +10 %)")
    server_errors = sum(n for r in results for s, n in r.statuses.items() if s >= 500 and s != 503)
    busy_below = sum(r.statuses.get(503, 0) for r in results[:2])
    print(f"5xx other than 503: {server_errors} (target 0); 503 below or at saturation: {busy_below} (target 0); "
          f"503 above: {results[2].statuses.get(503, 0)}")
    batch_rate = results[3].articles / results[3].seconds
    print(f"batch endpoint / in-process pipe: {batch_rate / pipe_rate:.2f} (target >= 0.8)")
    print(f"single p95 below saturation / in-process per article: {results[0].percentile(.95) / single_s:.2f} "
          "(target <= 1.5)")


if __name__ == "__main__":
    main()
