"""Payments of every kind and the journal entries they post.

Every payment credits AR for the invoice; what it debits depends on where the money came from.
A payment at another rate than the invoice's posts the difference as realized FX gain/loss;
an early-payment discount is debited to the discounts account.
"""
from decimal import Decimal

from . import credit_memos, errors, invoices
from .clock import Clock
from .money import MoneyError, convert, to_minor
from .posting import Line, account_for, invoice_ar_balance, post_entry
from .ledger import fetch, insert

# kind -> (payment_type, source, account role debited)
KINDS = {
    "manual": ("MANUAL_TRANSACTION", "MANUAL", None),
    "bank": ("BANK_TRANSACTION", None, None),
    "credit_memo": ("CREDIT_MEMO", None, "customer_credits"),
    "stripe": (None, "STRIPE", "stripe_clearing"),
}


def _debit_account(db, kind, entity_id, organization_id, account_id, bank_transaction, credit_memo_id, applied):
    """The account the money lands in, after checking the kind's own rules."""
    if kind == "manual":
        row = invoices.owned(db, "accounts", organization_id, account_id)
        if row is None or row["entity_id"] != entity_id or row["role"] not in ("cash", "bank"):
            raise errors.field_error("account_id", "Choose a cash or bank account of the invoice's entity.")
        return row["id"]
    if kind == "bank":
        used = db.execute("SELECT COALESCE(SUM(amount_minor), 0) FROM payments WHERE bank_transaction_id = ?"
                          " AND voided_date IS NULL", [bank_transaction["id"]]).fetchone()[0]
        if applied > bank_transaction["amount_minor"] - used:
            raise errors.field_error("amount", "The amount exceeds what is left of the bank transaction.")
        return bank_transaction["account_id"]
    if kind == "credit_memo":
        if applied > credit_memos.remaining(db, credit_memo_id):
            raise errors.field_error("amount", "The amount exceeds the credit memo's remaining balance.")
    return account_for(db, entity_id, KINDS[kind][2])


def record_payment(db, clock: Clock, invoice: dict, *, kind: str, amount_minor: int, payment_date: str,
                   account_id: int | None = None, bank_transaction_id: int | None = None,
                   credit_memo_id: int | None = None, external_id: str | None = None,
                   book_amount_minor: int | None = None, discount_minor: int = 0) -> int:
    """Apply a payment (in the invoice's currency) to an invoice and post its entry; returns its id.

    `book_amount_minor` is what was received in the entity's currency when it differs from the
    invoice's rate (foreign-currency payment); `discount_minor` is an early-payment discount.
    """
    if kind not in KINDS:
        raise errors.field_error("kind", f"Unknown payment kind; use one of {sorted(KINDS)}.")
    organization_id = invoice["organization_id"]
    entity = fetch(db, "entities", invoice["entity_id"])
    if invoice["voided_date"]:
        raise errors.detail(400, "This invoice is voided; it cannot take payments.")
    if amount_minor <= 0 or discount_minor < 0:
        raise errors.field_error("amount", "The amount must be positive.")
    applied = amount_minor + discount_minor
    if applied > invoice["total_minor"] - invoice["paid_minor"]:
        raise errors.field_error("amount", "The amount exceeds the invoice's amount due.")
    invoices.check_open_period(entity, payment_date, "payment_date")
    if external_id and db.execute("SELECT 1 FROM payments WHERE organization_id = ? AND external_id = ?",
                                  [organization_id, external_id]).fetchone():
        raise errors.field_error("external_id", "A payment with this external_id already exists.")
    if kind == "stripe" and not (external_id or "").startswith("btxn_"):
        raise errors.field_error("external_id", "A Stripe payment needs its balance transaction id (btxn_...).")
    bank_transaction = None
    if kind == "bank":
        bank_transaction = invoices.owned(db, "bank_transactions", organization_id, bank_transaction_id)
        if bank_transaction is None:
            raise errors.field_error("transaction_id", f'Invalid pk "{bank_transaction_id}" - object does not exist.')
    if kind == "credit_memo":
        memo = invoices.owned(db, "credit_memos", organization_id, credit_memo_id)
        if memo is None or memo["customer_id"] != invoice["customer_id"] or memo["currency"] != invoice["currency"]:
            raise errors.field_error("credit_memo_id", "Choose an open credit memo of this customer in the invoice's currency.")
    debit_account = _debit_account(db, kind, entity["id"], organization_id, account_id, bank_transaction,
                                   credit_memo_id, applied)

    book, rate = entity["currency"], Decimal(invoice["exchange_rate"])
    ar_account = account_for(db, entity["id"], "ar")
    completes = applied == invoice["total_minor"] - invoice["paid_minor"]
    # The payment that settles the invoice clears its AR to zero, absorbing earlier rounding.
    ar_relief = invoice_ar_balance(db, invoice["id"], ar_account) if completes else convert(applied, invoice["currency"], book, rate)
    received = book_amount_minor if book_amount_minor is not None else convert(amount_minor, invoice["currency"], book, rate)
    discount_book = convert(discount_minor, invoice["currency"], book, rate)
    fx = ar_relief - received - discount_book  # > 0 is a loss (debit), < 0 a gain (credit)
    label = f"Payment on {invoice['invoice_number']}"
    lines = [Line(debit_account, debit=received, description=label)]
    if discount_book:
        lines.append(Line(account_for(db, entity["id"], "discounts"), debit=discount_book, description="Early-payment discount"))
    if fx:
        lines.append(Line(account_for(db, entity["id"], "fx_gain_loss"), debit=max(fx, 0), credit=max(-fx, 0),
                          description="Realized FX gain/loss"))
    lines.append(Line(ar_account, credit=ar_relief, invoice_id=invoice["id"], description=label))
    entry_id, line_ids = post_entry(db, clock, organization_id=organization_id, entity_id=entity["id"],
                                    date=payment_date, memo=label, kind="payment", currency=book,
                                    invoice_id=invoice["id"], lines=lines)
    posted = [line for line in lines if line.debit or line.credit]
    by_description = {line.description: line_id for line, line_id in zip(posted, line_ids)}
    payment_type, source, _ = KINDS[kind]
    now = clock.timestamp()
    payment_id = insert(db, "payments", {
        "organization_id": organization_id, "invoice_id": invoice["id"], "kind": kind,
        "payment_type": payment_type, "source": source, "external_id": external_id,
        "currency": invoice["currency"], "amount_minor": amount_minor, "discount_minor": discount_minor,
        "payment_date": payment_date, "journal_entry_id": entry_id,
        "bank_transaction_id": bank_transaction["id"] if bank_transaction else None,
        "credit_memo_id": credit_memo_id if kind == "credit_memo" else None,
        "fx_line_id": by_description.get("Realized FX gain/loss"),
        "discount_line_id": by_description.get("Early-payment discount"),
        "created_at": now, "last_modified_at": now,
    })
    invoices.recompute(db, clock, invoice["id"])
    return payment_id


