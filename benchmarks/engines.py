"""`make bench`, the engines: the void on the SQLite ledger and on PostgreSQL, with one server
and with two.

    python benchmarks/engines.py [--voids 800] [--loadgen auto|wrk|python]

Rows: SQLite with one server (the reference of the ratios), SQLite with `serve --workers 2` on
the same file, PostgreSQL with one server, and PostgreSQL with two `campfire-mock serve`
processes on one database, the payments split between them. Every row voids `--voids` distinct,
freshly provisioned payments (half Stripe) once each, with 8 connections in all (4 per server
when there are two), after a few unrecorded voids through each server. Afterwards each payment
of the row was answered exactly one 200, a second void of a few of them (through the other
server when there are two) is refused, the voided payments are exactly the requested ones and
the ledger's invariants hold; the script exits 1 otherwise.

PostgreSQL runs in a temporary cluster (tests/support/postgres_cluster.py) with fsync and
synchronous_commit on, its defaults: an answered void is on disk (with synchronous_commit off,
a killed postmaster lost 1 of 294 answered voids). Its processes' CPU is counted in the server
CPU. Without
its binaries or its driver, one line says so and the PostgreSQL rows are skipped.
"""

import argparse
import contextlib
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.append(str(HERE.parent / "tests"))  # support.postgres_cluster, the tests' temporary cluster

import datasets  # noqa: E402
import load  # noqa: E402
import proc_cpu  # noqa: E402
import servers  # noqa: E402
import standin  # noqa: E402
from bench import machine  # noqa: E402

TODAY = "2026-11-20"  # pinned on every server; the default dataset's books are open then
ADMIN_TOKEN = "bench-admin-token"
VOID_BODY = json.dumps({"void_date": TODAY})
WARM_UP = 5  # voids through each server before the measured ones
REVOID_PROBES = 3
CAP = 120.0  # seconds a row's voids may take at most
WORK = servers.ROOT / "reports" / "bench-engines"
# fsync and synchronous_commit on (unlike the tests' cluster): an answered void survives a crash.
PG_SETTINGS = "-c max_connections=200"


@dataclass
class Row:
    label: str
    answered: int
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_us: float


@dataclass
class Ledger(standin.HandedOutOnce):
    """One database with the default dataset and provisioned payments, handed out once each."""

    engine: str
    db: str
    token: str
    pairs: list[tuple[int, int]]
    cpu_pids: list[int]  # processes besides the servers whose CPU a void costs (PostgreSQL's)
    used: int = 0

    @property
    def label(self) -> str:
        return self.engine


def serve(db: str, workers: int = 1) -> list[str]:
    option = "--database" if db.startswith("postgresql://") else "--db"
    return [
        servers.CAMPFIRE_MOCK,
        "serve",
        option,
        db,
        "--today",
        TODAY,
        "--admin-token",
        ADMIN_TOKEN,
        *(["--workers", str(workers)] if workers > 1 else []),
    ]


def prepare(engine: str, db: str, count: int, cpu_pids: list[int]) -> Ledger:
    """The default dataset in `db` (loaded by the first server on an empty database) and `count`
    payments provisioned through a server."""
    with servers.Server(f"{engine} provisioning", serve(db), WORK / f"{engine}-provisioning.log") as server:
        token = standin.api_token(db)
        print(f"provisioning {count:,} payments (half Stripe) on {engine}", flush=True)
        return Ledger(engine, db, token, standin.provision(server.url, token, ADMIN_TOKEN, TODAY, count), cpu_pids)


def cpu_seconds(pids: list[int]) -> float:
    return sum(proc_cpu.tree_cpu_seconds(pid) for pid in pids)


def void_paths(pairs) -> list[str]:
    return [f"/coa/api/v1/invoice/{invoice}/payment/{payment}/void/" for invoice, payment in pairs]


def measure(
    label: str, ledger: Ledger, generator: str, voids: int, processes: int = 1, workers: int = 1
) -> tuple[Row, list[str]]:
    """`voids` voids of distinct payments through `processes` servers (`workers` each), split
    evenly; the row and the problems the checks found."""
    headers = {"Authorization": f"Token {ledger.token}", "Content-Type": "application/json"}
    with contextlib.ExitStack() as stack:
        running = [
            stack.enter_context(
                servers.Server(
                    f"{label} #{n}", serve(ledger.db, workers), WORK / f"{ledger.engine}-{processes}-{workers}-{n}.log"
                )
            )
            for n in range(processes)
        ]
        with httpx.Client(headers=headers, timeout=30) as http:
            for server in running:  # first requests pay for lazy set-up; not recorded
                for path in void_paths(ledger.take(WARM_UP)):
                    http.post(server.url + path, content=VOID_BODY).raise_for_status()
        pairs = ledger.take(voids)
        shares = [pairs[n::processes] for n in range(processes)]
        files = [
            load.write_requests(WORK / f"voids-{n}.txt", "POST", void_paths(share)) for n, share in enumerate(shares)
        ]
        pids = [server.pid for server in running] + ledger.cpu_pids
        before = cpu_seconds(pids)
        with ThreadPoolExecutor(processes) as pool:
            loads = list(
                pool.map(
                    lambda n: load.run(
                        generator,
                        running[n].url,
                        files[n],
                        headers,
                        duration=CAP,
                        limit=len(shares[n]),
                        body=VOID_BODY,
                        connections=load.CONNECTIONS // processes,
                    ),
                    range(processes),
                )
            )
        cpu = cpu_seconds(pids) - before
        answered, ok = sum(one.answered for one in loads), sum(one.ok for one in loads)
        row = Row(
            label,
            answered,
            answered / max(one.elapsed for one in loads),
            max(one.p50_ms for one in loads),
            max(one.p99_ms for one in loads),
            cpu / max(sum(one.responses for one in loads), 1) * 1e6,
        )
        problems = [] if ok == answered == voids else [f"{ok} of {voids} voids answered 200, {answered} answered"]
        problems += check(ledger, running[-1].url, shares[0][:REVOID_PROBES])
    return row, problems


