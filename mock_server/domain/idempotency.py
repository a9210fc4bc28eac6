"""Idempotency keys as Stripe documents them.

The first request with a key claims it (in a transaction of its own) before any work starts;
its answer is stored in the same transaction as the work itself, so a client that lost the
answer (a dropped connection) gets it back by retrying with the key. The same key with other
parameters is refused; a retry while the first request still runs is told to wait; keys expire
after 24 hours of the stand-in's clock, and are purged then (a claim removes its organization's
expired keys, so the table holds a day of keys, not every key ever used); a claim left by a
request that died is released after a minute.
"""

import hashlib
import json
from datetime import datetime, timedelta

from .clock import Clock
from .errors import IdempotencyKeyInUse, IdempotencyKeyReused

LIFETIME = timedelta(hours=24)
ABANDONED = timedelta(minutes=1)


def fingerprint(method: str, path: str, parameters: dict) -> str:
    """What makes two requests "the same": method, path and the parsed body, canonically."""
    canonical = json.dumps(parameters, sort_keys=True, default=str, separators=(",", ":"))
    return f"{method} {path} {hashlib.sha256(canonical.encode()).hexdigest()}"


def _live(row: dict | None, now) -> dict | None:
    """The key's row unless it expired (or was claimed by a request that died)."""
    if row is None:
        return None
    age = now - datetime.fromisoformat(row["created_at"])
    return None if age > LIFETIME or (row["status"] is None and age > ABANDONED) else row


def lookup(store, clock: Clock, organization_id: int, key: str, request: str) -> tuple[int, dict] | None:
    """The stored (status, body) for `key`, or None when the key is free; refuses a key used with
    other parameters, or still being processed. Reads only: it never waits for a writer."""
    row = _live(store.idempotent_response(organization_id, key), clock.now())
    if row is None:
        return None
    if row["request"] != request:
        raise IdempotencyKeyReused()
    if row["status"] is None:
        raise IdempotencyKeyInUse()
    return row["status"], json.loads(row["body"])


def claim(store, clock: Clock, organization_id: int, key: str, request: str) -> tuple[int, dict] | None:
    """Claim `key` for `request` (in a write transaction); returns the stored (status, body) when
    it already has an answer."""
    stored = lookup(store, clock, organization_id, key, request)
    if stored is not None:
        return stored
    store.forget_idempotent_response(organization_id, key)  # an expired or abandoned claim
    store.purge_idempotent_responses(organization_id, (clock.now() - LIFETIME).isoformat())
    store.insert(
        "idempotent_responses",
        {
            "organization_id": organization_id,
            "key": key,
            "request": request,
            "status": None,
            "body": None,
            "created_at": clock.now().isoformat(),
        },
    )
    return None


def complete(store, organization_id: int, key: str, status: int, body) -> None:
    store.save_idempotent_response(organization_id, key, status, json.dumps(body))


def release(store, organization_id: int, key: str) -> None:
    """The request failed without an answer worth keeping: the key may be used again."""
    store.forget_idempotent_response(organization_id, key)
