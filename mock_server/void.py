"""Voiding a payment: the rules of the contract, checked in order, then the effects.

Everything here runs inside the caller's transaction: when any step fails (a rule, the Stripe
refund) the caller rolls back and nothing of the void remains.
"""
from datetime import date

from . import errors, invoices
from .clock import Clock
from .ledger import fetch, fits
from .posting import reverse_entry


def find_payment(db, organization_id: int, invoice_id: int, payment_id: int) -> tuple[dict, dict]:
    """The invoice (of this organization) and its payment; anything else is indistinguishable 404."""
    invoice = invoices.owned(db, "invoices", organization_id, invoice_id)
    if invoice is None:
        raise errors.not_found()
    rows = list(db.query("SELECT * FROM payments WHERE id = ? AND invoice_id = ?", [payment_id, invoice_id])) if fits(payment_id) else []
    if not rows:
        raise errors.not_found()
    return invoice, rows[0]


def resolve_void_date(body: dict, clock: Clock) -> str:
    """The requested void date, or today when it is absent or null."""
    value = body.get("void_date")
    if value is None:
        return clock.today().isoformat()
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError) as exc:
        raise errors.field_error("void_date", errors.DATE_MESSAGE) from exc


def check_voidable(db, invoice: dict, payment: dict, void_date: str) -> None:
    if payment["voided_date"]:
        raise errors.detail(400, "This payment has already been voided.")
    if void_date < payment["payment_date"]:
        raise errors.field_error("void_date", f"The void date cannot be before the payment date ({payment['payment_date']}).")
    invoices.check_open_period(fetch(db, "entities", invoice["entity_id"]), void_date, "void_date")
    if invoice["voided_date"]:
        raise errors.detail(400, "The invoice of this payment is voided.")


def void_payment(db, clock: Clock, gateway, organization_id: int, invoice_id: int, payment_id: int,
                 read_body) -> dict:
    """Void a payment; `read_body` gives the request body (or raises its 400) once the payment is found."""
    invoice, payment = find_payment(db, organization_id, invoice_id, payment_id)
    void_date = resolve_void_date(read_body(), clock)
    check_voidable(db, invoice, payment, void_date)
    reversal_id = reverse_entry(db, clock, payment["journal_entry_id"], date=void_date,
                                memo=f"Void of payment {payment['id']} on {invoice['invoice_number']}")
    db.execute("UPDATE payments SET voided_date = ?, voided_journal_entry_id = ?, last_modified_at = ? WHERE id = ?",
               [void_date, reversal_id, clock.timestamp(), payment["id"]])
    invoices.recompute(db, clock, invoice["id"])
    voided = fetch(db, "payments", payment["id"])
    if voided["source"] == "STRIPE":
        gateway.refund(db, clock, voided)
    return voided
