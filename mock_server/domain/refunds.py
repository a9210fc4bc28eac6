"""Stripe refunds for voided Stripe payments, exactly once per payment.

A refund carries an idempotency key derived from the payment, so asking twice (a retried void)
returns the first refund instead of paying the customer back twice. Faults queued through the
admin API are stored in the ledger and taken in order by the next refunds; a failed refund
makes the whole void roll back, and the attempt is recorded afterwards on its own.
"""
from .clock import Clock
from .errors import RefundFailed
from .money import MoneyError, stripe_minor

FAULTS = {
    "decline": "Stripe declined the refund: charge_already_disputed.",
    "api_error": "Stripe API error: the refund could not be created.",
    "timeout": "Stripe did not answer in time; the refund was not made.",
    "crash": "The stand-in process stops in the middle of the refund (crash rehearsal).",
}


def idempotency_key(payment: dict) -> str:
    return f"void-invoice-payment-{payment['id']}"


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
    store.insert("stripe_refunds", {
        "organization_id": payment["organization_id"], "payment_id": payment["id"],
        "charge_external_id": payment["external_id"], "amount_minor": amount,
        "currency": payment["currency"], "idempotency_key": key, "refund_id": refund_id, "created_at": clock.timestamp(),
    })
    record_attempt(store, clock, payment["id"], key, "succeeded", refund_id)
    return refund_id


def record_attempt(store, clock: Clock, payment_id: int, key: str, outcome: str, detail: str) -> None:
    store.insert("refund_attempts", {"payment_id": payment_id, "idempotency_key": key, "outcome": outcome,
                                     "detail": detail, "created_at": clock.timestamp()})


def record_failure(store, clock: Clock, failure: RefundFailed) -> None:
    """After its void was rolled back: the fault is used up, and the attempt is kept."""
    store.drop_stripe_fault(failure.fault_id)
    record_attempt(store, clock, failure.payment_id, failure.idempotency_key, failure.outcome, failure.message)


def queue_fault(store, fault: str, count: int = 1) -> None:
    if fault not in FAULTS:
        raise ValueError(f"fault must be one of {sorted(FAULTS)}")
    for _ in range(count):
        store.insert("stripe_faults", {"fault": fault})
