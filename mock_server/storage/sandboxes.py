"""Sandboxes in SQL: which rows a sandbox owns, and a dataset copied into one by INSERT ... SELECT.

A sandbox owns the organizations listed for it in ``sandbox_organizations`` and every row that
hangs off them; its Stripe faults, API fault rules and settings carry its id. Everything not
owned by a sandbox is the server's own data (scope ``None``), so a server nobody creates a
sandbox on behaves as before. Sandbox ids are made by the server (hex) and checked before they
are written into SQL. The SQL is portable: the PostgreSQL store runs it as it is.
"""

import re
import secrets
from datetime import UTC, datetime

from .schema import references

TEMPLATE = "campfire_template"  # the pristine default dataset: an attached database / a schema
ID_BASE = 1_000_000  # a sandbox's rows get ids above this, clear of a dataset loaded into the server's own scope
SANDBOX_ID = re.compile(r"[0-9a-f]{8,64}")
# parents before children, no reference to a row not yet copied (so no check is left pending)
DATASET_TABLES = (
    "organizations",
    "tokens",
    "entities",
    "accounts",
    "customers",
    "bank_transactions",
    "journal_entries",
    "invoices",
    "journal_lines",
    "invoice_lines",
    "credit_memos",
    "payments",
    "stripe_refunds",
    "refund_attempts",
)
# a refund's idempotency key names its payment (domain.refunds.idempotency_key): it follows the payment's new id
PAYMENT_KEYS = {("stripe_refunds", "idempotency_key"), ("refund_attempts", "idempotency_key")}
PAYMENT_KEY_PREFIX = "void-invoice-payment-"
TAGGED = frozenset({"stripe_faults", "api_faults"})  # rows that carry their sandbox_id themselves
# children first: a child's ownership is read through its parent
DELETION_ORDER = (
    "refund_attempts",
    "journal_lines",
    "invoice_lines",
    "idempotent_responses",
    "stripe_refunds",
    "payments",
    "credit_memos",
    "invoices",
    "journal_entries",
    "bank_transactions",
    "customers",
    "accounts",
    "entities",
    "tokens",
    "organizations",
    "stripe_faults",
    "api_faults",
)
SANDBOX_ONLY = ("settings", "sandbox_organizations", "sandboxes")  # deleted with the sandbox, never by a reset


