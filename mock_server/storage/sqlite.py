"""The SQLite ledger file: its connections, its transactions and its snapshots.

Every write goes through one connection, guarded by a lock, inside ``BEGIN IMMEDIATE``: a
check-then-act sequence (is this payment voided? void it) never interleaves with another
writer, in this process or in another process serving the same file. Between processes the
writers queue on an advisory file lock first: a waiting writer wakes the moment the lock is
free, where SQLite's busy handler would poll with growing sleeps (up to 100 ms each). Readers get their own
connection per thread; in WAL mode they read the last committed state and never wait for a
write. A ledger without a path lives in a private temporary file (so WAL readers work there
too) that is removed on close.

Storage faults are answered in words, never as a traceback or a silent loss: a file that is not
a ledger, cannot be read or cannot be written is one :class:`StorageError` at open; a full disk
while serving is :class:`StorageFault` 507; the file deleted or replaced under a running server
(its inode changed) refuses every write with 503, since the writes would land in a file nobody
opens again.
"""

import fcntl
import os
import shutil
import sqlite3
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from . import datasets
from .common import LedgerMethods
from .errors import StorageError, StorageFault
from .sandboxes import TEMPLATE
from .schema import ADDED_COLUMNS, SCHEMA
from .store import SqliteStore


def _dict_row(cursor, row):
    return dict(zip([column[0] for column in cursor.description], row, strict=True))


def _private_file(path: Path) -> None:
    """Create the ledger file readable by its owner only: it holds every API token."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


# SQLite's primary result codes of a storage that refuses to write
SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL = 8, 10, 13


def _fault(exc: sqlite3.Error, path: Path) -> StorageFault | None:
    """What a failed statement says about the storage (None: not the storage's fault)."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == SQLITE_FULL:
        return StorageFault(f"The ledger's disk is full ({path}): no write is possible until space is freed.", 507)
    if code in (SQLITE_READONLY, SQLITE_IOERR):
        return StorageFault(f"The ledger file cannot be written ({path}: {exc}).")
    return None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino


def _add_columns(conn) -> None:
    """Columns a ledger file made by an older version lacks."""
    for table, column, kind in ADDED_COLUMNS:
        if column not in [row[0] for row in conn.execute(f"SELECT * FROM {table} LIMIT 0").description]:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


class SqliteLedger(LedgerMethods):
    """The ledger database. ``write()`` and ``read()`` yield a :class:`SqliteStore`."""

    engine = "sqlite"
    integrity_errors = (sqlite3.IntegrityError,)  # a row that collides with one already there

    def __init__(self, path: str | Path | None = None):
        self._tmpdir = None
        if path is None:
            self._tmpdir = tempfile.mkdtemp(prefix="campfire-ledger-")
            path = Path(self._tmpdir) / "ledger.db"
        self.path = Path(path)
        try:
            _private_file(self.path)
            self._writer = self._connect()
            self._writer.execute("PRAGMA journal_mode = WAL")
            self._writer.execute(f"PRAGMA synchronous = {'OFF' if self._tmpdir else 'NORMAL'}")
            self._writer.executescript(SCHEMA)
            _add_columns(self._writer)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot use the ledger file {self.path}: {exc}") from None
        self._identity = _identity(self.path)  # the file this ledger writes; another at that path is refused
        self._template_dir = None  # the default dataset, attached to the writer as TEMPLATE once a sandbox needs it
        self._lock = threading.RLock()  # the writer's: held for a whole write transaction
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()  # never the writer's lock: a reader must not wait for a write
        lock_path = self.path.with_name(self.path.name + ".lock")
        _private_file(lock_path)
        self._process_lock = open(lock_path, "rb")  # flock'ed around each write, for other processes
        self.generation = 0  # bumped whenever the dataset is replaced (token caches follow it)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        conn.row_factory = _dict_row
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def _reader(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
            conn.execute("PRAGMA query_only = ON")
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    @contextmanager
    def write(self, tenant: str | None = None):
        """A write transaction: committed when the block ends, rolled back on any error. Every
        tenant shares the file's one writer: a write holds it only for its own statements (a
        wait, such as a slow Stripe's, happens before it begins)."""
        with self._lock:
            self._check_file()
            fcntl.flock(self._process_lock, fcntl.LOCK_EX)
            try:
                conn = self._writer
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield SqliteStore(conn)
                except BaseException:
                    if conn.in_transaction:  # SQLite rolls back by itself after some faults (a full disk)
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                fault = _fault(exc, self.path)
                if fault is None:
                    raise
                raise fault from exc
            finally:
                fcntl.flock(self._process_lock, fcntl.LOCK_UN)

    def _check_file(self) -> None:
        """Refuse to write when the file at the ledger's path is no longer the one it opened."""
        if _identity(self.path) != self._identity:
            raise StorageFault(
                f"The ledger file {self.path} was deleted or replaced while the server ran; "
                "writes are refused (restart the server on the file to use)."
            )

    def check_health(self) -> None:
        """Raises when the ledger cannot answer a read, or its file was replaced."""
        self._check_file()
        with self.read() as store:
            store.count("organizations")

    @contextmanager
    def read(self):
        """A read transaction over the last committed state; never waits for a writer."""
        conn = self._reader()
        conn.execute("BEGIN")
        try:
            yield SqliteStore(conn)
        finally:
            conn.execute("COMMIT")

    @contextmanager
    def bulk_write(self, check: bool = True, tenant: str | None = None):
        """A write transaction for loading or deleting many rows: foreign keys are checked once
        at the end (not at all when `check` is False) instead of row by row (a per-row check
        scans child tables for each parent)."""
        with self._lock:
            self._writer.execute("PRAGMA foreign_keys = OFF")
            try:
                with self.write() as store:
                    yield store
                    if check:
                        store.check_foreign_keys()
            finally:
                self._writer.execute("PRAGMA foreign_keys = ON")
            self.generation += 1

    def snapshot(self) -> sqlite3.Connection:
        """An in-memory copy of the whole ledger, for :meth:`restore` (tests restore in milliseconds)."""
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        with self._lock:
            self._writer.backup(copy)
        return copy

    def restore(self, snapshot: sqlite3.Connection) -> None:
        """Put the ledger back to a snapshot, every table at once."""
        with self._lock:
            snapshot.backup(self._writer)
        self.generation += 1

    def forget_tenant(self, tenant: str) -> None:
        """No lock of its own per tenant to forget (one writer per file)."""

    def prepare_template(self, directory) -> None:
        """Attach a pristine copy of the dataset in `directory` (built once per process) for
        sandboxes to copy rows from (ATTACH is refused inside a transaction: done outside one)."""
        with self._lock:
            if self._template_dir:
                return
            folder = tempfile.mkdtemp(prefix="campfire-template-")
            template = SqliteLedger(Path(folder) / "template.db")
            try:
                datasets.load(template, directory)
            finally:
                template.close()
            self._writer.execute(f"ATTACH DATABASE ? AS {TEMPLATE}", [str(Path(folder) / "template.db")])
            self._template_dir = folder

    def close(self) -> None:
        with self._lock, self._readers_lock:
            for conn in [*self._readers, self._writer]:
                conn.close()
            self._readers.clear()
            self._process_lock.close()
        for folder in (self._tmpdir, self._template_dir):
            if folder:
                shutil.rmtree(folder, ignore_errors=True)
