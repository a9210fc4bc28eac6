"""The same app in-process (no socket): the companion operations and the admin API."""

from support.api import TODAY
from support.ledger import count


def test_list_and_filter_payments(local):
    invoice = local.create_invoice()
    payment = local.pay(invoice["id"], "bank", 100.00)
    listed = local.get("/coa/api/v1/invoice-payments", params={"invoice_id": invoice["id"]}).json()
    assert [row["id"] for row in listed["results"]] == [payment["id"]]
    assert payment["payment_type"] == "BANK_TRANSACTION" and payment["payment_transaction_bank_description"]
    local.void(invoice["id"], payment["id"])
    voided = local.get("/coa/api/v1/invoice-payments", params={"invoice_id": invoice["id"], "voided": "true"}).json()
    assert voided["results"][0]["voided_date"] == TODAY.isoformat()


def test_mark_paid_posts_payments_atomically(local):
    invoice = local.create_invoice()
    cash = next(a["id"] for a in local.get("/coa/api/account").json()["results"] if a["number"] == "1000")
    ok = local.http.post(
        f"/coa/api/v1/invoice/{invoice['id']}/pay/",
        headers=local.auth(),
        json={
            "empty_transactions": [
                {"account_id": cash, "account_name": "Cash", "amount": 70.00, "payment_date": "2026-07-02"}
            ]
        },
    )
    assert ok.status_code == 200, ok.text
    assert len(ok.json()["payment_ids"]) == 1
    entries = count(local.state, "journal_entries")
    too_much = local.http.post(
        f"/coa/api/v1/invoice/{invoice['id']}/pay/",
        headers=local.auth(),
        json={
            "empty_transactions": [
                {"account_id": cash, "account_name": "Cash", "amount": 100.00, "payment_date": "2026-07-02"},
                {"account_id": cash, "account_name": "Cash", "amount": 150.00, "payment_date": "2026-07-02"},
            ]
        },
    )
    assert too_much.status_code == 400 and "empty_transactions" in too_much.json()
    assert count(local.state, "journal_entries") == entries
    assert local.invoice(invoice["id"])["amount_paid"] == 70


def test_paginated_invoice_list(local):
    page = local.get("/coa/api/v1/invoice/", params={"limit": 5}).json()
    assert page["count"] == 72 and len(page["results"]) == 5 and "offset=5" in page["next"]
    assert local.get("/coa/api/v1/invoice/", organization=2).json()["count"] == 24


def test_view_only_can_read_but_not_write(local):
    assert local.get("/coa/api/v1/invoice/", role="view_only").status_code == 200
    response = local.http.post("/coa/api/v1/invoice/", headers=local.auth("view_only"), json={})
    assert response.status_code == 403


def test_tenants_cannot_read_each_other(local):
    assert local.get("/coa/api/v1/invoice/1/", organization=2).status_code == 404
    assert local.get("/coa/api/journal_entry/1", organization=2).status_code == 404


def test_admin_api_and_api_tokens_do_not_mix(local):
    assert (
        local.http.get("/_mock/invariants", headers={"X-Mock-Admin-Token": local.tokens[(1, "admin")]}).status_code
        == 401
    )
    assert local.http.get("/_mock/invariants").status_code == 401
    assert (
        local.http.get("/coa/api/entity", headers={"Authorization": f"Token {local.state.admin_token}"}).status_code
        == 401
    )
    assert local.http.get("/_mock/invariants", headers=local.admin).json()["healthy"] is True


def test_clock_can_be_pinned_through_the_admin_api(local):
    assert local.http.put("/_mock/clock", headers=local.admin, json={"today": "2026-08-01"}).json() == {
        "today": "2026-08-01",
        "pinned": True,
    }
    invoice = local.create_invoice()
    payment = local.pay(invoice["id"], "manual", 5.00)
    assert local.void(invoice["id"], payment["id"]).json()["voided_date"] == "2026-08-01"


def test_reset_empties_and_reloads(local):
    assert local.http.post("/_mock/reset", headers=local.admin, json={"fixtures": "none"}).json() == {"loaded": {}}
    assert count(local.state, "invoices") == 0
    loaded = local.http.post("/_mock/fixtures", headers=local.admin).json()["loaded"]
    assert loaded["invoices"] == 96
    assert local.http.post("/_mock/fixtures", headers=local.admin).status_code == 400
