"""Payments of every kind and the journal entries they post.

Every payment credits AR for the invoice; what it debits depends on where the money came from.
A payment at another rate than the invoice's posts the difference as realized FX gain/loss;
an early-payment discount is debited to the discounts account.
"""

from decimal import Decimal

from . import credit_memos, invoices
from .clock import Clock
from .errors import InvalidField, InvalidRequest, InvoiceVoided, LedgerError
from .money import MoneyError, check_storable, convert, to_minor
from .organizations import create_bank_transaction
from .posting import Line, post_entry

# kind -> (payment_type, source, account role debited)
KINDS = {
    "manual": ("MANUAL_TRANSACTION", "MANUAL", None),
    "bank": ("BANK_TRANSACTION", None, None),
    "credit_memo": ("CREDIT_MEMO", None, "customer_credits"),
    "stripe": (None, "STRIPE", "stripe_clearing"),
}


def _debit_account(store, kind, entity_id, organization_id, account_id, bank_transaction, credit_memo_id, applied):
    """The account the money lands in, after checking the kind's own rules."""
    if kind == "manual":
        row = store.owned("accounts", organization_id, account_id)
        if row is None or row["entity_id"] != entity_id or row["role"] not in ("cash", "bank"):
            raise InvalidField("account_id", "Choose a cash or bank account of the invoice's entity.")
        return row["id"]
    if kind == "bank":
        if applied > bank_transaction["amount_minor"] - store.bank_transaction_used(bank_transaction["id"]):
            raise InvalidField("amount", "The amount exceeds what is left of the bank transaction.")
        return bank_transaction["account_id"]
    if kind == "credit_memo":
        if applied > store.credit_memo_remaining(credit_memo_id):
            raise InvalidField("amount", "The amount exceeds the credit memo's remaining balance.")
    return store.account_for(entity_id, KINDS[kind][2])


