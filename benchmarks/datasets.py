"""Ledger files for the benchmark: the default dataset seeded fresh, and a large dataset
(`python -m fixtures.generate --payments N`) generated and loaded once, then cached under the
git-ignored fixtures/large/ and copied for each run (a run writes to its copy)."""
import shutil
import subprocess
import sys
from pathlib import Path

from servers import CAMPFIRE_MOCK, ENV, ROOT

CACHE = ROOT / "fixtures" / "large"


def _seed(db: Path, fixtures: str) -> None:
    subprocess.run([CAMPFIRE_MOCK, "seed", "--db", str(db), "--fixtures", fixtures], check=True,
                   stdout=subprocess.DEVNULL, env=ENV)


def default(db: Path) -> Path:
    _seed(db, "default")
    return db


def large(payments: int) -> Path:
    """The cached pristine ledger file with `payments` extra payments, built on first use."""
    directory = CACHE / f"bench-{payments}"
    db = CACHE / f"bench-{payments}.db"
    if db.exists():
        return db
    if not (directory / "payments.jsonl").exists():
        print(f"generating {payments:,} payments into {directory} (once)", flush=True)
        subprocess.run([sys.executable, "-m", "fixtures.generate", "--payments", str(payments), "--out",
                        str(directory)], check=True, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL)
    print(f"loading them into {db} (once)", flush=True)
    building = db.with_suffix(".building")
    building.unlink(missing_ok=True)
    _seed(building, str(directory))
    building.rename(db)
    return db


def copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target
