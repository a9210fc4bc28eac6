"""Storage: the only layer that speaks SQL. A ledger owns the database and its transactions;
the store it yields offers the rules' methods and the read models. Two engines offer the same
methods: ``SqliteLedger`` (a file, the default) and ``PostgresLedger`` (a server that several
stand-in processes share), chosen by :func:`open_ledger`."""

from .errors import StorageError, Unavailable
from .sqlite import SqliteLedger

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(target) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def open_ledger(target=None):
    """A PostgreSQL URL opens a :class:`PostgresLedger`; anything else is a SQLite file (None or
    "memory": a private temporary one)."""
    if is_postgres_url(target):
        try:
            from .postgres import PostgresLedger
        except ImportError as exc:
            raise StorageError(
                f"a PostgreSQL ledger needs the postgres extra (pip install '.[postgres]'): {exc}"
            ) from None
        return PostgresLedger(target)
    return SqliteLedger(None if target in (None, "memory") else target)


__all__ = ["SqliteLedger", "StorageError", "Unavailable", "is_postgres_url", "open_ledger"]