def record_payment(
    store,
    clock: Clock,
    invoice: dict,
    *,
    kind: str,
    amount_minor: int,
    payment_date: str,
    account_id: int | None = None,
    bank_transaction_id: int | None = None,
    credit_memo_id: int | None = None,
    external_id: str | None = None,
    book_amount_minor: int | None = None,
    discount_minor: int = 0,
) -> int:
    """Apply a payment (in the invoice's currency) to an invoice and post its entry; returns its id.

    `book_amount_minor` is what was received in the entity's currency when it differs from the
    invoice's rate (foreign-currency payment); `discount_minor` is an early-payment discount.
    """
    if kind not in KINDS:
        raise InvalidField("kind", f"Unknown payment kind; use one of {sorted(KINDS)}.")
    organization_id = invoice["organization_id"]
    entity = store.get("entities", invoice["entity_id"])
    if invoice["voided_date"]:
        raise InvoiceVoided("This invoice is voided; it cannot take payments.")
    if amount_minor <= 0 or discount_minor < 0:
        raise InvalidField("amount", "The amount must be positive.")
    applied = amount_minor + discount_minor
    if applied > invoice["total_minor"] - invoice["paid_minor"]:
        raise InvalidField("amount", "The amount exceeds the invoice's amount due.")
    invoices.check_open_period(entity, payment_date, "payment_date")
    if external_id and store.external_id_taken(organization_id, external_id):
        raise InvalidField("external_id", "A payment with this external_id already exists.")
    if kind == "stripe" and not (external_id or "").startswith("btxn_"):
        raise InvalidField("external_id", "A Stripe payment needs its balance transaction id (btxn_...).")
    bank_transaction = None
    if kind == "bank":
        bank_transaction = store.owned("bank_transactions", organization_id, bank_transaction_id)
        if bank_transaction is None:
            raise InvalidField("transaction_id", f'Invalid pk "{bank_transaction_id}" - object does not exist.')
    if kind == "credit_memo":
        memo = store.owned("credit_memos", organization_id, credit_memo_id)
        if invoice["customer_id"] is None:
            raise InvalidField("credit_memo_id", "A credit memo is a customer's; this invoice has no client.")
        if memo is None or memo["customer_id"] != invoice["customer_id"] or memo["currency"] != invoice["currency"]:
            raise InvalidField(
                "credit_memo_id", "Choose an open credit memo of this customer in the invoice's currency."
            )
    debit_account = _debit_account(
        store, kind, entity["id"], organization_id, account_id, bank_transaction, credit_memo_id, applied
    )

    book, rate = entity["currency"], Decimal(invoice["exchange_rate"])
    ar_account = store.account_for(entity["id"], "ar")
    completes = applied == invoice["total_minor"] - invoice["paid_minor"]
    # The payment that settles the invoice clears its AR to zero, absorbing earlier rounding.
    ar_relief = (
        store.invoice_ar_balance(invoice["id"], ar_account)
        if completes
        else convert(applied, invoice["currency"], book, rate)
    )
    received = (
        book_amount_minor if book_amount_minor is not None else convert(amount_minor, invoice["currency"], book, rate)
    )
    discount_book = convert(discount_minor, invoice["currency"], book, rate)
    fx = ar_relief - received - discount_book  # > 0 is a loss (debit), < 0 a gain (credit)
    if received <= 0:
        raise InvalidField("book_amount", "The amount received must be positive.")
    label = f"Payment on {invoice['invoice_number']}"
    lines = [Line(debit_account, debit=received, description=label)]
    if discount_book:
        lines.append(
            Line(
                store.account_for(entity["id"], "discounts"), debit=discount_book, description="Early-payment discount"
            )
        )
    if fx:
        lines.append(
            Line(
                store.account_for(entity["id"], "fx_gain_loss"),
                debit=max(fx, 0),
                credit=max(-fx, 0),
                description="Realized FX gain/loss",
            )
        )
    lines.append(Line(ar_account, credit=ar_relief, invoice_id=invoice["id"], description=label))
    try:
        entry_id, line_ids = post_entry(
            store,
            clock,
            organization_id=organization_id,
            entity_id=entity["id"],
            date=payment_date,
            memo=label,
            kind="payment",
            currency=book,
            invoice_id=invoice["id"],
            lines=lines,
        )
    except MoneyError as exc:
        raise InvalidField("book_amount", str(exc)) from exc
    posted = [line for line in lines if line.debit or line.credit]
    by_description = {line.description: line_id for line, line_id in zip(posted, line_ids, strict=True)}
    payment_type, source, _ = KINDS[kind]
    now = clock.timestamp()
    payment_id = store.insert(
        "payments",
        {
            "organization_id": organization_id,
            "invoice_id": invoice["id"],
            "kind": kind,
            "payment_type": payment_type,
            "source": source,
            "external_id": external_id,
            "currency": invoice["currency"],
            "amount_minor": amount_minor,
            "discount_minor": discount_minor,
            "payment_date": payment_date,
            "journal_entry_id": entry_id,
            "bank_transaction_id": bank_transaction["id"] if bank_transaction else None,
            "credit_memo_id": credit_memo_id if kind == "credit_memo" else None,
            "fx_line_id": by_description.get("Realized FX gain/loss"),
            "discount_line_id": by_description.get("Early-payment discount"),
            "created_at": now,
            "last_modified_at": now,
        },
    )
    invoices.recompute(store, clock, invoice)
    return payment_id


def pay(
    store,
    clock: Clock,
    invoice: dict,
    kind: str,
    amount_minor: int,
    payment_date: str,
    *,
    discount_minor: int = 0,
    book_amount_minor: int | None = None,
    external_id: str | None = None,
    credit_memo_id: int | None = None,
    description: str | None = None,
) -> int:
    """A payment of any kind with whatever it needs made on the spot (the bank deposit, the credit
    memo, a Stripe balance transaction id): how the admin API, the dataset generator, the
    benchmarks and the tests provision payments."""
    entity_id, organization_id = invoice["entity_id"], invoice["organization_id"]
    extra = {}
    if kind == "manual":
        extra["account_id"] = store.account_for(entity_id, "cash")
    elif kind == "bank":
        extra["bank_transaction_id"] = create_bank_transaction(
            store,
            organization_id,
            store.account_for(entity_id, "bank"),
            amount_minor + discount_minor,
            invoice["currency"],
            payment_date,
            description or f"Deposit for {invoice['invoice_number']}",
        )
    elif kind == "credit_memo" and invoice["customer_id"] is not None:  # else record_payment refuses it
        extra["credit_memo_id"] = credit_memo_id or credit_memos.create_credit_memo(
            store,
            clock,
            organization_id,
            entity_id,
            invoice["customer_id"],
            amount_minor + discount_minor,
            payment_date,
        )
    elif kind == "stripe":
        external_id = external_id or f"btxn_mock{store.next_id('payments'):012d}"
    return record_payment(
        store,
        clock,
        invoice,
        kind=kind,
        amount_minor=amount_minor,
        payment_date=payment_date,
        discount_minor=discount_minor,
        book_amount_minor=book_amount_minor,
        external_id=external_id,
        **extra,
    )


