"""The companion document makes an invoice's `client` optional (nullable, not required): an
invoice without one is created, paid and voided; only a credit memo, which is a customer's,
cannot pay it."""


def _without_client(api) -> dict:
    response = api.http.post(
        "/coa/api/v1/invoice/",
        headers=api.auth(),
        json={
            "entity": 1,
            "invoice_date": "2026-07-01",
            "due_date": "2026-07-31",
            "lines": [{"description": "Consulting", "amount": 100.00, "tax": 0}],
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_an_invoice_without_a_client_is_created_paid_and_voided(live):
    invoice = _without_client(live)
    assert invoice["client"] is None and invoice["client_name"] == ""
    payment = live.pay(invoice["id"], "stripe", 100.00)
    voided = live.void(invoice["id"], payment["id"])
    assert voided.status_code == 200, voided.text
    assert live.invoice(invoice["id"])["amount_due"] == 100.00
    assert live.invariants()["healthy"]


def test_a_credit_memo_cannot_pay_an_invoice_without_a_client(live):
    invoice = _without_client(live)
    response = live.http.post(
        "/_mock/payments",
        headers=live.admin,
        json={"invoice_id": invoice["id"], "kind": "credit_memo", "amount": 10, "payment_date": "2026-07-05"},
    )
    assert response.status_code == 400
    assert "no client" in response.json()["credit_memo_id"][0]
