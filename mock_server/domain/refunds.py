"""Stripe refunds for voided Stripe payments, exactly once per payment.

A refund carries an idempotency key derived from the payment, so asking twice (a retried void)
returns the first refund instead of paying the customer back twice. Faults queued through the
admin API are stored in the ledger and taken in order by the next refunds; a failed refund
makes the whole void roll back, and the attempt is recorded afterwards on its own.

A slow Stripe (a `timeout` fault, or the scope's latency setting) is never waited for inside the
void's write transaction, which holds a lock other tenants need (SQLite's one writer): the refund
raises StripeIsSlow instead, the transaction rolls back, the caller waits with no lock held and
voids again, telling the refund it has waited. The outcome stays atomic, decided inside the
transaction as before; a void that needs no wait pays nothing for this.
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


class StripeIsSlow(Exception):
    """The simulated Stripe takes `seconds` to answer this refund: wait outside the transaction,
    then void again with `waited`."""

    def __init__(self, seconds: float):
        super().__init__(f"Stripe answers in {seconds} s")
        self.seconds = seconds


def refund(store, clock: Clock, stripe, payment: dict, waited: bool = False) -> str:
    """Refund a Stripe payment in full through `stripe` (the simulated Stripe API); returns the
    refund id, the same one on a retry. Raises StripeIsSlow when Stripe would take its time and
    the caller has not waited for it yet."""
    key = idempotency_key(payment)
    existing = store.refund_by_key(key)
    if existing:
        return existing
    fault = store.next_stripe_fault()
    if not waited:
        seconds = stripe.timeout_seconds if fault and fault["fault"] == "timeout" else 0
        if not fault:
            seconds = int(store.scope_setting(LATENCY_SETTING) or 0) / 1000
        if seconds:
            raise StripeIsSlow(seconds)
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
