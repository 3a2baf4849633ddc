"""Access control for /v1/*: API keys from a file of SHA-256 digests, and a per-caller
rate limit (the ``limits`` package). /healthz, /readyz, /metrics and the demo page stay open.

Make a key and its line for the keys file::

    KEY=$(python -c "import secrets; print(secrets.token_urlsafe(32))")
    printf '%s' "$KEY" | sha256sum | cut -d' ' -f1 >> keys.txt
"""
from __future__ import annotations

import hashlib
import hmac
import math
import re
import time
from pathlib import Path
from typing import Annotated, Optional

from fastapi import Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from .errors import RateLimitedError, ServiceConfigError, UnauthorizedError

_HEX_DIGEST = re.compile(r"^[0-9a-f]{64}$")


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class KeyRing:
    """The accepted keys, known only by their SHA-256 digests."""

    def __init__(self, digests: list[str]) -> None:
        self.digests = digests

    @classmethod
    def from_file(cls, path: Path) -> "KeyRing":
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ServiceConfigError(f"cannot read the API keys file {path}: {exc}") from None
        digests = []
        for number, line in enumerate(lines, 1):
            entry = line.split("#", 1)[0].strip().lower()
            if not entry:
                continue
            if not _HEX_DIGEST.match(entry):
                raise ServiceConfigError(
                    f"{path}, line {number}: expected the SHA-256 hex digest of a key (64 hex digits), "
                    "not the key itself; see README, Deploying")
            digests.append(entry)
        if not digests:
            raise ServiceConfigError(f"the API keys file {path} holds no key digests")
        return cls(digests)

    def match(self, key: str) -> Optional[str]:
        """The digest of ``key`` if it is accepted. Every stored digest is compared, in
        constant time, so the answer's timing says nothing about how close a guess was."""
        candidate = key_digest(key)
        found = None
        for digest in self.digests:
            if hmac.compare_digest(candidate, digest):
                found = digest
        return found


class RateLimit:
    """``limits`` moving windows: a caller may make at most N calls in any window."""

    def __init__(self, spec: str, storage_uri: str) -> None:
        from limits import parse_many
        from limits.storage import storage_from_string
        from limits.strategies import MovingWindowRateLimiter

        try:
            self.items = parse_many(spec)
        except ValueError as exc:
            raise ServiceConfigError(f"rate limit {spec!r} is not understood ({exc}); "
                                     "write it like '120/minute' or '10/second;500/hour'") from None
        self.spec = spec
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def check(self, caller: str) -> None:
        for item in self.items:
            if not self.limiter.hit(item, caller):
                reset = self.limiter.get_window_stats(item, caller).reset_time
                retry_after = max(1, math.ceil(reset - time.time()))
                raise RateLimitedError(f"rate limit {self.spec} reached; retry in {retry_after} s", retry_after)


_bearer = HTTPBearer(auto_error=False, description="An API key, when the service has keys configured")
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                               description="An API key, when the service has keys configured")


async def authorised_caller(
    request: Request,
    bearer: Annotated[Optional[HTTPAuthorizationCredentials], Security(_bearer)],
    api_key: Annotated[Optional[str], Security(_api_key_header)],
) -> str:
    """Who is calling (a key's digest prefix, or the client address on an open service),
    after the key check and the rate limit."""
    keys: Optional[KeyRing] = request.app.state.keys
    if keys is None:
        caller = f"addr:{request.client.host if request.client else 'unknown'}"
    else:
        presented = bearer.credentials if bearer is not None else api_key
        if not presented:
            raise UnauthorizedError("an API key is required: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'")
        digest = keys.match(presented)
        if digest is None:
            raise UnauthorizedError("the API key is not valid")
        caller = f"key:{digest[:12]}"
    request.state.caller = caller
    limit: Optional[RateLimit] = request.app.state.rate_limit
    if limit is not None:
        limit.check(caller)
    return caller
