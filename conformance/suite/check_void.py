"""The void's observable semantics, through the public API alone."""
from datetime import timedelta

import pytest

from conformance.contract import clip
from conformance.plugin import not_applicable
from conformance.steps import assert_unchanged, invoice, json_of, payment_row, snapshot, void


def _voided(response) -> dict:
    """The body of a void answered 200: a payment object."""
    body = json_of(response, "the void")
    assert isinstance(body, dict), f"the void answered a JSON {type(body).__name__}, not a payment"
    return body


def _today_window(provisioner, target):
    if target.is_mock:
        return {provisioner.today.isoformat()}
    return {(provisioner.today + timedelta(days=d)).isoformat() for d in (-1, 0, 1)}


def test_void_echoes_the_requested_date(target, provision, provisioner):
    invoice_id, payment_id = provision()
    requested = provisioner.day(-2)
    response = void(target, provisioner, invoice_id, payment_id, json={"void_date": requested})
    assert response.status_code == 200, f"void answered {response.status_code}: {clip(response.text, 200)}"
    body = _voided(response)
    assert body.get("voided_date") == requested, f"voided_date {body['voided_date']!r}, requested {requested!r}"
    assert body.get("voided_journal_entry"), "voided_journal_entry is not set"
    assert (body.get("id"), body.get("invoice")) == (payment_id, invoice_id), \
        f"the answer is payment {body.get('id')!r} of invoice {body.get('invoice')!r}, not {payment_id} of {invoice_id}"


@pytest.mark.parametrize("how", ["absent", "null", "blank-form", "blank-multipart"])
def test_void_date_defaults_to_today(target, provision, provisioner, how):
    invoice_id, payment_id = provision()
    kwargs = {"absent": {}, "null": {"json": {"void_date": None}}, "blank-form": {"data": {"void_date": ""}},
              "blank-multipart": {"files": {"void_date": (None, "")}}}[how]
    response = void(target, provisioner, invoice_id, payment_id, **kwargs)
    assert response.status_code == 200, f"void with void_date {how} answered {response.status_code}: {clip(response.text, 200)}"
    voided_date = _voided(response).get("voided_date")
    assert voided_date in _today_window(provisioner, target), f"voided_date {voided_date!r} is not today ({provisioner.today})"


def test_second_void_is_refused(target, provision, provisioner):
    invoice_id, payment_id = provision()
    assert void(target, provisioner, invoice_id, payment_id).status_code == 200
    second = void(target, provisioner, invoice_id, payment_id)
    assert 400 <= second.status_code < 500, f"a second void of the same payment answered {second.status_code}"


@pytest.mark.parametrize("encoding", ["json", "form", "multipart"])
def test_content_type_is_accepted(target, provision, provisioner, encoding):
    invoice_id, payment_id = provision()
    requested = provisioner.day(-1)
    kwargs = {"json": {"json": {"void_date": requested}}, "form": {"data": {"void_date": requested}},
              "multipart": {"files": {"void_date": (None, requested)}}}[encoding]
    response = void(target, provisioner, invoice_id, payment_id, **kwargs)
    assert response.status_code == 200, f"a {encoding} void answered {response.status_code}: {clip(response.text, 200)}"
    assert _voided(response).get("voided_date") == requested, f"the {encoding} void_date was not applied"


@pytest.mark.parametrize("value", ["not-a-date", "2026-13-01", "", 20260701, "2026-02-30"])
def test_invalid_void_date_is_400_and_changes_nothing(target, provision, provisioner, value):
    invoice_id, payment_id = provision()
    before = snapshot(target, invoice_id, payment_id)
    response = void(target, provisioner, invoice_id, payment_id, json={"void_date": value})
    assert response.status_code == 400, f"void_date {value!r} answered {response.status_code}"
    assert_unchanged(target, invoice_id, payment_id, before)


