"""The void's observable semantics, through the public API alone."""

from datetime import timedelta

import pytest

from conformance.contract import clip
from conformance.failure import expect
from conformance.plugin import not_applicable
from conformance.steps import assert_unchanged, invoice, json_of, payment_row, snapshot, void

VOIDS = "a void of a voidable payment answers 200 with the payment, voided"
ECHO = "the void applies the requested void_date and answers the voided payment with its reversing entry"
TODAY = "without a void_date (absent, null or blank) the void is dated today"
ONCE = "a payment is voided once: a second void of it is refused with a 4xx"
ENCODINGS = "the void accepts its body as JSON, form or multipart"
BAD_DATE = "an invalid void_date is refused with 400 and changes nothing"
MONEY = "after the void of its only payment the invoice shows the money returned: amount_due back, not paid"
MIRROR = "the reversing journal entry mirrors the payment's entry and balances"
BAD_INPUT = "bad input gets a 4xx, never a 5xx, and changes nothing"


def _voided(response) -> dict:
    """The body of a void answered 200: a payment object."""
    body = json_of(response, "the void")
    expect(
        isinstance(body, dict),
        f"the void answered a JSON {type(body).__name__}, not a payment",
        rule=VOIDS,
        expected="a JSON object (the payment)",
        response=response,
    )
    return body


def _voided_200(response, found, rule=VOIDS):
    expect(response.status_code == 200, found, rule=rule, expected="200 with the voided payment", response=response)


def _today_window(provisioner, target):
    if target.is_mock:
        return {provisioner.today.isoformat()}
    return {(provisioner.today + timedelta(days=d)).isoformat() for d in (-1, 0, 1)}


def test_void_echoes_the_requested_date(target, provision, provisioner):
    invoice_id, payment_id = provision()
    requested = provisioner.day(-2)
    response = void(target, provisioner, invoice_id, payment_id, json={"void_date": requested})
    _voided_200(response, f"void answered {response.status_code}: {clip(response.text, 200)}", ECHO)
    body = _voided(response)
    expect(
        body.get("voided_date") == requested,
        f"voided_date {body.get('voided_date')!r}, requested {requested!r}",
        rule=ECHO,
        expected=f"voided_date {requested!r}",
        response=response,
    )
    expect(
        body.get("voided_journal_entry"),
        "voided_journal_entry is not set",
        rule=ECHO,
        expected="voided_journal_entry set",
        response=response,
    )
    expect(
        (body.get("id"), body.get("invoice")) == (payment_id, invoice_id),
        f"the answer is payment {body.get('id')!r} of invoice {body.get('invoice')!r}, not {payment_id} of {invoice_id}",
        rule=ECHO,
        expected=f"payment {payment_id} of invoice {invoice_id}",
        response=response,
    )


@pytest.mark.parametrize("how", ["absent", "null", "blank-form", "blank-multipart"])
def test_void_date_defaults_to_today(target, provision, provisioner, how):
    invoice_id, payment_id = provision()
    kwargs = {
        "absent": {},
        "null": {"json": {"void_date": None}},
        "blank-form": {"data": {"void_date": ""}},
        "blank-multipart": {"files": {"void_date": (None, "")}},
    }[how]
    response = void(target, provisioner, invoice_id, payment_id, **kwargs)
    _voided_200(
        response, f"void with void_date {how} answered {response.status_code}: {clip(response.text, 200)}", TODAY
    )
    voided_date = _voided(response).get("voided_date")
    expect(
        voided_date in _today_window(provisioner, target),
        f"voided_date {voided_date!r} is not today ({provisioner.today})",
        rule=TODAY,
        expected=f"voided_date {provisioner.today}",
        response=response,
    )


def test_second_void_is_refused(target, provision, provisioner):
    invoice_id, payment_id = provision()
    first = void(target, provisioner, invoice_id, payment_id)
    _voided_200(first, f"the first void answered {first.status_code}: {clip(first.text, 200)}")
    second = void(target, provisioner, invoice_id, payment_id)
    expect(
        400 <= second.status_code < 500,
        f"a second void of the same payment answered {second.status_code}",
        rule=ONCE,
        expected="a 4xx refusal",
        response=second,
    )


@pytest.mark.parametrize("encoding", ["json", "form", "multipart"])
def test_content_type_is_accepted(target, provision, provisioner, encoding):
    invoice_id, payment_id = provision()
    requested = provisioner.day(-1)
    kwargs = {
        "json": {"json": {"void_date": requested}},
        "form": {"data": {"void_date": requested}},
        "multipart": {"files": {"void_date": (None, requested)}},
    }[encoding]
    response = void(target, provisioner, invoice_id, payment_id, **kwargs)
    _voided_200(response, f"a {encoding} void answered {response.status_code}: {clip(response.text, 200)}", ENCODINGS)
    expect(
        _voided(response).get("voided_date") == requested,
        f"the {encoding} void_date was not applied",
        rule=ENCODINGS,
        expected=f"voided_date {requested!r}",
        response=response,
    )


