"""Organizations (tenants) and what they own before any invoice: API tokens, entities with a
standard chart of accounts, customers and the bank transactions that payments can match."""

import secrets

from .clock import Clock

# role -> (number, name, account_type, account_subtype): the accounts every entity gets.
STANDARD_CHART = {
    "cash": ("1000", "Operating Cash", "ASSET", "BANK"),
    "bank": ("1010", "Checking Account", "ASSET", "BANK"),
    "stripe_clearing": ("1050", "Stripe Clearing", "ASSET", "OTHER_CURRENT_ASSET"),
    "ar": ("1100", "Accounts Receivable", "ASSET", "ACCOUNTS_RECEIVABLE"),
    "customer_credits": ("2150", "Customer Credits", "LIABILITY", "UNAPPLIED_CREDITS"),
    "sales_tax": ("2200", "Sales Tax Payable", "LIABILITY", "OTHER_CURRENT_LIABILITY"),
    "revenue": ("4000", "Revenue", "REVENUE", "INCOME"),
    "sales_returns": ("4100", "Sales Returns and Credits", "REVENUE", "INCOME"),
    "fx_gain_loss": ("7100", "Realized FX Gain/Loss", "OTHER_INCOME", "REALIZED_GAIN_LOSS"),
    "discounts": ("7200", "Payment Term Discounts", "OPERATING_EXPENSES", "EXPENSE"),
}
ROLES = ("admin", "clerk", "view_only")


def create_organization(store, name: str) -> int:
    return store.insert("organizations", {"name": name})


def create_token(store, organization_id: int, key: str, role: str, name: str) -> str:
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    store.insert("tokens", {"key": key, "organization_id": organization_id, "role": role, "name": name})
    return key


def create_entity(
    store, clock: Clock, organization_id: int, name: str, currency: str, books_closed_through: str | None = None
) -> int:
    """An entity and its chart of accounts (one account per role of STANDARD_CHART)."""
    now = clock.timestamp()
    entity_id = store.insert(
        "entities",
        {
            "organization_id": organization_id,
            "name": name,
            "currency": currency,
            "books_closed_through": books_closed_through,
            "created_at": now,
            "last_modified_at": now,
        },
    )
    for role, (number, label, kind, subtype) in STANDARD_CHART.items():
        store.insert(
            "accounts",
            {
                "organization_id": organization_id,
                "entity_id": entity_id,
                "number": number,
                "name": label,
                "role": role,
                "account_type": kind,
                "account_subtype": subtype,
                "currency": currency,
                "created_at": now,
                "last_modified_at": now,
            },
        )
    return entity_id


def close_books(store, entity_id: int, through: str) -> None:
    store.update("entities", entity_id, books_closed_through=through)


def create_customer(
    store,
    clock: Clock,
    organization_id: int,
    name: str,
    email: str | None = None,
    company_name: str | None = None,
    city: str | None = None,
    country: str | None = None,
) -> int:
    now = clock.timestamp()
    return store.insert(
        "customers",
        {
            "organization_id": organization_id,
            "name": name,
            "email": email,
            "company_name": company_name,
            "city": city,
            "country": country,
            "created_at": now,
            "last_modified_at": now,
        },
    )


def create_bank_transaction(
    store, organization_id: int, account_id: int, amount_minor: int, currency: str, date: str, description: str
) -> int:
    return store.insert(
        "bank_transactions",
        {
            "organization_id": organization_id,
            "account_id": account_id,
            "amount_minor": amount_minor,
            "currency": currency,
            "date": date,
            "description": description,
        },
    )


def randomize_tokens(store) -> None:
    """Give every API token an unguessable key (keeping its readable prefix, e.g. nw_admin_)."""
    for row in store.tokens():
        prefix = row["key"].rsplit("_", 1)[0] if "_" in row["key"] else row["role"]
        store.replace_token_key(row["key"], f"{prefix}_{secrets.token_hex(16)}")
