"""Invoices: creation (posting Dr AR / Cr revenue and tax) and the amounts and status derived
from the active payments, recomputed after every payment or void."""

from decimal import Decimal

from .clock import Clock
from .errors import REQUIRED, InvalidField, InvalidRequest, InvoiceHasPayments, PeriodClosed, found
from .money import MoneyError, check_storable, convert, currency_code, decimal, to_minor
from .posting import Line, post_entry, reverse_entry


def owned(store, table: str, organization_id: int, row_id) -> dict:
    """A row of the organization, else NotFound: another tenant's rows do not exist for it."""
    return found(store.owned(table, organization_id, row_id), f"{table} {row_id}")


def check_open_period(entity: dict, on_date: str, field: str) -> None:
    closed = entity["books_closed_through"]
    if closed and on_date <= closed:
        raise PeriodClosed(field, f"The books of {entity['name']} are closed through {closed}.")


def _line_amounts(line: dict, currency: str) -> tuple[int, int]:
    """(amount, tax) of one line in minor units; InvalidRequest names the field at fault."""
    field = "amount"
    try:
        if line.get("amount") is not None:
            amount = to_minor(line["amount"], currency)
        elif line.get("quantity") is not None and line.get("rate") is not None:
            field = "quantity"
            quantity = decimal(line["quantity"])
            field = "rate"
            amount = to_minor(quantity * decimal(line["rate"]), currency)
        else:
            raise InvalidRequest({"amount": [REQUIRED]})
        field = "tax"
        tax = to_minor(line.get("tax") or 0, currency)
    except MoneyError as exc:
        raise InvalidRequest({field: [str(exc)]}) from exc
    if amount < 0 or tax < 0:
        raise InvalidRequest({"amount" if amount < 0 else "tax": ["Amounts must not be negative."]})
    return amount, tax


def _rate(data: dict, entity: dict, currency: str) -> Decimal:
    if currency == entity["currency"]:
        return Decimal(1)
    try:
        rate = decimal(data.get("exchange_rate"))
    except MoneyError:
        rate = Decimal(0)
    if rate <= 0:
        raise InvalidField(
            "exchange_rate", f"A positive rate to {entity['currency']} is required for a {currency} invoice."
        )
    return rate


def create_invoice(store, clock: Clock, organization_id: int, data: dict) -> int:
    """Validate a create-invoice body against the ledger, store it and post its journal entry."""
    problems: dict = {}
    entity = store.owned("entities", organization_id, data.get("entity"))
    if entity is None:
        problems["entity"] = [f'Invalid pk "{data.get("entity")}" - object does not exist.']
    customer_id = data.get("client")  # optional, as the published schema has it
    if customer_id is not None and store.owned("customers", organization_id, customer_id) is None:
        problems["client"] = [f'Invalid pk "{customer_id}" - object does not exist.']
    if problems:
        raise InvalidRequest(problems)
    currency = currency_code(data.get("currency") or entity["currency"])
    if currency is None:
        raise InvalidField("currency", f'"{data.get("currency")}" is not a valid choice.')
    rate = _rate(data, entity, currency)
    lines = data.get("lines") or []
    if not lines:
        raise InvalidField("lines", "An invoice needs at least one line.")
    amounts = []
    for index, line in enumerate(lines):
        try:
            amounts.append(_line_amounts(line, currency))
        except InvalidRequest as exc:
            problems.setdefault("lines", {})[str(index)] = exc.problems
    if problems:
        raise InvalidRequest(problems)
    total = sum(a + t for a, t in amounts)
    book = entity["currency"]
    try:
        check_storable(total)
        ar_book = check_storable(convert(total, currency, book, rate))
    except MoneyError as exc:
        raise InvalidField("lines", str(exc)) from exc
    if total <= 0:
        raise InvalidField("lines", "The invoice total must be positive.")
    check_open_period(entity, data["invoice_date"], "invoice_date")

    now = clock.timestamp()
    invoice_id = store.next_id("invoices")
    number = data.get("invoice_number") or f"INV-{invoice_id:06d}"
    tax_book = convert(sum(t for _, t in amounts), currency, book, rate)
    entry_id, _ = post_entry(
        store,
        clock,
        organization_id=organization_id,
        entity_id=entity["id"],
        date=data["invoice_date"],
        memo=f"Invoice {number}",
        kind="invoice",
        currency=book,
        invoice_id=invoice_id,
        lines=[
            Line(
                store.account_for(entity["id"], "ar"),
                debit=ar_book,
                invoice_id=invoice_id,
                description=f"Invoice {number}",
            ),
            Line(store.account_for(entity["id"], "sales_tax"), credit=tax_book, description="Sales tax"),
            Line(store.account_for(entity["id"], "revenue"), credit=ar_book - tax_book, description="Revenue"),
        ],
    )
    store.insert(
        "invoices",
        {
            "id": invoice_id,
            "organization_id": organization_id,
            "entity_id": entity["id"],
            "customer_id": customer_id,
            "invoice_number": number,
            "currency": currency,
            "exchange_rate": str(rate),
            "invoice_date": data["invoice_date"],
            "due_date": data["due_date"],
            "terms": data.get("terms") or None,
            "message_on_invoice": data.get("message_on_invoice"),
            "total_minor": total,
            "paid_minor": 0,
            "status": "open",
            "journal_entry_id": entry_id,
            "created_at": now,
            "last_modified_at": now,
        },
    )
    for line, (amount, tax) in zip(lines, amounts, strict=True):
        store.insert(
            "invoice_lines",
            {
                "invoice_id": invoice_id,
                "product_name": line.get("product_name") or line.get("description") or "Item",
                "quantity": str(line.get("quantity") or 1),
                "rate": str(line.get("rate") if line.get("rate") is not None else line.get("amount")),
                "amount_minor": amount,
                "tax_minor": tax,
                "service_date": line.get("service_date"),
                "created_at": now,
            },
        )
    return invoice_id


def status_of(invoice: dict, paid: int) -> str:
    if invoice["voided_date"]:
        return "voided"
    if paid >= invoice["total_minor"]:
        return "paid"
    return "partially_paid" if paid > 0 else "open"


def recompute(store, clock: Clock, invoice: dict) -> None:
    """Derive amount paid, status and paid date from the invoice's active payments."""
    paid, last_date = store.active_payments_total(invoice["id"])
    status = status_of(invoice, paid)
    store.update(
        "invoices",
        invoice["id"],
        paid_minor=paid,
        status=status,
        paid_date=last_date if status == "paid" else None,
        last_modified_at=clock.timestamp(),
    )


def void_invoice(store, clock: Clock, invoice_id: int, void_date: str) -> None:
    """Void an invoice without active payments: its entry is reversed and it leaves AR."""
    invoice = store.get("invoices", invoice_id)
    if invoice["paid_minor"]:
        raise InvoiceHasPayments()
    reverse_entry(
        store, clock, invoice["journal_entry_id"], date=void_date, memo=f"Void of invoice {invoice['invoice_number']}"
    )
    store.update("invoices", invoice_id, voided_date=void_date)
    recompute(store, clock, store.get("invoices", invoice_id))