def _minor(value, currency, field):
    try:
        return to_minor(value, currency)
    except MoneyError as exc:
        raise errors.field_error(field, str(exc)) from exc


def _empty_transaction(db, invoice, item):
    """A manual payment; with a `currency` other than the invoice's it is a foreign-currency one."""
    entity = fetch(db, "entities", invoice["entity_id"])
    currency = (item.get("currency") or invoice["currency"]).upper()
    if currency == invoice["currency"]:
        return dict(kind="manual", amount_minor=_minor(item["amount"], currency, "amount"),
                    payment_date=item["payment_date"], account_id=item["account_id"],
                    external_id=item.get("external_id"))
    if currency != entity["currency"] or item.get("amount_in_invoice_currency") is None:
        raise errors.field_error("amount_in_invoice_currency",
                                 f"A payment in {currency} needs amount_in_invoice_currency and must be in {entity['currency']}.")
    return dict(kind="manual", payment_date=item["payment_date"], account_id=item["account_id"],
                external_id=item.get("external_id"),
                amount_minor=_minor(item["amount_in_invoice_currency"], invoice["currency"], "amount_in_invoice_currency"),
                book_amount_minor=_minor(item["amount"], currency, "amount"))


def _bank_transaction(db, invoice, item):
    row = invoices.owned(db, "bank_transactions", invoice["organization_id"], item.get("transaction_id"))
    if row is None:
        raise errors.field_error("transaction_id", f'Invalid pk "{item.get("transaction_id")}" - object does not exist.')
    return dict(kind="bank", amount_minor=_minor(item["amount"], invoice["currency"], "amount"),
                payment_date=row["date"], bank_transaction_id=row["id"])


def _credit_memo(db, invoice, item):
    return dict(kind="credit_memo", amount_minor=_minor(item["amount"], invoice["currency"], "amount"),
                payment_date=item["posted_at"], credit_memo_id=item["credit_memo_id"])


_GROUPS = {"transactions": _bank_transaction, "credit_memos": _credit_memo, "empty_transactions": _empty_transaction}


def mark_paid(db, clock: Clock, invoice: dict, data: dict) -> dict:
    """The mark-paid body as payments; all of them or, on the first error, none."""
    if data.get("debit_memos"):
        raise errors.field_error("debit_memos", "Debit memos are not supported by this stand-in.")
    if not any(data.get(group) for group in _GROUPS):
        raise errors.ApiError(400, {"non_field_errors": [
            "Give at least one of transactions, credit_memos or empty_transactions."]})
    payment_ids, entry_ids = [], []
    for group, translate in _GROUPS.items():
        for index, item in enumerate(data.get(group) or []):
            try:
                fresh = fetch(db, "invoices", invoice["id"])
                payment_id = record_payment(db, clock, fresh, **translate(db, fresh, item))
            except errors.ApiError as exc:
                raise errors.ApiError(400, {group: {str(index): exc.body}}) from exc
            payment_ids.append(payment_id)
            entry_ids.append(fetch(db, "payments", payment_id)["journal_entry_id"])
    return {"journal_entry_ids": entry_ids, "payment_ids": payment_ids, "auto_created_credit_memos": []}
