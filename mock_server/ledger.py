"""The ledger database: schema, one connection, and the transaction every write goes through.

One sqlite3 connection is shared by the app and guarded by a lock; every write runs inside
``BEGIN IMMEDIATE`` so a check-then-act sequence (is this payment voided? void it) can never
interleave with another writer, in this process or another one on the same file.
"""
import sqlite3
import threading
from contextlib import contextmanager

import sqlite_utils

SCHEMA = """
CREATE TABLE IF NOT EXISTS organizations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    key TEXT PRIMARY KEY, organization_id INTEGER NOT NULL REFERENCES organizations(id),
    role TEXT NOT NULL CHECK (role IN ('admin', 'clerk', 'view_only')), name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
    id INTEGER PRIMARY KEY, organization_id INTEGER NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL, currency TEXT NOT NULL, books_closed_through TEXT,
    created_at TEXT NOT NULL, last_modified_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    id INTEGER PRIMARY KEY, organization_id INTEGER NOT NULL REFERENCES organizations(id),
    entity_id INTEGER NOT NULL REFERENCES entities(id), number TEXT NOT NULL, name TEXT NOT NULL,
    role TEXT NOT NULL, account_type TEXT NOT NULL, account_subtype TEXT NOT NULL,
    currency TEXT NOT NULL, created_at TEXT NOT NULL, last_modified_at TEXT NOT NULL,
    UNIQUE (entity_id, number));
CREATE TABLE IF NOT EXISTS customers (
    id INTEGER PRIMARY KEY, organization_id INTEGER NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL, email TEXT, company_name TEXT, city TEXT, country TEXT,
    created_at TEXT NOT NULL, last_modified_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bank_transactions (
    id INTEGER PRIMARY KEY, organization_id INTEGER NOT NULL REFERENCES organizations(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id), amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL, date TEXT NOT NULL, description TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS journal_entries (
    id INTEGER PRIMARY KEY, organization_id INTEGER NOT NULL REFERENCES organizations(id),
    entity_id INTEGER NOT NULL REFERENCES entities(id), number TEXT NOT NULL, date TEXT NOT NULL,
    memo TEXT NOT NULL, kind TEXT NOT NULL, currency TEXT NOT NULL,
    invoice_id INTEGER, reversal_of_id INTEGER REFERENCES journal_entries(id),
    created_at TEXT NOT NULL, last_modified_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS journal_lines (
    id INTEGER PRIMARY KEY, journal_entry_id INTEGER NOT NULL REFERENCES journal_entries(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    debit_minor INTEGER NOT NULL CHECK (debit_minor >= 0),
    credit_minor INTEGER NOT NULL CHECK (credit_minor >= 0),
    invoice_id INTEGER, description TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS journal_lines_entry ON journal_lines(journal_entry_id);
CREATE INDEX IF NOT EXISTS journal_lines_invoice ON journal_lines(invoice_id, account_id);
CREATE TABLE IF NOT EXISTS invoices (
    id INTEGER PRIMARY KEY, organization_id INTEGER NOT NULL REFERENCES organizations(id),
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id), invoice_number TEXT NOT NULL,
    currency TEXT NOT NULL, exchange_rate TEXT NOT NULL, invoice_date TEXT NOT NULL,
    due_date TEXT NOT NULL, terms TEXT, message_on_invoice TEXT,
    total_minor INTEGER NOT NULL, paid_minor INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL, paid_date TEXT, voided_date TEXT,
    journal_entry_id INTEGER REFERENCES journal_entries(id),
    created_at TEXT NOT NULL, last_modified_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS invoices_org ON invoices(organization_id, id);
CREATE TABLE IF NOT EXISTS invoice_lines (
    id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    product_name TEXT NOT NULL, quantity TEXT NOT NULL, rate TEXT NOT NULL,
    amount_minor INTEGER NOT NULL, tax_minor INTEGER NOT NULL, service_date TEXT,
    created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS invoice_lines_invoice ON invoice_lines(invoice_id);
CREATE TABLE IF NOT EXISTS credit_memos (
    id INTEGER PRIMARY KEY, organization_id INTEGER NOT NULL REFERENCES organizations(id),
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id), number TEXT NOT NULL,
    currency TEXT NOT NULL, total_minor INTEGER NOT NULL, date TEXT NOT NULL,
    created_at TEXT NOT NULL, last_modified_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS payments (
    id INTEGER PRIMARY KEY, organization_id INTEGER NOT NULL REFERENCES organizations(id),
    invoice_id INTEGER NOT NULL REFERENCES invoices(id), kind TEXT NOT NULL,
    payment_type TEXT, source TEXT, external_id TEXT, currency TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    discount_minor INTEGER NOT NULL DEFAULT 0, payment_date TEXT NOT NULL,
    journal_entry_id INTEGER NOT NULL REFERENCES journal_entries(id),
    bank_transaction_id INTEGER REFERENCES bank_transactions(id),
    credit_memo_id INTEGER REFERENCES credit_memos(id),
    fx_line_id INTEGER REFERENCES journal_lines(id),
    discount_line_id INTEGER REFERENCES journal_lines(id),
    voided_date TEXT, voided_journal_entry_id INTEGER REFERENCES journal_entries(id),
    created_at TEXT NOT NULL, last_modified_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS payments_invoice ON payments(invoice_id);
CREATE INDEX IF NOT EXISTS payments_external_id ON payments(organization_id, external_id);
CREATE INDEX IF NOT EXISTS journal_entries_reversal ON journal_entries(reversal_of_id);
CREATE TABLE IF NOT EXISTS stripe_refunds (
    id INTEGER PRIMARY KEY, organization_id INTEGER NOT NULL,
    payment_id INTEGER NOT NULL UNIQUE REFERENCES payments(id), charge_external_id TEXT,
    amount_minor INTEGER NOT NULL, currency TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE, refund_id TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS refund_attempts (
    id INTEGER PRIMARY KEY, payment_id INTEGER NOT NULL, idempotency_key TEXT NOT NULL,
    outcome TEXT NOT NULL, detail TEXT, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotent_responses (
    organization_id INTEGER NOT NULL, key TEXT NOT NULL, request TEXT NOT NULL,
    status INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, key));
"""


