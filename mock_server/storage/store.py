"""The methods the ledger's rules need, over one SQLite connection inside one transaction.

This is the only place (with the read models in ``views`` and the checks in ``invariants``)
where SQL is written. Rows come back as plain dicts; ids that SQLite cannot hold (beyond 64
bits) simply match nothing.
"""

import itertools
import sqlite3

from .sandboxes import DELETION_ORDER, SANDBOX_ONLY, SandboxMethods
from .schema import fits
from .views import ReadModels

# The tables a rule may look a row up in by id (table names are never taken from a request).
TABLES = frozenset(
    {
        "organizations",
        "entities",
        "accounts",
        "customers",
        "bank_transactions",
        "journal_entries",
        "invoices",
        "credit_memos",
        "payments",
        "stripe_refunds",
        "refund_attempts",
    }
)


def _batches(rows, size: int):
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class SqliteStore(SandboxMethods, ReadModels):
    # what the engine raises for a sum it cannot compute (an invariant check reports it)
    COMPUTATION_ERRORS = (sqlite3.OperationalError, OverflowError)

    def __init__(self, conn):
        self.conn = conn

    # -- the two primitives every method below is written with
    def _rows(self, sql: str, params=()) -> list[dict]:
        return self.conn.execute(sql, params).fetchall()

    def _one(self, sql: str, params=()) -> dict | None:
        return self.conn.execute(sql, params).fetchone()

    # -- rows by id
    def insert(self, table: str, row: dict) -> int:
        row = self.tag(table, row)
        columns = ", ".join(row)
        marks = ", ".join("?" * len(row))
        return self.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values())).lastrowid

    def update(self, table: str, row_id: int, **values) -> None:
        assignments = ", ".join(f"{column} = ?" for column in values)
        self.conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*values.values(), row_id])

    def next_id(self, table: str) -> int:
        """The id the next row of `table` gets (the caller holds the write lock)."""
        return self._one(f"SELECT COALESCE(MAX(id), 0) + 1 AS id FROM {table}")["id"]

    def in_scope(self, table: str, row_id) -> dict | None:
        """A row of `table` that belongs to the transaction's scope (a sandbox, or the server's own), else None."""
        assert table in TABLES, table
        return (
            self._one(f"SELECT * FROM {table} WHERE id = ? AND {self.mine(table)}", [row_id]) if fits(row_id) else None
        )

    def get(self, table: str, row_id) -> dict | None:
        assert table in TABLES, table
        return self._one(f"SELECT * FROM {table} WHERE id = ?", [row_id]) if fits(row_id) else None

    def owned(self, table: str, organization_id: int, row_id) -> dict | None:
        """A row of `table` that belongs to the organization, else None (no cross-tenant reads)."""
        assert table in TABLES, table
        if not fits(row_id) or row_id is None:
            return None
        return self._one(f"SELECT * FROM {table} WHERE id = ? AND organization_id = ?", [row_id, organization_id])

    # -- what the rules ask
    def payment_of_invoice(self, invoice_id: int, payment_id) -> dict | None:
        if not fits(payment_id):
            return None
        return self._one("SELECT * FROM payments WHERE id = ? AND invoice_id = ?", [payment_id, invoice_id])

    def journal_lines(self, entry_id: int) -> list[dict]:
        return self._rows("SELECT * FROM journal_lines WHERE journal_entry_id = ? ORDER BY id", [entry_id])

    def account_for(self, entity_id: int, role: str) -> int:
        """The entity's account playing `role` (ar, stripe_clearing, customer_credits, ...)."""
        row = self._one(
            "SELECT id FROM accounts WHERE entity_id = ? AND role = ? ORDER BY id LIMIT 1", [entity_id, role]
        )
        if row is None:
            raise LookupError(f"entity {entity_id} has no {role} account")
        return row["id"]

    def invoice_ar_balance(self, invoice_id: int, ar_account_id: int) -> int:
        """Debit balance of AR carried by one invoice, in the entity's minor units."""
        return self._one(
            "SELECT COALESCE(SUM(debit_minor - credit_minor), 0) AS balance FROM journal_lines"
            " WHERE invoice_id = ? AND account_id = ?",
            [invoice_id, ar_account_id],
        )["balance"]

    def active_payments_total(self, invoice_id: int) -> tuple[int, str | None]:
        """(amount applied by the active payments, date of the last one)."""
        row = self._one(
            "SELECT COALESCE(SUM(amount_minor + discount_minor), 0) AS paid, MAX(payment_date) AS last"
            " FROM payments WHERE invoice_id = ? AND voided_date IS NULL",
            [invoice_id],
        )
        return row["paid"], row["last"]

    def bank_transaction_used(self, bank_transaction_id: int) -> int:
        return self._one(
            "SELECT COALESCE(SUM(amount_minor), 0) AS used FROM payments WHERE bank_transaction_id = ?"
            " AND voided_date IS NULL",
            [bank_transaction_id],
        )["used"]

    def credit_memo_remaining(self, memo_id: int) -> int:
        """What is left to apply: the total less the memo's active (not voided) applications."""
        return self._one(
            "SELECT m.total_minor - COALESCE((SELECT SUM(amount_minor) FROM payments p"
            " WHERE p.credit_memo_id = m.id AND p.voided_date IS NULL), 0) AS remaining"
            " FROM credit_memos m WHERE m.id = ?",
            [memo_id],
        )["remaining"]

    def external_id_taken(self, organization_id: int, external_id: str) -> bool:
        return (
            self._one(
                "SELECT 1 FROM payments WHERE organization_id = ? AND external_id = ?", [organization_id, external_id]
            )
            is not None
        )

    # -- Stripe
    def refund_by_key(self, key: str) -> str | None:
        row = self._one("SELECT refund_id FROM stripe_refunds WHERE idempotency_key = ?", [key])
        return row and row["refund_id"]

    def next_stripe_fault(self) -> dict | None:
        """The first queued fault ({id, fault}), left in the queue."""
        return self._one(f"SELECT id, fault FROM stripe_faults WHERE {self.mine('stripe_faults')} ORDER BY id LIMIT 1")

    def drop_stripe_fault(self, fault_id: int | None) -> None:
        self.conn.execute("DELETE FROM stripe_faults WHERE id = ?", [fault_id])

    def drop_stripe_faults_of_kind(self, fault: str) -> int:
        """Of every scope: a crash stops the whole process."""
        return self.conn.execute("DELETE FROM stripe_faults WHERE fault = ?", [fault]).rowcount

    def stripe_faults(self) -> list[str]:
        return [
            row["fault"]
            for row in self._rows(f"SELECT fault FROM stripe_faults WHERE {self.mine('stripe_faults')} ORDER BY id")
        ]

    def clear_stripe_faults(self) -> None:
        self.delete_scope(["stripe_faults"])

    def refunds(self) -> list[dict]:
        return self._rows(f"SELECT * FROM stripe_refunds WHERE {self.mine('stripe_refunds')} ORDER BY id")

    def refund_attempts(self) -> list[dict]:
        return self._rows(f"SELECT * FROM refund_attempts WHERE {self.mine('refund_attempts')} ORDER BY id")

    def payment_reversals(self, payment_id: int) -> list[dict]:
        """The journal entries reversing the payment's entry (exactly one once it is voided)."""
        return self._rows(
            "SELECT e.* FROM journal_entries e JOIN payments p ON e.reversal_of_id = p.journal_entry_id"
            " WHERE p.id = ? ORDER BY e.id",
            [payment_id],
        )

    # -- faults on the public API: a rule as JSON, how many more times it applies (NULL: always)
    def api_faults(self) -> list[dict]:
        return self._rows(
            f"SELECT id, rule, remaining, applied FROM api_faults WHERE {self.mine('api_faults')} ORDER BY id"
        )

    def api_fault_count(self) -> int:
        return self._one(f"SELECT COUNT(*) AS n FROM api_faults WHERE {self.mine('api_faults')}")["n"]

    def add_api_fault(self, rule: str, remaining: int | None) -> int:
        return self.conn.execute(
            "INSERT INTO api_faults (rule, remaining, sandbox_id) VALUES (?, ?, ?)", [rule, remaining, self.sandbox_id]
        ).lastrowid

    def apply_api_fault(self, fault_id: int) -> bool:
        """Count one application of the rule; False when it is spent or gone (another process may have used it)."""
        return (
            self.conn.execute(
                "UPDATE api_faults SET applied = applied + 1, remaining = remaining - 1 WHERE id = ?"
                " AND (remaining IS NULL OR remaining > 0)",
                [fault_id],
            ).rowcount
            == 1
        )

    def clear_api_faults(self) -> None:
        self.delete_scope(["api_faults"])

    # -- idempotency keys
    def idempotent_response(self, organization_id: int, key: str) -> dict | None:
        return self._one(
            "SELECT * FROM idempotent_responses WHERE organization_id = ? AND key = ?", [organization_id, key]
        )

    def save_idempotent_response(self, organization_id: int, key: str, status: int, body: str) -> None:
        self.conn.execute(
            "UPDATE idempotent_responses SET status = ?, body = ? WHERE organization_id = ? AND key = ?",
            [status, body, organization_id, key],
        )

    def purge_idempotent_responses(self, organization_id: int, before: str) -> None:
        """The organization's keys created before `before` (an ISO time of the stand-in's clock)."""
        self.conn.execute(
            "DELETE FROM idempotent_responses WHERE organization_id = ? AND created_at < ?", [organization_id, before]
        )

    def forget_idempotent_response(self, organization_id: int, key: str) -> None:
        self.conn.execute(
            "DELETE FROM idempotent_responses WHERE organization_id = ? AND key = ?", [organization_id, key]
        )

    # -- tokens and settings
    def token_owners(self) -> dict[str, dict]:
        """Every API token of every scope -> its organization_id, role, name and sandbox_id (None: the server's own)."""
        return {
            row["key"]: row
            for row in self._rows(
                "SELECT t.key, t.organization_id, t.role, t.name, s.sandbox_id FROM tokens t"
                " LEFT JOIN sandbox_organizations s ON s.organization_id = t.organization_id"
            )
        }

    def tokens(self) -> list[dict]:
        """Who is who: every token with its organization's name, for people."""
        return self._rows(
            "SELECT t.key, t.role, t.name, o.id AS organization_id, o.name AS organization"
            f" FROM tokens t JOIN organizations o ON o.id = t.organization_id WHERE {self.mine('organizations', 'o')}"
            " ORDER BY o.id, t.role"
        )

    def replace_token_key(self, old: str, new: str) -> None:
        self.conn.execute("UPDATE tokens SET key = ? WHERE key = ?", [new, old])

    def voidable_stripe_payment(self) -> dict | None:
        """A Stripe payment an admin token can void today (for the start-up banner), or None."""
        return self._one(
            "SELECT t.key AS token, p.invoice_id, p.id AS payment_id FROM payments p"
            " JOIN invoices i ON i.id = p.invoice_id JOIN entities e ON e.id = i.entity_id"
            " JOIN tokens t ON t.organization_id = p.organization_id AND t.role = 'admin'"
            " WHERE p.voided_date IS NULL AND i.voided_date IS NULL AND p.source = 'STRIPE'"
            f" AND e.books_closed_through IS NULL AND {self.mine('payments', 'p')} ORDER BY p.id LIMIT 1"
        )

    def setting(self, key: str) -> str | None:
        row = self._one("SELECT value FROM settings WHERE key = ?", [key])
        return row and row["value"]

    def set_setting(self, key: str, value: str | None) -> None:
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    # -- whole tables
    def table_names(self) -> list[str]:
        """The ledger's tables (not SQLite's own, such as sqlite_sequence)."""
        return [
            row["name"]
            for row in self._rows(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]

    def count(self, table: str) -> int:
        assert table in self.table_names(), table
        return self._one(f"SELECT COUNT(*) AS n FROM {table}")["n"]

    def insert_many(self, table: str, rows, batch_size: int = 5000) -> int:
        """Insert an iterable of rows (dicts with the same keys) in batches; returns how many."""
        inserted = 0
        for batch in _batches(rows, batch_size):
            columns = list(batch[0])
            self.conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [[row[column] for column in columns] for row in batch],
            )
            inserted += len(batch)
        return inserted

    def table_rows(self, table: str):
        assert table in self.table_names(), table
        return self.conn.execute(f"SELECT * FROM {table} ORDER BY rowid")

    def delete_everything(self) -> None:
        """Every row of the scope but its settings (its pinned clock) and the sandboxes themselves."""
        self.delete_scope(DELETION_ORDER)
        if self.sandbox_id is not None:
            self.delete_scope(["sandbox_organizations"])
            return
        for table in self.table_names():  # the engine's own (sqlite_sequence): no scope has them
            if table not in DELETION_ORDER + SANDBOX_ONLY:
                self.conn.execute(f"DELETE FROM {table}")

    def check_foreign_keys(self) -> None:
        broken = self._rows("PRAGMA foreign_key_check")[:5]
        if broken:
            raise ValueError(f"dangling references (table, rowid, parent): {broken}")
