"""The ledger's tables. Money columns are integer minor units; dates are ISO strings.

Every column that references another table's rows is indexed, and so is every row's owning
organization: deleting a sandbox's rows (a reset) then checks and finds them through indexes,
at the cost of the sandbox's size, never of the whole ledger's."""

import re

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
    customer_id INTEGER REFERENCES customers(id), invoice_number TEXT NOT NULL,  -- no client: the contract allows it
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
    status INTEGER, body TEXT, created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, key));
CREATE TABLE IF NOT EXISTS stripe_faults (
    id INTEGER PRIMARY KEY, fault TEXT NOT NULL, sandbox_id TEXT);
CREATE TABLE IF NOT EXISTS api_faults (
    id INTEGER PRIMARY KEY AUTOINCREMENT, rule TEXT NOT NULL, remaining INTEGER, applied INTEGER NOT NULL DEFAULT 0,
    sandbox_id TEXT);
CREATE TABLE IF NOT EXISTS sandboxes (
    id TEXT PRIMARY KEY, admin_token TEXT NOT NULL UNIQUE, expires_at TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sandbox_organizations (
    organization_id INTEGER PRIMARY KEY, sandbox_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sandbox_organizations_sandbox ON sandbox_organizations(sandbox_id);
CREATE INDEX IF NOT EXISTS sandboxes_expiry ON sandboxes(expires_at);
CREATE INDEX IF NOT EXISTS tokens_org ON tokens(organization_id);
CREATE INDEX IF NOT EXISTS entities_org ON entities(organization_id);
CREATE INDEX IF NOT EXISTS bank_transactions_org ON bank_transactions(organization_id);
CREATE INDEX IF NOT EXISTS journal_entries_org ON journal_entries(organization_id);
CREATE INDEX IF NOT EXISTS credit_memos_org ON credit_memos(organization_id);
CREATE INDEX IF NOT EXISTS stripe_refunds_org ON stripe_refunds(organization_id);
CREATE INDEX IF NOT EXISTS refund_attempts_payment ON refund_attempts(payment_id);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY, value TEXT);
CREATE INDEX IF NOT EXISTS payments_org ON payments(organization_id, id);
CREATE INDEX IF NOT EXISTS payments_credit_memo ON payments(credit_memo_id);
CREATE INDEX IF NOT EXISTS payments_bank_transaction ON payments(bank_transaction_id);
CREATE INDEX IF NOT EXISTS customers_org ON customers(organization_id, id);
CREATE INDEX IF NOT EXISTS accounts_org ON accounts(organization_id, entity_id, number);
CREATE INDEX IF NOT EXISTS accounts_role ON accounts(entity_id, role);
CREATE INDEX IF NOT EXISTS journal_lines_account ON journal_lines(account_id);
CREATE INDEX IF NOT EXISTS payments_fx_line ON payments(fx_line_id);
CREATE INDEX IF NOT EXISTS payments_discount_line ON payments(discount_line_id);
CREATE INDEX IF NOT EXISTS payments_entry ON payments(journal_entry_id);
CREATE INDEX IF NOT EXISTS payments_void_entry ON payments(voided_journal_entry_id);
CREATE INDEX IF NOT EXISTS invoices_entry ON invoices(journal_entry_id);
CREATE INDEX IF NOT EXISTS invoices_entity ON invoices(entity_id);
CREATE INDEX IF NOT EXISTS invoices_customer ON invoices(customer_id);
CREATE INDEX IF NOT EXISTS credit_memos_entity ON credit_memos(entity_id);
CREATE INDEX IF NOT EXISTS credit_memos_customer ON credit_memos(customer_id);
CREATE INDEX IF NOT EXISTS journal_entries_entity ON journal_entries(entity_id);
CREATE INDEX IF NOT EXISTS bank_transactions_account ON bank_transactions(account_id);
CREATE INDEX IF NOT EXISTS idempotent_responses_age ON idempotent_responses(organization_id, created_at);
CREATE INDEX IF NOT EXISTS stripe_faults_sandbox ON stripe_faults(sandbox_id, id);
CREATE INDEX IF NOT EXISTS api_faults_sandbox ON api_faults(sandbox_id, id);
"""


# Columns added after a table first shipped: (table, column, type), added to older ledger files.
ADDED_COLUMNS = (("stripe_faults", "sandbox_id", "TEXT"), ("api_faults", "sandbox_id", "TEXT"))

# Id columns that point at another table's rows without a declared reference.
UNDECLARED_REFERENCES = {
    "journal_entries": {"invoice_id": "invoices"},
    "journal_lines": {"invoice_id": "invoices"},
    "refund_attempts": {"payment_id": "payments"},
    "stripe_refunds": {"organization_id": "organizations"},
}


def references() -> dict[str, dict[str, str]]:
    """table -> {id column: the table it points at}, read from SCHEMA (for copying rows with new ids)."""
    found = {}
    for table, body in re.findall(r"CREATE TABLE IF NOT EXISTS (\w+) \((.*?)\);", SCHEMA, re.S):
        found[table] = dict(re.findall(r"(\w+) INTEGER[^,]*?REFERENCES (\w+)\(id\)", body))
        found[table].update(UNDECLARED_REFERENCES.get(table, {}))
    return found


SQLITE_MAX_INT = 2**63 - 1


def fits(value) -> bool:
    """Whether an id or filter value can be stored in an INTEGER column (else it matches nothing)."""
    return not isinstance(value, int) or -SQLITE_MAX_INT <= value <= SQLITE_MAX_INT
