"""The mock's own admin API (/_mock/...): controls for tests and provisioning."""
import sqlite3
from datetime import date

from fixtures import DEFAULT

from .. import books, credit_memos, errors, fixtures, invariants, payments, representations, request_body
from ..ledger import fetch, fits
from ..money import MoneyError, to_minor
from ..posting import account_for


def _clock(state) -> dict:
    return {"today": state.clock.today().isoformat(), "pinned": state.clock.pinned_today is not None}


def mock_reset(state):
    choice = request_body.data().get("fixtures") or "none"
    state.ledger.reset()
    state.gateway.clear_faults()
    loaded = fixtures.load(state.ledger, DEFAULT) if choice == "default" else {}
    return {"loaded": loaded}


def mock_load_fixtures(state):
    try:
        return {"loaded": fixtures.load(state.ledger, DEFAULT)}
    except sqlite3.IntegrityError as exc:  # a second load collides on primary keys
        raise errors.detail(400, f"Could not load the dataset ({exc}); reset first.") from exc


def mock_get_clock(state):
    return _clock(state)


def mock_set_clock(state):
    today = request_body.data().get("today")
    state.clock.pinned_today = date.fromisoformat(today) if today else None
    return _clock(state)


def _minor(value, currency, field):
    try:
        return to_minor(value, currency) if value is not None else None
    except MoneyError as exc:
        raise errors.field_error(field, str(exc)) from exc


def mock_create_payment(state):
    body = request_body.data()
    with state.ledger.transaction() as db:
        found = list(db.query("SELECT * FROM invoices WHERE id = ?", [body["invoice_id"]])) if fits(body["invoice_id"]) else []
        if not found:
            raise errors.not_found()
        invoice = found[0]
        kind, currency = body["kind"], invoice["currency"]
        amount = _minor(body["amount"], currency, "amount")
        discount = _minor(body.get("discount"), currency, "discount") or 0
        entity = fetch(db, "entities", invoice["entity_id"])
        extra = {"book_amount_minor": _minor(body.get("book_amount"), entity["currency"], "book_amount")}
        paid_on = body.get("payment_date") or state.clock.today().isoformat()
        if kind == "manual":
            extra["account_id"] = account_for(db, entity["id"], "cash")
        elif kind == "bank":
            extra["bank_transaction_id"] = books.create_bank_transaction(
                db, invoice["organization_id"], account_for(db, entity["id"], "bank"), amount, currency, paid_on,
                f"Provisioned deposit for {invoice['invoice_number']}")
        elif kind == "credit_memo":
            extra["credit_memo_id"] = body.get("credit_memo_id") or credit_memos.create_credit_memo(
                db, state.clock, invoice["organization_id"], entity["id"], invoice["customer_id"], amount, paid_on)
        elif kind == "stripe":
            next_id = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM payments").fetchone()[0]
            extra["external_id"] = body.get("external_id") or f"btxn_mock{next_id:012d}"
        if kind != "stripe" and body.get("external_id"):
            extra["external_id"] = body["external_id"]
        payment_id = payments.record_payment(db, state.clock, invoice, kind=kind, amount_minor=amount,
                                             discount_minor=discount, payment_date=paid_on, **extra)
        return representations.payment(db, fetch(db, "payments", payment_id)), 201


def mock_list_refunds(state):
    with state.ledger.reading() as db:
        return [dict(row) for row in db.query("SELECT * FROM stripe_refunds ORDER BY id")]


def mock_list_refund_attempts(state):
    with state.ledger.reading() as db:
        return [dict(row) for row in db.query("SELECT * FROM refund_attempts ORDER BY id")]


def _faults(state) -> dict:
    return {"pending": state.gateway.pending_faults()}


def mock_list_faults(state):
    return _faults(state)


def mock_inject_fault(state):
    body = request_body.data()
    state.gateway.inject(body["fault"], body.get("count") or 1)
    return _faults(state)


def mock_clear_faults(state):
    state.gateway.clear_faults()
    return _faults(state)


def mock_check_invariants(state):
    with state.ledger.reading() as db:
        return invariants.report(db)