@pytest.mark.parametrize("value", ["not-a-date", "2026-13-01", "", 20260701, "2026-02-30"])
def test_invalid_void_date_is_400_and_changes_nothing(target, provision, provisioner, value):
    invoice_id, payment_id = provision()
    before = snapshot(target, invoice_id, payment_id)
    response = void(target, provisioner, invoice_id, payment_id, json={"void_date": value})
    expect(
        response.status_code == 400,
        f"void_date {value!r} answered {response.status_code}",
        rule=BAD_DATE,
        expected="400",
        response=response,
    )
    assert_unchanged(target, invoice_id, payment_id, before)


def test_invoice_shows_the_money_returned(target, provision, provisioner):
    invoice_id, payment_id = provision()
    before = invoice(target, invoice_id)
    expect(
        before.get("amount_due") == 0 and before.get("status") == "paid",
        f"after payment: status {before.get('status')!r}, amount_due {before.get('amount_due')}",
        rule="an invoice paid in full is paid, nothing due",
        expected="status 'paid', amount_due 0",
    )
    response = void(target, provisioner, invoice_id, payment_id)
    _voided_200(response, f"void answered {response.status_code}: {clip(response.text, 200)}")
    after = invoice(target, invoice_id)
    paid = before.get("amount_paid", 0) - before.get("total_amount", 0)
    expect(
        after.get("amount_paid") == paid,
        f"amount_paid {after.get('amount_paid')} after the void",
        rule=MONEY,
        expected=f"amount_paid {paid}",
    )
    expect(
        after.get("amount_due") == before.get("total_amount"),
        f"amount_due {after.get('amount_due')}, expected {before.get('total_amount')}",
        rule=MONEY,
        expected=f"amount_due {before.get('total_amount')}",
    )
    expect(
        after.get("status") != "paid",
        "the invoice is still paid after its only payment was voided",
        rule=MONEY,
        expected="a status other than 'paid'",
    )
    expect(not after.get("paid_date"), "paid_date was not cleared", rule=MONEY, expected="paid_date null")
    expect(
        payment_row(target, invoice_id, payment_id).get("voided_date"),
        "the payments list does not show the payment voided",
        rule=MONEY,
        expected="voided_date set in the payments list",
    )


def _entry(target, body, field):
    """The journal entry the void's answer names in `field`. Only 401/403 mean "not readable with
    this token" (not applicable); any other status for an entry the void itself returned is a
    dangling reference."""
    entry_id = body.get(field)
    expect(entry_id is not None, f"the void's answer has no {field}", rule=MIRROR, expected=f"{field} set")
    response = target.request("GET", f"/coa/api/journal_entry/{entry_id}")
    if response.status_code in (401, 403):
        not_applicable(f"journal entries are not readable with this token ({field} {entry_id}: {response.status_code})")
    expect(
        response.status_code == 200,
        f"the {field} {entry_id} that the void returned answered {response.status_code}: {clip(response.text, 200)}",
        rule=MIRROR,
        expected="200 with the journal entry the void named",
        response=response,
    )
    entry = json_of(response, f"journal entry {entry_id}")
    expect(
        isinstance(entry, dict) and isinstance(entry.get("transactions"), list),
        f"journal entry {entry_id} has no transactions",
        rule=MIRROR,
        expected="a journal entry with a list of transactions",
        response=response,
    )
    return entry


def test_reversing_entry_mirrors_the_payment(target, provision, provisioner):
    invoice_id, payment_id = provision()
    response = void(target, provisioner, invoice_id, payment_id)
    _voided_200(response, f"void answered {response.status_code}: {clip(response.text, 200)}")
    body = _voided(response)
    expect(
        body.get("voided_journal_entry") != body.get("payment_journal_entry"),
        f"voided_journal_entry is the payment's own entry ({body.get('payment_journal_entry')!r})",
        rule=MIRROR,
        expected="a new reversing entry",
        response=response,
    )
    original = _entry(target, body, "payment_journal_entry")
    reversal = _entry(target, body, "voided_journal_entry")

    def lines(entry, swap):
        return sorted(
            (
                t.get("account"),
                t.get("credit_amount") if swap else t.get("debit_amount"),
                t.get("debit_amount") if swap else t.get("credit_amount"),
            )
            for t in entry["transactions"]
        )

    expect(
        lines(original, True) == lines(reversal, False),
        "the reversing entry does not mirror the payment's entry",
        rule=MIRROR,
        expected=f"the lines of entry {body.get('payment_journal_entry')}, debits and credits swapped",
    )
    debits = sum(t.get("debit_amount") or 0 for t in reversal["transactions"])
    credits = sum(t.get("credit_amount") or 0 for t in reversal["transactions"])
    expect(
        debits == credits,
        f"the reversing entry does not balance: {debits} != {credits}",
        rule=MIRROR,
        expected="debits equal to credits",
    )


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
    expect(
        400 <= response.status_code < 500,
        f"{case} answered {response.status_code}",
        rule=BAD_INPUT,
        expected="a 4xx",
        response=response,
    )
    assert_unchanged(target, invoice_id, payment_id, before)
