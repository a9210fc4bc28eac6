"""A write under the request's Idempotency-Key (the ledger's rules are in domain.idempotency).

The key is first looked up without waiting for any writer (a request still running with it is a
409 at once), then claimed in a transaction of its own, before anything else is looked at; the answer
is stored in the same transaction as the write, so it exists exactly when the write does. A
refused request frees the key.
"""

from ..domain import idempotency

HEADER = "Idempotency-Key"


def write(standin, call, work, wait=None):
    """`work(store, clock)` in one write transaction; with a key, the first answer on a retry.
    `wait()` (a slow Stripe) runs after the key is claimed, before the transaction: a retry
    meanwhile is told the key is in use, and no lock is held while it waits."""
    key = call.headers.get(HEADER)
    organization_id = call.organization_id
    if key:
        request = idempotency.fingerprint(call.method, call.url.path, call.body_as_sent())
        with standin.ledger.read() as store:
            stored = idempotency.lookup(store, standin.clock(store), organization_id, key, request)
        if stored is None:
            with standin.ledger.write() as store:
                stored = idempotency.claim(store, standin.clock(store), organization_id, key, request)
        if stored is not None:
            return stored[1], stored[0]
    try:
        if wait:
            wait()
        with standin.ledger.write() as store:
            answer = work(store, standin.clock(store))
            if key:
                idempotency.complete(store, organization_id, key, 200, answer)
            return answer
    except Exception:
        if key:
            with standin.ledger.write() as store:
                idempotency.release(store, organization_id, key)
        raise
