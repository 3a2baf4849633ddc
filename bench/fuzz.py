"""The long fuzz run: Schemathesis (its own CLI, two clients at once) against a live
`newsnlp serve --workers 2` on 127.0.0.1, up to 3,500 cases per operation (the probes and
/v1/topics have few distinct inputs, so the total is well under 5 x 3,500), every phase
(examples, coverage, fuzzing), and the same checks as tests/api/test_fuzz.py.

    .venv/bin/python bench/fuzz.py [--cases-per-operation 3500]

Prints Schemathesis's summary (cases run, failures) and exits with its status.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from load import start_server, wait_ready  # noqa: E402  (the same server start as the load test)

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance," \
         "response_schema_conformance"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases-per-operation", type=int, default=3500)
    args = parser.parse_args()
    proc, url = start_server(workers=2)
    try:
        wait_ready(url, 2)
        schemathesis = Path(sys.executable).with_name("schemathesis")
        return subprocess.call([str(schemathesis), "run", f"{url}/openapi.json", "--checks", CHECKS,
                                "--max-examples", str(args.cases_per_operation), "--seed", "1", "--workers", "2",
                                "--report-dir", str(ROOT / "test-output" / "fuzz")], cwd=ROOT)
    finally:
        proc.terminate()
        proc.wait(timeout=90)


if __name__ == "__main__":
    sys.exit(main())
