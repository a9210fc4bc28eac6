"""Checks only the stand-in allows: the Stripe refund log, Stripe failures, the ledger invariants."""
import pytest

from conformance.steps import invoice, payment_row, void


def _refunds_of(mock, payment_id):
    return [r for r in mock.admin("GET", "/stripe/refunds").json() if r["payment_id"] == payment_id]


def test_stripe_void_refunds_exactly_once(mock, provision, provisioner):
    invoice_id, payment_id = provision("stripe")
    assert void(mock, provisioner, invoice_id, payment_id).status_code == 200
    void(mock, provisioner, invoice_id, payment_id)
    refunds = _refunds_of(mock, payment_id)
    total = invoice(mock, invoice_id)["total_amount"]
    assert len(refunds) == 1, f"{len(refunds)} refunds for one voided Stripe payment"
    assert refunds[0]["amount_minor"] == round(total * 100), f"refunded {refunds[0]['amount_minor']} minor units of {total}"


def test_stripe_failure_rolls_the_void_back(mock, provision, provisioner):
    invoice_id, payment_id = provision("stripe")
    before = invoice(mock, invoice_id)
    mock.admin("POST", "/stripe/faults", json={"fault": "api_error"})
    failed = void(mock, provisioner, invoice_id, payment_id, expect_server_error=True)
    mock.admin("DELETE", "/stripe/faults")
    assert failed.status_code == 502, f"a failed refund answered {failed.status_code}"
    assert payment_row(mock, invoice_id, payment_id)["voided_date"] is None, "the void stayed although the refund failed"
    assert invoice(mock, invoice_id)["amount_due"] == before["amount_due"], "the invoice changed although the refund failed"
    assert _refunds_of(mock, payment_id) == []
    assert void(mock, provisioner, invoice_id, payment_id).status_code == 200, "a retry after the failure did not void"
    assert len(_refunds_of(mock, payment_id)) == 1


@pytest.mark.parametrize("kind", ["credit_memo", "fx", "bank"])
def test_other_payment_kinds_void(mock, provision, provisioner, kind):
    invoice_id, payment_id = provision(kind)
    response = void(mock, provisioner, invoice_id, payment_id)
    assert response.status_code == 200, f"voiding a {kind} payment answered {response.status_code}"
    assert invoice(mock, invoice_id)["amount_paid"] == 0


def test_ledger_invariants_hold(mock):
    report = mock.admin("GET", "/invariants").json()
    assert report["healthy"], "violated: " + "; ".join(f"{v['invariant']}: {v['detail']}" for v in report["violations"])
