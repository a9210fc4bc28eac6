"""A write under the request's Idempotency-Key (the ledger's rules are in domain.idempotency).

The key is first looked up without waiting for any writer (a request still running with it is a
409 at once), then claimed in a transaction of its own, before anything else is looked at; the answer
is stored in the same transaction as the write, so it exists exactly when the write does. A
refused request frees the key.
"""

from ..domain import idempotency, refunds

HEADER = "Idempotency-Key"


def write(standin, call, work):
    """`work(store, clock, waited)` in one write transaction; with a key, the first answer on a
    retry. When the work finds Stripe slow, its transaction rolls back and the wait happens with
    no lock held (a retry meanwhile is told the key is in use); then the work runs again, waited."""
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
        try:
            return _attempt(standin, work, organization_id, key, waited=False)
        except refunds.StripeIsSlow as slow:
            standin.stripe.wait(slow.seconds)
            return _attempt(standin, work, organization_id, key, waited=True)
    except Exception:
        if key:
            with standin.ledger.write() as store:
                idempotency.release(store, organization_id, key)
        raise


def _attempt(standin, work, organization_id, key, *, waited: bool):
    with standin.ledger.write() as store:
        answer = work(store, standin.clock(store), waited)
        if key:
            idempotency.complete(store, organization_id, key, 200, answer)
        return answer
