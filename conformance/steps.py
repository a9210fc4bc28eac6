"""The requests the checks are made of, with the safety rule built in: a void is only ever sent
for a payment this run created, or for an id that cannot exist."""

import httpx

from mock_server import spec

from .contract import clip
from .failure import expect
from .provisioning import Provisioner
from .target import Target

UNKNOWN_ID = 2_000_000_000


def void(target: Target, provisioner: Provisioner, invoice_id: int, payment_id: int, **kwargs) -> httpx.Response:
    invoices = {pair[0] for pair in provisioner.created} | {UNKNOWN_ID}
    payments = {pair[1] for pair in provisioner.created} | {UNKNOWN_ID}
    if invoice_id not in invoices or payment_id not in payments:
        raise RuntimeError(f"refusing to void invoice {invoice_id} payment {payment_id}: not created by this run")
    return target.request("POST", spec.void_path(invoice_id, payment_id), **kwargs)


READ_BACK = "what the API answers reads back: a document's objects are retrievable as declared"
REFUSAL_CHANGES_NOTHING = "a refused void changes nothing: the payment stays unvoided, the invoice's money where it was"


def json_of(response: httpx.Response, what: str):
    """The answer's JSON; an answer without it fails the check, saying which request it was."""
    try:
        return response.json()
    except ValueError:
        expect(
            False,
            f"{what} answered {response.status_code} without a JSON body: {clip(response.text, 200)!r}",
            rule="every answer is JSON, as the contract declares",
            expected="a JSON body",
            response=response,
        )


def invoice(target: Target, invoice_id: int) -> dict:
    response = target.request("GET", f"/coa/api/v1/invoice/{invoice_id}/")
    expect(
        response.status_code == 200,
        f"retrieve invoice {invoice_id} answered {response.status_code}",
        rule=READ_BACK,
        expected="200 with the invoice",
        response=response,
    )
    body = json_of(response, f"retrieve invoice {invoice_id}")
    expect(
        isinstance(body, dict),
        f"retrieve invoice {invoice_id} answered {type(body).__name__}, not an invoice",
        rule=READ_BACK,
        expected="a JSON object (the invoice)",
        response=response,
    )
    return body


def payment_row(target: Target, invoice_id: int, payment_id: int) -> dict:
    """The payment as the payments list shows it."""
    response = target.request("GET", "/coa/api/v1/invoice-payments", params={"invoice_id": invoice_id, "limit": 100})
    expect(
        response.status_code == 200,
        f"list payments answered {response.status_code}",
        rule=READ_BACK,
        expected="200 with the invoice's payments",
        response=response,
    )
    body = json_of(response, "list payments")
    rows = body.get("results") if isinstance(body, dict) else None
    expect(
        isinstance(rows, list),
        "list payments answered without a list of results",
        rule=READ_BACK,
        expected="an object with a list of results",
        response=response,
    )
    rows = [row for row in rows if isinstance(row, dict) and row.get("id") == payment_id]
    expect(
        rows,
        f"payment {payment_id} is missing from the payments list of invoice {invoice_id}",
        rule=READ_BACK,
        expected=f"payment {payment_id} among the results",
        response=response,
    )
    return rows[0]


def snapshot(target: Target, invoice_id: int, payment_id: int) -> dict:
    """The invoice before a request that must be refused. The payment must not be voided yet:
    a refusal of an already voided payment proves nothing, and "nothing changed" would be false
    comfort."""
    voided_date = payment_row(target, invoice_id, payment_id).get("voided_date")
    expect(
        voided_date is None,
        f"payment {payment_id} of invoice {invoice_id} was already voided (voided_date "
        f"{voided_date!r}) before the request, so its refusal cannot be checked",
        rule="a payment just made is not voided",
        expected="voided_date null in the payments list",
    )
    return invoice(target, invoice_id)


def assert_unchanged(target: Target, invoice_id: int, payment_id: int, before: dict) -> None:
    """The refused request left the payment unvoided (it was, per `snapshot`) and the invoice's
    money where it was."""
    after = invoice(target, invoice_id)
    voided_date = payment_row(target, invoice_id, payment_id).get("voided_date")
    expect(
        voided_date is None,
        f"the refused void voided the payment (voided_date {voided_date!r}; it was not voided before)",
        rule=REFUSAL_CHANGES_NOTHING,
        expected="voided_date still null",
    )
    for key in ("status", "amount_paid", "amount_due"):
        expect(
            after.get(key) == before.get(key),
            f"the refused void changed the invoice's {key}: {before.get(key)} -> {after.get(key)}",
            rule=REFUSAL_CHANGES_NOTHING,
            expected=f"{key} {before.get(key)!r} as before the request",
        )
