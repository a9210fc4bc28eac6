"""What 8 concurrent clients cost a void beyond one client: the same voids sent by wrk (or the
Python generator) with 1 connection and with 8, a fresh `campfire-mock serve` per run, the
connection counts alternating over the rounds; prints per void: req/s, p50, p99, server CPU
split into user and system time, and the server's context switches.

    python benchmarks/contention.py [--voids 1500] [--rounds 3] [--connections 1,8]

Why: a void's handler runs in a thread and each of its ~18 SQLite calls lets go of the GIL; while
other clients' requests keep the event loop busy, every such call can hand the GIL to the loop and
wait to get it back. The context switches per void show how often that happens.
"""
import argparse
import statistics
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import datasets  # noqa: E402
import load  # noqa: E402
import proc_cpu  # noqa: E402
import servers  # noqa: E402
import standin  # noqa: E402
from bench import TODAY, VOID_BODY, WARM_UP  # noqa: E402

import spec  # noqa: E402

WORK = servers.ROOT / "reports" / "contention"
ADMIN_TOKEN = "contention-admin-token"


def run_once(db: Path, token: str, pairs: list, connections: int, generator: str) -> dict:
    """One fresh server voiding `pairs` (the first WARM_UP unrecorded) with `connections` clients."""
    paths = [spec.void_path(invoice, payment) for invoice, payment in pairs]
    requests = load.write_requests(WORK / "voids.txt", "POST", paths[WARM_UP:])
    with servers.Server(f"stand-in, {connections} connections", servers.standin(db, TODAY, ADMIN_TOKEN),
                        WORK / "serve.log") as server:
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Token {token}"}) as http:
            for path in paths[:WARM_UP]:
                http.post(path, content=VOID_BODY, headers={"Content-Type": "application/json"}).raise_for_status()
        before = proc_cpu.tree_figures(server.pid)
        result = load.run(generator, server.url, requests, {"Authorization": f"Token {token}",
                          "Content-Type": "application/json"}, duration=300, limit=len(paths) - WARM_UP,
                          body=VOID_BODY, connections=connections)
        after = proc_cpu.tree_figures(server.pid)
    if result.ok != len(paths) - WARM_UP:
        raise RuntimeError(f"{result.ok} of {len(paths) - WARM_UP} voids answered 200 ({result.other} other)")
    user, system, switches = (later - earlier for earlier, later in zip(before, after))
    return {"rps": result.rps, "p50": result.p50_ms, "p99": result.p99_ms, "user": user / result.responses * 1e6,
            "system": system / result.responses * 1e6, "switches": switches / result.responses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voids", type=int, default=1500, help="voids per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", default="1,8", help="comma-separated client counts")
    parser.add_argument("--loadgen", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args()
    counts = [int(count) for count in args.connections.split(",")]
    generator = load.generator(args.loadgen)
    WORK.mkdir(parents=True, exist_ok=True)
    for stale in WORK.glob("*"):  # a fresh ledger per invocation (seeding refuses a file already loaded)
        stale.unlink()
    db = datasets.default(WORK / "default.db")
    token = standin.api_token(db)
    per_run = WARM_UP + args.voids
    with servers.Server("stand-in, provisioning", servers.standin(db, TODAY, ADMIN_TOKEN), WORK / "provision.log") as server:
        print(f"provisioning {per_run * len(counts) * args.rounds:,} payments (half Stripe)", flush=True)
        pairs = standin.provision(server.url, token, ADMIN_TOKEN, TODAY, per_run * len(counts) * args.rounds)
    results = {count: [] for count in counts}
    for round_number in range(args.rounds):
        for count in counts if round_number % 2 == 0 else counts[::-1]:
            batch, pairs = pairs[:per_run], pairs[per_run:]
            figures = run_once(db, token, batch, count, generator)
            results[count].append(figures)
            print(f"round {round_number + 1}, {count} connection(s): {figures['rps']:.0f} req/s, "
                  f"{figures['user'] + figures['system']:.0f} µs CPU per void ({figures['system']:.0f} µs system), "
                  f"{figures['switches']:.1f} context switches per void", flush=True)
    print(f"\n{generator}, {args.voids:,} voids per run, medians of {args.rounds} rounds\n")
    print("| connections | req/s | p50 | p99 | server CPU per void | of which system | context switches per void |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for count, rows in results.items():
        median = {name: statistics.median(row[name] for row in rows) for name in rows[0]}
        cpu = statistics.median(row["user"] + row["system"] for row in rows)
        print(f"| {count} | {median['rps']:,.0f} | {median['p50']:.1f} ms | {median['p99']:.1f} ms | {cpu:,.0f} µs "
              f"| {median['system']:,.0f} µs | {median['switches']:.1f} |")


if __name__ == "__main__":
    main()
