"""Generate a large dataset (default 1,000,000 extra payments) and load it into a SQLite file,
printing how long each step takes. Not a test: a measurement, reported in the README.

    python benchmarks/large_dataset.py [--payments N] [--out fixtures/large] [--db /tmp/large.db]
"""
import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fixtures import generate  # noqa: E402
from mock_server.storage import SqliteLedger, datasets, invariants  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("fixtures/large"))
    parser.add_argument("--db", default="/tmp/campfire-large.db")
    args = parser.parse_args()

    started = time.perf_counter()
    generate.main(["--payments", str(args.payments), "--out", str(args.out)])
    generated = time.perf_counter() - started
    size = sum(path.stat().st_size for path in args.out.glob("*.jsonl"))

    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(args.db + suffix):
            os.remove(args.db + suffix)
    ledger = SqliteLedger(args.db)
    started = time.perf_counter()
    counts = datasets.load(ledger, args.out)
    loaded = time.perf_counter() - started
    rows = sum(counts.values())

    started = time.perf_counter()
    with ledger.read() as store:
        healthy = invariants.report(store)["healthy"]
    checked = time.perf_counter() - started
    print(f"\n{counts['payments']:,} payments ({rows:,} rows, {size / 1e6:,.0f} MB of JSON Lines)")
    print(f"generate: {generated:8.1f} s  ({counts['payments'] / generated:,.0f} payments/s, through the ledger rules)")
    print(f"load:     {loaded:8.1f} s  ({rows / loaded:,.0f} rows/s, batched inserts into {args.db})")
    print(f"check:    {checked:8.1f} s  (all invariants: {'healthy' if healthy else 'VIOLATED'})")
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