SQLITE_MAX_INT = 2**63 - 1


def fits(value) -> bool:
    """Whether an id or filter value can be stored in SQLite (else it matches nothing)."""
    return not isinstance(value, int) or -SQLITE_MAX_INT <= value <= SQLITE_MAX_INT


def insert(db, table: str, row: dict) -> int:
    """INSERT one row and return its id: the hot path of every posting, kept free of the
    schema introspection sqlite-utils' Table.insert does on each call."""
    columns = ", ".join(f"[{column}]" for column in row)
    marks = ", ".join("?" for _ in row)
    return db.conn.execute(f"INSERT INTO [{table}] ({columns}) VALUES ({marks})", list(row.values())).lastrowid


def fetch(db, table: str, row_id) -> dict:
    """One row by id, as a dict; LookupError when there is none."""
    cursor = db.conn.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
    values = cursor.fetchone()
    if values is None:
        raise LookupError(f"{table} {row_id} not found")
    return dict(zip([column[0] for column in cursor.description], values))


class Ledger:
    """The SQLite database behind the mock, as a sqlite-utils ``Database`` plus a write lock."""

    def __init__(self, path: str = ":memory:"):
        self.path = path
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        conn.execute("PRAGMA foreign_keys = ON")
        if path != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.executescript(SCHEMA)
        self.db = sqlite_utils.Database(conn)
        self._lock = threading.RLock()

    @contextmanager
    def transaction(self):
        """Yield the database inside BEGIN IMMEDIATE; commit on success, roll back on any error."""
        with self._lock:
            conn = self.db.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def bulk_transaction(self):
        """A transaction for loading many rows: foreign keys are checked once, at the end,
        instead of row by row (a deferred check scans child tables per parent row)."""
        with self._lock:
            self.db.conn.execute("PRAGMA foreign_keys = OFF")
            try:
                with self.transaction() as db:
                    yield db
                    broken = db.execute("PRAGMA foreign_key_check").fetchmany(5)
                    if broken:
                        raise sqlite3.IntegrityError(f"dangling references (table, rowid, parent): {broken}")
            finally:
                self.db.conn.execute("PRAGMA foreign_keys = ON")

    @contextmanager
    def reading(self):
        """Yield the database for reads; the lock keeps them off a half-done write."""
        with self._lock:
            yield self.db

    def reset(self) -> None:
        """Drop every row of every table (schema kept)."""
        with self.transaction() as db:
            db.execute("PRAGMA defer_foreign_keys = ON")
            for table in db.table_names():
                db.execute(f"DELETE FROM [{table}]")

    def close(self) -> None:
        self.db.conn.close()
