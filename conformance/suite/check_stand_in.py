"""Checks only the stand-in allows: the Stripe refund log, Stripe failures, the ledger invariants."""

import pytest

from conformance.contract import clip
from conformance.failure import expect
from conformance.steps import invoice, payment_row, void

REFUND_ONCE = "a voided Stripe payment is refunded exactly once, for its whole amount"
ROLLBACK = "a void whose Stripe refund fails answers 502 and changes nothing; a retry then voids"
KINDS = "every kind of payment can be voided"
INVARIANTS = "the ledger's invariants hold (balanced entries, money exact, refunds matched to voids)"


def _refunds_of(mock, payment_id):
    return [r for r in mock.admin("GET", "/stripe/refunds").json() if r["payment_id"] == payment_id]


def _voids(response, found, rule):
    expect(response.status_code == 200, found, rule=rule, expected="200 with the voided payment", response=response)


def test_stripe_void_refunds_exactly_once(mock, provision, provisioner):
    invoice_id, payment_id = provision("stripe")
    response = void(mock, provisioner, invoice_id, payment_id)
    _voids(
        response, f"voiding a Stripe payment answered {response.status_code}: {clip(response.text, 200)}", REFUND_ONCE
    )
    void(mock, provisioner, invoice_id, payment_id)
    refunds = _refunds_of(mock, payment_id)
    total = invoice(mock, invoice_id)["total_amount"]
    expect(
        len(refunds) == 1,
        f"{len(refunds)} refunds for one voided Stripe payment",
        rule=REFUND_ONCE,
        expected="1 refund",
    )
    expect(
        refunds[0]["amount_minor"] == round(total * 100),
        f"refunded {refunds[0]['amount_minor']} minor units of {total}",
        rule=REFUND_ONCE,
        expected=f"{round(total * 100)} minor units",
    )


def test_stripe_failure_rolls_the_void_back(mock, provision, provisioner):
    invoice_id, payment_id = provision("stripe")
    before = invoice(mock, invoice_id)
    mock.admin("POST", "/stripe/faults", json={"fault": "api_error"})
    failed = void(mock, provisioner, invoice_id, payment_id, expect_server_error=True)
    mock.admin("DELETE", "/stripe/faults")
    expect(
        failed.status_code == 502,
        f"a failed refund answered {failed.status_code}",
        rule=ROLLBACK,
        expected="502",
        response=failed,
    )
    expect(
        payment_row(mock, invoice_id, payment_id).get("voided_date") is None,
        "the void stayed although the refund failed",
        rule=ROLLBACK,
        expected="voided_date still null",
    )
    expect(
        invoice(mock, invoice_id).get("amount_due") == before.get("amount_due"),
        "the invoice changed although the refund failed",
        rule=ROLLBACK,
        expected=f"amount_due {before.get('amount_due')} as before",
    )
    refunds = _refunds_of(mock, payment_id)
    expect(
        refunds == [],
        f"{len(refunds)} refund(s) recorded although the refund failed",
        rule=ROLLBACK,
        expected="no refund",
    )
    retry = void(mock, provisioner, invoice_id, payment_id)
    _voids(retry, f"a retry after the failure answered {retry.status_code}", ROLLBACK)
    refunds = _refunds_of(mock, payment_id)
    expect(len(refunds) == 1, f"{len(refunds)} refunds after the retry", rule=ROLLBACK, expected="1 refund")


@pytest.mark.parametrize("kind", ["credit_memo", "fx", "bank"])
def test_other_payment_kinds_void(mock, provision, provisioner, kind):
    invoice_id, payment_id = provision(kind)
    response = void(mock, provisioner, invoice_id, payment_id)
    _voids(response, f"voiding a {kind} payment answered {response.status_code}", KINDS)
    amount_paid = invoice(mock, invoice_id).get("amount_paid")
    expect(
        amount_paid == 0,
        f"amount_paid {amount_paid} after voiding the {kind} payment",
        rule=KINDS,
        expected="amount_paid 0",
    )


def test_ledger_invariants_hold(mock):
    report = mock.admin("GET", "/invariants").json()
    expect(
        report["healthy"],
        "violated: " + "; ".join(f"{v['invariant']}: {v['detail']}" for v in report["violations"]),
        rule=INVARIANTS,
        expected="no violation",
    )
