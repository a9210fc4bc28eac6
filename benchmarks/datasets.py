"""Ledger files for the benchmark: the default dataset seeded fresh, and a large dataset
(`python -m mock_server.fixtures.generate --payments N`) generated and loaded once, then cached under the
git-ignored fixtures/large/ and copied for each run (a run writes to its copy). A cached ledger
file whose schema differs from the one the stand-in in this tree creates is rebuilt."""

import contextlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from servers import ENV, ROOT, THIS, Tree

CACHE = ROOT / "fixtures" / "large"


def _seed(db: Path, fixtures: str, tree: Tree = THIS) -> None:
    subprocess.run(
        tree.campfire_mock("seed", "--db", str(db), "--fixtures", fixtures),
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=tree.root,
        env=tree.env,
    )


def default(db: Path, tree: Tree = THIS) -> Path:
    """A ledger file of the default dataset, seeded by `tree`'s stand-in."""
    _seed(db, "default", tree)
    return db


def schema(db: Path) -> list[tuple]:
    """The ledger file's tables and indexes, as SQLite stores their definitions."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        return connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def large(payments: int, reference: Path) -> Path:
    """The cached pristine ledger file with `payments` extra payments, built on first use and
    again when its schema is not `reference`'s (a ledger file just seeded by this tree)."""
    directory = CACHE / f"bench-{payments}"
    db = CACHE / f"bench-{payments}.db"
    if db.exists() and schema(db) == schema(reference):
        return db
    if not (directory / "payments.jsonl").exists():
        print(f"generating {payments:,} payments into {directory} (once)", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "mock_server.fixtures.generate",
                "--payments",
                str(payments),
                "--out",
                str(directory),
            ],
            check=True,
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.DEVNULL,
        )
    print(f"loading them into {db} (once)", flush=True)
    building = db.with_suffix(".building")
    building.unlink(missing_ok=True)
    _seed(building, str(directory))
    building.rename(db)
    return db


def copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target
