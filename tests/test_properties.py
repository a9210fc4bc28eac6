"""Random sequences of pay and void over several invoices keep every ledger invariant."""
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_server import books, errors, invariants, invoices, payments, void
from mock_server.credit_memos import create_credit_memo
from mock_server.clock import Clock
from mock_server.ledger import Ledger
from mock_server.stripe_gateway import LedgerStripeGateway

KINDS = ["manual", "stripe", "credit_memo", "bank", "fx", "discount"]
steps = st.lists(st.tuples(st.sampled_from(["pay", "void"]), st.integers(0, 3), st.sampled_from(KINDS),
                           st.integers(1, 60000), st.integers(0, 30), st.booleans()), min_size=1, max_size=40)


def _world():
    ledger = Ledger()
    clock = Clock(today=date(2026, 7, 31))
    with ledger.transaction() as db:
        org = books.create_organization(db, "Prop Co")
        entity = books.create_entity(db, clock, org, "Prop US", "USD")
        customer = books.create_customer(db, clock, org, "Buyer")
        ids = [invoices.create_invoice(db, clock, org, {
            "entity": entity, "client": customer, "invoice_date": "2026-07-01", "due_date": "2026-07-31",
            "currency": "EUR" if i == 3 else "USD", "exchange_rate": "1.0850" if i == 3 else None,
            "lines": [{"amount": 1234.56 + i, "tax": 7.01}]}) for i in range(4)]
    return ledger, clock, org, entity, ids


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_any_sequence_of_pays_and_voids_keeps_the_invariants(sequence):
    ledger, clock, org, entity, invoice_ids = _world()
    gateway = LedgerStripeGateway(timeout_seconds=0)
    for index, (action, which, kind, amount, day, fail) in enumerate(sequence):
        invoice_id = invoice_ids[which]
        try:
            with ledger.transaction() as db:
                invoice = db["invoices"].get(invoice_id)
                if action == "pay":
                    due = invoice["total_minor"] - invoice["paid_minor"]
                    amount = min(amount, due) if due else amount
                    extra = {}
                    if kind == "bank":
                        extra["bank_transaction_id"] = books.create_bank_transaction(
                            db, org, db.execute("SELECT id FROM accounts WHERE role='bank'").fetchone()[0],
                            amount, invoice["currency"], "2026-07-02", "deposit")
                    elif kind == "credit_memo":
                        extra["credit_memo_id"] = create_credit_memo(db, clock, org, entity, invoice["customer_id"], amount, "2026-07-01")
                    elif kind == "stripe":
                        extra["external_id"] = f"btxn_prop{index}"
                    elif kind in ("manual", "fx", "discount"):
                        extra["account_id"] = db.execute("SELECT id FROM accounts WHERE role='cash'").fetchone()[0]
                        if kind == "fx":
                            extra["book_amount_minor"] = amount * 11 // 10
                        if kind == "discount" and amount > 1:
                            extra["discount_minor"] = amount // 50
                            amount -= extra["discount_minor"]
                    payments.record_payment(db, clock, invoice, kind={"fx": "manual", "discount": "manual"}.get(kind, kind),
                                            amount_minor=amount, payment_date=f"2026-07-{1 + day % 28:02d}", **extra)
                else:
                    candidates = list(db.query("SELECT id FROM payments WHERE invoice_id = ? ORDER BY id", [invoice_id]))
                    if not candidates:
                        continue
                    if fail:
                        gateway.inject("api_error")
                    target = candidates[amount % len(candidates)]["id"]
                    void.void_payment(db, clock, gateway, org, invoice_id, target, lambda: {"void_date": "2026-07-30"})
        except errors.ApiError as refused:
            assert refused.status_code in (400, 502)
        gateway.clear_faults()
        with ledger.reading() as db:
            report = invariants.report(db)
        assert report["violations"] == [], (sequence[: index + 1], report["violations"])