def stamp(moment: datetime) -> str:
    """UTC, to the second, in a form that sorts as text (expiry is compared in SQL and in the token cache)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def checked(sandbox_id: str) -> str:
    if not SANDBOX_ID.fullmatch(sandbox_id):
        raise ValueError(f"not a sandbox id: {sandbox_id!r}")
    return sandbox_id


def setting_key(key: str, sandbox_id: str | None) -> str:
    """A setting of one scope (the server's own keys are unchanged)."""
    return key if sandbox_id is None else f"{key}:{checked(sandbox_id)}"


def _of_sandboxes(table: str, sandbox_id: str | None, alias: str = "") -> str:
    """The condition a row of `table` (named `alias` in the query) meets when a sandbox owns it:
    `sandbox_id`, or any (None)."""
    at = f"{alias}." if alias else ""
    which = "" if sandbox_id is None else f" WHERE sandbox_id = '{checked(sandbox_id)}'"
    through = {
        "journal_lines": ("journal_entry_id", "journal_entries"),
        "invoice_lines": ("invoice_id", "invoices"),
        "refund_attempts": ("payment_id", "payments"),
    }
    if table in through:
        column, parent = through[table]
        return f"{at}{column} IN (SELECT id FROM {parent} WHERE {_of_sandboxes(parent, sandbox_id)})"
    if table in TAGGED:
        return f"{at}sandbox_id IS NOT NULL" if sandbox_id is None else f"{at}sandbox_id = '{sandbox_id}'"
    if table == "settings":  # a scope's keys end in ":<sandbox id>" (setting_key)
        return f"{at}key LIKE '%:%'" if sandbox_id is None else f"{at}key LIKE '%:{checked(sandbox_id)}'"
    if table in ("sandboxes", "sandbox_organizations"):
        return (
            "1 = 1" if sandbox_id is None else f"{at}{'id' if table == 'sandboxes' else 'sandbox_id'} = '{sandbox_id}'"
        )
    column = "id" if table == "organizations" else "organization_id"
    return f"{at}{column} IN (SELECT organization_id FROM sandbox_organizations{which})"


def owned(table: str, sandbox_id: str | None, alias: str = "") -> str:
    """The condition a row of `table` meets when it belongs to the scope (None: whatever no sandbox owns)."""
    return (
        _of_sandboxes(table, sandbox_id, alias)
        if sandbox_id is not None
        else f"NOT ({_of_sandboxes(table, None, alias)})"
    )


class SandboxMethods:
    """Mixed into the store; ``self.sandbox_id`` is the scope of the transaction (None: the server's own)."""

    sandbox_id: str | None = None

    def mine(self, table: str, alias: str = "") -> str:
        """The condition (for WHERE) a row of `table`, named `alias` in the query, meets when it is the scope's."""
        return owned(table, self.sandbox_id, alias)

    def scope_setting(self, key: str) -> str | None:
        """A setting of the transaction's scope (the sandbox's own, or the server's)."""
        return self.setting(setting_key(key, self.sandbox_id))

    def set_scope_setting(self, key: str, value: str | None) -> None:
        self.set_setting(setting_key(key, self.sandbox_id), value)

    def tag(self, table: str, row: dict) -> dict:
        return {**row, "sandbox_id": self.sandbox_id} if table in TAGGED else row

    def lock_registry(self) -> None:
        """Sandboxes are created one at a time (one writer: already so)."""

    def defer_references(self) -> None:
        self.conn.execute("PRAGMA defer_foreign_keys = ON")

    def delete_scope(self, tables) -> None:
        self.defer_references()
        for table in tables:
            self.conn.execute(f"DELETE FROM {table} WHERE {owned(table, self.sandbox_id)}")

    # -- the registry
    def sandboxes(self, sandbox_id: str | None = None) -> list[dict]:
        where = "" if sandbox_id is None else f" WHERE id = '{checked(sandbox_id)}'"
        return self._rows(f"SELECT * FROM sandboxes{where} ORDER BY created_at, id")

    def live_sandbox(self, sandbox_id: str) -> bool:
        """Whether the sandbox exists and has not expired (its tokens may write)."""
        return (
            self._one(
                "SELECT 1 AS live FROM sandboxes WHERE id = ? AND expires_at > ?",
                [sandbox_id, stamp(datetime.now(UTC))],
            )
            is not None
        )

    def sandbox_admins(self) -> dict[str, dict]:
        return {row["admin_token"]: row for row in self._rows("SELECT id, admin_token, expires_at FROM sandboxes")}

    def expired_sandboxes(self, now: str) -> list[str]:
        return [row["id"] for row in self._rows("SELECT id FROM sandboxes WHERE expires_at <= ?", [now])]

    def sandbox_organizations(self, sandbox_id: str) -> list[dict]:
        return self._rows(f"SELECT id, name FROM organizations WHERE {owned('organizations', sandbox_id)} ORDER BY id")

    def sandbox_tokens(self, sandbox_id: str) -> list[dict]:
        return self._rows(
            f"SELECT key, role, organization_id FROM tokens WHERE {owned('tokens', sandbox_id)} ORDER BY key"
        )

    def delete_sandbox(self, sandbox_id: str) -> None:
        """Every row the sandbox owns, its registry entry last (in a transaction that need not
        check references: a sandbox's rows point at each other only, and all of them go)."""
        scope, self.sandbox_id = self.sandbox_id, checked(sandbox_id)
        try:
            self.delete_scope(DELETION_ORDER + SANDBOX_ONLY)
        finally:
            self.sandbox_id = scope

    # -- a dataset copied from the template with new ids
    def _columns(self, table: str) -> list[str]:
        return [column[0] for column in self.conn.execute(f"SELECT * FROM {TEMPLATE}.{table} LIMIT 0").description]

    def _offsets(self) -> dict[str, int]:
        """Per table, what the template's ids are shifted by: past every id in use and past ID_BASE."""
        offsets = {}
        for table in DATASET_TABLES:
            if table == "tokens":
                continue
            low = self._one(f"SELECT MIN(id) AS n FROM {TEMPLATE}.{table}")["n"]
            high = self._one(f"SELECT MAX(id) AS n FROM {table}")["n"]
            offsets[table] = max(high or 0, ID_BASE) - (low or 1) + 1
        return offsets

    def copy_template(self) -> dict[str, int]:
        """The template's rows into this store's sandbox, every id and reference shifted
        consistently, every token given a fresh random key; returns rows per table."""
        sandbox_id = checked(self.sandbox_id)
        refs, offsets, counts = references(), self._offsets(), {}
        for table in DATASET_TABLES:
            if table == "tokens":
                tokens = self._rows(f"SELECT * FROM {TEMPLATE}.tokens ORDER BY key")
                counts[table] = self.insert_many(
                    "tokens",
                    [
                        {
                            **row,
                            "key": f"{row['role']}_{secrets.token_hex(16)}",
                            "organization_id": row["organization_id"] + offsets["organizations"],
                        }
                        for row in tokens
                    ],
                )
                continue
            columns = self._columns(table)
            values = []
            for column in columns:
                if column == "id":
                    values.append(f"id + {offsets[table]}")
                elif column in refs[table]:
                    values.append(f"{column} + {offsets[refs[table][column]]}")
                elif (table, column) in PAYMENT_KEYS:
                    values.append(f"'{PAYMENT_KEY_PREFIX}' || (payment_id + {offsets['payments']})")
                else:
                    values.append(column)
            counts[table] = self.conn.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {TEMPLATE}.{table}"
            ).rowcount
        self.conn.execute(
            f"INSERT INTO sandbox_organizations (organization_id, sandbox_id)"
            f" SELECT id + {offsets['organizations']}, '{sandbox_id}' FROM {TEMPLATE}.organizations"
        )
        return counts
