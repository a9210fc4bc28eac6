"""Where the PostgreSQL ledger's void goes, in-process (no HTTP): the void handler of the web
layer called directly, on the PostgreSQL ledger and on SQLite, in one run.

    python benchmarks/pg_void_profile.py [--voids 400] [--threads 1] [--profile]

Each engine voids `--voids` distinct, freshly provisioned payments (half Stripe) through
``web.handlers.void`` with a stand-in call (no Idempotency-Key), after a few unrecorded ones.
Printed per void: this process's CPU (every thread), PostgreSQL's CPU (the postmaster and its
children, from /proc), wall time, and for PostgreSQL the round trips to the server and the
statements sent (a counted pass of 10 more voids after the timed one; the last two voids'
statements are listed, a Stripe one and a manual one). Read the CPU figures from a quiet machine:
on a shared one they move by ±20% between runs.
`--profile` also prints the top functions under cProfile for the PostgreSQL pass.
"""
import argparse
import cProfile
import pstats
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.append(str(HERE.parent / "tests"))

import proc_cpu  # noqa: E402
from engines import PG_SETTINGS, TODAY  # noqa: E402
from void_throughput import provision  # noqa: E402
from fixtures import DEFAULT  # noqa: E402
from mock_server.standin import StandIn  # noqa: E402
from mock_server.storage import datasets, open_ledger  # noqa: E402
from mock_server.web.handlers.void import coa_api_v1_invoice_payment_void_create as void_handler  # noqa: E402

WARM_UP = 20


def void_all(standin: StandIn, pairs, threads: int) -> None:
    call = SimpleNamespace(headers={}, organization_id=1, body=lambda: {"void_date": TODAY})

    def one(pair):
        answer = void_handler(standin, call, *pair)
        assert answer["voided_date"] == TODAY, answer

    if threads == 1:  # in this thread (so that cProfile sees it)
        list(map(one, pairs))
        return
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, pairs))


@contextmanager
def counted():
    """Round trips (each psycopg `Connection.wait`) and the statements sent, while the block runs."""
    import psycopg
    from psycopg._connection_base import BaseConnection

    seen = {"round trips": 0, "statements": []}
    wait, execute, command = psycopg.Connection.wait, psycopg.Cursor.execute, BaseConnection._exec_command

    def counting_wait(self, *args, **kwargs):
        seen["round trips"] += 1
        return wait(self, *args, **kwargs)

    def counting_execute(self, query, *args, **kwargs):
        seen["statements"].append(query if isinstance(query, str) else repr(query))
        return execute(self, query, *args, **kwargs)

    def counting_command(self, text, *args, **kwargs):
        seen["statements"].append(text.decode() if isinstance(text, bytes) else repr(text))
        return command(self, text, *args, **kwargs)

    psycopg.Connection.wait, psycopg.Cursor.execute, BaseConnection._exec_command = (
        counting_wait, counting_execute, counting_command)
    try:
        yield seen
    finally:
        psycopg.Connection.wait, psycopg.Cursor.execute, BaseConnection._exec_command = wait, execute, command


def measure(label: str, target: str, voids: int, threads: int, cpu_pids: list[int], profile: bool) -> None:
    ledger = open_ledger(target)
    try:
        datasets.load(ledger, DEFAULT)
        standin = StandIn(ledger)
        standin.pin_today(date.fromisoformat(TODAY))
        counting = 10 if ledger.engine == "postgresql" else 0
        pairs = provision(standin, WARM_UP + voids + counting)
        void_all(standin, pairs[:WARM_UP], threads)
        measured = pairs[WARM_UP:WARM_UP + voids]
        profiler = cProfile.Profile(time.thread_time) if profile and counting else None
        started, cpu, other = time.perf_counter(), time.process_time(), sum(map(proc_cpu.tree_cpu_seconds, cpu_pids))
        if profiler:
            profiler.enable()
        void_all(standin, measured, threads)
        if profiler:
            profiler.disable()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        other = sum(map(proc_cpu.tree_cpu_seconds, cpu_pids)) - other
        print(f"{label:<12} {voids / wall:7.0f} voids/s  process CPU {cpu / voids * 1e6:6,.0f} µs/void  "
              f"PostgreSQL CPU {other / voids * 1e6:6,.0f} µs/void  total {(cpu + other) / voids * 1e6:6,.0f} µs/void",
              flush=True)
        if counting:
            with counted() as seen:
                void_all(standin, pairs[-counting:], 1)
            print(f"{'':<12} {seen['round trips'] / counting:.1f} round trips, "
                  f"{len(seen['statements']) / counting:.1f} statements per void; the last two voids' "
                  "(a Stripe one and a manual one):")
            for statement in seen["statements"][-len(seen["statements"]) * 2 // counting:]:
                print(f"{'':<14}{' '.join(statement.split())[:140]}")
        if profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(25)
    finally:
        ledger.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voids", type=int, default=400)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    engines = args.engines.split(",")
    if "sqlite" in engines:
        measure("SQLite", "memory", args.voids, args.threads, [], False)
    if "postgresql" in engines:
        from postgres_cluster import Cluster, binaries

        cluster = Cluster(binaries(), PG_SETTINGS)
        try:
            postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
            measure("PostgreSQL", cluster.new_database(), args.voids, args.threads, [postmaster], args.profile)
        finally:
            cluster.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
