"""Credit memos: issuing one credits the customer; applying it to an invoice is a payment."""

from .clock import Clock
from .posting import Line, post_entry


def create_credit_memo(
    store,
    clock: Clock,
    organization_id: int,
    entity_id: int,
    customer_id: int,
    amount_minor: int,
    date: str,
    number: str | None = None,
) -> int:
    """Issue a memo in the entity's currency: Dr sales returns / Cr customer credits."""
    entity = store.get("entities", entity_id)
    now = clock.timestamp()
    memo_id = store.next_id("credit_memos")
    number = number or f"CM-{memo_id:07d}"
    store.insert(
        "credit_memos",
        {
            "id": memo_id,
            "organization_id": organization_id,
            "entity_id": entity_id,
            "customer_id": customer_id,
            "number": number,
            "currency": entity["currency"],
            "total_minor": amount_minor,
            "date": date,
            "created_at": now,
            "last_modified_at": now,
        },
    )
    post_entry(
        store,
        clock,
        organization_id=organization_id,
        entity_id=entity_id,
        date=date,
        memo=f"Credit memo {number}",
        kind="credit_memo",
        currency=entity["currency"],
        lines=[
            Line(store.account_for(entity_id, "sales_returns"), debit=amount_minor, description=number),
            Line(store.account_for(entity_id, "customer_credits"), credit=amount_minor, description=number),
        ],
    )
    return memo_id


def application_status(total_minor: int, remaining_minor: int) -> str:
    if remaining_minor == total_minor:
        return "open"
    return "used" if remaining_minor == 0 else "partially_used"