def check(ledger: Ledger, url: str, probes) -> list[str]:
    """Through the server at `url`: a second void of `probes` refused, the voided payments exactly
    the ones handed out so far, the invariants healthy."""
    problems = []
    with httpx.Client(base_url=url, headers={"Authorization": f"Token {ledger.token}"}, timeout=30) as http:
        for path in void_paths(probes):
            if http.post(path, content=VOID_BODY, headers={"Content-Type": "application/json"}).status_code == 200:
                problems.append(f"{path} answered a second 200")
    provisioned = {payment for _, payment in ledger.pairs}
    requested = {payment for _, payment in ledger.pairs[: ledger.used]}
    voided = standin.voided_payment_ids(url, ledger.token) & provisioned
    if voided != requested:
        problems.append(
            f"voided without a request: {sorted(voided - requested)[:5]}, "
            f"requested but not voided: {sorted(requested - voided)[:5]}"
        )
    report = standin.invariants(url, ADMIN_TOKEN)
    if not report["healthy"]:
        problems.append(f"ledger invariants violated: {report['violations'][:3]}")
    return problems


@contextlib.contextmanager
def postgres_cluster():
    """A temporary PostgreSQL cluster, or None (with the line saying why) when it cannot run here."""
    from support.postgres_cluster import PACKAGE, Cluster, binaries

    bin_dir = binaries()
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError as exc:
        print(f"PostgreSQL rows skipped: its driver is missing ({exc}): pip install '.[postgres]'")
        yield None
        return
    if bin_dir is None:
        print(f"PostgreSQL rows skipped: no binaries in /usr/lib/postgresql/*/bin; install {PACKAGE}")
        yield None
        return
    cluster = Cluster(bin_dir, PG_SETTINGS)
    try:
        yield cluster
    finally:
        cluster.remove()


def table(rows: list[Row]) -> str:
    reference = rows[0].rps
    lines = [
        "| | req/s | p50 | p99 | server CPU per void | req/s vs SQLite, one server |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {row.label} | {row.rps:,.0f} | {row.p50_ms:.1f} ms | {row.p99_ms:.1f} ms | {row.cpu_us:,.0f} µs "
        f"| {row.rps / reference:.2f}x |"
        for row in rows
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voids", type=int, default=800, help="distinct voids per row")
    parser.add_argument("--loadgen", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args()
    generator, load_at_start = load.generator(args.loadgen), os.getloadavg()[0]
    WORK.mkdir(parents=True, exist_ok=True)
    for stale in WORK.glob("*"):
        stale.unlink()
    payments = 2 * args.voids + 3 * WARM_UP  # per engine: a row with one server, a row with two
    rows, failures = [], []

    def run(label: str, ledger: Ledger, **config) -> None:
        row, problems = measure(label, ledger, generator, args.voids, **config)
        rows.append(row)
        failures.extend(f"{label}: {problem}" for problem in problems)
        print(
            f"  {label:<44} {row.rps:>6.0f} req/s  p50 {row.p50_ms:6.1f} ms  p99 {row.p99_ms:6.1f} ms  "
            + (
                "check: each payment one 200, second void refused, invariants healthy"
                if not problems
                else f"CHECK FAILED: {problems}"
            ),
            flush=True,
        )

    sqlite = prepare("sqlite", str(datasets.default(WORK / "ledger.db")), payments, [])
    run("SQLite, one server", sqlite)
    run("SQLite, one server with --workers 2", sqlite, workers=2)
    with postgres_cluster() as cluster:
        if cluster is not None:
            postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
            postgres = prepare("postgresql", cluster.new_database(), payments, [postmaster])
            run(f"PostgreSQL {cluster.bin_dir.parts[-2]}, one server", postgres)
            run(f"PostgreSQL {cluster.bin_dir.parts[-2]}, two servers on one database", postgres, processes=2)
    for db in WORK.glob("ledger.db*"):
        db.unlink()
    print()
    print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; {machine(load_at_start)}")
    print(
        f"{generator}{' (1 thread)' if generator == 'wrk' else ''}, {load.CONNECTIONS} connections per row "
        f"(two servers: a generator each, {load.CONNECTIONS // 2} connections each; p50 and p99 the worse "
        f"server's); {args.voids:,} distinct voids per row"
    )
    print()
    print(table(rows))
    for failure in failures:
        print(f"CHECK FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
