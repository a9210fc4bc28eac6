"""The requests the checks are made of, with the safety rule built in: a void is only ever sent
for a payment this run created, or for an id that cannot exist."""
import httpx

from .provisioning import Provisioner
from .target import Target

UNKNOWN_ID = 2_000_000_000


def void_path(invoice_id: int, payment_id: int) -> str:
    return f"/coa/api/v1/invoice/{invoice_id}/payment/{payment_id}/void/"


def void(target: Target, provisioner: Provisioner, invoice_id: int, payment_id: int, **kwargs) -> httpx.Response:
    invoices = {pair[0] for pair in provisioner.created} | {UNKNOWN_ID}
    payments = {pair[1] for pair in provisioner.created} | {UNKNOWN_ID}
    if invoice_id not in invoices or payment_id not in payments:
        raise RuntimeError(f"refusing to void invoice {invoice_id} payment {payment_id}: not created by this run")
    return target.request("POST", void_path(invoice_id, payment_id), **kwargs)


def invoice(target: Target, invoice_id: int) -> dict:
    response = target.request("GET", f"/coa/api/v1/invoice/{invoice_id}/")
    assert response.status_code == 200, f"retrieve invoice {invoice_id} answered {response.status_code}"
    return response.json()


def payment_row(target: Target, invoice_id: int, payment_id: int) -> dict:
    """The payment as the payments list shows it."""
    response = target.request("GET", "/coa/api/v1/invoice-payments", params={"invoice_id": invoice_id, "limit": 100})
    assert response.status_code == 200, f"list payments answered {response.status_code}"
    rows = [row for row in response.json()["results"] if row["id"] == payment_id]
    assert rows, f"payment {payment_id} is missing from the payments list of invoice {invoice_id}"
    return rows[0]


def assert_unchanged(target: Target, invoice_id: int, payment_id: int, before: dict) -> None:
    """The refused request left the payment unvoided and the invoice's money where it was."""
    after = invoice(target, invoice_id)
    assert payment_row(target, invoice_id, payment_id)["voided_date"] is None, "the refused void voided the payment"
    for key in ("status", "amount_paid", "amount_due"):
        assert after[key] == before[key], f"the refused void changed the invoice's {key}: {before[key]} -> {after[key]}"