def _minor(value, currency, field):
    try:
        return check_storable(to_minor(value, currency))
    except MoneyError as exc:
        raise InvalidField(field, str(exc)) from exc


def _empty_transaction(store, invoice, item):
    """A manual payment; with a `currency` other than the invoice's it is a foreign-currency one."""
    entity = store.get("entities", invoice["entity_id"])
    currency = (item.get("currency") or invoice["currency"]).upper()
    if currency == invoice["currency"]:
        return dict(
            kind="manual",
            amount_minor=_minor(item["amount"], currency, "amount"),
            payment_date=item["payment_date"],
            account_id=item["account_id"],
            external_id=item.get("external_id"),
        )
    if currency != entity["currency"] or item.get("amount_in_invoice_currency") is None:
        raise InvalidField(
            "amount_in_invoice_currency",
            f"A payment in {currency} needs amount_in_invoice_currency and must be in {entity['currency']}.",
        )
    return dict(
        kind="manual",
        payment_date=item["payment_date"],
        account_id=item["account_id"],
        external_id=item.get("external_id"),
        amount_minor=_minor(item["amount_in_invoice_currency"], invoice["currency"], "amount_in_invoice_currency"),
        book_amount_minor=_minor(item["amount"], currency, "amount"),
    )


def _bank_transaction(store, invoice, item):
    row = store.owned("bank_transactions", invoice["organization_id"], item.get("transaction_id"))
    if row is None:
        raise InvalidField("transaction_id", f'Invalid pk "{item.get("transaction_id")}" - object does not exist.')
    return dict(
        kind="bank",
        amount_minor=_minor(item["amount"], invoice["currency"], "amount"),
        payment_date=row["date"],
        bank_transaction_id=row["id"],
    )


def _credit_memo(store, invoice, item):
    return dict(
        kind="credit_memo",
        amount_minor=_minor(item["amount"], invoice["currency"], "amount"),
        payment_date=item["posted_at"],
        credit_memo_id=item["credit_memo_id"],
    )


_GROUPS = {"transactions": _bank_transaction, "credit_memos": _credit_memo, "empty_transactions": _empty_transaction}


def mark_paid(store, clock: Clock, invoice: dict, data: dict) -> dict:
    """The mark-paid body as payments; all of them or, on the first error, none."""
    if data.get("debit_memos"):
        raise InvalidField("debit_memos", "Debit memos are not supported by this stand-in.")
    if not any(data.get(group) for group in _GROUPS):
        raise InvalidRequest(
            {"non_field_errors": ["Give at least one of transactions, credit_memos or empty_transactions."]}
        )
    payment_ids, entry_ids = [], []
    for group, translate in _GROUPS.items():
        for index, item in enumerate(data.get(group) or []):
            try:
                fresh = store.get("invoices", invoice["id"])
                payment_id = record_payment(store, clock, fresh, **translate(store, fresh, item))
            except LedgerError as exc:
                raise InvalidRequest({group: {str(index): exc.problems}}) from exc
            payment_ids.append(payment_id)
            entry_ids.append(store.get("payments", payment_id)["journal_entry_id"])
    return {"journal_entry_ids": entry_ids, "payment_ids": payment_ids, "auto_created_credit_memos": []}
