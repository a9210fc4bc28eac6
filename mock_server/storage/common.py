"""What every ledger does the same way on top of its own ``read()`` / ``write()``."""


class LedgerMethods:
    generation: int  # bumped whenever the dataset is replaced (token caches follow it)

    def query(self, sql: str, params=()) -> list[dict]:
        """Read-only SQL (``?`` placeholders) for tests and tools that inspect the tables themselves."""
        with self.read() as store:
            return store._rows(sql, params)

    def reset(self) -> None:
        """Drop every row of every table (the schema stays)."""
        with self.write() as store:
            store.delete_everything()
        self.generation += 1
