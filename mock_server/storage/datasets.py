"""Datasets: one JSON Lines file per table, loaded into the ledger in one transaction, and
written back from it (ordered by primary key, so the same ledger gives the same files)."""

import json
from pathlib import Path

from ..domain.errors import DatasetConflict

# Parents before children.
TABLES = (
    "organizations",
    "tokens",
    "entities",
    "accounts",
    "customers",
    "bank_transactions",
    "invoices",
    "journal_entries",
    "journal_lines",
    "invoice_lines",
    "credit_memos",
    "payments",
    "stripe_refunds",
    "refund_attempts",
)


def _rows(path: Path):
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def insert(store, directory: Path) -> dict:
    """Every table file of `directory` into the store's transaction; returns rows per table."""
    return {
        table: store.insert_many(table, _rows(directory / f"{table}.jsonl"))
        for table in TABLES
        if (directory / f"{table}.jsonl").exists()
    }


def load(ledger, directory: Path) -> dict:
    """Insert every table file of `directory` in one transaction; returns rows per table."""
    directory = Path(directory)
    if not (directory / "organizations.jsonl").exists():
        raise FileNotFoundError(f"{directory} is not a dataset (no organizations.jsonl)")
    try:
        with ledger.bulk_write() as store:
            return insert(store, directory)
    except ledger.integrity_errors as exc:  # a second load collides on primary keys
        raise DatasetConflict(f"Could not load the dataset ({exc}); reset first.") from exc


def dump(ledger, directory: Path) -> dict:
    """Write every table to `directory` as JSON Lines; returns rows per table."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    with ledger.read() as store:
        for table in TABLES:
            with (directory / f"{table}.jsonl").open("w", encoding="utf-8") as handle:
                counts[table] = 0
                for row in store.table_rows(table):
                    handle.write(json.dumps(row, sort_keys=True) + "\n")
                    counts[table] += 1
    return counts
