"""Random sequences of pay and void over several invoices keep every ledger invariant
(the rules run in-process against the store, no HTTP), on each storage engine."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_server.domain import errors, invoices, organizations, payments, refunds, void
from mock_server.domain.clock import Clock
from mock_server.storage import SqliteLedger, invariants, open_ledger
from mock_server.stripe_simulator import StripeSimulator

KINDS = ["manual", "stripe", "credit_memo", "bank", "fx", "discount"]
steps = st.lists(
    st.tuples(
        st.sampled_from(["pay", "void"]),
        st.integers(0, 3),
        st.sampled_from(KINDS),
        st.integers(1, 60000),
        st.integers(0, 30),
        st.booleans(),
    ),
    min_size=1,
    max_size=40,
)


@pytest.fixture(scope="module")
def ledger(engine, request):
    """An empty ledger on the engine of the test."""
    made = SqliteLedger() if engine == "sqlite" else open_ledger(request.getfixturevalue("pg_cluster").new_database())
    yield made
    made.close()


def _world(ledger):
    """A small organization with four invoices (one in EUR) in `ledger`, emptied first."""
    ledger.reset()
    clock = Clock(today=date(2026, 7, 31))
    with ledger.write() as store:
        org = organizations.create_organization(store, "Prop Co")
        entity = organizations.create_entity(store, clock, org, "Prop US", "USD")
        customer = organizations.create_customer(store, clock, org, "Buyer")
        ids = [
            invoices.create_invoice(
                store,
                clock,
                org,
                {
                    "entity": entity,
                    "client": customer,
                    "invoice_date": "2026-07-01",
                    "due_date": "2026-07-31",
                    "currency": "EUR" if i == 3 else "USD",
                    "exchange_rate": "1.0850" if i == 3 else None,
                    "lines": [{"amount": 1234.56 + i, "tax": 7.01}],
                },
            )
            for i in range(4)
        ]
    return clock, org, ids


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_any_sequence_of_pays_and_voids_keeps_the_invariants(ledger, sequence):
    """Apply the steps one transaction each; after every step the invariants hold."""
    clock, org, invoice_ids = _world(ledger)
    stripe = StripeSimulator(timeout_seconds=0)
    for index, (action, which, kind, amount, day, fail) in enumerate(sequence):
        invoice_id = invoice_ids[which]
        try:
            with ledger.write() as store:
                invoice = store.get("invoices", invoice_id)
                if action == "pay":
                    due = invoice["total_minor"] - invoice["paid_minor"]
                    amount = min(amount, due) if due else amount
                    extra = {}
                    if kind == "stripe":
                        extra["external_id"] = f"btxn_prop{index}"
                    if kind == "fx":
                        extra["book_amount_minor"] = amount * 11 // 10
                    if kind == "discount" and amount > 1:
                        extra["discount_minor"] = amount // 50
                        amount -= extra["discount_minor"]
                    payments.pay(
                        store,
                        clock,
                        invoice,
                        {"fx": "manual", "discount": "manual"}.get(kind, kind),
                        amount,
                        f"2026-07-{1 + day % 28:02d}",
                        **extra,
                    )
                else:
                    candidates = store._rows("SELECT id FROM payments WHERE invoice_id = ? ORDER BY id", [invoice_id])
                    if not candidates:
                        continue
                    if fail:
                        refunds.queue_fault(store, "api_error")
                    found_invoice, payment = void.find_payment(
                        store, org, invoice_id, candidates[amount % len(candidates)]["id"]
                    )
                    void.void_payment(store, clock, stripe, found_invoice, payment, "2026-07-30")
        except errors.LedgerError as refused:
            assert not isinstance(refused, errors.NotFound)
        with ledger.write() as store:
            store.clear_stripe_faults()
        with ledger.read() as store:
            report = invariants.report(store)
        assert report["violations"] == [], (sequence[: index + 1], report["violations"])
