"""The tiny client's tests, written as a Campfire client's own test suite would be: the
`campfire_standin` fixture comes from the stand-in's pytest plugin (installed with the package),
and the faults make the network misbehave exactly where a retry loop can go wrong."""

import pytest
from void_client import void_payment

VOID = "coa_api_v1_invoice_payment_void_create"


@pytest.fixture
def payment(campfire_standin):
    """A fresh invoice of Northwind Traders paid by Stripe: (invoice id, payment id)."""
    invoice = campfire_standin.create_invoice(270.00, organization="Northwind Traders")
    paid = campfire_standin.create_payment(invoice["id"], "stripe", 270.00)
    return invoice["id"], paid["id"]


def void(standin, payment, **options):
    return void_payment(standin.base_url, standin.token("admin", "Northwind Traders"), *payment, pause=0.01, **options)


def reversals_and_refunds(standin, payment) -> tuple[int, int]:
    """Reversing entries and Stripe refunds recorded for the payment (the ledger checked healthy)."""
    report = standin.invariants()
    assert report["healthy"], report["violations"]
    refunds = [refund for refund in standin.refunds() if refund["payment_id"] == payment[1]]
    return len(standin.reversals(payment[1])), len(refunds)


def test_retries_through_a_503_then_succeeds(campfire_standin, payment):
    campfire_standin.add_fault(operation=VOID, status=503, headers={"Retry-After": "0"}, times=2)
    response = void(campfire_standin, payment)
    assert response.status_code == 200 and response.json()["voided_date"]
    assert [entry["status"] for entry in campfire_standin.requests(operation=VOID)] == [503, 503, 200]
    assert reversals_and_refunds(campfire_standin, payment) == (1, 1)


def test_answer_lost_after_the_void_with_idempotency_key_gets_the_original_answer(campfire_standin, payment):
    campfire_standin.add_fault(operation=VOID, action="apply_then_drop", times=1)
    response = void(campfire_standin, payment, idempotency_key="void-once-4711")
    assert response.status_code == 200 and response.json()["voided_date"]
    first, retry = campfire_standin.requests(operation=VOID)
    assert first["status"] is None and first["fault"]["withheld_status"] == 200  # committed, answer never sent
    assert retry["status"] == 200 and retry["idempotency_key"] == "void-once-4711"
    assert reversals_and_refunds(campfire_standin, payment) == (1, 1)


def test_answer_lost_after_the_void_without_key_then_already_voided(campfire_standin, payment):
    campfire_standin.add_fault(operation=VOID, action="apply_then_drop", times=1)
    response = void(campfire_standin, payment)
    assert response.status_code == 400
    assert response.json() == {"detail": "This payment has already been voided."}
    assert reversals_and_refunds(campfire_standin, payment) == (1, 1)


def test_a_stripe_decline_is_retried_and_refunded_once(campfire_standin, payment):
    campfire_standin.queue_stripe_fault("decline")
    response = void(campfire_standin, payment)
    assert response.status_code == 200
    attempts = [
        attempt["outcome"] for attempt in campfire_standin.refund_attempts() if attempt["payment_id"] == payment[1]
    ]
    assert attempts == ["decline", "succeeded"]
    assert reversals_and_refunds(campfire_standin, payment) == (1, 1)


def test_a_lasting_stripe_decline_leaves_the_payment_as_it_was(campfire_standin, payment):
    campfire_standin.queue_stripe_fault("decline", count=4)
    response = void(campfire_standin, payment)
    assert response.status_code == 502
    assert [entry["status"] for entry in campfire_standin.requests(operation=VOID)] == [502] * 4
    assert reversals_and_refunds(campfire_standin, payment) == (0, 0)


def test_the_client_sends_exactly_one_void_when_nothing_fails(campfire_standin, payment):
    assert void(campfire_standin, payment).status_code == 200
    assert void(campfire_standin, payment).status_code == 400  # a refusal is not retried
    sent = campfire_standin.requests(operation=VOID)
    assert [(entry["method"], entry["path"], entry["status"]) for entry in sent] == [
        ("POST", f"/coa/api/v1/invoice/{payment[0]}/payment/{payment[1]}/void/", 200),
        ("POST", f"/coa/api/v1/invoice/{payment[0]}/payment/{payment[1]}/void/", 400),
    ]
    northwind = {
        row["organization_id"] for row in campfire_standin.tokens if row["organization"] == "Northwind Traders"
    }
    assert all(entry["organization_id"] in northwind and entry["fault"] is None for entry in sent)


@pytest.mark.campfire_empty
def test_an_empty_ledger_knows_no_token(campfire_standin):
    assert campfire_standin.tokens == []
    response = void_payment(campfire_standin.base_url, "nw_admin_" + "0" * 16, 4, 3, attempts=1)
    assert response.status_code == 401
