"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, served on a free
127.0.0.1 port (and a socket in that folder), stopped and removed at the end. PostgreSQL refuses
to run as root, so as root (CI) every server command runs as the `postgres` system user."""

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from mock_server.serving import free_port

PACKAGE = "Debian's `postgresql` package (apt-get install postgresql)"
# A throwaway cluster: no fsync (its durability is not what these tests ask; a server process of
# the stand-in is what gets killed, and a restart of the cluster is a clean shutdown).
SETTINGS = "-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200"


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(Path(path).parts[-3]))
    return Path(found[-1]).parent if found else None


def unavailable(reason: str):
    """Skip with the reason, except in CI (env CI set), where a missing PostgreSQL fails the run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the PostgreSQL tests", pytrace=False)
    pytest.skip(reason)


class Cluster:
    def __init__(self, bin_dir: Path, settings: str = SETTINGS):
        self.bin_dir = bin_dir
        self.settings = settings
        self.root = Path(tempfile.mkdtemp(prefix="campfire-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        self._databases = 0

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin_dir / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed: {result.stdout}{result.stderr}")

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
            "-o",
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 {self.settings}",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """The URL of a new empty database of the cluster."""
        import psycopg

        self._databases += 1
        name = f"ledger_{self._databases}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster():
    """One cluster per test session (skipped without the binaries or the driver, failed in CI)."""
    bin_dir = binaries()
    if bin_dir is None:
        unavailable(f"PostgreSQL binaries not found in /usr/lib/postgresql/*/bin: install {PACKAGE}")
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError as exc:
        unavailable(f"the PostgreSQL driver is missing ({exc}): pip install '.[postgres]'")
    cluster = Cluster(bin_dir)
    yield cluster
    cluster.remove()
