"""The Stripe refund gateway: the default one records refunds in the ledger database.

A refund carries an idempotency key derived from the payment, so asking twice (a retried void)
returns the first refund instead of paying the customer back twice. Faults can be queued for
the next N refunds to rehearse Stripe failures; a failure makes the whole void roll back.
"""
import hashlib
import os
import threading
import time
from collections import deque

from .clock import Clock
from .errors import ApiError
from .ledger import insert

FAULTS = {
    "decline": "Stripe declined the refund: charge_already_disputed.",
    "api_error": "Stripe API error: the refund could not be created.",
    "timeout": "Stripe did not answer in time; the refund was not made.",
    "crash": "The mock process stops in the middle of the refund (crash rehearsal).",
}


class RefundFailed(ApiError):
    """Stripe did not refund: the void answers 502 and changes nothing."""

    def __init__(self, payment_id: int, idempotency_key: str, outcome: str):
        super().__init__(502, {"detail": FAULTS[outcome]})
        self.payment_id = payment_id
        self.idempotency_key = idempotency_key
        self.outcome = outcome


def idempotency_key(payment: dict) -> str:
    return f"void-invoice-payment-{payment['id']}"


class LedgerStripeGateway:
    """Refunds written to the `stripe_refunds` table, inside the caller's transaction."""

    def __init__(self, timeout_seconds: float = 0.2):
        self.timeout_seconds = timeout_seconds
        self._faults: deque[str] = deque()
        self._lock = threading.Lock()

    def inject(self, fault: str, count: int = 1) -> None:
        if fault not in FAULTS:
            raise ValueError(f"fault must be one of {sorted(FAULTS)}")
        with self._lock:
            self._faults.extend([fault] * count)

    def pending_faults(self) -> list[str]:
        with self._lock:
            return list(self._faults)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _next_fault(self) -> str | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def refund(self, db, clock: Clock, payment: dict) -> str:
        """Refund a Stripe payment in full; returns the refund id (the same one on a retry)."""
        key = idempotency_key(payment)
        existing = db.execute("SELECT refund_id FROM stripe_refunds WHERE idempotency_key = ?", [key]).fetchone()
        if existing:
            return existing[0]
        fault = self._next_fault()
        if fault == "crash":
            os._exit(75)
        if fault == "timeout":
            time.sleep(self.timeout_seconds)
        if fault:
            raise RefundFailed(payment["id"], key, fault)
        refund_id = "re_" + hashlib.sha256(key.encode()).hexdigest()[:24]
        now = clock.timestamp()
        insert(db, "stripe_refunds", {
            "organization_id": payment["organization_id"], "payment_id": payment["id"],
            "charge_external_id": payment["external_id"], "amount_minor": payment["amount_minor"],
            "currency": payment["currency"], "idempotency_key": key, "refund_id": refund_id, "created_at": now,
        })
        record_attempt(db, clock, payment["id"], key, "succeeded", refund_id)
        return refund_id


def record_attempt(db, clock: Clock, payment_id: int, key: str, outcome: str, detail: str) -> None:
    insert(db, "refund_attempts", {"payment_id": payment_id, "idempotency_key": key, "outcome": outcome,
                                  "detail": detail, "created_at": clock.timestamp()})


def record_failure(db, clock: Clock, failure: RefundFailed) -> None:
    """Keep a trace of a failed refund after its void was rolled back."""
    record_attempt(db, clock, failure.payment_id, failure.idempotency_key, failure.outcome, failure.body["detail"])