def test_invoice_shows_the_money_returned(target, provision, provisioner):
    invoice_id, payment_id = provision()
    before = invoice(target, invoice_id)
    assert before["amount_due"] == 0 and before["status"] == "paid", \
        f"after payment: status {before['status']!r}, amount_due {before['amount_due']}"
    assert void(target, provisioner, invoice_id, payment_id).status_code == 200
    after = invoice(target, invoice_id)
    assert after["amount_paid"] == before["amount_paid"] - before["total_amount"], f"amount_paid {after['amount_paid']} after the void"
    assert after["amount_due"] == before["total_amount"], f"amount_due {after['amount_due']}, expected {before['total_amount']}"
    assert after["status"] != "paid", "the invoice is still paid after its only payment was voided"
    assert not after.get("paid_date"), "paid_date was not cleared"
    assert payment_row(target, invoice_id, payment_id)["voided_date"], "the payments list does not show the payment voided"


def _entry(target, body, field):
    """The journal entry the void's answer names in `field`. Only 401/403 mean "not readable with
    this token" (not applicable); any other status for an entry the void itself returned is a
    dangling reference."""
    entry_id = body.get(field)
    assert entry_id is not None, f"the void's answer has no {field}"
    response = target.request("GET", f"/coa/api/journal_entry/{entry_id}")
    if response.status_code in (401, 403):
        not_applicable(f"journal entries are not readable with this token ({field} {entry_id}: {response.status_code})")
    assert response.status_code == 200, \
        f"the {field} {entry_id} that the void returned answered {response.status_code}: {clip(response.text, 200)}"
    entry = json_of(response, f"journal entry {entry_id}")
    assert isinstance(entry, dict) and isinstance(entry.get("transactions"), list), f"journal entry {entry_id} has no transactions"
    return entry


def test_reversing_entry_mirrors_the_payment(target, provision, provisioner):
    invoice_id, payment_id = provision()
    response = void(target, provisioner, invoice_id, payment_id)
    assert response.status_code == 200, f"void answered {response.status_code}: {clip(response.text, 200)}"
    body = _voided(response)
    assert body.get("voided_journal_entry") != body.get("payment_journal_entry"), \
        f"voided_journal_entry is the payment's own entry ({body.get('payment_journal_entry')!r})"
    original = _entry(target, body, "payment_journal_entry")
    reversal = _entry(target, body, "voided_journal_entry")

    def lines(entry, swap):
        return sorted((t.get("account"), t.get("credit_amount") if swap else t.get("debit_amount"),
                       t.get("debit_amount") if swap else t.get("credit_amount")) for t in entry["transactions"])
    assert lines(original, True) == lines(reversal, False), "the reversing entry does not mirror the payment's entry"
    debits = sum(t.get("debit_amount") or 0 for t in reversal["transactions"])
    credits = sum(t.get("credit_amount") or 0 for t in reversal["transactions"])
    assert debits == credits, f"the reversing entry does not balance: {debits} != {credits}"


BAD_BODIES = {
    "malformed-json": {"content": b"{", "headers": {"Content-Type": "application/json"}},
    "json-null": {"content": b"null", "headers": {"Content-Type": "application/json"}},
    "json-array": {"json": ["2026-01-01"]},
    "long-date": {"json": {"void_date": "9" * 5000}},
    "non-utf8": {"content": b'{"void_date": "\xff"}', "headers": {"Content-Type": "application/json"}},
    "multipart-no-boundary": {"content": b"x", "headers": {"Content-Type": "multipart/form-data"}},
}


@pytest.mark.parametrize("case", BAD_BODIES)
def test_bad_input_gets_a_4xx_not_a_5xx(target, provision, provisioner, case):
    invoice_id, payment_id = provision()
    before = snapshot(target, invoice_id, payment_id)
    response = void(target, provisioner, invoice_id, payment_id, **BAD_BODIES[case])
    assert 400 <= response.status_code < 500, f"{case} answered {response.status_code}"
    assert_unchanged(target, invoice_id, payment_id, before)
