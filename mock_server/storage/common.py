"""What every ledger does the same way on top of its own ``read()`` / ``write()``."""

from contextlib import contextmanager

from ..domain.errors import SandboxGone


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


class ScopedLedger(LedgerMethods):
    """A ledger seen from one sandbox: every store it yields is scoped to the sandbox's rows.
    A write is the sandbox's (its tenant lock) and finds the sandbox still there and not expired,
    under that lock: once a delete has answered, no write of its tokens lands, on any server."""

    def __init__(self, ledger, sandbox_id: str):
        self.base = ledger
        self.sandbox_id = sandbox_id

    def __getattr__(self, name):  # engine, integrity_errors, prepare_template...
        return getattr(self.base, name)

    @property
    def generation(self) -> int:
        return self.base.generation

    @generation.setter
    def generation(self, value: int) -> None:
        self.base.generation = value

    @contextmanager
    def _scoped(self, transaction, live: bool = False):
        with transaction() as store:
            store.sandbox_id = self.sandbox_id
            if live and not store.live_sandbox(self.sandbox_id):
                raise SandboxGone()
            yield store

    def write(self):
        return self._scoped(lambda: self.base.write(self.sandbox_id), live=True)

    def write_new(self):
        """The write that creates the sandbox (it is not there yet)."""
        return self._scoped(lambda: self.base.write(self.sandbox_id))

    def read(self):
        return self._scoped(self.base.read)

    def bulk_write(self, check: bool = True):
        return self._scoped(lambda: self.base.bulk_write(check, self.sandbox_id))
