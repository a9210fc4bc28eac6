"""Double-entry posting: every journal entry is written here and nowhere else, and it balances."""
from dataclasses import dataclass

from .clock import Clock
from .ledger import fetch, insert


class UnbalancedEntry(AssertionError):
    """A journal entry whose debits and credits differ: a bug in a rule, never a client error."""


@dataclass(frozen=True)
class Line:
    account_id: int
    debit: int = 0
    credit: int = 0
    invoice_id: int | None = None
    description: str = ""


def post_entry(db, clock: Clock, *, organization_id: int, entity_id: int, date: str, memo: str,
               kind: str, currency: str, lines: list[Line], invoice_id: int | None = None,
               reversal_of_id: int | None = None) -> tuple[int, list[int]]:
    """Write a balanced journal entry; returns its id and the ids of its lines, in order."""
    lines = [line for line in lines if line.debit or line.credit]
    debits = sum(line.debit for line in lines)
    credits = sum(line.credit for line in lines)
    if debits != credits or debits == 0:
        raise UnbalancedEntry(f"{memo}: debits {debits} != credits {credits}")
    now = clock.timestamp()
    entry_id = insert(db, "journal_entries", {
        "organization_id": organization_id, "entity_id": entity_id, "number": "",
        "date": date, "memo": memo, "kind": kind, "currency": currency, "invoice_id": invoice_id,
        "reversal_of_id": reversal_of_id, "created_at": now, "last_modified_at": now,
    })
    db.execute("UPDATE journal_entries SET number = ? WHERE id = ?", [f"JE-{entry_id:06d}", entry_id])
    line_ids = [
        insert(db, "journal_lines", {
            "journal_entry_id": entry_id, "account_id": line.account_id,
            "debit_minor": line.debit, "credit_minor": line.credit,
            "invoice_id": line.invoice_id, "description": line.description,
        })
        for line in lines
    ]
    return entry_id, line_ids


def reverse_entry(db, clock: Clock, entry_id: int, *, date: str, memo: str) -> int:
    """Post the mirror of an entry (debit and credit swapped on every line), dated `date`."""
    entry = fetch(db, "journal_entries", entry_id)
    lines = [
        Line(row["account_id"], debit=row["credit_minor"], credit=row["debit_minor"],
             invoice_id=row["invoice_id"], description=f"Reversal: {row['description']}")
        for row in db.query("SELECT * FROM journal_lines WHERE journal_entry_id = ? ORDER BY id", [entry_id])
    ]
    reversal_id, _ = post_entry(
        db, clock, organization_id=entry["organization_id"], entity_id=entry["entity_id"],
        date=date, memo=memo, kind="reversal", currency=entry["currency"], lines=lines,
        invoice_id=entry["invoice_id"], reversal_of_id=entry_id,
    )
    return reversal_id


def account_for(db, entity_id: int, role: str) -> int:
    """The entity's account playing `role` (ar, stripe_clearing, customer_credits, ...)."""
    row = db.execute(
        "SELECT id FROM accounts WHERE entity_id = ? AND role = ? ORDER BY id LIMIT 1", [entity_id, role]
    ).fetchone()
    if row is None:
        raise LookupError(f"entity {entity_id} has no {role} account")
    return row[0]


def invoice_ar_balance(db, invoice_id: int, ar_account_id: int) -> int:
    """Debit balance of AR carried by one invoice, in the entity's minor units."""
    return db.execute(
        "SELECT COALESCE(SUM(debit_minor - credit_minor), 0) FROM journal_lines"
        " WHERE invoice_id = ? AND account_id = ?", [invoice_id, ar_account_id]
    ).fetchone()[0]
