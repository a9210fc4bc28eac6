"""The void operation over real HTTP (uvicorn on 127.0.0.1), responses validated against spec/."""

import pytest

from support.api import TODAY
from support.ledger import assert_mirrors, assert_seed_payment, value

# kind -> (payment request extras, amount paid) on a 250.00 + 20.00 tax USD invoice
KINDS = {
    "manual": ({}, 270.00),
    "bank": ({}, 270.00),
    "credit_memo": ({}, 100.00),
    "stripe": ({}, 270.00),
    "discount": ({"discount": 5.40}, 264.60),
}


def _journal(api, entry_id):
    response = api.get(f"/coa/api/journal_entry/{entry_id}")
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("kind", KINDS)
def test_void_each_kind_restores_the_invoice(live_on_engine, kind):
    extra, amount = KINDS[kind]
    invoice = live_on_engine.create_invoice()
    payment = live_on_engine.pay(invoice["id"], kind.replace("discount", "manual"), amount, **extra)
    before = live_on_engine.invoice(invoice["id"])
    memo_before = None
    if kind == "credit_memo":
        memo_id = int(value(live_on_engine.state, "SELECT credit_memo_id FROM payments WHERE id = ?", [payment["id"]]))
        memo_before = live_on_engine.get(f"/coa/api/v1/credit-memo/{memo_id}").json()
        assert memo_before["amount_remaining"] == 0

    response = live_on_engine.void(invoice["id"], payment["id"], json={"void_date": "2026-07-10"})

    assert response.status_code == 200, response.text
    body = response.json()
    assert_seed_payment(body)
    assert body["voided_date"] == "2026-07-10"
    assert body["voided_journal_entry"] and body["voided_journal_entry_order"].startswith("JE-")
    original, reversal = (
        _journal(live_on_engine, body["payment_journal_entry"]),
        _journal(live_on_engine, body["voided_journal_entry"]),
    )
    assert_mirrors(original, reversal)
    assert reversal["date"] == "2026-07-10"
    after = live_on_engine.invoice(invoice["id"])
    assert (after["status"], after["amount_paid"], after["amount_due"], after["paid_date"]) == ("open", 0, 270, None)
    assert before["amount_due"] < 270
    if kind in ("manual", "bank", "stripe", "discount"):
        assert before["status"] == "paid" and before["paid_date"] == "2026-07-05"
    if kind == "discount":
        assert body["payment_term_discount_transaction"] is not None
    if kind == "credit_memo":
        memo_after = live_on_engine.get(f"/coa/api/v1/credit-memo/{memo_id}").json()
        assert memo_after["amount_remaining"] == 100
    refunds = [r for r in live_on_engine.refunds() if r["payment_id"] == payment["id"]]
    if kind == "stripe":
        assert [(r["amount_minor"], r["currency"], r["charge_external_id"]) for r in refunds] == [
            (27000, "USD", payment["external_id"])
        ]
    else:
        assert refunds == []
    assert live_on_engine.invariants()["violations"] == []


def test_foreign_currency_payment_reverses_its_fx_line(live_on_engine):
    invoice = live_on_engine.create_invoice(amount=1000.00, tax=0, currency="EUR", exchange_rate=1.0850)
    payment = live_on_engine.pay(invoice["id"], "manual", 1000.00, book_amount=1100.00)
    assert payment["fx_gain_loss_realized_transaction"] is not None
    body = live_on_engine.void(invoice["id"], payment["id"]).json()
    original, reversal = (
        _journal(live_on_engine, body["payment_journal_entry"]),
        _journal(live_on_engine, body["voided_journal_entry"]),
    )
    assert_mirrors(original, reversal)
    fx = [t for t in reversal["transactions"] if t["account_number"] == "7100"]
    assert [(t["debit_amount"], t["credit_amount"]) for t in fx] == [(15, 0)]  # the 15.00 gain taken back
    assert live_on_engine.invoice(invoice["id"])["amount_due"] == 1000
    assert live_on_engine.invariants()["violations"] == []


def test_jpy_amounts_have_no_decimals(live):
    invoice = live.create_invoice(amount=12000, tax=960, entity=3)
    assert invoice["currency"] == "JPY" and invoice["total_amount"] == 12960
    payment = live.pay(invoice["id"], "stripe", 12960)
    live.void(invoice["id"], payment["id"])
    assert [r["amount_minor"] for r in live.refunds() if r["payment_id"] == payment["id"]] == [12960]
    bad = live.http.post(
        "/coa/api/v1/invoice/",
        headers=live.auth(),
        json={
            "entity": 3,
            "client": 1,
            "invoice_date": "2026-07-01",
            "due_date": "2026-07-31",
            "lines": [{"description": "x", "amount": 10.5}],
        },
    )
    assert bad.status_code == 400 and "lines" in bad.json()


@pytest.mark.parametrize(
    "send",
    [
        lambda api, i, p: api.void(i, p),
        lambda api, i, p: api.void(i, p, json={}),
        lambda api, i, p: api.void(i, p, json={"void_date": None}),
        lambda api, i, p: api.void(i, p, data={"void_date": ""}),
        lambda api, i, p: api.void(i, p, files={"void_date": (None, "")}),
    ],
    ids=["no-body", "empty-object", "null", "blank-form", "blank-multipart"],
)
def test_void_date_defaults_to_today(live, send):
    invoice = live.create_invoice()
    payment = live.pay(invoice["id"], "manual", 10.00)
    response = send(live, invoice["id"], payment["id"])
    assert response.status_code == 200, response.text
    assert response.json()["voided_date"] == TODAY.isoformat()


@pytest.mark.parametrize("encoding", ["json", "data", "files"])
def test_content_types_give_the_same_result(live_on_engine, encoding):
    invoice = live_on_engine.create_invoice()
    payment = live_on_engine.pay(invoice["id"], "stripe", 270.00)
    value = {"void_date": "2026-07-12"}
    kwargs = {"files": {"void_date": (None, "2026-07-12")}} if encoding == "files" else {encoding: value}
    response = live_on_engine.void(invoice["id"], payment["id"], **kwargs)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["voided_date"], body["amount"], body["source"]) == ("2026-07-12", 270, "STRIPE")
    assert live_on_engine.invoice(invoice["id"])["status"] == "open"
    assert len([r for r in live_on_engine.refunds() if r["payment_id"] == payment["id"]]) == 1
