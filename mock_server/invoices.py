"""Invoices: creation (posting Dr AR / Cr revenue and tax) and the amounts and status derived
from the active payments, recomputed after every payment or void."""
from decimal import Decimal, InvalidOperation

from . import errors
from .clock import Clock
from .ledger import fetch, fits, insert
from .money import MoneyError, convert, to_minor
from .posting import Line, account_for, post_entry, reverse_entry

REQUIRED = "This field is required."


def owned(db, table: str, organization_id: int, row_id) -> dict | None:
    """A row of `table` that belongs to the organization, else None (no cross-tenant reads)."""
    if not fits(row_id):
        return None
    rows = list(db.query(f"SELECT * FROM [{table}] WHERE id = ? AND organization_id = ?",
                         [row_id, organization_id]))
    return rows[0] if rows else None


def check_open_period(entity: dict, on_date: str, field: str) -> None:
    closed = entity["books_closed_through"]
    if closed and on_date <= closed:
        raise errors.field_error(field, f"The books of {entity['name']} are closed through {closed}.")


def _line_amounts(line: dict, currency: str, index: int, problems: dict) -> tuple[int, int] | None:
    try:
        if line.get("amount") is not None:
            amount = to_minor(line["amount"], currency)
        elif line.get("quantity") is not None and line.get("rate") is not None:
            amount = to_minor(Decimal(str(line["quantity"])) * Decimal(str(line["rate"])), currency)
        else:
            problems.setdefault("lines", {})[str(index)] = {"amount": [REQUIRED]}
            return None
        tax = to_minor(line.get("tax") or 0, currency)
    except (MoneyError, InvalidOperation) as exc:
        problems.setdefault("lines", {})[str(index)] = {"amount": [str(exc)]}
        return None
    if amount < 0 or tax < 0:
        problems.setdefault("lines", {})[str(index)] = {"amount": ["Amounts must not be negative."]}
        return None
    return amount, tax


def create_invoice(db, clock: Clock, organization_id: int, data: dict) -> int:
    """Validate a create-invoice body against the ledger, store it and post its journal entry."""
    problems: dict = {}
    entity = owned(db, "entities", organization_id, data.get("entity"))
    if entity is None:
        problems["entity"] = [f'Invalid pk "{data.get("entity")}" - object does not exist.']
    customer_id = data.get("client")
    if customer_id is None:
        problems["client"] = [REQUIRED]
    elif owned(db, "customers", organization_id, customer_id) is None:
        problems["client"] = [f'Invalid pk "{customer_id}" - object does not exist.']
    if problems:
        raise errors.ApiError(400, problems)
    currency = (data.get("currency") or entity["currency"]).upper()
    rate = Decimal(1)
    if currency != entity["currency"]:
        try:
            rate = Decimal(str(data.get("exchange_rate")))
        except InvalidOperation:
            rate = Decimal(0)
        if not rate.is_finite() or rate <= 0:
            raise errors.field_error("exchange_rate", f"A positive rate to {entity['currency']} is required for a {currency} invoice.")
    lines = data.get("lines") or []
    if not lines:
        raise errors.field_error("lines", "An invoice needs at least one line.")
    amounts = [_line_amounts(line, currency, i, problems) for i, line in enumerate(lines)]
    if problems:
        raise errors.ApiError(400, problems)
    total = sum(a + t for a, t in amounts)
    if total <= 0:
        raise errors.field_error("lines", "The invoice total must be positive.")
    check_open_period(entity, data["invoice_date"], "invoice_date")

    now = clock.timestamp()
    invoice_id = insert(db, "invoices", {
        "organization_id": organization_id, "entity_id": entity["id"], "customer_id": customer_id,
        "invoice_number": "", "currency": currency, "exchange_rate": str(rate),
        "invoice_date": data["invoice_date"], "due_date": data["due_date"], "terms": data.get("terms") or None,
        "message_on_invoice": data.get("message_on_invoice"), "total_minor": total, "paid_minor": 0,
        "status": "open", "created_at": now, "last_modified_at": now,
    })
    number = data.get("invoice_number") or f"INV-{invoice_id:06d}"
    db["invoice_lines"].insert_all([
        {"invoice_id": invoice_id, "product_name": line.get("product_name") or line.get("description") or "Item",
         "quantity": str(line.get("quantity") or 1), "rate": str(line.get("rate") if line.get("rate") is not None else line.get("amount")),
         "amount_minor": amount, "tax_minor": tax, "service_date": line.get("service_date"), "created_at": now}
        for line, (amount, tax) in zip(lines, amounts)
    ])
    book = entity["currency"]
    ar_book = convert(total, currency, book, rate)
    tax_book = convert(sum(t for _, t in amounts), currency, book, rate)
    entry_id, _ = post_entry(
        db, clock, organization_id=organization_id, entity_id=entity["id"], date=data["invoice_date"],
        memo=f"Invoice {number}", kind="invoice", currency=book, invoice_id=invoice_id, lines=[
            Line(account_for(db, entity["id"], "ar"), debit=ar_book, invoice_id=invoice_id, description=f"Invoice {number}"),
            Line(account_for(db, entity["id"], "sales_tax"), credit=tax_book, description="Sales tax"),
            Line(account_for(db, entity["id"], "revenue"), credit=ar_book - tax_book, description="Revenue"),
        ])
    db.execute("UPDATE invoices SET invoice_number = ?, journal_entry_id = ? WHERE id = ?",
               [number, entry_id, invoice_id])
    return invoice_id


def recompute(db, clock: Clock, invoice_id: int) -> dict:
    """Derive amount paid, status and paid date from the invoice's active payments."""
    invoice = fetch(db, "invoices", invoice_id)
    paid, last_date = db.execute(
        "SELECT COALESCE(SUM(amount_minor + discount_minor), 0), MAX(payment_date) FROM payments"
        " WHERE invoice_id = ? AND voided_date IS NULL", [invoice_id]).fetchone()
    if invoice["voided_date"]:
        status = "voided"
    elif paid >= invoice["total_minor"]:
        status = "paid"
    elif paid > 0:
        status = "partially_paid"
    else:
        status = "open"
    paid_date = last_date if status == "paid" else None
    db.execute("UPDATE invoices SET paid_minor = ?, status = ?, paid_date = ?, last_modified_at = ? WHERE id = ?",
               [paid, status, paid_date, clock.timestamp(), invoice_id])
    return fetch(db, "invoices", invoice_id)


def void_invoice(db, clock: Clock, invoice_id: int, void_date: str) -> None:
    """Void an invoice without active payments: its entry is reversed and it leaves AR."""
    invoice = fetch(db, "invoices", invoice_id)
    if invoice["paid_minor"]:
        raise errors.detail(400, "Void the payments of this invoice first.")
    reverse_entry(db, clock, invoice["journal_entry_id"], date=void_date, memo=f"Void of invoice {invoice['invoice_number']}")
    db.execute("UPDATE invoices SET voided_date = ? WHERE id = ?", [void_date, invoice_id])
    recompute(db, clock, invoice_id)
