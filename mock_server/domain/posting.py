"""Double-entry posting: every journal entry is written here and nowhere else, and it balances."""

from dataclasses import dataclass

from .clock import Clock
from .money import check_storable


class UnbalancedEntry(AssertionError):
    """A journal entry whose debits and credits differ: a bug in a rule, never a client error."""


@dataclass(frozen=True)
class Line:
    account_id: int
    debit: int = 0
    credit: int = 0
    invoice_id: int | None = None
    description: str = ""


def post_entry(
    store,
    clock: Clock,
    *,
    organization_id: int,
    entity_id: int,
    date: str,
    memo: str,
    kind: str,
    currency: str,
    lines: list[Line],
    invoice_id: int | None = None,
    reversal_of_id: int | None = None,
) -> tuple[int, list[int]]:
    """Write a balanced journal entry; returns its id and the ids of its lines, in order."""
    lines = [line for line in lines if line.debit or line.credit]
    debits = sum(line.debit for line in lines)
    credits = sum(line.credit for line in lines)
    if debits != credits or debits == 0:
        raise UnbalancedEntry(f"{memo}: debits {debits} != credits {credits}")
    check_storable(debits)
    now = clock.timestamp()
    entry_id = store.next_id("journal_entries")
    store.insert(
        "journal_entries",
        {
            "id": entry_id,
            "organization_id": organization_id,
            "entity_id": entity_id,
            "number": f"JE-{entry_id:06d}",
            "date": date,
            "memo": memo,
            "kind": kind,
            "currency": currency,
            "invoice_id": invoice_id,
            "reversal_of_id": reversal_of_id,
            "created_at": now,
            "last_modified_at": now,
        },
    )
    line_ids = [
        store.insert(
            "journal_lines",
            {
                "journal_entry_id": entry_id,
                "account_id": line.account_id,
                "debit_minor": line.debit,
                "credit_minor": line.credit,
                "invoice_id": line.invoice_id,
                "description": line.description,
            },
        )
        for line in lines
    ]
    return entry_id, line_ids


def reverse_entry(store, clock: Clock, entry_id: int, *, date: str, memo: str) -> int:
    """Post the mirror of an entry (debit and credit swapped on every line), dated `date`."""
    entry = store.get("journal_entries", entry_id)
    lines = [
        Line(
            row["account_id"],
            debit=row["credit_minor"],
            credit=row["debit_minor"],
            invoice_id=row["invoice_id"],
            description=f"Reversal: {row['description']}",
        )
        for row in store.journal_lines(entry_id)
    ]
    reversal_id, _ = post_entry(
        store,
        clock,
        organization_id=entry["organization_id"],
        entity_id=entry["entity_id"],
        date=date,
        memo=memo,
        kind="reversal",
        currency=entry["currency"],
        lines=lines,
        invoice_id=entry["invoice_id"],
        reversal_of_id=entry_id,
    )
    return reversal_id
