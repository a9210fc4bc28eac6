"""Loading a dataset (one JSON Lines file per table) into the ledger with sqlite-utils."""
import json
from pathlib import Path

# Parents before children, so foreign keys hold row by row.
TABLES = ("organizations", "tokens", "entities", "accounts", "customers", "bank_transactions",
          "invoices", "journal_entries", "journal_lines", "invoice_lines", "credit_memos", "payments",
          "stripe_refunds", "refund_attempts")


def _rows(path: Path):
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def load(ledger, directory: Path, batch_size: int = 5000) -> dict:
    """Insert every table file of `directory` in one transaction; returns rows per table."""
    directory = Path(directory)
    if not (directory / "organizations.jsonl").exists():
        raise FileNotFoundError(f"{directory} is not a dataset (no organizations.jsonl)")
    counts = {}
    with ledger.bulk_transaction() as db:
        for table in TABLES:
            path = directory / f"{table}.jsonl"
            if path.exists():
                before = db[table].count
                db[table].insert_all(_rows(path), batch_size=batch_size)
                counts[table] = db[table].count - before
    return counts


def dump(db, directory: Path) -> dict:
    """Write every table to `directory` as JSON Lines, ordered by primary key (deterministic)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in TABLES:
        with (directory / f"{table}.jsonl").open("w", encoding="utf-8") as handle:
            count = 0
            for row in db.query(f"SELECT * FROM [{table}] ORDER BY rowid"):
                handle.write(json.dumps(row, sort_keys=True) + "\n")
                count += 1
        counts[table] = count
    return counts


def voidable_payment(ledger) -> dict | None:
    """A Stripe payment an admin token can void today (for the start-up banner), or None."""
    with ledger.reading() as db:
        rows = list(db.query(
            "SELECT t.key AS token, p.invoice_id, p.id AS payment_id FROM payments p"
            " JOIN invoices i ON i.id = p.invoice_id JOIN entities e ON e.id = i.entity_id"
            " JOIN tokens t ON t.organization_id = p.organization_id AND t.role = 'admin'"
            " WHERE p.voided_date IS NULL AND i.voided_date IS NULL AND p.source = 'STRIPE'"
            " AND e.books_closed_through IS NULL ORDER BY p.id LIMIT 1"))
    return rows[0] if rows else None


def tokens(ledger) -> list[dict]:
    """Who is who: every token with its organization and role."""
    with ledger.reading() as db:
        return [dict(row) for row in db.query(
            "SELECT t.key, t.role, t.name, o.id AS organization_id, o.name AS organization FROM tokens t"
            " JOIN organizations o ON o.id = t.organization_id ORDER BY o.id, t.role")]
