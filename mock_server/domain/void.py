"""Voiding a payment: the rules of the contract, checked in order, then the effects.

Everything here runs inside the caller's write transaction: when any step fails (a rule, the
Stripe refund) the caller rolls back and nothing of the void remains. The look-up is its own
step so that the web layer can answer 404 before it looks at the body, as DRF does.
"""

from datetime import date

from . import invoices, refunds
from .clock import Clock
from .errors import (
    DATE_MESSAGE,
    InvalidField,
    InvoiceVoided,
    NotFound,
    PaymentAlreadyVoided,
    VoidBeforePayment,
)
from .posting import reverse_entry


def find_payment(store, organization_id: int, invoice_id, payment_id) -> tuple[dict, dict]:
    """The invoice (of this organization) and its payment; anything else is an indistinguishable 404."""
    invoice = invoices.owned(store, "invoices", organization_id, invoice_id)
    payment = store.payment_of_invoice(invoice["id"], payment_id)
    if payment is None:
        raise NotFound(f"payment {payment_id} of invoice {invoice_id}")
    return invoice, payment


def resolve_void_date(value, clock: Clock) -> str:
    """The requested void date, or today when it is absent or null."""
    if value is None:
        return clock.today().isoformat()
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError) as exc:
        raise InvalidField("void_date", DATE_MESSAGE) from exc


def check_voidable(store, invoice: dict, payment: dict, void_date: str) -> None:
    if payment["voided_date"]:
        raise PaymentAlreadyVoided()
    if void_date < payment["payment_date"]:
        raise VoidBeforePayment(
            "void_date", f"The void date cannot be before the payment date ({payment['payment_date']})."
        )
    invoices.check_open_period(store.get("entities", invoice["entity_id"]), void_date, "void_date")
    if invoice["voided_date"]:
        raise InvoiceVoided("The invoice of this payment is voided.")


def void_payment(
    store, clock: Clock, stripe, invoice: dict, payment: dict, requested_date, waited: bool = False
) -> dict:
    """Void a payment found by :func:`find_payment`; returns the voided payment's row."""
    void_date = resolve_void_date(requested_date, clock)
    check_voidable(store, invoice, payment, void_date)
    reversal_id = reverse_entry(
        store,
        clock,
        payment["journal_entry_id"],
        date=void_date,
        memo=f"Void of payment {payment['id']} on {invoice['invoice_number']}",
    )
    voided = {
        **payment,
        "voided_date": void_date,
        "voided_journal_entry_id": reversal_id,
        "last_modified_at": clock.timestamp(),
    }
    store.update(
        "payments",
        payment["id"],
        voided_date=void_date,
        voided_journal_entry_id=reversal_id,
        last_modified_at=voided["last_modified_at"],
    )
    invoices.recompute(store, clock, invoice)
    if voided["source"] == "STRIPE":
        refunds.refund(store, clock, stripe, voided, waited)
    return voided
