"""Storage: the only layer that speaks SQL. ``SqliteLedger`` owns the file and its
transactions; the ``SqliteStore`` it yields offers the rules' methods and the read models.
A second engine is a second ledger/store pair beside these, behind the same methods."""
from .sqlite import SqliteLedger

__all__ = ["SqliteLedger"]
