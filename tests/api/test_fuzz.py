"""Schemathesis against the live server's OpenAPI schema: generated requests (valid and
invalid) must never get a 5xx, and every answer must be one the schema documents, body
included. At least 2,000 cases in all (bench/fuzz.py runs more).

Each operation's cases come from Schemathesis's Hypothesis strategy, run here under
``@given`` (its pytest plugin's lazy fixture loader does not work with this pytest)."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.integration

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
# Three operations take parameters or bodies; each gets this many valid and as many
# invalid (schema-violating) cases: 2,100 in all, plus one each for the probes.
CASES_PER_MODE = 350
MIN_CASES = 2_000


def _fuzz(operation, mode: GenerationMode, base_url: str, counted: dict[str, int]) -> None:
    label = f"{operation.label} ({mode.value})"

    @settings(max_examples=CASES_PER_MODE, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        counted[label] = counted.get(label, 0) + 1
        case.call_and_validate(base_url=base_url, checks=CHECKS, timeout=60)

    try:
        run()
    except Unsatisfiable:
        # An operation without parameters or body (the probes) has nothing to get wrong.
        if mode is not GenerationMode.NEGATIVE or counted.get(label):
            raise


def test_no_5xx_and_every_answer_documented(server_url: str) -> None:
    schema = schemathesis.openapi.from_url(f"{server_url}/openapi.json")
    counted: dict[str, int] = {}
    for result in schema.get_all_operations():
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(result.ok(), mode, server_url, counted)
    print(f"schemathesis: {sum(counted.values())} cases {counted}")
    assert len({label.split(" (")[0] for label in counted}) == 5, counted  # every operation exercised
    assert sum(counted.values()) >= MIN_CASES, counted
