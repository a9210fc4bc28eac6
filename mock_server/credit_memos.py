"""Credit memos: issuing one credits the customer; applying it to an invoice is a payment."""
from .clock import Clock
from .posting import Line, account_for, post_entry
from .ledger import fetch, insert


def create_credit_memo(db, clock: Clock, organization_id: int, entity_id: int, customer_id: int,
                       amount_minor: int, date: str, number: str | None = None) -> int:
    """Issue a memo in the entity's currency: Dr sales returns / Cr customer credits."""
    entity = fetch(db, "entities", entity_id)
    now = clock.timestamp()
    memo_id = insert(db, "credit_memos", {
        "organization_id": organization_id, "entity_id": entity_id, "customer_id": customer_id,
        "number": "", "currency": entity["currency"], "total_minor": amount_minor, "date": date,
        "created_at": now, "last_modified_at": now,
    })
    number = number or f"CM-{memo_id:07d}"
    db.execute("UPDATE credit_memos SET number = ? WHERE id = ?", [number, memo_id])
    post_entry(db, clock, organization_id=organization_id, entity_id=entity_id, date=date,
               memo=f"Credit memo {number}", kind="credit_memo", currency=entity["currency"], lines=[
                   Line(account_for(db, entity_id, "sales_returns"), debit=amount_minor, description=number),
                   Line(account_for(db, entity_id, "customer_credits"), credit=amount_minor, description=number),
               ])
    return memo_id


def remaining(db, memo_id: int) -> int:
    """What is left to apply: the total less the memo's active (not voided) applications."""
    total, used = db.execute(
        "SELECT m.total_minor, COALESCE((SELECT SUM(amount_minor) FROM payments p"
        " WHERE p.credit_memo_id = m.id AND p.voided_date IS NULL), 0)"
        " FROM credit_memos m WHERE m.id = ?", [memo_id]).fetchone()
    return total - used
