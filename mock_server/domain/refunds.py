"""Stripe refunds for voided Stripe payments, exactly once per payment.

A refund carries an idempotency key derived from the payment, so asking twice (a retried void)
returns the first refund instead of paying the customer back twice. Faults queued through the
admin API are stored in the ledger and taken in order by the next refunds; a failed refund
makes the whole void roll back, and the attempt is recorded afterwards on its own.

A slow Stripe (a `timeout` fault, or the scope's latency setting) is waited for before the void's
write transaction begins, never inside it: a write transaction holds a lock other tenants need
(SQLite's one writer), and a simulated wait must not hold it. The outcome stays atomic, decided
inside the transaction as before.
"""

from .clock import Clock
from .errors import InvalidField, RefundFailed
from .money import MoneyError, stripe_minor

FAULTS = {
    "decline": "Stripe declined the refund: charge_already_disputed.",
    "api_error": "Stripe API error: the refund could not be created.",
    "timeout": "Stripe did not answer in time; the refund was not made.",
    "crash": "The stand-in process stops in the middle of the refund (crash rehearsal).",
}
LATENCY_SETTING = "stripe_latency_ms"  # a scope's setting: every refund succeeds after this many ms
MAX_LATENCY_MS = 60_000
MAX_PENDING_FAULTS = 1000  # per scope: a queue that only grows is a mistake, not a rehearsal
SERVER_FAULTS = frozenset({"crash"})  # reach past one tenant: the server's admin token alone may queue them


def idempotency_key(payment: dict) -> str:
    return f"void-invoice-payment-{payment['id']}"


def wait_seconds(store, stripe, payment: dict) -> float:
    """How long the simulated Stripe takes to answer the refund a void of `payment` asks for (0
    when it asks for none): read in a read transaction, waited for outside any write."""
    if payment["source"] != "STRIPE" or payment["voided_date"] or store.refund_by_key(idempotency_key(payment)):
        return 0
    fault = store.next_stripe_fault()
    if fault:
        return stripe.timeout_seconds if fault["fault"] == "timeout" else 0
    return int(store.scope_setting(LATENCY_SETTING) or 0) / 1000


def refund(store, clock: Clock, stripe, payment: dict) -> str:
    """Refund a Stripe payment in full through `stripe` (the simulated Stripe API); returns the
    refund id, the same one on a retry."""
    key = idempotency_key(payment)
    existing = store.refund_by_key(key)
    if existing:
        return existing
    fault = store.next_stripe_fault()
    if fault:
        stripe.fail(fault["fault"])
        raise RefundFailed(payment["id"], key, fault["fault"], FAULTS[fault["fault"]], fault["id"])
    try:
        amount = stripe_minor(payment["amount_minor"], payment["currency"])  # Stripe's minor units, not ISO's
    except MoneyError as refused:
        raise RefundFailed(payment["id"], key, "invalid_amount", str(refused)) from refused
    refund_id = stripe.create_refund(key)
    store.insert(
        "stripe_refunds",
        {
            "organization_id": payment["organization_id"],
            "payment_id": payment["id"],
            "charge_external_id": payment["external_id"],
            "amount_minor": amount,
            "currency": payment["currency"],
            "idempotency_key": key,
            "refund_id": refund_id,
            "created_at": clock.timestamp(),
        },
    )
    record_attempt(store, clock, payment["id"], key, "succeeded", refund_id)
    return refund_id


def record_attempt(store, clock: Clock, payment_id: int, key: str, outcome: str, detail: str) -> None:
    store.insert(
        "refund_attempts",
        {
            "payment_id": payment_id,
            "idempotency_key": key,
            "outcome": outcome,
            "detail": detail,
            "created_at": clock.timestamp(),
        },
    )


def record_failure(store, clock: Clock, failure: RefundFailed) -> None:
    """After its void was rolled back: the fault is used up, and the attempt is kept."""
    store.drop_stripe_fault(failure.fault_id)
    record_attempt(store, clock, failure.payment_id, failure.idempotency_key, failure.outcome, failure.message)


def queue_fault(store, fault: str, count: int = 1) -> None:
    if fault not in FAULTS:
        raise ValueError(f"fault must be one of {sorted(FAULTS)}")
    if len(store.stripe_faults()) + count > MAX_PENDING_FAULTS:
        raise InvalidField(
            "count",
            f"At most {MAX_PENDING_FAULTS} Stripe faults may be pending at once; "
            "let some be used or clear them (DELETE /_mock/stripe/faults).",
        )
    for _ in range(count):
        store.insert("stripe_faults", {"fault": fault})
